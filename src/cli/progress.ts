/** A one-line progress bar on stderr for long files; silent when stderr is not a terminal (pipes, CI, logs). */
import type { Writable } from 'node:stream';

export interface Progress {
  tick(done: number): void;
  finish(): void;
}

const WIDTH = 30;
/** Files with fewer pages finish too fast for a bar to help. */
export const PROGRESS_MIN_PAGES = 20;

export function progressBar(stream: Writable, total: number, label: string, now: () => number = Date.now): Progress {
  const tty = (stream as Writable & { isTTY?: boolean }).isTTY === true;
  if (!tty || total < PROGRESS_MIN_PAGES) return { tick() {}, finish() {} };
  const started = now();
  let lastDraw = 0;
  const draw = (done: number) => {
    const filled = Math.round((done / total) * WIDTH);
    const elapsed = (now() - started) / 1000;
    const eta = done > 0 ? Math.ceil((elapsed / done) * (total - done)) : null;
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} pages${eta !== null ? `, ~${eta} s left` : ''}  ${label.slice(-40)}\u001b[K`);
  };
  return {
    tick(done) {
      if (done === total || now() - lastDraw >= 100) {
        lastDraw = now();
        draw(done);
      }
    },
    finish() {
      stream.write('\r\u001b[K');
    },
  };
}
