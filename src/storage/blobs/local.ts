/** Local-directory blob backend (the embedded default: ./data/blobs). Writes are atomic (temp file + rename). */
import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import type { BlobBackend } from './store.js';

export class LocalBlobBackend implements BlobBackend {
  constructor(private readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, ...key.split('/'));
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const f = this.file(key);
    await fs.mkdir(path.dirname(f), { recursive: true, mode: 0o700 });
    const tmp = `${f}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(tmp, bytes, { mode: 0o600 });
    await fs.rename(tmp, f);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await fs.readFile(this.file(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }

  async check(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await fs.access(this.dir, fs.constants.W_OK);
  }
}
