/**
 * /api/credentials — admin (service) login and token refresh (spec §3.4–3.5).
 * Refresh is shared with /api/DigitalIdentity/RefreshToken: the RN SDK refreshes user tokens here too.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Hawiya } from '../server/context.js';
import { ok } from '../server/envelope.js';
import { VlensError } from '../server/errors.js';
import { FailureCounter } from '../server/rate-limit.js';
import { dummyHash, verifyPassword } from '../auth/passwords.js';
import { TokenError } from '../auth/tokens.js';
import { HOST_TENANCY_NAME } from '../tenants/service.js';
import { nowIso } from '../storage/db.js';
import { str, nullableStr } from './schemas.js';

export const ADMIN_MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

export async function credentialsRoutes(app: FastifyInstance, ctx: Hawiya) {
  const unknownUserFailures = new FailureCounter(ADMIN_MAX_FAILURES, LOCK_MINUTES * 60_000);

  app.post('/api/credentials/Login', {
    config: { auth: 'key' },
    schema: {
      tags: ['Authentication'], summary: 'Admin / service login (ApiKey + TenancyName)',
      body: {
        type: 'object', required: ['tenancyName', 'userNameOrEmailAddress', 'password'],
        properties: { tenancyName: str(256), userNameOrEmailAddress: str(256), password: str(32), rememberClient: { type: ['boolean', 'null'] } },
      },
    },
  }, async (req, reply) => {
    const body = req.body as { tenancyName: string; userNameOrEmailAddress: string; password: string };
    const headerName = String(req.headers['tenancyname'] ?? '').trim();
    const bodyName = body.tenancyName.trim();
    if (!headerName) throw new VlensError(400, 'TenancyName header is required on login.', 400);
    if (headerName.toLowerCase() !== bodyName.toLowerCase()) throw new VlensError(400, 'TenancyName header and body differ.', 400);
    const isHost = bodyName.toLowerCase() === HOST_TENANCY_NAME.toLowerCase();
    if (!isHost && bodyName.toLowerCase() !== req.tenant!.name.toLowerCase()) {
      throw new VlensError(401, 'The ApiKey does not belong to this tenant.');
    }
    const tenantId = isHost ? null : req.tenant!.id;
    const login = body.userNameOrEmailAddress.trim();
    const failKey = `${tenantId ?? 'host'}:${login.toLowerCase()}`;
    if (unknownUserFailures.isLocked(failKey)) throw new VlensError(401, 'Account temporarily locked after too many failed attempts.');

    let q = ctx.db.selectFrom('admin_users').selectAll().where('is_active', '=', 1)
      .where((eb) => eb.or([eb('user_name', '=', login), eb('email', '=', login)]));
    q = tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId);
    const user = await q.executeTakeFirst();
    if (!user) {
      await verifyPassword(body.password, await dummyHash());
      unknownUserFailures.fail(failKey);
      throw new VlensError(401, 'Invalid user name or password.');
    }
    if (user.locked_until && user.locked_until > nowIso()) throw new VlensError(401, 'Account temporarily locked after too many failed attempts.');
    // Claim one of the allowed attempts atomically before hashing: a concurrent burst of guesses can't all be judged.
    const claimed = await ctx.db.updateTable('admin_users').set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', user.id).where('failed_logins', '<', ADMIN_MAX_FAILURES)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso())]))
      .returning('failed_logins').executeTakeFirst();
    if (!claimed) throw new VlensError(401, 'Account temporarily locked after too many failed attempts.');
    if (!(await verifyPassword(body.password, user.password_hash))) {
      const lock = Number(claimed.failed_logins) >= ADMIN_MAX_FAILURES ? nowIso(new Date(Date.now() + LOCK_MINUTES * 60_000)) : null;
      if (lock) await ctx.db.updateTable('admin_users').set({ failed_logins: 0, locked_until: lock }).where('id', '=', user.id).execute();
      await ctx.audit.record({ tenantId, actorType: 'admin', actorId: user.id, action: lock ? 'admin.login.locked' : 'admin.login.failed', requestId: req.id, ip: req.ip });
      throw new VlensError(401, 'Invalid user name or password.');
    }
    await ctx.db.updateTable('admin_users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    const permissions = JSON.parse(user.permissions) as string[];
    const tokens = await ctx.tokens.issue({ sub: user.id, typ: 'admin', tid: tenantId, perms: permissions });
    await ctx.audit.record({ tenantId, actorType: isHost ? 'host' : 'admin', actorId: user.id, action: 'admin.login', requestId: req.id, ip: req.ip });
    return ok(reply, { ...tokens, userId: user.id, tenantId, permissions });
  });

  app.post('/api/credentials/RefreshToken', refreshRouteOptions('Authentication'), async (req, reply) => ok(reply, await refresh(ctx, req)));
}

export function refreshRouteOptions(tag: string) {
  return {
    config: { auth: 'key' as const },
    schema: {
      tags: [tag], summary: 'Rotate a refresh token (admin or end-user)',
      body: { type: 'object', properties: { refreshToken: nullableStr(512) } },
    },
  };
}

/**
 * Rotates a refresh token bound to the ApiKey's tenant. Both `refreshToken` and `newRefreshToken` carry the new
 * token: SDKs store `data.refreshToken`, and returning the spent one would trip reuse detection on their next call.
 */
export async function refresh(ctx: Hawiya, req: FastifyRequest) {
  const token = (req.body as { refreshToken?: string | null } | undefined)?.refreshToken;
  if (!token) throw new VlensError(400, 'refreshToken is required.', 400);
  let rotated;
  try {
    rotated = await ctx.tokens.rotate(token, req.tenant!.id, true);
  } catch (e) {
    if (e instanceof TokenError && e.reason === 'reused') {
      await ctx.audit.record({ tenantId: req.tenant!.id, actorType: 'system', action: 'refresh_token.reuse_detected', requestId: req.id, ip: req.ip });
    }
    throw new VlensError(401, e instanceof TokenError && e.reason === 'reused'
      ? 'Refresh token was already used; the session has been revoked. Log in again.'
      : 'Invalid or expired refresh token.');
  }
  let perms: string[] | undefined;
  if (rotated.subjectType === 'admin') {
    const admin = await ctx.db.selectFrom('admin_users').select(['permissions', 'is_active']).where('id', '=', rotated.subjectId).executeTakeFirst();
    if (!admin || admin.is_active !== 1) throw new VlensError(401, 'Invalid or expired refresh token.');
    perms = JSON.parse(admin.permissions) as string[];
  } else {
    const user = await ctx.db.selectFrom('users').select('id').where('id', '=', rotated.subjectId).where('tenant_id', '=', req.tenant!.id).executeTakeFirst();
    if (!user) throw new VlensError(401, 'Invalid or expired refresh token.');
  }
  const t = await ctx.tokens.issue({ sub: rotated.subjectId, typ: rotated.subjectType, tid: rotated.tokenTenantId, perms }, rotated.familyId);
  return {
    accessToken: t.accessToken, encryptedAccessToken: t.encryptedAccessToken, expireInSeconds: t.expireInSeconds,
    refreshToken: t.refreshToken, newRefreshToken: t.refreshToken, refreshTokenExpireInSeconds: t.refreshTokenExpireInSeconds,
  };
}
