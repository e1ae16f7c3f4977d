import { Writable } from 'node:stream';
import { progressBar } from '../../src/cli/progress';

function sink(isTTY: boolean): Writable & { text: string; isTTY: boolean } {
  const out = new Writable({
    write(chunk, _enc, cb) {
      out.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string; isTTY: boolean };
  out.text = '';
  out.isTTY = isTTY;
  return out;
}

describe('progressBar', () => {
  it('draws pages done / total and a time estimate on a terminal, then clears its line', () => {
    let t = 0;
    const out = sink(true);
    const bar = progressBar(out, 40, 'book.pdf', () => t);
    bar.tick(0);
    t = 1_000;
    bar.tick(10);
    t = 4_000;
    bar.tick(40);
    bar.finish();
    expect(out.text).toContain('10/40 pages, ~3 s left');
    expect(out.text).toContain(`[${'#'.repeat(30)}] 40/40 pages`);
    expect(out.text.endsWith('\r\u001b[K')).toBe(true);
  });

  it('is silent when stderr is not a terminal, and for short files', () => {
    const pipe = sink(false);
    const bar = progressBar(pipe, 500, 'book.pdf');
    bar.tick(250);
    bar.finish();
    expect(pipe.text).toBe('');
    const short = sink(true);
    progressBar(short, 5, 'leaflet.pdf').tick(5);
    expect(short.text).toBe('');
  });
});
