const t0 = performance.now();
const lap = (m: string) => process.stderr.write(`${(performance.now() - t0).toFixed(0)}ms ${m}\n`);
(async () => {
  lap('start');
  const { extractPages } = await import('./src/extract/index');
  lap('modules');
  const bytes = require('fs').readFileSync('/tmp/ocrx/scan.pdf');
  lap('read');
  let first = true;
  await extractPages(bytes, 'pdf', { onTotal: (n: number) => lap(`total ${n}`), onPage: () => { if (first) lap('first page'); first = false; } });
  lap('all pages');
})();
