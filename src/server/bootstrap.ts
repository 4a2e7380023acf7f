/**
 * First start: with an empty store, create a tenant, an API key and an admin user, and print them once.
 * HAWIYA_BOOTSTRAP_* variables make the result deterministic for automation.
 */
import crypto from 'node:crypto';
import type { Hawiya } from './context.js';

export interface BootstrapResult {
  tenant: string;
  tenantId: number;
  apiKey: string;
  adminUser: string;
  adminPassword: string;
}

type Log = { info(obj: object, msg?: string): void };

export async function bootstrap(ctx: Hawiya, log: Log): Promise<BootstrapResult | undefined> {
  const any = await ctx.db.selectFrom('tenants').select('id').limit(1).executeTakeFirst();
  if (any) return undefined;
  const b = ctx.config.bootstrap;
  const tenantName = b.tenant ?? 'default';
  const adminUser = b.adminUser ?? 'admin';
  const adminPassword = b.adminPassword ?? crypto.randomBytes(12).toString('base64url');
  const tenant = await ctx.tenants.create(tenantName, { displayName: tenantName });
  const { key } = await ctx.tenants.createApiKey(tenant.id, 'bootstrap', b.apiKey);
  await ctx.tenants.createAdmin(tenant.id, adminUser, adminPassword);
  await ctx.audit.record({ tenantId: tenant.id, actorType: 'system', action: 'bootstrap', target: tenantName });
  log.info({ tenant: tenantName }, 'first start: created tenant, API key and admin user (credentials printed once on stdout)');
  // Printed outside the JSON log on purpose: logs must never carry secrets.
  process.stdout.write([
    '',
    '┌─ Hawiya first start ─ save these now; the API key and password are not shown again ─',
    `│ TenancyName : ${tenantName}`,
    `│ ApiKey      : ${key}`,
    `│ Admin user  : ${adminUser}`,
    `│ Password    : ${adminPassword}`,
    '└──────────────────────────────────────────────────────────────────────────────────────',
    '',
  ].join('\n') + '\n');
  return { tenant: tenantName, tenantId: tenant.id, apiKey: key, adminUser, adminPassword };
}
