import type { PdfJsAnnotation, PdfJsPage, PdfJsTextItem } from './pdfjs-types';

const WIDGET_ANNOTATION = 20;

/**
 * The values of a page's form fields (AcroForm text fields and choices), as text items where the
 * field sits: pdf.js's text content has only the page's own text, while a filled form's answers
 * live in its fields (pdftotext shows them). Each value line is an item at the field's top left,
 * as wide as the field (its box is the field's, where glyph positions are not known).
 */
export async function formFieldItems(page: PdfJsPage): Promise<PdfJsTextItem[]> {
  let annotations: PdfJsAnnotation[];
  try {
    annotations = await page.getAnnotations({ intent: 'display' });
  } catch {
    return []; // a broken annotation array loses the fields, not the page
  }
  const items: PdfJsTextItem[] = [];
  for (const a of annotations) {
    if (a.annotationType !== WIDGET_ANNOTATION || a.hidden || !a.rect || a.rect.length !== 4) continue;
    let value = '';
    if (a.fieldType === 'Tx' && typeof a.fieldValue === 'string') value = a.fieldValue;
    else if (a.fieldType === 'Ch') {
      const chosen = Array.isArray(a.fieldValue) ? a.fieldValue : typeof a.fieldValue === 'string' ? [a.fieldValue] : [];
      value = chosen.map((v) => a.options?.find((o) => o.exportValue === v)?.displayValue ?? String(v)).join(', ');
    }
    const lines = value.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trim()).filter(Boolean);
    if (lines.length === 0) continue;
    const [x0, y0, x1, y1] = [Math.min(a.rect[0]!, a.rect[2]!), Math.min(a.rect[1]!, a.rect[3]!), Math.max(a.rect[0]!, a.rect[2]!), Math.max(a.rect[1]!, a.rect[3]!)];
    const lineHeight = Math.max(1, Math.min(12, (y1 - y0) / lines.length));
    lines.forEach((line, k) => {
      const baseline = y1 - lineHeight * (k + 1) + lineHeight * 0.2;
      items.push({ str: line, transform: [lineHeight, 0, 0, lineHeight, x0 + 2, baseline], width: Math.max(1, x1 - x0 - 4), height: lineHeight, hasEOL: true });
    });
  }
  return items;
}

/**
 * Puts field items into the page's items in reading position: before the first item of the
 * page's own text that lies lower on the page (PDF y grows upwards), or on the same line further
 * right; fields top to bottom, left to right.
 */
export function withFormFields(items: Array<PdfJsTextItem | object>, fields: PdfJsTextItem[]): Array<PdfJsTextItem | object> {
  if (fields.length === 0) return items;
  const out = [...items];
  const ordered = [...fields].sort((a, b) => b.transform[5]! - a.transform[5]! || a.transform[4]! - b.transform[4]!);
  let from = 0;
  for (const field of ordered) {
    const [y, x, half] = [field.transform[5]!, field.transform[4]!, field.height / 2];
    const after = (item: PdfJsTextItem) => {
      const [ix, iy] = [item.transform[4]!, item.transform[5]!];
      return iy < y - half || (Math.abs(iy - y) <= half && ix > x);
    };
    let at = out.findIndex((item, k) => k >= from && 'str' in item && (item as PdfJsTextItem).str.trim() !== '' && after(item as PdfJsTextItem));
    if (at === -1) at = out.length;
    out.splice(at, 0, field);
    from = at + 1;
  }
  return out;
}
