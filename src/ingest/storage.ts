/**
 * Originals, byte for byte, under their SHA-256: <uploadDir>/<aa>/<sha256>. The path is always
 * derived from the hash, never from anything the client sent.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sha256OfFile } from '../hash';

export interface StoredOriginal {
  sha256: string;
  bytes: number;
  /** Relative to the upload directory. */
  storedPath: string;
}

export class OriginalStore {
  constructor(readonly root: string) {
    fs.mkdirSync(path.join(root, 'incoming'), { recursive: true });
  }

  /** A fresh temporary path for an incoming upload (multer writes there). */
  incomingPath(): string {
    return path.join(this.root, 'incoming', `${Date.now()}-${randomBytes(8).toString('hex')}`);
  }

  /** Hashes a finished upload and moves it to its content address (dropping it if already stored). */
  async commit(tempPath: string): Promise<StoredOriginal> {
    const { sha256, size: bytes } = await sha256OfFile(tempPath);
    const storedPath = path.join(sha256.slice(0, 2), sha256);
    const finalPath = this.resolve(storedPath);
    fs.mkdirSync(path.dirname(finalPath), { recursive: true });
    if (fs.existsSync(finalPath)) {
      fs.rmSync(tempPath, { force: true });
    } else {
      fs.renameSync(tempPath, finalPath);
      fs.chmodSync(finalPath, 0o444);
    }
    return { sha256, bytes, storedPath };
  }

  /** Absolute path of a stored original; refuses anything that is not a content address. */
  resolve(storedPath: string): string {
    if (!/^[0-9a-f]{2}[/\\][0-9a-f]{64}$/.test(storedPath)) throw new Error(`not a stored original: ${storedPath}`);
    return path.join(this.root, storedPath);
  }

  read(storedPath: string): Promise<Buffer> {
    return fs.promises.readFile(this.resolve(storedPath));
  }

  /** First bytes of a file, for sniffing without reading 200 MB. */
  async head(filePath: string, length = 64 * 1024 + 1): Promise<Buffer> {
    const handle = await fs.promises.open(filePath, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  discard(tempPath: string): void {
    fs.rmSync(tempPath, { force: true });
  }
}
