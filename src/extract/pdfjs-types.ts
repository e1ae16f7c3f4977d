/** The parts of pdf.js's page API the text layer reads (pdf-parse loads pdf.js; its types are not exported). */
export interface PdfJsTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
  /** pdf.js's name of the item's font: the key of its style and of its font object. */
  fontName?: string;
}
export interface PdfJsPage {
  getViewport(o: { scale: number }): { width: number; height: number; convertToViewportPoint(x: number, y: number): number[] };
  getTextContent(o: object): Promise<{ items: Array<PdfJsTextItem | object>; styles?: Record<string, { ascent?: number; descent?: number }> }>;
  getAnnotations(o: { intent: string }): Promise<PdfJsAnnotation[]>;
  cleanup(): void;
}
export interface PdfJsAnnotation {
  annotationType: number;
  fieldType?: string;
  fieldValue?: unknown;
  rect?: number[];
  hidden?: boolean;
  options?: Array<{ exportValue: string; displayValue: string }>;
}
