/** Reading a secret from the terminal without echoing it. */

/**
 * Asks `question` on stderr and reads one line from a TTY stdin in raw mode, so nothing typed is
 * echoed. Backspace deletes, Enter ends, Ctrl-C or Ctrl-D (on an empty line) aborts with null.
 */
export function promptHidden(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string | null> {
  return new Promise((resolve) => {
    output.write(question);
    let typed = '';
    const finish = (value: string | null) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of String(chunk)) {
        if (char === '\r' || char === '\n') return finish(typed);
        if (char === '\u0003' || (char === '\u0004' && !typed)) return finish(null);
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
  });
}
