/**
 * Per-tenant rate limits (spec §1): beyond the limit → HTTP 429 with the envelope and Retry-After; the
 * refused request does nothing; other tenants are not affected.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer, type CallResult } from '../helpers/server.js';
import { assertError, assertOk, count, freshPhone } from '../helpers/attack.js';

let s: TestServer;
before(async () => { s = await startTestServer(); });
after(async () => { await s?.close(); });

async function limitedTenant(name: string, rateLimit: { perSecond: number; perMinute: number }) {
  const t = await s.ctx.tenants.create(name);
  await s.ctx.tenants.update(t.id, { settings: { rateLimit } });
  return { id: t.id, key: (await s.ctx.tenants.createApiKey(t.id)).key };
}

const burst = (n: number, f: () => Promise<CallResult>) => Promise.all(Array.from({ length: n }, f));

test('perSecond: a burst beyond the limit gets 429 + envelope + Retry-After, and refused calls store nothing', async () => {
  const t = await limitedTenant('limited-sec', { perSecond: 2, perMinute: 100 });
  // 8 OTP sends at once: at most 2 pass per one-second window (a slow machine may spread the burst over a few).
  const t0 = Date.now();
  const results = await burst(8, () => s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { apiKey: t.key, headers: { Accept_Language: 'en' }, body: { phoneNumber: freshPhone() } }));
  const windows = Math.floor(Date.now() / 1000) - Math.floor(t0 / 1000) + 1;
  const passed = results.filter((r) => r.status === 200);
  const limited = results.filter((r) => r.status === 429);
  assert.equal(passed.length + limited.length, 8, results.map((r) => r.status).join(','));
  assert.ok(passed.length >= 1 && passed.length <= 2 * windows, `passed ${passed.length} over ${windows} window(s)`);
  if (windows <= 3) assert.ok(limited.length >= 8 - 2 * windows, `limited ${limited.length} over ${windows} window(s)`);
  for (const r of passed) assertOk(r);
  for (const r of limited) {
    assertError(r, 429, 429);
    const ra = Number(r.headers.get('retry-after'));
    assert.ok(Number.isInteger(ra) && ra >= 1 && ra <= 60, `Retry-After ${r.headers.get('retry-after')}`);
  }
  const otps = await s.ctx.db.selectFrom('otp_requests').select('id').where('tenant_id', '=', t.id).execute();
  assert.equal(otps.length, passed.length, 'only the admitted calls created OTP requests');

  // Arabic message when asked.
  let arLimited: CallResult | undefined;
  for (let i = 0; i < 30 && !arLimited; i++) {
    const r = await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { apiKey: t.key, headers: { Accept_Language: 'ar' }, body: { phoneNumber: freshPhone() } });
    if (r.status === 429) arLimited = r;
  }
  assert.ok(arLimited, 'a 429 within 30 quick calls');
  assertError(arLimited, 429, 429);
  assert.match(arLimited.body.error_message, /[\u0600-\u06FF]/);

  // After the window the tenant is served again.
  await new Promise((r) => setTimeout(r, 1100));
  assertOk(await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { apiKey: t.key, body: { phoneNumber: freshPhone() } }));
});

test('perMinute: the call after the limit gets 429 with a Retry-After of up to 60 s; other tenants are not slowed', async () => {
  const t = await limitedTenant('limited-min', { perSecond: 0, perMinute: 3 });
  const results: CallResult[] = [];
  const t0 = Date.now();
  for (let i = 0; i < 8; i++) results.push(await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { apiKey: t.key, body: { phoneNumber: freshPhone() } }));
  const windows = Math.floor(Date.now() / 60_000) - Math.floor(t0 / 60_000) + 1;
  const passed = results.filter((r) => r.status === 200).length;
  assert.ok(passed >= 3 && passed <= 3 * windows, `passed ${passed} over ${windows} minute window(s)`);
  const limited = results.filter((r) => r.status === 429);
  assert.ok(limited.length >= 8 - 3 * windows);
  assert.equal(results.slice(0, 3).filter((r) => r.status === 200).length, 3, 'the first 3 calls pass');
  for (const r of limited) {
    assertError(r, 429, 429);
    const ra = Number(r.headers.get('retry-after'));
    assert.ok(ra >= 1 && ra <= 60, `Retry-After ${ra}`);
  }
  // The bootstrap tenant (limits lifted) is unaffected by another tenant's limit.
  for (let i = 0; i < 5; i++) assertOk(await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { body: { phoneNumber: freshPhone() } }));
});

test('the limit is per tenant, shared by all its API keys, and applies to login attempts too', async () => {
  const t = await limitedTenant('limited-keys', { perSecond: 0, perMinute: 2 });
  const k2 = (await s.ctx.tenants.createApiKey(t.id, 'second')).key;
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { apiKey: i % 2 ? k2 : t.key, body: { phoneNumber: freshPhone() } });
    statuses.push(r.status);
  }
  assert.ok(statuses.filter((x) => x === 429).length >= 2, statuses.join(','));
  const usersBefore = await count(s, 'users');
  const login = await s.call('POST', '/api/DigitalIdentity/Login', { apiKey: t.key, body: { phoneNumber: freshPhone(), password: 'x' } });
  if (login.status === 429) assertError(login, 429);
  assert.equal(await count(s, 'users'), usersBefore);
});
