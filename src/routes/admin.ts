/**
 * Hawiya administration API (extensions; Vlens manages these in its portal): tenants for the host admin,
 * API keys and the audit log for tenant admins.
 */
import type { FastifyInstance } from 'fastify';
import type { Hawiya } from '../server/context.js';
import type { Tenant } from '../tenants/service.js';
import { ok } from '../server/envelope.js';
import { VlensError } from '../server/errors.js';
import { actingTenant } from '../auth/guard.js';
import { nullableStr, str } from './schemas.js';

const TAG = 'Administration (Hawiya extension)';

const settingsSchema = { type: ['object', 'null'], additionalProperties: true };

function tenantDto(t: Tenant) {
  return { id: t.id, name: t.name, displayName: t.displayName, isActive: t.isActive, settings: t.settings };
}

export async function adminRoutes(app: FastifyInstance, ctx: Hawiya) {
  const hostOnly = (isHost: boolean | undefined) => {
    if (!isHost) throw new VlensError(403, 'Only host administrators manage tenants.');
  };

  app.get('/api/Tenants', { config: { auth: 'admin' }, schema: { tags: [TAG], summary: 'List tenants (host admin)' } }, async (req, reply) => {
    hostOnly(req.principal?.isHost);
    const list = (await ctx.tenants.list()).map(tenantDto);
    return ok(reply, list, { totalCount: list.length, returnedCount: list.length });
  });

  app.post('/api/Tenants', {
    config: { auth: 'admin' },
    schema: { tags: [TAG], summary: 'Create a tenant with its first API key (host admin; the key is shown once)', body: { type: 'object', required: ['name'], properties: { name: str(64), displayName: nullableStr(256), settings: settingsSchema } } },
  }, async (req, reply) => {
    hostOnly(req.principal?.isHost);
    const b = req.body as { name: string; displayName?: string | null; settings?: Record<string, unknown> | null };
    if (await ctx.tenants.getByName(b.name)) throw new VlensError(400, 'A tenant with this name exists.', 400);
    let t: Tenant;
    try {
      t = await ctx.tenants.create(b.name, { displayName: b.displayName ?? undefined, settings: b.settings ?? undefined });
    } catch (e) {
      throw new VlensError(400, (e as Error).message, 400);
    }
    const key = await ctx.tenants.createApiKey(t.id, 'initial');
    await ctx.audit.record({ tenantId: t.id, actorType: 'host', actorId: req.principal!.id, action: 'tenant.create', target: t.name, requestId: req.id, ip: req.ip });
    return ok(reply, { tenant: tenantDto(t), apiKey: key.key, apiKeyId: key.id });
  });

  app.put('/api/Tenants/:id', {
    config: { auth: 'admin' },
    schema: { tags: [TAG], summary: 'Update a tenant (host admin)', params: { type: 'object', properties: { id: { type: 'integer' } } }, body: { type: 'object', properties: { displayName: nullableStr(256), isActive: { type: ['boolean', 'null'] }, settings: settingsSchema } } },
  }, async (req, reply) => {
    hostOnly(req.principal?.isHost);
    const id = (req.params as { id: number }).id;
    if (!(await ctx.tenants.get(id))) throw new VlensError(404, 'Tenant not found.');
    const b = req.body as { displayName?: string | null; isActive?: boolean | null; settings?: Record<string, unknown> | null };
    const t = await ctx.tenants.update(id, { displayName: b.displayName ?? undefined, isActive: b.isActive ?? undefined, settings: b.settings ?? undefined });
    await ctx.audit.record({ tenantId: id, actorType: 'host', actorId: req.principal!.id, action: 'tenant.update', target: t.name, requestId: req.id, ip: req.ip });
    return ok(reply, tenantDto(t));
  });

  app.get('/api/ApiKeys', { config: { auth: 'admin', permission: 'Settings' }, schema: { tags: [TAG], summary: "The tenant's API keys (never the keys themselves)", querystring: { type: 'object', properties: { ImpersonatedTenantId: { type: 'integer' } } } } }, async (req, reply) => {
    const tenant = await actingTenant(ctx, req, (req.query as { ImpersonatedTenantId?: number }).ImpersonatedTenantId);
    const keys = await ctx.tenants.listApiKeys(tenant.id);
    return ok(reply, keys, { totalCount: keys.length, returnedCount: keys.length });
  });

  app.post('/api/ApiKeys', { config: { auth: 'admin', permission: 'Settings' }, schema: { tags: [TAG], summary: 'Create an API key (shown once)', body: { type: 'object', properties: { name: nullableStr(128) } } } }, async (req, reply) => {
    const key = await ctx.tenants.createApiKey(req.tenant!.id, (req.body as { name?: string | null } | undefined)?.name ?? 'api');
    await ctx.audit.record({ tenantId: req.tenant!.id, actorType: 'admin', actorId: req.principal!.id, action: 'apikey.create', target: key.id, requestId: req.id, ip: req.ip });
    return ok(reply, { id: key.id, apiKey: key.key });
  });

  app.delete('/api/ApiKeys/:id', { config: { auth: 'admin', permission: 'Settings' }, schema: { tags: [TAG], summary: 'Revoke an API key', params: { type: 'object', properties: { id: str(64) } } } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const own = (await ctx.tenants.listApiKeys(req.tenant!.id)).some((k) => k.id === id);
    if (!own || !(await ctx.tenants.revokeApiKey(id))) throw new VlensError(404, 'No such active API key in this tenant.');
    await ctx.audit.record({ tenantId: req.tenant!.id, actorType: 'admin', actorId: req.principal!.id, action: 'apikey.revoke', target: id, requestId: req.id, ip: req.ip });
    return ok(reply, true);
  });

  app.get('/api/AuditLogs', {
    config: { auth: 'admin', permission: 'AuditLog' },
    schema: { tags: [TAG], summary: 'Recent audit entries of the tenant', querystring: { type: 'object', properties: { MaxResultCount: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, ImpersonatedTenantId: { type: 'integer' } } } },
  }, async (req, reply) => {
    const q = req.query as { MaxResultCount: number; ImpersonatedTenantId?: number };
    const tenant = await actingTenant(ctx, req, q.ImpersonatedTenantId);
    const rows = await ctx.audit.list(tenant.id, q.MaxResultCount);
    const data = rows.map((r) => ({ id: r.id, actorType: r.actor_type, actorId: r.actor_id, action: r.action, target: r.target, logId: r.log_id, requestId: r.request_id, ip: r.ip, creationTime: r.created_at, details: r.details ? JSON.parse(r.details) : null }));
    return ok(reply, data, { totalCount: data.length, returnedCount: data.length });
  });
}
