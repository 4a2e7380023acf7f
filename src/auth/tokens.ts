/**
 * Access tokens (HS256 JWT, 24 h) and rotating refresh tokens (opaque, 7 days, stored hashed).
 * Refresh tokens form families: using one issues its successor; presenting an already-used token is
 * treated as theft and revokes the whole family (reuse detection).
 */
import crypto from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { DB } from '../storage/db.js';
import { nowIso } from '../storage/db.js';
import { randomToken, sha256 } from './passwords.js';

export const ACCESS_TTL_S = 86400;
export const REFRESH_TTL_S = 604800;
const ISSUER = 'hawiya';
/** Bound on remembered verified access tokens (a few MB at most). */
const VERIFIED_CACHE_MAX = 10_000;

export type SubjectType = 'admin' | 'user';

export interface AccessClaims {
  sub: number;
  typ: SubjectType;
  /** Tenant the token is bound to; null for a host (super) admin. */
  tid: number | null;
  perms?: string[];
}

export interface IssuedTokens {
  accessToken: string;
  encryptedAccessToken: string;
  expireInSeconds: number;
  refreshToken: string;
  refreshTokenExpireInSeconds: number;
}

export class TokenError extends Error {
  constructor(public readonly reason: 'expired' | 'invalid' | 'reused') {
    super(`token ${reason}`);
  }
}

export class TokenService {
  private readonly key: Uint8Array;
  /** Imported once: with raw bytes jose re-imports the key on every verification, half its cost. */
  private readonly verifyKey: Promise<CryptoKey>;
  private readonly encKey: Buffer;
  private readonly verified = new Map<string, { claims: AccessClaims; expMs: number }>();
  constructor(private readonly db: DB, secret: Buffer) {
    this.key = new Uint8Array(secret);
    this.verifyKey = crypto.webcrypto.subtle.importKey('raw', this.key, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    this.encKey = crypto.createHash('sha256').update(secret).update('enc').digest();
  }

  async signAccess(c: AccessClaims): Promise<string> {
    const jwt = new SignJWT({ typ: c.typ, tid: c.tid, ...(c.perms ? { perms: c.perms } : {}) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(c.sub))
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setJti(crypto.randomUUID())
      .setExpirationTime(`${ACCESS_TTL_S}s`);
    return jwt.sign(this.key);
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    // A token's signature and claims never change, and clients reuse one for hours: verify each once.
    const hit = this.verified.get(token);
    if (hit) {
      if (Date.now() < hit.expMs) return hit.claims;
      this.verified.delete(token);
      throw new TokenError('expired');
    }
    try {
      const { payload } = await jwtVerify(token, await this.verifyKey, { issuer: ISSUER, algorithms: ['HS256'] });
      const typ = payload.typ;
      const sub = Number(payload.sub);
      if ((typ !== 'admin' && typ !== 'user') || !Number.isInteger(sub)) throw new TokenError('invalid');
      const tid = payload.tid === null ? null : Number(payload.tid);
      const claims: AccessClaims = Object.freeze({ sub, typ, tid, perms: Array.isArray(payload.perms) ? Object.freeze([...(payload.perms as string[])]) as string[] : undefined });
      if (typeof payload.exp === 'number') {
        if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.clear();
        this.verified.set(token, { claims, expMs: payload.exp * 1000 });
      }
      return claims;
    } catch (e) {
      if (e instanceof TokenError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new TokenError('expired');
      throw new TokenError('invalid');
    }
  }

  /** ABP's `encryptedAccessToken`: an opaque AES-GCM sealed copy of the access token (spec §3.3). */
  encryptAccess(token: string): string {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([c.update(token, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64url');
  }

  async issue(c: AccessClaims, familyId: string = crypto.randomUUID()): Promise<IssuedTokens> {
    const accessToken = await this.signAccess(c);
    const refreshToken = randomToken(32);
    await this.db.insertInto('refresh_tokens').values({
      id: crypto.randomUUID(), tenant_id: c.tid, subject_type: c.typ, subject_id: c.sub, family_id: familyId,
      token_hash: sha256(refreshToken), expires_at: nowIso(new Date(Date.now() + REFRESH_TTL_S * 1000)),
      used_at: null, revoked_at: null, created_at: nowIso(),
    }).execute();
    return {
      accessToken, encryptedAccessToken: this.encryptAccess(accessToken), expireInSeconds: ACCESS_TTL_S,
      refreshToken, refreshTokenExpireInSeconds: REFRESH_TTL_S,
    };
  }

  /**
   * Rotates a refresh token. `tenantId` is the tenant of the ApiKey used for the call: a token of another
   * tenant is refused. Returns the subject so the caller can re-read its current permissions.
   */
  async rotate(refreshToken: string, tenantId: number | null, allowHost: boolean):
    Promise<{ subjectType: SubjectType; subjectId: number; tokenTenantId: number | null; familyId: string }> {
    const row = await this.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', sha256(refreshToken)).executeTakeFirst();
    if (!row) throw new TokenError('invalid');
    if (row.tenant_id !== tenantId && !(allowHost && row.tenant_id === null)) throw new TokenError('invalid');
    if (row.revoked_at) throw new TokenError('invalid');
    if (row.used_at) {
      await this.revokeFamily(row.family_id);
      throw new TokenError('reused');
    }
    if (row.expires_at < nowIso()) throw new TokenError('expired');
    const r = await this.db.updateTable('refresh_tokens').set({ used_at: nowIso() })
      .where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      // Lost a race with a concurrent use of the same token: that is reuse too.
      await this.revokeFamily(row.family_id);
      throw new TokenError('reused');
    }
    return { subjectType: row.subject_type as SubjectType, subjectId: row.subject_id, tokenTenantId: row.tenant_id, familyId: row.family_id };
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.db.updateTable('refresh_tokens').set({ revoked_at: nowIso() }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute();
  }

  async revokeSubject(subjectType: SubjectType, subjectId: number): Promise<void> {
    await this.db.updateTable('refresh_tokens').set({ revoked_at: nowIso() })
      .where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).where('revoked_at', 'is', null).execute();
  }
}
