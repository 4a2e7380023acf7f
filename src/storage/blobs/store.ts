/**
 * Blob storage for images. Backends store opaque bytes; `EncryptedBlobs` seals every blob with the
 * tenant's data key before it reaches a backend, so neither the disk nor the object store sees an image.
 */
import type { TenantKeys } from '../../crypto/keys.js';

export interface BlobBackend {
  put(key: string, bytes: Buffer): Promise<void>;
  /** undefined when the blob does not exist. */
  get(key: string): Promise<Buffer | undefined>;
  delete(key: string): Promise<void>;
  /** Cheap liveness check for /readyz. */
  check(): Promise<void>;
}

export interface BlobStore {
  put(keys: TenantKeys, key: string, bytes: Buffer): Promise<void>;
  get(keys: TenantKeys, key: string): Promise<Buffer | undefined>;
  delete(key: string): Promise<void>;
  check(): Promise<void>;
}

const KEY_RE = /^[A-Za-z0-9][A-Za-z0-9._\/-]{0,255}$/;

export function assertBlobKey(key: string): void {
  if (!KEY_RE.test(key) || key.includes('..')) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
}

export class EncryptedBlobs implements BlobStore {
  constructor(private readonly backend: BlobBackend) {}

  async put(keys: TenantKeys, key: string, bytes: Buffer): Promise<void> {
    assertBlobKey(key);
    await this.backend.put(key, keys.encryptBlob(bytes, key));
  }

  /** Throws TamperError when the stored bytes were altered. */
  async get(keys: TenantKeys, key: string): Promise<Buffer | undefined> {
    assertBlobKey(key);
    const sealed = await this.backend.get(key);
    return sealed ? keys.decryptBlob(sealed, key) : undefined;
  }

  delete(key: string): Promise<void> {
    assertBlobKey(key);
    return this.backend.delete(key);
  }

  check(): Promise<void> {
    return this.backend.check();
  }
}
