#!/usr/bin/env node
/**
 * The `hawiya` command: serve, migrate, tenant/apikey/admin management. Management commands open the same
 * database and master key as the server (DATABASE_URL, HAWIYA_DATA_DIR, HAWIYA_MASTER_KEY[_FILE]) and record
 * every action in the audit log with actor `cli`. Secrets (API keys, passwords) are printed once, on stdout.
 */
import crypto from 'node:crypto';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from './config.js';
import { openAndMigrate } from './storage/db.js';
import { openStore, type Store } from './server/store.js';
import { AuditLog } from './audit/log.js';
import { ALL_PERMISSIONS, HOST_TENANCY_NAME, type Tenant } from './tenants/service.js';
import type { TenantSettings } from './tenants/settings.js';

class CliError extends Error {}

const program = new Command();
program.name('hawiya').description('Hawiya — self-hostable, Vlens-compatible eKYC server for Egyptian national IDs')
  .showHelpAfterError('(add --help for usage)');

/** Opens the store, runs one management action, closes it; failures print one line and exit 1. */
function withStore<A extends unknown[]>(fn: (store: Store, ...args: A) => Promise<void>) {
  return async (...args: A) => {
    const store = await openStore(loadConfig());
    try {
      await fn(store, ...args);
    } catch (e) {
      process.exitCode = 1;
      process.stderr.write(`error: ${e instanceof CliError ? e.message : (e as Error).message ?? String(e)}\n`);
    } finally {
      await store.close();
    }
  };
}

const audit = (store: Store, tenantId: number | null, action: string, target: string, details?: Record<string, unknown>) =>
  store.audit.record({ tenantId, actorType: 'cli', actorId: process.env.USER ?? null, action, target, details });

async function tenantByName(store: Store, name: string): Promise<Tenant> {
  const t = await store.tenants.getByName(name);
  if (!t) throw new CliError(`tenant "${name}" not found`);
  return t;
}

const print = (json: boolean, value: unknown, text: () => string) => {
  process.stdout.write((json ? JSON.stringify(value, null, 2) : text()) + '\n');
};

const nonNegativeInt = (v: string) => {
  if (!/^\d{1,9}$/.test(v)) throw new InvalidArgumentError('expected a whole number ≥ 0 (0 = unlimited)');
  return Number(v);
};

/** Tenant setting options shared by `tenant create` and `tenant update`; each `--x` has a `--no-x`. */
function settingOptions(cmd: Command): Command {
  return cmd
    .option('--display-name <name>', 'display name')
    .option('--production', 'production tenant: OTPs are never echoed in responses')
    .option('--no-production', 'non-production tenant (OTPs echoed for testing)')
    .option('--require-email', 'require email OTP verification at registration')
    .option('--no-require-email', 'do not require email verification')
    .option('--require-cso', 'require the CSO (civil registry) check for Verified')
    .option('--no-require-cso', 'do not require the CSO check')
    .option('--require-ntra', 'require the NTRA (phone ownership) check for Verified')
    .option('--no-require-ntra', 'do not require the NTRA check')
    .addOption(new Option('--business-error-status <status>', 'HTTP status of business errors').choices(['200', '422']))
    .option('--rate-limit-rps <n>', 'requests per second for the tenant (0 = unlimited)', nonNegativeInt)
    .option('--rate-limit-rpm <n>', 'requests per minute for the tenant (0 = unlimited)', nonNegativeInt)
    .option('--json', 'print JSON');
}

interface SettingOpts {
  displayName?: string; production?: boolean; requireEmail?: boolean; requireCso?: boolean; requireNtra?: boolean;
  businessErrorStatus?: string; rateLimitRps?: number; rateLimitRpm?: number; json?: boolean;
}

/** Only the options given on the command line: commander leaves the others undefined (no defaults declared). */
function settingsPatch(o: SettingOpts, current: TenantSettings | undefined): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (o.production !== undefined) patch.production = o.production;
  if (o.requireEmail !== undefined) patch.requireEmailVerification = o.requireEmail;
  if (o.requireCso !== undefined) patch.requireCso = o.requireCso;
  if (o.requireNtra !== undefined) patch.requireNtra = o.requireNtra;
  if (o.businessErrorStatus !== undefined) patch.businessErrorStatus = Number(o.businessErrorStatus);
  if (o.rateLimitRps !== undefined || o.rateLimitRpm !== undefined) {
    patch.rateLimit = {
      ...(current?.rateLimit ?? {}),
      ...(o.rateLimitRps !== undefined ? { perSecond: o.rateLimitRps } : {}),
      ...(o.rateLimitRpm !== undefined ? { perMinute: o.rateLimitRpm } : {}),
    };
  }
  return patch;
}

const tenantView = (t: Tenant) => ({
  id: t.id, name: t.name, displayName: t.displayName, active: t.isActive,
  production: t.settings.production, requireEmailVerification: t.settings.requireEmailVerification,
  requireCso: t.settings.requireCso, requireNtra: t.settings.requireNtra,
  businessErrorStatus: t.settings.businessErrorStatus, rateLimit: t.settings.rateLimit,
});

function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)';
  const cols = Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(cols), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}

const describeTenant = (t: Tenant) => table([tenantView(t)].map(({ rateLimit, ...v }) => ({ ...v, rps: rateLimit.perSecond, rpm: rateLimit.perMinute })));

program.command('serve').description('start the HTTP server (PORT, HOST, DATABASE_URL, HAWIYA_* from the environment)')
  .action(async () => {
    // Imported here so management commands do not load Fastify and the engines.
    const { startServer } = await import('./server/start.js');
    const server = await startServer();
    const stop = async (signal: string) => {
      server.app.log.info({ signal }, 'shutting down');
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });

program.command('migrate').description('create or upgrade the database schema (DATABASE_URL) and exit')
  .action(async () => {
    const config = loadConfig();
    const opened = await openAndMigrate(config.databaseUrl);
    try {
      await new AuditLog(opened.db).record({ tenantId: null, actorType: 'cli', actorId: process.env.USER ?? null, action: 'db.migrate', target: opened.dialect });
      process.stdout.write(`${opened.dialect} database is at the latest schema\n`);
    } finally {
      await opened.close();
    }
  });

const tenant = program.command('tenant').description('manage tenants');

settingOptions(tenant.command('create').description('create a tenant and its first API key (printed once)')
  .argument('<name>', 'tenancy name (letters, digits, . _ -)'))
  .action(withStore(async (store, name: string, o: SettingOpts) => {
    if (await store.tenants.getByName(name)) throw new CliError(`tenant "${name}" already exists`);
    const t = await store.tenants.create(name, { displayName: o.displayName, settings: settingsPatch(o, undefined) });
    const key = await store.tenants.createApiKey(t.id, 'default');
    await audit(store, t.id, 'tenant.create', name, { settings: settingsPatch(o, undefined) });
    await audit(store, t.id, 'apikey.create', key.id, { name: 'default' });
    print(!!o.json, { tenant: tenantView(t), apiKey: { id: key.id, key: key.key } }, () =>
      `${describeTenant(t)}\n\nApiKey (shown once, store it now): ${key.key}\nApiKey id: ${key.id}`);
  }));

tenant.command('list').description('list tenants and their settings').option('--json', 'print JSON')
  .action(withStore(async (store, o: { json?: boolean }) => {
    const all = await store.tenants.list();
    await audit(store, null, 'tenant.list', '*');
    print(!!o.json, all.map(tenantView), () => table(all.map(tenantView).map(({ rateLimit, ...v }) => ({ ...v, rps: rateLimit.perSecond, rpm: rateLimit.perMinute }))));
  }));

settingOptions(tenant.command('update').description("change a tenant's settings, or disable/enable it")
  .argument('<name>', 'tenancy name'))
  .option('--disable', 'disable the tenant: its API keys stop working')
  .option('--enable', 'enable the tenant again')
  .action(withStore(async (store, name: string, o: SettingOpts & { disable?: boolean; enable?: boolean }) => {
    if (o.disable && o.enable) throw new CliError('--disable and --enable exclude each other');
    const t = await tenantByName(store, name);
    const patch = settingsPatch(o, t.settings);
    const isActive = o.disable ? false : o.enable ? true : undefined;
    if (Object.keys(patch).length === 0 && isActive === undefined && o.displayName === undefined) throw new CliError('nothing to update (see --help)');
    const updated = await store.tenants.update(t.id, { displayName: o.displayName, isActive, settings: patch });
    await audit(store, t.id, 'tenant.update', name, { settings: patch, ...(isActive !== undefined ? { active: isActive } : {}) });
    print(!!o.json, tenantView(updated), () => describeTenant(updated));
  }));

const apikey = program.command('apikey').description("manage a tenant's API keys");

apikey.command('create').description('create an API key (printed once)')
  .argument('<tenant>', 'tenancy name')
  .option('--name <name>', 'a label for the key', 'default')
  .option('--json', 'print JSON')
  .action(withStore(async (store, tenantName: string, o: { name: string; json?: boolean }) => {
    const t = await tenantByName(store, tenantName);
    const key = await store.tenants.createApiKey(t.id, o.name);
    await audit(store, t.id, 'apikey.create', key.id, { name: o.name });
    print(!!o.json, { id: key.id, name: o.name, tenant: t.name, key: key.key }, () => `ApiKey (shown once, store it now): ${key.key}\nApiKey id: ${key.id}`);
  }));

apikey.command('list').description("list a tenant's API keys (never the keys themselves)")
  .argument('<tenant>', 'tenancy name')
  .option('--json', 'print JSON')
  .action(withStore(async (store, tenantName: string, o: { json?: boolean }) => {
    const t = await tenantByName(store, tenantName);
    const keys = await store.tenants.listApiKeys(t.id);
    await audit(store, t.id, 'apikey.list', t.name);
    print(!!o.json, keys, () => table(keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix + '…', created: k.created_at, revoked: k.revoked_at, lastUsed: k.last_used_at }))));
  }));

apikey.command('revoke').description('revoke an API key (takes effect within seconds on running servers)')
  .argument('<keyId>', 'the key id printed at creation or by `apikey list`')
  .action(withStore(async (store, keyId: string) => {
    const row = await store.db.selectFrom('api_keys').select(['tenant_id', 'revoked_at']).where('id', '=', keyId).executeTakeFirst();
    if (!row) throw new CliError(`API key ${keyId} not found`);
    if (row.revoked_at) throw new CliError(`API key ${keyId} was already revoked at ${row.revoked_at}`);
    await store.tenants.revokeApiKey(keyId);
    await audit(store, row.tenant_id, 'apikey.revoke', keyId);
    process.stdout.write(`revoked API key ${keyId}\n`);
  }));

const admin = program.command('admin').description('manage admin users');

admin.command('create').description('create an admin user of a tenant, or a host admin with --host')
  .usage('<tenant> <userName> [options]  |  --host <userName> [options]')
  .argument('<tenantOrUser>', 'tenancy name (or, with --host, the user name)')
  .argument('[userName]', 'user name')
  .option('--host', `create a host (super) admin: logs in with TenancyName "${HOST_TENANCY_NAME}" and may act on any tenant`)
  .option('--password <password>', '8–32 characters; generated and printed when omitted')
  .option('--permissions <list>', `comma-separated, from ${ALL_PERMISSIONS.join(',')} (default: all)`)
  .option('--email <email>', 'email address (also accepted as login name)')
  .option('--json', 'print JSON')
  .action(withStore(async (store, first: string, second: string | undefined, o: { host?: boolean; password?: string; permissions?: string; email?: string; json?: boolean }) => {
    if (o.host && second) throw new CliError('with --host give only the user name');
    if (!o.host && !second) throw new CliError('give the tenant and the user name (or --host and the user name)');
    const userName = o.host ? first : second!;
    const t = o.host ? undefined : await tenantByName(store, first);
    const tenantId = t?.id ?? null;
    const permissions = o.permissions === undefined ? [...ALL_PERMISSIONS] : o.permissions.split(',').map((p) => p.trim()).filter(Boolean);
    const unknown = permissions.filter((p) => !(ALL_PERMISSIONS as readonly string[]).includes(p));
    if (unknown.length) throw new CliError(`unknown permission(s) ${unknown.join(', ')}; choose from ${ALL_PERMISSIONS.join(', ')}`);
    let q = store.db.selectFrom('admin_users').select('id').where('user_name', '=', userName);
    q = tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId);
    if (await q.executeTakeFirst()) throw new CliError(`admin "${userName}" already exists in ${t ? `tenant ${t.name}` : 'the host'}`);
    const password = o.password ?? crypto.randomBytes(12).toString('base64url');
    const id = await store.tenants.createAdmin(tenantId, userName, password, permissions, o.email);
    await audit(store, tenantId, o.host ? 'host_admin.create' : 'admin.create', userName, { permissions });
    const tenancyName = t?.name ?? HOST_TENANCY_NAME;
    print(!!o.json, { id, tenancyName, userName, permissions, ...(o.password ? {} : { password }) }, () => [
      `created admin "${userName}" (id ${id}) in ${t ? `tenant ${t.name}` : 'the host'} with permissions ${permissions.join(',') || '(none)'}`,
      `TenancyName: ${tenancyName}`,
      ...(o.password ? [] : [`Password (shown once, store it now): ${password}`]),
    ].join('\n'));
  }));

// Engine tools: the same engines as the server, on image files. Exit code 0 = pass, 1 = negative result, 2 = error.
const exitWith = (code: number) => { process.exitCode = code; };

program.command('scan-id').description('read an Egyptian national ID photo: prints the same data and services as the API')
  .argument('<image>', 'JPEG or PNG photo of the front or back')
  .option('--side <side>', 'front or back (default: detected)')
  .option('--json', 'print JSON')
  .option('--debug-image <out.png>', 'write the rectified card with the field boxes drawn')
  .action(async (image: string, o: { side?: 'front' | 'back'; json?: boolean; debugImage?: string }) => {
    if (o.side && o.side !== 'front' && o.side !== 'back') throw new CliError('--side must be front or back');
    const { scanIdCommand } = await import('./document/cli.js');
    exitWith(await scanIdCommand(image, o));
  });

program.command('face-check').description('faces, quality and attack score of one image')
  .argument('<image>').option('--json', 'print JSON')
  .action(async (image: string, o: { json?: boolean }) => {
    const { faceCheckCommand } = await import('./face/cli.js');
    exitWith(await faceCheckCommand(image, o));
  });

program.command('face-match').description('compare two faces (either image may be a whole ID card photo: the portrait is found)')
  .argument('<imageA>').argument('<imageB>').option('--json', 'print JSON')
  .action(async (a: string, b: string, o: { json?: boolean }) => {
    const { faceMatchCommand } = await import('./face/cli.js');
    exitWith(await faceMatchCommand(a, b, o));
  });

program.command('liveness').description('three-frame liveness, optionally matched against an ID card photo')
  .argument('<f1>').argument('<f2>').argument('<f3>')
  .option('--id <card-photo>', 'ID card photo (or portrait) to match the best frame against')
  .option('--json', 'print JSON')
  .action(async (f1: string, f2: string, f3: string, o: { id?: string; json?: boolean }) => {
    const { livenessCommand } = await import('./face/cli.js');
    exitWith(await livenessCommand([f1, f2, f3], o));
  });

await program.parseAsync(process.argv);
