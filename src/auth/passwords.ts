/**
 * Password hashing with scrypt (memory-hard, built into Node: no native add-on to install).
 * Format: scrypt$<log2N>$<r>$<p>$<salt b64url>$<hash b64url>, so parameters can be raised later.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, opts: crypto.ScryptOptions) => Promise<Buffer>;

/** 2^15 → 32 MiB per hash with r=8. HAWIYA_SCRYPT_LOG_N (12–20) lowers it for test suites or raises it. */
const LOG_N = Math.min(20, Math.max(12, Number(process.env.HAWIYA_SCRYPT_LOG_N ?? 15)));
const R = 8;
const P = 1;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, 32, { N: 2 ** LOG_N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${LOG_N}$${R}$${P}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, logN, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const got = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: 2 ** Number(logN), r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024,
  });
  return crypto.timingSafeEqual(got, expected);
}

/** A hash to compare against when the user does not exist, so timing does not reveal which accounts exist. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return dummy;
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('base64url');
}

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}
