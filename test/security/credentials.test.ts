/**
 * Credentials under attack: missing, unknown and revoked API keys; expired and forged JWTs (wrong key,
 * alg none, tampered payload); tokens of another tenant; refresh-token reuse. Each gets the documented error
 * and leaves stored data unchanged.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, UnsecuredJWT } from 'jose';
import { startTestServer, registerUser, adminLogin, type TestServer } from '../helpers/server.js';
import { assertError, assertOk, assertUnchanged, freshPhone, snapshot } from '../helpers/attack.js';

let s: TestServer;
let user: { accessToken: string; refreshToken: string; user: { id: number } };
let acmeId: number;
/** Tenant B: its own key, admin and user. */
let b: { id: number; key: string; userToken: string; userRefresh: string; adminToken: string; adminRefresh: string };

before(async () => {
  s = await startTestServer();
  acmeId = s.bootstrap!.tenantId;
  user = await registerUser(s, freshPhone());
  const tb = await s.ctx.tenants.create('tenant-b', { settings: { rateLimit: { perSecond: 0, perMinute: 0 } } });
  const key = (await s.ctx.tenants.createApiKey(tb.id)).key;
  await s.ctx.tenants.createAdmin(tb.id, 'b-admin', 'b-admin-pass-1');
  const bu = await registerUser(s, freshPhone(), 'Secret#123', 'device-b', key);
  const al = await s.call('POST', '/api/credentials/Login', {
    apiKey: key, headers: { TenancyName: 'tenant-b' },
    body: { tenancyName: 'tenant-b', userNameOrEmailAddress: 'b-admin', password: 'b-admin-pass-1' },
  });
  assertOk(al);
  b = { id: tb.id, key, userToken: bu.accessToken, userRefresh: bu.refreshToken, adminToken: al.body.data.accessToken, adminRefresh: al.body.data.refreshToken };
});
after(async () => { await s?.close(); });

const CANCEL = '/api/DigitalIdentity/CancelVerifiedDigitalIdentity';
const CHECK = '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone';
const jwtKey = () => new Uint8Array(s.ctx.keyring.jwtKey());
/** A user endpoint that answers 6009 ("verify first") when the token is good: the token reached the handler. */
async function assertTokenAccepted(token: string, apiKey = s.apiKey) {
  assertError(await s.call('POST', CANCEL, { token, apiKey }), 200, 6009);
}

test('missing ApiKey → 401 on every kind of endpoint, nothing stored', async () => {
  const before = await snapshot(s);
  const admin = await adminLogin(s);
  const snap = await snapshot(s, ['users', 'otp_requests']);
  for (const [path, body, token] of [
    [CHECK, { phoneNumber: '+201000000001' }, undefined],
    ['/api/DigitalIdentity/Register/StepVerifyPhone', { phoneNumber: '+201000000002' }, undefined],
    ['/api/DigitalIdentity/Register', { phoneNumber: '+201000000003', phoneNumberOtpRequestId: '00000000-0000-0000-0000-000000000000' }, undefined],
    ['/api/DigitalIdentity/Login', { phoneNumber: '+201000000004', password: 'x' }, undefined],
    ['/api/credentials/Login', { tenancyName: 'acme', userNameOrEmailAddress: 'admin', password: s.adminPassword }, undefined],
    ['/api/credentials/RefreshToken', { refreshToken: admin.refreshToken }, undefined],
    [CANCEL, undefined, user.accessToken],
  ] as const) {
    const r = await s.call('POST', path, { apiKey: null, body, token, headers: { TenancyName: 'acme' } });
    assertError(r, 401, 401, /ApiKey/);
  }
  assertUnchanged(snap, await snapshot(s, ['users', 'otp_requests']));
  assertUnchanged(before, await snapshot(s), ['refresh_tokens', 'audit_log']);
  // The refresh token was not spent by the refused call: it still rotates.
  assertOk(await s.call('POST', '/api/credentials/RefreshToken', { body: { refreshToken: admin.refreshToken } }));
});

test('unknown, malformed and oversized ApiKey → 401, nothing stored', async () => {
  const before = await snapshot(s);
  for (const key of ['hwk_not_a_real_key_0000000000000000', s.apiKey + 'x', s.apiKey.toUpperCase(), ' ', "' OR 1=1 --", 'k'.repeat(10_000)]) {
    const r = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { apiKey: key, body: { phoneNumber: freshPhone() } });
    assertError(r, 401);
  }
  // The key of another tenant's admin login does not open this tenant's login.
  const cross = await s.call('POST', '/api/credentials/Login', {
    apiKey: b.key, headers: { TenancyName: 'acme' }, body: { tenancyName: 'acme', userNameOrEmailAddress: 'admin', password: s.adminPassword },
  });
  assertError(cross, 401);
  assertUnchanged(before, await snapshot(s));
});

test('revoked ApiKey → 401 at once; other keys of the tenant keep working', async () => {
  const k1 = await s.ctx.tenants.createApiKey(acmeId, 'to-revoke');
  const k2 = await s.ctx.tenants.createApiKey(acmeId, 'kept');
  assertOk(await s.call('POST', CHECK, { apiKey: k1.key, body: { phoneNumber: freshPhone() } }));
  assert.equal(await s.ctx.tenants.revokeApiKey(k1.id), true);
  const before = await snapshot(s);
  assertError(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { apiKey: k1.key, body: { phoneNumber: freshPhone() } }), 401);
  assertError(await s.call('POST', CANCEL, { apiKey: k1.key, token: user.accessToken }), 401);
  assertError(await s.call('POST', '/api/credentials/Login', {
    apiKey: k1.key, headers: { TenancyName: 'acme' }, body: { tenancyName: 'acme', userNameOrEmailAddress: 'admin', password: s.adminPassword },
  }), 401);
  assertUnchanged(before, await snapshot(s));
  assertOk(await s.call('POST', CHECK, { apiKey: k2.key, body: { phoneNumber: freshPhone() } }));
  await assertTokenAccepted(user.accessToken, k2.key);
});

test('a deactivated tenant: its keys and tokens stop working at once; reactivated, they work again', async () => {
  const t = await s.ctx.tenants.create('soon-inactive', { settings: { rateLimit: { perSecond: 0, perMinute: 0 } } });
  const key = (await s.ctx.tenants.createApiKey(t.id)).key;
  const u = await registerUser(s, freshPhone(), 'Secret#123', 'dev-x', key);
  await s.ctx.tenants.update(t.id, { isActive: false });
  const before = await snapshot(s);
  assertError(await s.call('POST', CHECK, { apiKey: key, body: { phoneNumber: freshPhone() } }), 401);
  assertError(await s.call('POST', CANCEL, { apiKey: key, token: u.accessToken }), 401);
  assertError(await s.call('POST', '/api/DigitalIdentity/RefreshToken', { apiKey: key, body: { refreshToken: u.refreshToken } }), 401);
  assertUnchanged(before, await snapshot(s));
  await s.ctx.tenants.update(t.id, { isActive: true });
  await assertTokenAccepted(u.accessToken, key);
});

test('a deactivated admin: its access token and refresh token stop working', async () => {
  const id = await s.ctx.tenants.createAdmin(acmeId, 'leaver', 'leaver-pass-1');
  const l = await s.call('POST', '/api/credentials/Login', { headers: { TenancyName: 'acme' }, body: { tenancyName: 'acme', userNameOrEmailAddress: 'leaver', password: 'leaver-pass-1' } });
  assertOk(l);
  await s.ctx.db.updateTable('admin_users').set({ is_active: 0 }).where('id', '=', id).execute();
  const admin = '/api/Transactions/GetTransactionById?id=00000000-0000-0000-0000-000000000001';
  if (s.app.hasRoute({ method: 'GET', url: admin.split('?')[0]! })) assertError(await s.call('GET', admin, { token: l.body.data.accessToken }), 401);
  assertError(await s.call('POST', '/api/credentials/RefreshToken', { body: { refreshToken: l.body.data.refreshToken } }), 401);
  assertError(await s.call('POST', '/api/credentials/Login', { headers: { TenancyName: 'acme' }, body: { tenancyName: 'acme', userNameOrEmailAddress: 'leaver', password: 'leaver-pass-1' } }), 401);
});

test('expired JWT → 401 "expired", nothing changes', async () => {
  const now = Math.floor(Date.now() / 1000);
  const expired = await new SignJWT({ typ: 'user', tid: acmeId }).setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(user.user.id)).setIssuer('hawiya').setIssuedAt(now - 90_000).setExpirationTime(now - 3600).sign(jwtKey());
  const before = await snapshot(s);
  const r = await s.call('POST', CANCEL, { token: expired });
  assertError(r, 401, 401, /expired/i);
  assertUnchanged(before, await snapshot(s));
  // The same claims, not expired, are accepted: the refusal was the expiry alone.
  const fresh = await new SignJWT({ typ: 'user', tid: acmeId }).setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(user.user.id)).setIssuer('hawiya').setIssuedAt().setExpirationTime('1h').sign(jwtKey());
  await assertTokenAccepted(fresh);
});

test('forged JWTs (wrong key, alg none, tampered payload, wrong issuer, garbage) → 401, nothing changes', async () => {
  const claims = { typ: 'user', tid: acmeId };
  const wrongKey = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(String(user.user.id))
    .setIssuer('hawiya').setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode('not-the-server-key-not-the-server-key'));
  const none = new UnsecuredJWT(claims).setSubject(String(user.user.id)).setIssuer('hawiya').setIssuedAt().setExpirationTime('1h').encode();
  const noneAdmin = new UnsecuredJWT({ typ: 'admin', tid: null }).setSubject('1').setIssuer('hawiya').setIssuedAt().setExpirationTime('1h').encode();
  const [h, p, sig] = user.accessToken.split('.') as [string, string, string];
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  const tampered = [h, Buffer.from(JSON.stringify({ ...payload, sub: String(user.user.id + 1000) })).toString('base64url'), sig].join('.');
  const escalated = [h, Buffer.from(JSON.stringify({ ...payload, typ: 'admin', tid: null })).toString('base64url'), sig].join('.');
  const hs512Header = Buffer.from(JSON.stringify({ alg: 'HS512' })).toString('base64url');
  const algSwap = [hs512Header, p, sig].join('.');
  const wrongIssuer = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(String(user.user.id))
    .setIssuer('evil').setIssuedAt().setExpirationTime('1h').sign(jwtKey());
  const badSub = await new SignJWT({ typ: 'user', tid: acmeId }).setProtectedHeader({ alg: 'HS256' }).setSubject('1 OR 1=1')
    .setIssuer('hawiya').setIssuedAt().setExpirationTime('1h').sign(jwtKey());
  const badTyp = await new SignJWT({ typ: 'root', tid: acmeId }).setProtectedHeader({ alg: 'HS256' }).setSubject(String(user.user.id))
    .setIssuer('hawiya').setIssuedAt().setExpirationTime('1h').sign(jwtKey());

  const before = await snapshot(s);
  for (const [name, token] of Object.entries({ wrongKey, none, noneAdmin, tampered, escalated, algSwap, wrongIssuer, badSub, badTyp, garbage: 'a.b.c', junk: 'x'.repeat(5000) })) {
    const r = await s.call('POST', CANCEL, { token });
    assertError(r, 401, 401);
    assert.doesNotMatch(r.body.error_message, /expired/i, `${name}: reported as expired`);
  }
  assertUnchanged(before, await snapshot(s));
  await assertTokenAccepted(user.accessToken);
});

test('a forged bearer on an ApiKey-only endpoint is ignored (it grants nothing, and is not an error)', async () => {
  const none = new UnsecuredJWT({ typ: 'admin', tid: null }).setSubject('1').setIssuer('hawiya').setIssuedAt().setExpirationTime('1h').encode();
  const r = await s.call('POST', CHECK, { token: none, body: { phoneNumber: freshPhone() } });
  assertOk(r);
});

test("tenant B's user token with tenant A's ApiKey → 403; A's token with B's key → 403; nothing changes", async () => {
  const before = await snapshot(s);
  assertError(await s.call('POST', CANCEL, { token: b.userToken, apiKey: s.apiKey }), 403, 403, /another tenant/);
  assertError(await s.call('POST', CANCEL, { token: user.accessToken, apiKey: b.key }), 403, 403, /another tenant/);
  // Each token still works with its own tenant's key: the refusal was the tenant binding alone.
  assertUnchanged(before, await snapshot(s));
  await assertTokenAccepted(b.userToken, b.key);
  await assertTokenAccepted(user.accessToken, s.apiKey);
});

test("tenant B's admin token with tenant A's ApiKey is refused on user endpoints and grants no admin access", async () => {
  const before = await snapshot(s);
  // An admin token is not a user token: 403 with its own key, 403 (other tenant) with A's key.
  assertError(await s.call('POST', CANCEL, { token: b.adminToken, apiKey: b.key }), 403);
  assertError(await s.call('POST', CANCEL, { token: b.adminToken, apiKey: s.apiKey }), 403);
  for (const [method, url] of [['GET', '/api/DigitalIdentity/GetStepImage'], ['GET', '/api/DigitalIdentity/GetUserDigitalIdentityImages'], ['GET', '/api/Transactions/GetTransactionById']] as const) {
    if (!s.app.hasRoute({ method, url })) continue;
    const r = await s.call(method, `${url}?TransactionId=00000000-0000-0000-0000-000000000001&id=00000000-0000-0000-0000-000000000001&FileName=front.jpg&UserId=1`, { token: b.adminToken, apiKey: s.apiKey });
    assertError(r, 403, 403, /another tenant/);
  }
  assertUnchanged(before, await snapshot(s));
});

test("refresh tokens are bound to their tenant: B's refresh token with A's ApiKey → 401 and is not spent", async () => {
  const before = await snapshot(s);
  assertError(await s.call('POST', '/api/DigitalIdentity/RefreshToken', { apiKey: s.apiKey, body: { refreshToken: b.userRefresh } }), 401);
  assertError(await s.call('POST', '/api/credentials/RefreshToken', { apiKey: s.apiKey, body: { refreshToken: b.adminRefresh } }), 401);
  assertUnchanged(before, await snapshot(s));
  const ok = await s.call('POST', '/api/credentials/RefreshToken', { apiKey: b.key, body: { refreshToken: b.userRefresh } });
  assertOk(ok);
  b.userRefresh = ok.body.data.refreshToken;
});

test('unknown / garbage refresh tokens → 401, nothing changes', async () => {
  const before = await snapshot(s);
  for (const t of ['nope', "' OR 1=1 --", 'x'.repeat(512)]) {
    assertError(await s.call('POST', '/api/DigitalIdentity/RefreshToken', { body: { refreshToken: t } }), 401);
  }
  assertError(await s.call('POST', '/api/DigitalIdentity/RefreshToken', { body: { refreshToken: 'x'.repeat(513) } }), 400);
  assertUnchanged(before, await snapshot(s));
});

for (const kind of ['user', 'admin'] as const) {
  test(`${kind} refresh-token reuse → 401 and the whole family is revoked (the newest token stops working too)`, async () => {
    let first: string;
    if (kind === 'user') first = (await registerUser(s, freshPhone(), 'Secret#123', 'reuse-device')).refreshToken;
    else first = (await adminLogin(s)).refreshToken;
    const path = kind === 'user' ? '/api/DigitalIdentity/RefreshToken' : '/api/credentials/RefreshToken';
    const r1 = await s.call('POST', path, { body: { refreshToken: first } });
    assertOk(r1);
    const second = r1.body.data.refreshToken as string;
    const r2 = await s.call('POST', path, { body: { refreshToken: second } });
    assertOk(r2);
    const newest = r2.body.data.refreshToken as string;

    // The thief replays the first (already used) token.
    const reuse = await s.call('POST', path, { body: { refreshToken: first } });
    assertError(reuse, 401, 401, /already used|revoked/i);
    // The legitimate holder's newest token is now dead too.
    assertError(await s.call('POST', path, { body: { refreshToken: newest } }), 401);
    assertError(await s.call('POST', path, { body: { refreshToken: second } }), 401);

    const { sha256 } = await import('../../src/auth/passwords.js');
    const row = await s.ctx.db.selectFrom('refresh_tokens').select('family_id').where('token_hash', '=', sha256(newest)).executeTakeFirstOrThrow();
    const family = await s.ctx.db.selectFrom('refresh_tokens').select(['revoked_at', 'token_hash']).where('family_id', '=', row.family_id).execute();
    assert.equal(family.length, 3);
    for (const t of family) assert.notEqual(t.revoked_at, null, 'every token of the family is revoked');
    // Refresh tokens are stored hashed only.
    for (const t of [first, second, newest]) assert.ok(!family.some((f) => f.token_hash === t));
    const audit = await s.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'refresh_token.reuse_detected').execute();
    assert.ok(audit.length >= 1, 'the reuse is audited');
  });
}

test('concurrent use of one refresh token: at most one rotation succeeds', async () => {
  const { refreshToken } = await adminLogin(s);
  const results = await Promise.all(Array.from({ length: 4 }, () => s.call('POST', '/api/credentials/RefreshToken', { body: { refreshToken } })));
  const oks = results.filter((r) => r.status === 200 && r.body.error_code === null);
  assert.ok(oks.length <= 1, `${oks.length} concurrent rotations of one token succeeded`);
  for (const r of results) if (!oks.includes(r)) assertError(r, 401);
});
