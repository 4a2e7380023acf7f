/**
 * Envelope encryption: a master key (HAWIYA_MASTER_KEY, or ./data/master.key created 0600 on first start)
 * wraps one random data key per tenant. Personal data and image blobs are sealed with AES-256-GCM under the
 * tenant's data key, with associated data binding each ciphertext to its tenant and purpose, so a ciphertext
 * moved to another row, tenant or field fails authentication instead of decrypting.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export class TamperError extends Error {
  constructor(what: string) {
    super(`ciphertext failed authentication (${what}): data was altered or belongs elsewhere`);
    this.name = 'TamperError';
  }
}

const ALG = 'aes-256-gcm';
const IV_LEN = 12;
const TAG_LEN = 16;
const BLOB_MAGIC = Buffer.from('HWY1');

function parseKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error('HAWIYA_MASTER_KEY must be 32 bytes (64 hex chars or base64)');
  return key;
}

/** Loads the master key, creating the key file (mode 0600) when neither the variable nor the file exists. */
export function loadMasterKey(fromEnv: string | undefined, file: string): Buffer {
  if (fromEnv) return parseKey(fromEnv);
  if (fs.existsSync(file)) return parseKey(fs.readFileSync(file, 'utf8'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = crypto.randomBytes(IV_LEN);
  const c = crypto.createCipheriv(ALG, key, iv);
  c.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), ct]);
}

export function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < IV_LEN + TAG_LEN) throw new TamperError(aad);
  const d = crypto.createDecipheriv(ALG, key, sealed.subarray(0, IV_LEN));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(sealed.subarray(IV_LEN, IV_LEN + TAG_LEN));
  try {
    return Buffer.concat([d.update(sealed.subarray(IV_LEN + TAG_LEN)), d.final()]);
  } catch {
    throw new TamperError(aad);
  }
}

export function hkdf(key: Buffer, info: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', key, Buffer.alloc(0), info, 32));
}

/** A tenant's keys: the data key for sealing and a derived key for blind lookup indexes (phone, email). */
export class TenantKeys {
  private readonly lookupKey: Buffer;
  constructor(public readonly tenantId: number, private readonly dataKey: Buffer) {
    this.lookupKey = hkdf(dataKey, 'hawiya:lookup');
  }

  /** Seals a string field for storage: `v1.<base64url>`. */
  encryptText(value: string, purpose: string): string {
    return 'v1.' + seal(this.dataKey, Buffer.from(value, 'utf8'), `t${this.tenantId}:${purpose}`).toString('base64url');
  }

  decryptText(stored: string, purpose: string): string {
    if (!stored.startsWith('v1.')) throw new TamperError(purpose);
    return open(this.dataKey, Buffer.from(stored.slice(3), 'base64url'), `t${this.tenantId}:${purpose}`).toString('utf8');
  }

  encryptJson(value: unknown, purpose: string): string {
    return this.encryptText(JSON.stringify(value), purpose);
  }

  decryptJson<T>(stored: string, purpose: string): T {
    return JSON.parse(this.decryptText(stored, purpose)) as T;
  }

  encryptBlob(bytes: Buffer, blobKey: string): Buffer {
    return Buffer.concat([BLOB_MAGIC, seal(this.dataKey, bytes, `t${this.tenantId}:blob:${blobKey}`)]);
  }

  decryptBlob(stored: Buffer, blobKey: string): Buffer {
    if (!stored.subarray(0, 4).equals(BLOB_MAGIC)) throw new TamperError(`blob ${blobKey}`);
    return open(this.dataKey, stored.subarray(4), `t${this.tenantId}:blob:${blobKey}`);
  }

  /** Deterministic keyed hash for equality lookups without storing the value in clear. */
  lookup(value: string): string {
    return crypto.createHmac('sha256', this.lookupKey).update(value).digest('base64url');
  }
}

export class KeyRing {
  private readonly kek: Buffer;
  private readonly cache = new Map<number, TenantKeys>();
  constructor(masterKey: Buffer) {
    this.kek = hkdf(masterKey, 'hawiya:kek');
  }

  /** A fresh wrapped data key for a new tenant. */
  newWrappedDataKey(tenantId: number): string {
    return seal(this.kek, crypto.randomBytes(32), `dek:${tenantId}`).toString('base64url');
  }

  tenant(tenantId: number, wrappedDataKey: string): TenantKeys {
    let k = this.cache.get(tenantId);
    if (!k) {
      k = new TenantKeys(tenantId, open(this.kek, Buffer.from(wrappedDataKey, 'base64url'), `dek:${tenantId}`));
      this.cache.set(tenantId, k);
    }
    return k;
  }

  /** Key for signing JWTs, derived so the master key itself never signs anything. */
  jwtKey(): Buffer {
    return hkdf(this.kek, 'hawiya:jwt');
  }
}
