/**
 * Authentication at the edge. Each route declares `config.auth`:
 *  - 'none'      public (health, docs)
 *  - 'key'       ApiKey only (registration, logins, OCR)  — a bearer, if present and valid, is attached
 *  - 'user'      ApiKey + end-user bearer
 *  - 'admin'     ApiKey + admin bearer (+ `config.permission`)
 * Tokens are bound to the ApiKey's tenant; only a host admin may cross tenants (ImpersonatedTenantId).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Hawiya } from '../server/context.js';
import type { Tenant } from '../tenants/service.js';
import { VlensError } from '../server/errors.js';
import { TokenError, type AccessClaims } from './tokens.js';

export type AuthMode = 'none' | 'key' | 'user' | 'admin';

export interface Principal {
  type: 'admin' | 'user';
  id: number;
  /** Tenant the token is bound to; null for host admins. */
  tokenTenantId: number | null;
  isHost: boolean;
  permissions: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    tenant?: Tenant;
    apiKeyId?: string;
    principal?: Principal;
  }
  interface FastifyContextConfig {
    auth?: AuthMode;
    permission?: string;
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function bearer(req: FastifyRequest): string | undefined {
  const h = header(req, 'authorization');
  if (!h) return undefined;
  const m = /^Bearer\s*(.*)$/i.exec(h.trim());
  const token = m ? m[1]!.trim() : '';
  // The iOS SDK sends "Bearer " with an empty token when it has none: that means "no bearer" (spec §2.1).
  return token === '' || token === 'null' || token === 'undefined' ? undefined : token;
}

async function principalFrom(ctx: Hawiya, claims: AccessClaims): Promise<Principal> {
  if (claims.typ === 'admin') {
    const row = await ctx.db.selectFrom('admin_users').select(['id', 'tenant_id', 'permissions', 'is_active'])
      .where('id', '=', claims.sub).executeTakeFirst();
    if (!row || row.is_active !== 1 || row.tenant_id !== claims.tid) throw new VlensError(401, 'The access token is no longer valid.');
    return { type: 'admin', id: row.id, tokenTenantId: row.tenant_id, isHost: row.tenant_id === null, permissions: JSON.parse(row.permissions) as string[] };
  }
  return { type: 'user', id: claims.sub, tokenTenantId: claims.tid, isHost: false, permissions: [] };
}

export function makeAuthHook(ctx: Hawiya) {
  return async function authenticate(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const mode: AuthMode = req.routeOptions.config?.auth ?? 'none';
    if (mode === 'none') return;

    const apiKey = header(req, 'apikey');
    if (!apiKey) throw new VlensError(401, 'ApiKey header missing.');
    const found = await ctx.tenants.authenticateApiKey(apiKey);
    if (!found) throw new VlensError(401, 'Unauthorized - invalid API Key.');
    req.tenant = found.tenant;
    req.apiKeyId = found.keyId;

    const token = bearer(req);
    if (!token) {
      if (mode === 'user' || mode === 'admin') throw new VlensError(401, 'Include a valid access token (Authorization: Bearer).');
      return;
    }
    let claims: AccessClaims;
    try {
      claims = await ctx.tokens.verifyAccess(token);
    } catch (e) {
      if (mode === 'key') return; // an optional bearer that does not verify is ignored on ApiKey-only routes
      throw new VlensError(401, e instanceof TokenError && e.reason === 'expired' ? 'The access token has expired.' : 'Invalid access token.');
    }
    const isHostToken = claims.typ === 'admin' && claims.tid === null;
    if (!isHostToken && claims.tid !== found.tenant.id) {
      if (mode === 'key') return;
      throw new VlensError(403, 'The access token belongs to another tenant.');
    }
    const principal = await principalFrom(ctx, claims);
    if (mode === 'user' && principal.type !== 'user') throw new VlensError(403, 'This endpoint needs an end-user token.');
    if (mode === 'admin') {
      if (principal.type !== 'admin') throw new VlensError(403, 'This endpoint needs an admin token.');
      const perm = req.routeOptions.config?.permission;
      if (perm && !principal.isHost && !principal.permissions.includes(perm)) {
        throw new VlensError(403, `The admin lacks the "${perm}" permission.`);
      }
    }
    req.principal = principal;
  };
}

/**
 * The tenant an admin request acts on: the ApiKey's tenant, or — for a host admin only — the tenant named by
 * `ImpersonatedTenantId`. A tenant admin passing another tenant's id is refused.
 */
export async function actingTenant(ctx: Hawiya, req: FastifyRequest, impersonated: number | undefined): Promise<Tenant> {
  if (impersonated === undefined || impersonated === req.tenant!.id) return req.tenant!;
  if (!req.principal?.isHost) throw new VlensError(403, 'ImpersonatedTenantId is only allowed for host administrators.');
  const t = await ctx.tenants.get(impersonated);
  if (!t) throw new VlensError(404, 'Tenant not found.');
  return t;
}
