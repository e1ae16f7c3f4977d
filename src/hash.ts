/** SHA-256, the one hash Lexwatch uses: of text and bytes, and of files (streamed). Hex digests. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** SHA-256 of a string (its UTF-8 bytes) or of bytes. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 and size of a file on disk, read as a stream (originals can be large). */
export async function sha256OfFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}
