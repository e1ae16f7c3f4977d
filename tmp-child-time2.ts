const t0 = performance.now();
const lap = (m: string) => process.stderr.write(`${(performance.now() - t0).toFixed(0)}ms ${m}\n`);
(async () => {
  const { PDFParse } = await import('pdf-parse');
  lap('pdf-parse imported');
  const bytes = require('fs').readFileSync(process.argv[2] ?? '/tmp/ocrx/scan.pdf');
  const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: 0, stopAtErrors: false });
  const info = await parser.getInfo();
  lap(`getInfo ${info.total}`);
  const doc = await (parser as any).load();
  lap('load');
  const labels = await (parser as any).doc.getPageLabels();
  lap('labels');
  const p = await doc.getPage(1); await p.getTextContent({});
  lap('page 1');
})();
