/**
 * Personal data and secrets at rest and in logs: phone numbers, emails, device ids, passwords, API keys,
 * refresh tokens and OTP codes never appear in clear in any stored row (nor in the SQLite file), and the
 * server's own logs (a real `hawiya serve` process at trace level) never carry them either.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, registerUser, adminLogin, createTestDatabase, testDb, type TestServer } from '../helpers/server.js';
import { assertOk, DATA_TABLES, freshPhone } from '../helpers/attack.js';

let s: TestServer;
before(async () => { s = await startTestServer(); });
after(async () => { await s?.close(); });

/** Every stored cell of every table, as text. */
async function dumpAll(): Promise<string> {
  const parts: string[] = [];
  for (const t of DATA_TABLES) parts.push(JSON.stringify(await (s.ctx.db as any).selectFrom(t).selectAll().execute()));
  return parts.join('\n');
}

test('stored rows never hold phone, email, device id, password, API key, refresh token or OTP in clear', async () => {
  const phone = freshPhone();
  const local = '0' + phone.slice(3);
  const email = `secret.${crypto.randomBytes(3).toString('hex')}@example.com`;
  const password = `Pw#${crypto.randomBytes(6).toString('hex')}`;
  const imei = `imei-${crypto.randomBytes(6).toString('hex')}`;

  const send = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: phone } });
  const { phoneNumberOtpRequestId: id, phoneNumberOtp: otp } = send.body.data;
  assertOk(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: phone, phoneNumberOtpRequestId: id, phoneNumberOtp: otp } }));
  const esend = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyEmail', { body: { email } });
  const { emailOtpRequestId: eid, emailOtp } = esend.body.data;
  assertOk(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyEmail', { body: { email, emailOtpRequestId: eid, emailOtp } }));
  const reg = await s.call('POST', '/api/DigitalIdentity/Register', { body: { phoneNumber: phone, email, password, phoneNumberOtpRequestId: id, emailOtpRequestId: eid, imei, geoLocation: { latitude: 30.123456, longitude: 31.654321 } } });
  assertOk(reg);
  const refresh = reg.body.data.refreshToken as string;
  const admin = await adminLogin(s);

  // The users row: sealed phone/email, keyed-hash lookups, scrypt password hash.
  const row = await s.ctx.db.selectFrom('users').selectAll().where('id', '=', reg.body.data.user.id).executeTakeFirstOrThrow();
  assert.match(row.phone_enc, /^v1\./);
  assert.notEqual(row.phone_enc, phone);
  assert.ok(!row.phone_enc.includes(phone.slice(1)) && !row.phone_lookup.includes(phone.slice(1)));
  assert.ok(row.email_enc && !row.email_enc.includes(email));
  assert.match(row.password_hash!, /^scrypt\$/);
  assert.ok(!row.password_hash!.includes(password));
  // …which decrypts back to the phone only with the tenant's key.
  const tenant = (await s.ctx.tenants.get(s.bootstrap!.tenantId))!;
  assert.equal(tenant.keys.decryptText(row.phone_enc, 'user.phone'), phone);

  // API keys: only a hash (and a short display prefix) is stored.
  const keys = await s.ctx.db.selectFrom('api_keys').selectAll().execute();
  assert.ok(keys.length >= 1);
  const { sha256 } = await import('../../src/auth/passwords.js');
  assert.ok(keys.some((k) => k.key_hash === sha256(s.apiKey)), 'the key is found by its hash');
  for (const k of keys) assert.ok(k.prefix.length <= 12 && k.prefix.length < s.apiKey.length / 2, 'the prefix reveals only a small part');

  // Whole-database scan for every secret in several spellings.
  const dump = await dumpAll();
  const secrets: Record<string, string> = {
    phone, phoneDigits: phone.slice(1), localPhone: local, email, password, imei, apiKey: s.apiKey,
    refresh, adminRefresh: admin.refreshToken, adminPassword: s.adminPassword, otp: `"${otp}"`, emailOtp: `"${emailOtp}"`,
  };
  for (const [name, v] of Object.entries(secrets)) assert.ok(!dump.includes(v), `${name} is stored in clear`);

  // The SQLite file itself (and its WAL) holds none of them either.
  if (testDb() === 'sqlite') {
    const file = s.databaseUrl.slice('sqlite:'.length);
    const bytes = Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    for (const [name, v] of Object.entries(secrets)) {
      if (name === 'otp' || name === 'emailOtp') continue; // six digits occur by chance in binary pages
      assert.equal(bytes.indexOf(Buffer.from(v)), -1, `${name} found in the SQLite file`);
    }
  }
});

test('responses never echo the API key, and error responses carry no secrets', async () => {
  const r = await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { body: { phoneNumber: 'bad' } });
  assert.ok(!r.text.includes(s.apiKey));
  const l = await s.call('POST', '/api/credentials/Login', { headers: { TenancyName: 'acme' }, body: { tenancyName: 'acme', userNameOrEmailAddress: 'admin', password: 'Wrong-Password-X' } });
  assert.equal(l.status, 401);
  assert.ok(!l.text.includes('Wrong-Password-X'));
});

// ---- Logs of a real server process -------------------------------------------------------------------------

let child: ChildProcess | undefined;
let dataDir: string | undefined;
let dropDb: (() => Promise<void>) | undefined;
after(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
  }
  await dropDb?.();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('server logs (trace level) never contain phone numbers, emails, passwords, API keys or tokens', async () => {
  const db = await createTestDatabase();
  dropDb = db.drop;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawiya-logs-'));
  const apiKey = `hwk_logtest_${crypto.randomBytes(16).toString('hex')}`;
  const adminPassword = `adm-${crypto.randomBytes(6).toString('hex')}`;
  let out = '';
  child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: {
      ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'trace', DATABASE_URL: db.url, HAWIYA_DATA_DIR: dataDir,
      HAWIYA_BLOB_URL: `file:${path.join(dataDir, 'blobs')}`, HAWIYA_MASTER_KEY: crypto.randomBytes(32).toString('hex'), HAWIYA_ENGINES: 'off',
      HAWIYA_BOOTSTRAP_TENANT: 'logs', HAWIYA_BOOTSTRAP_API_KEY: apiKey, HAWIYA_BOOTSTRAP_ADMIN_USER: 'admin', HAWIYA_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => { out += c; });
  child.stderr!.on('data', (c) => { out += c; });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const check = () => {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    };
    child!.stdout!.on('data', check);
    child!.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${out}`)); });
  });

  const call = async (p: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url + p, { method: 'POST', headers: { ApiKey: apiKey, 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return (await res.json()) as any;
  };
  const phone = freshPhone();
  const email = `log.${crypto.randomBytes(3).toString('hex')}@example.com`;
  const password = `Pw#${crypto.randomBytes(6).toString('hex')}`;
  const imei = `imei-${crypto.randomBytes(6).toString('hex')}`;
  assert.equal((await call('/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { phoneNumber: phone, email })).error_code, null);
  const send = await call('/api/DigitalIdentity/Register/StepVerifyPhone', { phoneNumber: phone });
  const { phoneNumberOtpRequestId: id, phoneNumberOtp: otp } = send.data;
  assert.equal((await call('/api/DigitalIdentity/Register/StepVerifyPhone', { phoneNumber: phone, phoneNumberOtpRequestId: id, phoneNumberOtp: otp })).error_code, null);
  const reg = await call('/api/DigitalIdentity/Register', { phoneNumber: phone, email, password, phoneNumberOtpRequestId: id, imei });
  assert.equal(reg.error_code, null, JSON.stringify(reg));
  assert.equal((await call('/api/DigitalIdentity/Login', { phoneNumber: phone, password: 'Wrong#Pass', imei })).error_code, 401);
  await call('/api/DigitalIdentity/Login', { phoneNumber: '+201999999999', password, imei }); // unknown phone
  const admin = await call('/api/credentials/Login', { tenancyName: 'logs', userNameOrEmailAddress: 'admin', password: adminPassword }, { TenancyName: 'logs' });
  assert.equal(admin.error_code, null);
  // Secrets in the query string and a bearer header, on an unknown route.
  await fetch(`${url}/api/nope?phone=${encodeURIComponent(phone)}&email=${encodeURIComponent(email)}`, { headers: { ApiKey: apiKey, Authorization: `Bearer ${reg.data.accessToken}` } });
  // Malformed JSON that contains the phone.
  await fetch(url + '/api/DigitalIdentity/Login', { method: 'POST', headers: { ApiKey: apiKey, 'Content-Type': 'application/json' }, body: `{"phoneNumber":"${phone}", ` });
  await new Promise((r) => setTimeout(r, 300)); // let the last log lines flush

  // The first-start box prints the API key and admin password once, on purpose, outside the JSON log.
  const logLines = out.split('\n').filter((l) => l.startsWith('{'));
  assert.ok(logLines.length >= 10, `expected JSON log lines, got:\n${out.slice(0, 500)}`);
  const logs = logLines.join("\n");
  const secrets: Record<string, string> = {
    phone, phoneDigits: phone.slice(1), email, password, imei, apiKey, adminPassword,
    accessToken: reg.data.accessToken, refreshToken: reg.data.refreshToken, adminAccess: admin.data.accessToken, adminRefresh: admin.data.refreshToken,
  };
  for (const [name, v] of Object.entries(secrets)) assert.ok(!logs.includes(v), `${name} appears in the logs`);
  for (const l of logLines) assert.doesNotThrow(() => JSON.parse(l), `not a JSON log line: ${l}`);
});
