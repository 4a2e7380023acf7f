/**
 * Tenant isolation: a tenant never sees another tenant's users (CheckExistenceOfEmailOrPhone, Login, OTPs,
 * refresh tokens); the same phone and email may register in two tenants independently, with separate
 * accounts, passwords, devices and sealed data.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, registerUser, type TestServer } from '../helpers/server.js';
import { assertError, assertOk, assertUnchanged, freshPhone, snapshot } from '../helpers/attack.js';

let s: TestServer;
let a: { id: number; key: string };
let b: { id: number; key: string };

before(async () => {
  s = await startTestServer();
  a = { id: s.bootstrap!.tenantId, key: s.apiKey };
  const tb = await s.ctx.tenants.create('tenant-b', { settings: { rateLimit: { perSecond: 0, perMinute: 0 } } });
  b = { id: tb.id, key: (await s.ctx.tenants.createApiKey(tb.id)).key };
});
after(async () => { await s?.close(); });

const check = (apiKey: string, body: Record<string, unknown>) => s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { apiKey, body });

async function registerWithEmail(apiKey: string, phone: string, email: string, password: string, imei: string) {
  const send = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { apiKey, body: { phoneNumber: phone } });
  assertOk(send);
  const { phoneNumberOtpRequestId: id, phoneNumberOtp: otp } = send.body.data;
  assertOk(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { apiKey, body: { phoneNumber: phone, phoneNumberOtpRequestId: id, phoneNumberOtp: otp } }));
  const es = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyEmail', { apiKey, body: { email } });
  assertOk(es);
  assertOk(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyEmail', { apiKey, body: { email, emailOtpRequestId: es.body.data.emailOtpRequestId, emailOtp: es.body.data.emailOtp } }));
  const reg = await s.call('POST', '/api/DigitalIdentity/Register', { apiKey, body: { phoneNumber: phone, email, password, phoneNumberOtpRequestId: id, emailOtpRequestId: es.body.data.emailOtpRequestId, imei } });
  assertOk(reg);
  return reg.body.data;
}

test("tenant A's users are invisible to tenant B: CheckExistenceOfEmailOrPhone and Login", async () => {
  const phone = freshPhone();
  const email = 'only.in.a@example.com';
  const ua = await registerWithEmail(a.key, phone, email, 'Tenant#A-pw', 'dev-a');

  const inA = await check(a.key, { phoneNumber: phone, email });
  assertOk(inA);
  assert.deepEqual(inA.body.data, { exists: true, isPhoneNumberExists: true, isEmailExists: true });
  const inB = await check(b.key, { phoneNumber: phone, email });
  assertOk(inB);
  assert.deepEqual(inB.body.data, { exists: false, isPhoneNumberExists: false, isEmailExists: false });

  // Login at B with A's exact credentials and device: the same 401 as an unknown account; no OTP is sent.
  const before = await snapshot(s);
  const login = await s.call('POST', '/api/DigitalIdentity/Login', { apiKey: b.key, body: { phoneNumber: phone, password: 'Tenant#A-pw', imei: 'dev-a' } });
  assertError(login, 401);
  assert.equal(login.body.data, null);
  const noPw = await s.call('POST', '/api/DigitalIdentity/Login', { apiKey: b.key, body: { phoneNumber: phone, imei: 'dev-a' } });
  assertError(noPw, 401);
  assertUnchanged(before, await snapshot(s), [], 'login at another tenant');
  // A's user is untouched: no failure counted against it.
  const row = await s.ctx.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', ua.user.id).executeTakeFirstOrThrow();
  assert.equal(Number(row.failed_logins), 0);
  assert.equal(row.locked_until, null);
  // And it still logs in at A.
  assertOk(await s.call('POST', '/api/DigitalIdentity/Login', { apiKey: a.key, body: { phoneNumber: phone, password: 'Tenant#A-pw', imei: 'dev-a' } }));
});

test('the same phone and email register in both tenants independently (separate accounts, passwords, devices)', async () => {
  const phone = freshPhone();
  const email = 'both@example.com';
  const ua = await registerWithEmail(a.key, phone, email, 'Password-A1', 'dev-shared');
  const ub = await registerWithEmail(b.key, phone, email, 'Password-B1', 'dev-shared');
  assert.notEqual(ua.user.id, ub.user.id);
  assert.equal(ua.user.phoneNumber, phone);
  assert.equal(ub.user.phoneNumber, phone);

  // Each account has its own password: A's password does not open B's account and vice versa.
  assertOk(await s.call('POST', '/api/DigitalIdentity/Login', { apiKey: a.key, body: { phoneNumber: phone, password: 'Password-A1', imei: 'dev-shared' } }));
  assertOk(await s.call('POST', '/api/DigitalIdentity/Login', { apiKey: b.key, body: { phoneNumber: phone, password: 'Password-B1', imei: 'dev-shared' } }));
  assertError(await s.call('POST', '/api/DigitalIdentity/Login', { apiKey: b.key, body: { phoneNumber: phone, password: 'Password-A1', imei: 'dev-shared' } }), 401);
  assertError(await s.call('POST', '/api/DigitalIdentity/Login', { apiKey: a.key, body: { phoneNumber: phone, password: 'Password-B1', imei: 'dev-shared' } }), 401);

  // Each token works only with its own tenant's key.
  assertError(await s.call('POST', '/api/DigitalIdentity/CancelVerifiedDigitalIdentity', { apiKey: a.key, token: ua.accessToken }), 200, 6009);
  assertError(await s.call('POST', '/api/DigitalIdentity/CancelVerifiedDigitalIdentity', { apiKey: b.key, token: ub.accessToken }), 200, 6009);
  assertError(await s.call('POST', '/api/DigitalIdentity/CancelVerifiedDigitalIdentity', { apiKey: b.key, token: ua.accessToken }), 403);

  // Stored rows: one per tenant, sealed under different keys, with different lookup hashes.
  const rows = await s.ctx.db.selectFrom('users').selectAll().where('id', 'in', [ua.user.id, ub.user.id]).orderBy('id').execute();
  assert.equal(rows.length, 2);
  assert.deepEqual(rows.map((r) => r.tenant_id).sort(), [a.id, b.id].sort());
  assert.notEqual(rows[0]!.phone_lookup, rows[1]!.phone_lookup, 'lookup hashes are keyed per tenant');
  const ta = (await s.ctx.tenants.get(a.id))!;
  const tb = (await s.ctx.tenants.get(b.id))!;
  const rowA = rows.find((r) => r.tenant_id === a.id)!;
  const rowB = rows.find((r) => r.tenant_id === b.id)!;
  assert.equal(ta.keys.decryptText(rowA.phone_enc, 'user.phone'), phone);
  assert.throws(() => tb.keys.decryptText(rowA.phone_enc, 'user.phone'), /authentication/, "B's key cannot open A's data");
  assert.equal(tb.keys.decryptText(rowB.phone_enc, 'user.phone'), phone);
});

test("OTP requests and refresh tokens of one tenant can't be used at another", async () => {
  const phone = freshPhone();
  const send = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { apiKey: a.key, body: { phoneNumber: phone } });
  assertOk(send);
  const { phoneNumberOtpRequestId: id, phoneNumberOtp: otp } = send.body.data;
  const before = await snapshot(s);
  // Validating A's OTP request through B: unknown request.
  assertError(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { apiKey: b.key, body: { phoneNumber: phone, phoneNumberOtpRequestId: id, phoneNumberOtp: otp } }), 200, 6002);
  // Registering at B with A's OTP request: refused.
  assertError(await s.call('POST', '/api/DigitalIdentity/Register', { apiKey: b.key, body: { phoneNumber: phone, password: 'Secret#123', phoneNumberOtpRequestId: id, phoneNumberOtp: otp } }), 200, 6004);
  assertUnchanged(before, await snapshot(s));
  // The request still works at A (B's attempts did not count against it).
  assertOk(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { apiKey: a.key, body: { phoneNumber: phone, phoneNumberOtpRequestId: id, phoneNumberOtp: otp } }));
  // Register at A, then try A's refresh token through B.
  const reg = await s.call('POST', '/api/DigitalIdentity/Register', { apiKey: a.key, body: { phoneNumber: phone, password: 'Secret#123', phoneNumberOtpRequestId: id } });
  assertOk(reg);
  const before2 = await snapshot(s);
  assertError(await s.call('POST', '/api/DigitalIdentity/RefreshToken', { apiKey: b.key, body: { refreshToken: reg.body.data.refreshToken } }), 401);
  assertUnchanged(before2, await snapshot(s));
  assertOk(await s.call('POST', '/api/DigitalIdentity/RefreshToken', { apiKey: a.key, body: { refreshToken: reg.body.data.refreshToken } }));
});

test("an admin of tenant B can't log in through tenant A's key, nor with A's tenancy name", async () => {
  await s.ctx.tenants.createAdmin(b.id, 'b-boss', 'b-boss-pass');
  const before = await snapshot(s);
  const viaA = await s.call('POST', '/api/credentials/Login', { apiKey: a.key, headers: { TenancyName: 'tenant-b' }, body: { tenancyName: 'tenant-b', userNameOrEmailAddress: 'b-boss', password: 'b-boss-pass' } });
  assertError(viaA, 401);
  const asA = await s.call('POST', '/api/credentials/Login', { apiKey: b.key, headers: { TenancyName: 'acme' }, body: { tenancyName: 'acme', userNameOrEmailAddress: 'b-boss', password: 'b-boss-pass' } });
  assertError(asA, 401);
  // With A's key and A's name, B's admin is simply unknown.
  const unknown = await s.call('POST', '/api/credentials/Login', { apiKey: a.key, headers: { TenancyName: 'acme' }, body: { tenancyName: 'acme', userNameOrEmailAddress: 'b-boss', password: 'b-boss-pass' } });
  assertError(unknown, 401);
  assertUnchanged(before, await snapshot(s), ['audit_log']);
  assertOk(await s.call('POST', '/api/credentials/Login', { apiKey: b.key, headers: { TenancyName: 'tenant-b' }, body: { tenancyName: 'tenant-b', userNameOrEmailAddress: 'b-boss', password: 'b-boss-pass' } }));
});

test("registerUser helper works per tenant (sanity for the other suites)", async () => {
  const p = freshPhone();
  const u = await registerUser(s, p, 'Secret#123', 'd', b.key);
  const row = await s.ctx.db.selectFrom('users').select('tenant_id').where('id', '=', u.user.id).executeTakeFirstOrThrow();
  assert.equal(row.tenant_id, b.id);
});
