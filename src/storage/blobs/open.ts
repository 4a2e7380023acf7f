/** Picks the blob backend from HAWIYA_BLOB_URL: `file:<dir>` (default) or `s3://bucket?endpoint=…`. */
import type { BlobBackend } from './store.js';
import { LocalBlobBackend } from './local.js';

export async function openBlobBackend(url: string): Promise<BlobBackend> {
  if (url.startsWith('s3://')) {
    const { S3BlobBackend } = await import('./s3.js');
    return S3BlobBackend.fromUrl(url);
  }
  const dir = url.startsWith('file:') ? url.slice('file:'.length) : url;
  return new LocalBlobBackend(dir);
}
