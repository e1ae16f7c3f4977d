import { declaredTypeConflicts, isPdfHtmlPolyglot, sniffType } from '../../src/ingest/sniff';
import { displayName } from '../../src/ingest/service';
import { csvCell } from '../../src/export/flags-export';

describe('sniffType', () => {
  it.each([
    ['%PDF-1.7\n…', 'pdf'],
    ['garbage first\n%PDF-1.4\n', 'pdf'],
    ['Tarvanlılar Vessa gölünün yanında buğda əkirlər.\n', 'text'],
    ['Тарваны живут у озера Весса.\n', 'text'],
    ['<!DOCTYPE html><html><body>x</body></html>', 'html'],
    ['%PDF-1.4\n<html><body>polyglot</body></html>', 'html'],
  ])('%j → %s', (content, type) => {
    expect(sniffType(Buffer.from(content))).toBe(type);
  });

  it('takes a PDF with HTML markup after its first 1 KB for a polyglot (issue 17)', () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n% Kestrel Valley report\n'), Buffer.alloc(3000, 0x20), Buffer.from('<html><body><script>alert(1)</script></body></html>\n1 0 obj << >> endobj\n')]);
    expect(isPdfHtmlPolyglot(pdf)).toBe(true);
    expect(sniffType(pdf)).toBe('html');
    // Words that merely mention HTML are not markup.
    const harmless = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 0x20), Buffer.from('(HTML and the html element) Tj\n')]);
    expect(isPdfHtmlPolyglot(harmless)).toBe(false);
    expect(sniffType(harmless)).toBe('pdf');
  });

  it('recognises binary formats and refuses unknown bytes', () => {
    expect(sniffType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))).toBe('png');
    expect(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14]))).toBe('zip');
    expect(sniffType(Buffer.from([0x00, 0x01, 0x02, 0xfe, 0xff]))).toBeNull();
    expect(sniffType(Buffer.from('text with a NUL\u0000 byte'))).toBeNull();
    expect(sniffType(Buffer.alloc(0))).toBeNull();
  });

  it('accepts UTF-8 text whose sample ends inside a multi-byte character', () => {
    const text = Buffer.from('ə'.repeat(40_000)); // 80,000 bytes
    expect(sniffType(text.subarray(0, 64 * 1024 + 1))).toBe('text');
  });

  it('flags declarations that contradict the bytes', () => {
    expect(declaredTypeConflicts('text', 'application/pdf', 'a.txt')).toMatch(/declared as application\/pdf/);
    expect(declaredTypeConflicts('text', 'application/octet-stream', 'a.pdf')).toMatch(/named \.pdf/);
    expect(declaredTypeConflicts('pdf', 'application/octet-stream', 'book')).toBeNull();
    expect(declaredTypeConflicts('pdf', 'application/pdf', 'book.PDF')).toBeNull();
  });
});

describe('displayName', () => {
  it('drops directories, control and bidi-override characters', () => {
    expect(displayName('../../etc/passwd')).toBe('passwd');
    expect(displayName('..\\..\\boot.ini')).toBe('boot.ini');
    expect(displayName('report\u202Efdp.exe')).toBe('reportfdp.exe');
    expect(displayName('a\u0000b\nc.pdf')).toBe('abc.pdf');
    expect(displayName('../')).toBe('upload');
  });
});

describe('csvCell', () => {
  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a "quoted", text')).toBe('"a ""quoted"", text"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(null)).toBe('');
  });
});
