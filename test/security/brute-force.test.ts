/**
 * Brute force: admin login, end-user login and OTP codes lock after 5 failures; the right secret is then
 * refused too, and no token is issued.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, registerUser, type TestServer } from '../helpers/server.js';
import { assertError, assertOk, assertUnchanged, count, freshPhone, snapshot } from '../helpers/attack.js';

let s: TestServer;
let acmeId: number;
before(async () => {
  s = await startTestServer();
  acmeId = s.bootstrap!.tenantId;
});
after(async () => { await s?.close(); });

const adminLoginCall = (user: string, password: string, tenancyName = 'acme') => s.call('POST', '/api/credentials/Login', {
  headers: { TenancyName: tenancyName }, body: { tenancyName, userNameOrEmailAddress: user, password },
});

test('admin login locks after 5 failures: the right password is then refused, other admins unaffected', async () => {
  const id = await s.ctx.tenants.createAdmin(acmeId, 'target-admin', 'right-password-1');
  const tokensBefore = await count(s, 'refresh_tokens');
  for (let i = 1; i <= 5; i++) {
    assertError(await adminLoginCall('target-admin', `wrong-password-${i}`), 401, 401, /Invalid user name or password/);
  }
  const row = await s.ctx.db.selectFrom('admin_users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.ok(row.locked_until && row.locked_until > new Date().toISOString(), 'locked_until is set in the future');
  const before = await snapshot(s, ['admin_users', 'refresh_tokens', 'users']);
  const locked = await adminLoginCall('target-admin', 'right-password-1');
  assertError(locked, 401, 401, /locked/i);
  assert.equal(locked.body.data, null);
  assertUnchanged(before, await snapshot(s, ['admin_users', 'refresh_tokens', 'users']));
  assert.equal(await count(s, 'refresh_tokens'), tokensBefore, 'no token issued to the attacker');
  const audit = await s.ctx.db.selectFrom('audit_log').select('action').where('actor_id', '=', String(id)).execute();
  assert.ok(audit.some((a) => a.action === 'admin.login.locked'), 'the lock is audited');
  // Another admin of the tenant still logs in.
  assertOk(await adminLoginCall(s.adminUser, s.adminPassword));
});

test('admin login probing an unknown user name is throttled the same way (no account enumeration by lockout)', async () => {
  for (let i = 0; i < 5; i++) assertError(await adminLoginCall('ghost-admin', 'whatever-1'), 401, 401, /Invalid user name or password/);
  assertError(await adminLoginCall('ghost-admin', 'whatever-1'), 401, 401, /locked/i);
});

test('end-user login locks after 5 wrong passwords: the right password is then refused', async () => {
  const phone = freshPhone();
  const reg = await registerUser(s, phone, 'Right#Pass1', 'dev-1');
  const tokensBefore = await count(s, 'refresh_tokens');
  for (let i = 0; i < 5; i++) {
    assertError(await s.call('POST', '/api/DigitalIdentity/Login', { body: { phoneNumber: phone, password: `Wrong#Pass${i}`, imei: 'dev-1' } }), 401);
  }
  const row = await s.ctx.db.selectFrom('users').selectAll().where('id', '=', reg.user.id).executeTakeFirstOrThrow();
  assert.ok(row.locked_until && row.locked_until > new Date().toISOString(), 'locked_until is set');
  const before = await snapshot(s, ['users', 'user_devices', 'refresh_tokens', 'otp_requests']);
  const locked = await s.call('POST', '/api/DigitalIdentity/Login', { body: { phoneNumber: phone, password: 'Right#Pass1', imei: 'dev-1' } });
  assertError(locked, 401, 401, /locked/i);
  // A new device with the right password: still refused, and no OTP is sent.
  assertError(await s.call('POST', '/api/DigitalIdentity/Login', { body: { phoneNumber: phone, password: 'Right#Pass1', imei: 'dev-new' } }), 401);
  assertUnchanged(before, await snapshot(s, ['users', 'user_devices', 'refresh_tokens', 'otp_requests']));
  assert.equal(await count(s, 'refresh_tokens'), tokensBefore);
  // The lock is per account: another user of the tenant logs in.
  const other = freshPhone();
  await registerUser(s, other, 'Other#Pass1', 'dev-2');
  assertOk(await s.call('POST', '/api/DigitalIdentity/Login', { body: { phoneNumber: other, password: 'Other#Pass1', imei: 'dev-2' } }));
});

function wrongCode(code: string, i: number): string {
  let c = String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
  if (c === code) c = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
  return c;
}

test('registration OTP locks after 5 wrong codes: the right code is then refused (6003) and registration fails', async () => {
  const phone = freshPhone();
  const send = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: phone } });
  assertOk(send);
  const { phoneNumberOtpRequestId: id, phoneNumberOtp: code } = send.body.data;
  for (let i = 0; i < 4; i++) {
    assertError(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: phone, phoneNumberOtpRequestId: id, phoneNumberOtp: wrongCode(code, i) } }), 200, 6002);
  }
  assertError(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: phone, phoneNumberOtpRequestId: id, phoneNumberOtp: wrongCode(code, 4) } }), 200, 6003);
  const row = await s.ctx.db.selectFrom('otp_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(Number(row.attempts), 5);
  assert.equal(row.validated_at, null);
  assert.notEqual(row.code_hash, code, 'the code is stored hashed');
  assert.ok(!Object.values(row).some((v) => v === code || v === phone), 'neither the code nor the phone is stored in clear');

  const before = await snapshot(s, ['users', 'otp_requests', 'refresh_tokens']);
  assertError(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: phone, phoneNumberOtpRequestId: id, phoneNumberOtp: code } }), 200, 6003);
  assertError(await s.call('POST', '/api/DigitalIdentity/Register', { body: { phoneNumber: phone, password: 'Secret#123', phoneNumberOtpRequestId: id, phoneNumberOtp: code } }), 200, 6004);
  assertUnchanged(before, await snapshot(s, ['users', 'otp_requests', 'refresh_tokens']));
  // A new OTP request works (the lock is per request, not per phone forever).
  const again = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: phone } });
  assertOk(again);
  assertOk(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: phone, phoneNumberOtpRequestId: again.body.data.phoneNumberOtpRequestId, phoneNumberOtp: again.body.data.phoneNumberOtp } }));
});

test("an OTP request can't validate another phone number, and a code for one request can't validate another", async () => {
  const p1 = freshPhone();
  const p2 = freshPhone();
  const s1 = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: p1 } });
  const s2 = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: p2 } });
  assertOk(s1);
  assertOk(s2);
  const before = await snapshot(s, ['users', 'refresh_tokens']);
  assertError(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: p2, phoneNumberOtpRequestId: s1.body.data.phoneNumberOtpRequestId, phoneNumberOtp: s1.body.data.phoneNumberOtp } }), 200, 6002);
  if (s1.body.data.phoneNumberOtp !== s2.body.data.phoneNumberOtp) {
    assertError(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: p2, phoneNumberOtpRequestId: s2.body.data.phoneNumberOtpRequestId, phoneNumberOtp: s1.body.data.phoneNumberOtp } }), 200, 6002);
  }
  // Registering p2 with p1's validated request: refused.
  assertOk(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: p1, phoneNumberOtpRequestId: s1.body.data.phoneNumberOtpRequestId, phoneNumberOtp: s1.body.data.phoneNumberOtp } }));
  assertError(await s.call('POST', '/api/DigitalIdentity/Register', { body: { phoneNumber: p2, password: 'Secret#123', phoneNumberOtpRequestId: s1.body.data.phoneNumberOtpRequestId } }), 200, 6004);
  assertUnchanged(before, await snapshot(s, ['users', 'refresh_tokens']));
});

test('new-device login OTP locks after 5 wrong codes: the right code then gives no token', async () => {
  // A password-less account (OTP-only login) keeps this test free of password hashing.
  const phone = freshPhone();
  const send = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: phone } });
  const { phoneNumberOtpRequestId: rid, phoneNumberOtp: rcode } = send.body.data;
  assertOk(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: phone, phoneNumberOtpRequestId: rid, phoneNumberOtp: rcode } }));
  assertOk(await s.call('POST', '/api/DigitalIdentity/Register', { body: { phoneNumber: phone, phoneNumberOtpRequestId: rid, imei: 'old-device' } }));

  const first = await s.call('POST', '/api/DigitalIdentity/Login', { body: { phoneNumber: phone, imei: 'stolen-device' } });
  assertOk(first);
  const { phoneNumberOtpRequestId: id, phoneNumberOtp: code } = first.body.data;
  assert.equal(first.body.data.accessToken, null);
  for (let i = 0; i < 5; i++) {
    const r = await s.call('POST', '/api/DigitalIdentity/Login', { body: { phoneNumber: phone, imei: 'stolen-device', phoneNumberOtpRequestId: id, phoneNumberOtp: wrongCode(code, i) } });
    assertError(r, 200, i < 4 ? 6002 : 6003);
  }
  const before = await snapshot(s, ['users', 'user_devices', 'refresh_tokens']);
  const r = await s.call('POST', '/api/DigitalIdentity/Login', { body: { phoneNumber: phone, imei: 'stolen-device', phoneNumberOtpRequestId: id, phoneNumberOtp: code } });
  assertError(r, 200, 6003);
  assertUnchanged(before, await snapshot(s, ['users', 'user_devices', 'refresh_tokens']));
});

// ---- Parallel bursts: the attempt limit must hold when guesses arrive concurrently ---------------------------

test('a concurrent burst of wrong passwords still locks the end-user account after 5 (no race past the limit)', async () => {
  const phone = freshPhone();
  await registerUser(s, phone, 'Burst#Pass1', 'dev-b');
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    s.call('POST', '/api/DigitalIdentity/Login', { body: { phoneNumber: phone, password: `Wrong#Burst${i}`, imei: 'dev-b' } })));
  for (const r of results) assertError(r, 401);
  const judged = results.filter((r) => /Invalid phone number or password/.test(r.body.error_message)).length;
  assert.ok(judged <= 5, `${judged} concurrent guesses were checked against the password (limit 5)`);
  assertError(await s.call('POST', '/api/DigitalIdentity/Login', { body: { phoneNumber: phone, password: 'Burst#Pass1', imei: 'dev-b' } }), 401, 401, /locked/i);
});

test('a concurrent burst of wrong passwords still locks the admin account after 5', async () => {
  await s.ctx.tenants.createAdmin(acmeId, 'burst-admin', 'burst-right-1');
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) => adminLoginCall('burst-admin', `burst-wrong-${i}`)));
  for (const r of results) assertError(r, 401);
  const judged = results.filter((r) => /Invalid user name or password/.test(r.body.error_message)).length;
  assert.ok(judged <= 5, `${judged} concurrent guesses were checked against the password (limit 5)`);
  assertError(await adminLoginCall('burst-admin', 'burst-right-1'), 401, 401, /locked/i);
});

test('a concurrent burst of wrong OTP codes gets at most 5 guesses checked', async () => {
  const phone = freshPhone();
  const send = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: phone } });
  const { phoneNumberOtpRequestId: id, phoneNumberOtp: code } = send.body.data;
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: phone, phoneNumberOtpRequestId: id, phoneNumberOtp: wrongCode(code, i) } })));
  const plainWrong = results.filter((r) => r.body.error_code === 6002).length;
  const locked = results.filter((r) => r.body.error_code === 6003).length;
  assert.equal(plainWrong + locked, 20);
  assert.ok(plainWrong <= 4, `${plainWrong} concurrent guesses were answered "wrong code" instead of "locked" (limit: 4, then 6003)`);
  const row = await s.ctx.db.selectFrom('otp_requests').select('attempts').where('id', '=', id).executeTakeFirstOrThrow();
  assert.ok(Number(row.attempts) <= 5, `attempts ${row.attempts}`);
  assertError(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: phone, phoneNumberOtpRequestId: id, phoneNumberOtp: code } }), 200, 6003);
});
