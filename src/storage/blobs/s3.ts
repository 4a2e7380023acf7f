/** S3-compatible blob backend — being written; see the S3 task. */
import type { BlobBackend } from './store.js';

export class S3BlobBackend implements BlobBackend {
  static fromUrl(_url: string): S3BlobBackend {
    throw new Error('S3 blob backend not available yet');
  }
  async put(): Promise<void> {}
  async get(): Promise<Buffer | undefined> { return undefined; }
  async delete(): Promise<void> {}
  async check(): Promise<void> {}
}
