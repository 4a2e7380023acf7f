/**
 * The `hawiya` CLI run as a real child process (bin/hawiya.js) against a temporary SQLite file or a fresh
 * PostgreSQL database, then checked through a real server opened on the same store.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { createTestDatabase } from '../helpers/server.js';

const BIN = fileURLToPath(new URL('../../bin/hawiya.js', import.meta.url));
process.env.HAWIYA_AUTH_CACHE_MS = '0'; // revocation must show on the next request

interface CliResult { code: number; stdout: string; stderr: string }

describe('hawiya CLI', () => {
  let db: { url: string; drop(): Promise<void> };
  let dataDir: string;
  let server: RunningServer | undefined;
  const cli = (...args: string[]) => new Promise<CliResult>((resolve) => {
    const env = { ...process.env, DATABASE_URL: db.url, HAWIYA_DATA_DIR: dataDir, HAWIYA_MASTER_KEY: '', HAWIYA_MASTER_KEY_FILE: '' };
    execFile(process.execPath, [BIN, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
  const ok = async (...args: string[]) => {
    const r = await cli(...args);
    assert.equal(r.code, 0, `hawiya ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const json = async (...args: string[]) => JSON.parse(await ok(...args, '--json'));
  const call = async (route: string, headers: Record<string, string>, body: unknown) => {
    const res = await fetch(server!.url + route, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() as any };
  };
  const login = (apiKey: string, tenancyName: string, user: string, password: string) =>
    call('/api/credentials/Login', { ApiKey: apiKey, TenancyName: tenancyName }, { tenancyName, userNameOrEmailAddress: user, password });

  before(async () => {
    db = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawiya-cli-'));
  });
  after(async () => {
    await server?.close();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('--help on every command', async () => {
    // Each process costs about a second of CPU (tsx): a sample of commands, not all nine.
    const helps = await Promise.all([[], ['tenant', 'update'], ['admin', 'create']].map((c) => ok(...c, '--help')));
    assert.match(helps[0]!, /serve[\s\S]*migrate[\s\S]*tenant[\s\S]*apikey[\s\S]*admin/);
    assert.match(helps[1]!, /--business-error-status[\s\S]*--rate-limit-rps[\s\S]*--rate-limit-rpm[\s\S]*--disable[\s\S]*--enable/);
    assert.match(helps[2]!, /--host[\s\S]*--password[\s\S]*--permissions/);
  });

  test('migrate, tenants, API keys and admins, checked through a server on the same store', async () => {
    assert.match(await ok('migrate'), /latest schema/);
    assert.equal(fs.existsSync(path.join(dataDir, 'master.key')), false, 'migrate needs no master key');

    const created = await json('tenant', 'create', 'beta', '--display-name', 'Beta Bank', '--production', '--rate-limit-rps', '0', '--rate-limit-rpm', '0');
    assert.equal(created.tenant.name, 'beta');
    assert.equal(created.tenant.displayName, 'Beta Bank');
    assert.equal(created.tenant.production, true);
    assert.deepEqual(created.tenant.rateLimit, { perSecond: 0, perMinute: 0 });
    assert.match(created.apiKey.key, /^hwk_/);
    assert.equal(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777, 0o600);

    // Only the options given change.
    const updated = await json('tenant', 'update', 'beta', '--require-cso', '--business-error-status', '422', '--rate-limit-rpm', '900');
    assert.equal(updated.requireCso, true);
    assert.equal(updated.businessErrorStatus, 422);
    assert.equal(updated.production, true);
    assert.deepEqual(updated.rateLimit, { perSecond: 0, perMinute: 900 });

    const second = await json('apikey', 'create', 'beta', '--name', 'backend');
    const [admin, host] = await Promise.all([
      json('admin', 'create', 'beta', 'ops', '--permissions', 'Requests,Transactions'),
      json('admin', 'create', '--host', 'root', '--password', 'Root-pass-123'),
    ]);
    assert.equal(admin.tenancyName, 'beta');
    assert.deepEqual(admin.permissions, ['Requests', 'Transactions']);
    assert.ok(admin.password.length >= 16, 'a generated password is printed');
    assert.equal(host.tenancyName, 'Host');
    assert.equal(host.password, undefined, 'a given password is not echoed');

    // Refusals exit non-zero with one error line and change nothing.
    const refusals = await Promise.all([
      cli('admin', 'create', 'beta', 'ops'),
      cli('apikey', 'create', 'nosuch'),
      cli('tenant', 'create', 'Host'),
      cli('admin', 'create', 'beta', 'x', '--permissions', 'Requests,Root'),
      cli('tenant', 'update', 'beta', '--business-error-status', '500'),
    ]);
    for (const r of refusals) {
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, /error/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    assert.match(refusals[0]!.stderr, /already exists/);
    assert.match(refusals[3]!.stderr, /unknown permission/);

    server = await startServer({
      port: 0, host: '127.0.0.1', dataDir, databaseUrl: db.url, blobUrl: `file:${path.join(dataDir, 'blobs')}`,
      masterKey: undefined, masterKeyFile: path.join(dataDir, 'master.key'), logLevel: 'silent', engines: false,
    });
    assert.equal(server.bootstrap, undefined, 'a store prepared by the CLI is not bootstrapped again');

    const tenant = (await server.ctx.tenants.getByName('beta'))!;
    assert.equal((await server.ctx.tenants.authenticateApiKey(created.apiKey.key))?.tenant.id, tenant.id);
    const adminLogin = await login(created.apiKey.key, 'beta', 'ops', admin.password);
    assert.equal(adminLogin.status, 200, JSON.stringify(adminLogin.body));
    assert.deepEqual(adminLogin.body.data.permissions, ['Requests', 'Transactions']);
    const hostLogin = await login(second.key, 'Host', 'root', 'Root-pass-123');
    assert.equal(hostLogin.status, 200, JSON.stringify(hostLogin.body));
    assert.equal(hostLogin.body.data.tenantId, null);

    // Revoking the first key stops it at once; the second still works.
    assert.match(await ok('apikey', 'revoke', created.apiKey.id), /revoked/);
    assert.equal(await server.ctx.tenants.authenticateApiKey(created.apiKey.key), undefined);
    assert.equal((await login(created.apiKey.key, 'beta', 'ops', admin.password)).status, 401);
    assert.equal((await login(second.key, 'beta', 'ops', admin.password)).status, 200);
    assert.equal((await cli('apikey', 'revoke', created.apiKey.id)).code, 1, 'revoking twice is refused');

    const keys = await json('apikey', 'list', 'beta');
    assert.deepEqual(keys.map((k: any) => [k.id, k.revoked_at !== null]), [[created.apiKey.id, true], [second.id, false]]);
    assert.ok(!JSON.stringify(keys).includes(second.key), 'the list never shows keys');

    // A disabled tenant's keys stop working; enabling restores them.
    assert.equal((await json('tenant', 'update', 'beta', '--disable')).active, false);
    assert.equal((await login(second.key, 'beta', 'ops', admin.password)).status, 401);
    const list = await json('tenant', 'list');
    assert.deepEqual(list.map((t: any) => [t.name, t.active]), [['beta', false]]);
    assert.equal((await json('tenant', 'update', 'beta', '--enable')).active, true);
    assert.equal((await login(second.key, 'beta', 'ops', admin.password)).status, 200);

    const audit = await server.ctx.db.selectFrom('audit_log').select(['action', 'target', 'tenant_id']).where('actor_type', '=', 'cli').orderBy('id').execute();
    const actions = audit.map((a) => a.action);
    for (const a of ['db.migrate', 'tenant.create', 'apikey.create', 'tenant.update', 'admin.create', 'host_admin.create', 'apikey.revoke', 'apikey.list', 'tenant.list']) {
      assert.ok(actions.includes(a), `audit log records ${a}`);
    }
    assert.deepEqual(audit.find((a) => a.action === 'apikey.revoke'), { action: 'apikey.revoke', target: created.apiKey.id, tenant_id: tenant.id });
    assert.equal(audit.find((a) => a.action === 'host_admin.create')!.tenant_id, null);
    assert.ok(!JSON.stringify(audit).includes(admin.password) && !JSON.stringify(audit).includes(second.key), 'no secrets in the audit log');
  });
});
