/**
 * The full auth / registration flow over real HTTP, sent exactly as the Vlens SDK samples send it
 * (spec §2.1, §5.1, §8.1–8.6, §12): ApiKey, TenancyName, Accept_Language, Accept: text/plain, X-Request-Id,
 * Authorization (empty "Bearer " when there is no token), application/json and application/json-patch+json,
 * PascalCase and camelCase body keys.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startTestServer, type TestServer, type CallResult } from '../helpers/server.js';
import { assertError, assertOk, freshPhone } from '../helpers/attack.js';
import { hashPassword } from '../../src/auth/passwords.js';

let s: TestServer;
/** A tenant that requires email verification at registration (non-production: OTPs are echoed). */
let bank: { id: number; name: string; key: string };
/** A production tenant: OTPs are never echoed. */
let prod: { id: number; name: string; key: string };

before(async () => {
  s = await startTestServer();
  const b = await s.ctx.tenants.create('sdk-bank', { settings: { requireEmailVerification: true, rateLimit: { perSecond: 0, perMinute: 0 } } });
  bank = { id: b.id, name: b.name, key: (await s.ctx.tenants.createApiKey(b.id, 'mobile')).key };
  const p = await s.ctx.tenants.create('sdk-prod', { settings: { production: true, rateLimit: { perSecond: 0, perMinute: 0 } } });
  prod = { id: p.id, name: p.name, key: (await s.ctx.tenants.createApiKey(p.id, 'mobile')).key };
});
after(async () => { await s?.close(); });

interface SdkCall {
  apiKey?: string;
  tenancyName?: string;
  token?: string;
  lang?: 'en' | 'ar';
  contentType?: string;
  body?: unknown;
}

/** One SDK-shaped request; asserts the X-Request-Id round trip on every call. */
async function sdk(path: string, o: SdkCall = {}): Promise<CallResult> {
  const requestId = crypto.randomUUID();
  const headers: Record<string, string> = {
    ApiKey: o.apiKey ?? s.apiKey,
    TenancyName: o.tenancyName ?? s.tenantName,
    Accept_Language: o.lang ?? 'en',
    Accept: 'text/plain',
    'X-Request-Id': requestId,
    // The iOS SDK sends "Bearer " with an empty token when it has none (spec §2.1).
    Authorization: `Bearer ${o.token ?? ''}`,
    'Content-Type': o.contentType ?? 'application/json',
  };
  const r = await s.call('POST', path, { headers, raw: o.body === undefined ? undefined : JSON.stringify(o.body) });
  assert.equal(r.headers.get('x-request-id'), requestId, `X-Request-Id not echoed on ${path}`);
  return r;
}

const REGISTER_OUTPUT_FIELDS = [
  'isEmailConfirmationRequired', 'isEmailConfirmed', 'isPhoneNumberConfirmationRequired', 'isPhoneNumberConfirmed',
  'phoneNumberOtp', 'phoneNumberOtpRequestId', 'emailOtpRequestId', 'phoneOtpExpireInSeconds', 'emailOtpExpireInSeconds',
  'isDigitalIdentityVerified', 'hasPendingRequest', 'accessToken', 'refreshToken', 'encryptedAccessToken',
  'expireInSeconds', 'userName', 'userFullName', 'user', 'redirectUri', 'transactionId',
];
const USER_FIELDS = ['id', 'name', 'surname', 'fullName', 'userName', 'emailAddress', 'phoneNumber', 'idNumber', 'address'];
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** ApiOutputRegister (spec §6.4): every field present (null when not applicable). */
function assertRegisterOutput(data: any) {
  for (const f of REGISTER_OUTPUT_FIELDS) assert.ok(f in data, `ApiOutputRegister lacks ${f}`);
  for (const f of ['isEmailConfirmationRequired', 'isEmailConfirmed', 'isPhoneNumberConfirmationRequired', 'isPhoneNumberConfirmed', 'isDigitalIdentityVerified', 'hasPendingRequest']) {
    assert.equal(typeof data[f], 'boolean', `${f} is a boolean`);
  }
}

/** A session response: a user token, a refresh token and the Vlens User object (spec §6.5). */
function assertSession(data: any, phone: string, email: string | null = null) {
  assertRegisterOutput(data);
  assert.match(data.accessToken, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'accessToken is a JWT');
  assert.equal(typeof data.refreshToken, 'string');
  assert.ok(data.refreshToken.length >= 32);
  assert.equal(typeof data.encryptedAccessToken, 'string');
  assert.notEqual(data.encryptedAccessToken, data.accessToken);
  assert.equal(data.expireInSeconds, 86400);
  assert.equal(data.isPhoneNumberConfirmed, true);
  assert.equal(data.isPhoneNumberConfirmationRequired, false);
  assert.equal(data.phoneNumberOtp, null);
  assert.deepEqual(Object.keys(data.user).sort(), [...USER_FIELDS].sort());
  assert.equal(typeof data.user.id, 'number');
  assert.equal(data.user.phoneNumber, phone);
  assert.equal(data.user.userName, phone, 'userName is the registered phone number');
  assert.equal(data.userName, phone);
  assert.equal(data.user.emailAddress, email);
  assert.equal(data.isDigitalIdentityVerified, false);
}

/** A user-token endpoint accepts the token (the identity is not verified yet, so the business answer is 6009). */
async function assertUserTokenWorks(token: string, apiKey = s.apiKey, tenancyName = s.tenantName) {
  const r = await sdk('/api/DigitalIdentity/CancelVerifiedDigitalIdentity', { token, apiKey, tenancyName });
  assertError(r, 200, 6009);
}

async function verifyPhone(phone: string, o: SdkCall = {}) {
  const send = await sdk('/api/DigitalIdentity/Register/StepVerifyPhone', { ...o, body: { phoneNumber: phone, smsProviders: 0 } });
  assertOk(send);
  return send;
}

test('admin Login with ApiKey + TenancyName, then RefreshToken rotation', async () => {
  const login = await sdk('/api/credentials/Login', {
    body: { tenancyName: s.tenantName, userNameOrEmailAddress: s.adminUser, password: s.adminPassword, rememberClient: true },
  });
  assertOk(login);
  const d = login.body.data;
  assert.match(d.accessToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  assert.equal(d.expireInSeconds, 86400);
  assert.equal(d.refreshTokenExpireInSeconds, 604800);
  assert.equal(typeof d.refreshToken, 'string');
  assert.equal(typeof d.encryptedAccessToken, 'string');
  assert.equal(typeof d.userId, 'number');

  // RefreshToken with the same SDK headers; an admin Authorization header may travel along.
  const r1 = await sdk('/api/credentials/RefreshToken', { token: d.accessToken, body: { refreshToken: d.refreshToken } });
  assertOk(r1);
  assert.match(r1.body.data.accessToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  assert.equal(r1.body.data.expireInSeconds, 86400);
  assert.notEqual(r1.body.data.refreshToken, d.refreshToken, 'refresh rotates the token');
  assert.equal(r1.body.data.newRefreshToken, r1.body.data.refreshToken);
  assert.equal(typeof r1.body.data.encryptedAccessToken, 'string');

  // The rotated token rotates again (a chain of refreshes, as a long-lived back office does).
  const r2 = await sdk('/api/credentials/RefreshToken', { body: { RefreshToken: r1.body.data.refreshToken } });
  assertOk(r2);
  assert.notEqual(r2.body.data.refreshToken, r1.body.data.refreshToken);

  // Login with the wrong TenancyName header is refused, and without the header too.
  const noHeader = await s.call('POST', '/api/credentials/Login', {
    body: { tenancyName: s.tenantName, userNameOrEmailAddress: s.adminUser, password: s.adminPassword },
  });
  assertError(noHeader, 400);
});

test('registration with email verification (tenant requires it), then login from the same and from a new device', async () => {
  const t = { apiKey: bank.key, tenancyName: bank.name };
  const phone = freshPhone();
  const email = `user.${crypto.randomBytes(4).toString('hex')}@example.com`;

  // CheckExistenceOfEmailOrPhone: not registered yet, all three flags (spec §8.3).
  const check0 = await sdk('/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { ...t, body: { phoneNumber: phone, email } });
  assertOk(check0);
  assert.deepEqual(check0.body.data, { exists: false, isPhoneNumberExists: false, isEmailExists: false });

  // StepVerifyPhone, send mode.
  const send = await verifyPhone(phone, t);
  const sd = send.body.data;
  assertRegisterOutput(sd);
  assert.match(sd.phoneNumberOtpRequestId, UUID_RE);
  assert.match(sd.phoneNumberOtp, /^\d{6}$/, 'non-production tenants echo the OTP');
  assert.equal(sd.phoneOtpExpireInSeconds, 300);
  assert.equal(sd.isPhoneNumberConfirmed, false);
  assert.equal(sd.isPhoneNumberConfirmationRequired, true);
  assert.equal(sd.isEmailConfirmationRequired, true, 'the tenant requires email verification');
  assert.equal(sd.accessToken, null);

  // StepVerifyPhone, validate mode (uppercase GUID, as some clients send it; application/json-patch+json).
  const val = await sdk('/api/DigitalIdentity/Register/StepVerifyPhone', {
    ...t, contentType: 'application/json-patch+json',
    body: { phoneNumber: phone, phoneNumberOtpRequestId: sd.phoneNumberOtpRequestId.toUpperCase(), phoneNumberOtp: sd.phoneNumberOtp },
  });
  assertOk(val);
  assertRegisterOutput(val.body.data);
  assert.equal(val.body.data.isPhoneNumberConfirmed, true);
  assert.equal(val.body.data.isPhoneNumberConfirmationRequired, false);

  // Register without the email step is refused on this tenant (6005), and creates nothing.
  const early = await sdk('/api/DigitalIdentity/Register', { ...t, body: { phoneNumber: phone, password: 'Secret#123', phoneNumberOtpRequestId: sd.phoneNumberOtpRequestId, phoneNumberOtp: sd.phoneNumberOtp } });
  assertError(early, 200, 6005);

  // StepVerifyEmail, send then validate.
  const esend = await sdk('/api/DigitalIdentity/Register/StepVerifyEmail', { ...t, body: { email } });
  assertOk(esend);
  assertRegisterOutput(esend.body.data);
  assert.match(esend.body.data.emailOtpRequestId, UUID_RE);
  assert.equal(esend.body.data.emailOtpExpireInSeconds, 300);
  assert.match(esend.body.data.emailOtp, /^\d{6}$/);
  const wrong = await sdk('/api/DigitalIdentity/Register/StepVerifyEmail', { ...t, body: { email, emailOtpRequestId: esend.body.data.emailOtpRequestId, emailOtp: esend.body.data.emailOtp === '000000' ? '111111' : '000000' } });
  assertError(wrong, 200, 6002);
  const eval_ = await sdk('/api/DigitalIdentity/Register/StepVerifyEmail', { ...t, body: { Email: email, EmailOtpRequestId: esend.body.data.emailOtpRequestId, EmailOtp: esend.body.data.emailOtp } });
  assertOk(eval_);
  assert.equal(eval_.body.data.isEmailConfirmed, true);

  // Register (the SDK sample body, application/json-patch+json, geoLocation as numbers).
  const reg = await sdk('/api/DigitalIdentity/Register', {
    ...t, contentType: 'application/json-patch+json',
    body: {
      phoneNumber: phone, email, password: 'Secret#123', phoneNumberOtp: sd.phoneNumberOtp, phoneNumberOtpRequestId: sd.phoneNumberOtpRequestId,
      emailOtpRequestId: esend.body.data.emailOtpRequestId, imei: 'ios-vendor-uuid-1', imsi: null,
      geoLocation: { latitude: 30.0444, longitude: 31.2357 }, transactionId: null,
    },
  });
  assertOk(reg);
  assertSession(reg.body.data, phone, email);
  assert.equal(reg.body.data.isEmailConfirmed, true);
  assert.equal(reg.body.data.isEmailConfirmationRequired, false);
  assert.equal(reg.body.data.refreshTokenExpireInSeconds, 604800);
  await assertUserTokenWorks(reg.body.data.accessToken, bank.key, bank.name);

  // Registering the phone again: 6001, with an Arabic message when Accept_Language is ar.
  const again = await sdk('/api/DigitalIdentity/Register/StepVerifyPhone', { ...t, lang: 'ar', body: { phoneNumber: phone } });
  assertError(again, 200, 6001);
  assert.match(again.body.error_message, /[\u0600-\u06FF]/);
  // Replaying the spent registration OTP request creates nothing.
  const replayReg = await sdk('/api/DigitalIdentity/Register', { ...t, body: { phoneNumber: phone, email, phoneNumberOtpRequestId: sd.phoneNumberOtpRequestId, emailOtpRequestId: esend.body.data.emailOtpRequestId } });
  assert.ok([6001, 6004].includes(replayReg.body.error_code), replayReg.text);
  assert.equal((await s.ctx.db.selectFrom('users').select('id').where('tenant_id', '=', bank.id).execute()).length, 1);

  // CheckExistence now finds both, by phone and by email (also with an Egyptian local-format phone).
  const check1 = await sdk('/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { ...t, body: { PhoneNumber: '0' + phone.slice(3), Email: email.toUpperCase() } });
  assertOk(check1);
  assert.deepEqual(check1.body.data, { exists: true, isPhoneNumberExists: true, isEmailExists: true });

  // Login from the registered device: a token straight away.
  const same = await sdk('/api/DigitalIdentity/Login', {
    ...t, body: { phoneNumber: phone, password: 'Secret#123', imei: 'ios-vendor-uuid-1', imsi: null, geoLocation: { latitude: '30', longitude: '31.2' }, isPhone2FAEnabled: false, smsProviders: 0 },
  });
  assertOk(same);
  assertSession(same.body.data, phone, email);
  await assertUserTokenWorks(same.body.data.accessToken, bank.key, bank.name);

  // Login from a new device: OTP first, no token.
  const first = await sdk('/api/DigitalIdentity/Login', { ...t, body: { phoneNumber: phone, password: 'Secret#123', imei: 'android-device-2' } });
  assertOk(first);
  const fd = first.body.data;
  assertRegisterOutput(fd);
  assert.equal(fd.accessToken, null, 'no token before the new device is confirmed');
  assert.equal(fd.refreshToken, null);
  assert.equal(fd.isPhoneNumberConfirmationRequired, true);
  assert.match(fd.phoneNumberOtpRequestId, UUID_RE);
  assert.match(fd.phoneNumberOtp, /^\d{6}$/);
  assert.equal(fd.phoneOtpExpireInSeconds, 300);
  // A wrong code gives no token.
  const bad = await sdk('/api/DigitalIdentity/Login', { ...t, body: { phoneNumber: phone, password: 'Secret#123', imei: 'android-device-2', phoneNumberOtpRequestId: fd.phoneNumberOtpRequestId, phoneNumberOtp: fd.phoneNumberOtp === '123456' ? '654321' : '123456' } });
  assertError(bad, 200, 6002);
  // Second call with the OTP: a token.
  const second = await sdk('/api/DigitalIdentity/Login', { ...t, body: { phoneNumber: phone, password: 'Secret#123', imei: 'android-device-2', phoneNumberOtpRequestId: fd.phoneNumberOtpRequestId, phoneNumberOtp: fd.phoneNumberOtp } });
  assertOk(second);
  assertSession(second.body.data, phone, email);
  await assertUserTokenWorks(second.body.data.accessToken, bank.key, bank.name);
  // The OTP is spent: replaying it on another new device asks for a new OTP rather than logging in.
  const replay = await sdk('/api/DigitalIdentity/Login', { ...t, body: { phoneNumber: phone, password: 'Secret#123', imei: 'device-3', phoneNumberOtpRequestId: fd.phoneNumberOtpRequestId, phoneNumberOtp: fd.phoneNumberOtp } });
  assertError(replay, 200, 6002);
  // The confirmed device is now known: a token straight away.
  const known = await sdk('/api/DigitalIdentity/Login', { ...t, body: { phoneNumber: phone, password: 'Secret#123', imei: 'android-device-2' } });
  assertOk(known);
  assert.equal(typeof known.body.data.accessToken, 'string');
  assert.equal(await s.ctx.db.selectFrom('user_devices').select('id').where('user_id', '=', reg.body.data.user.id).execute().then((r) => r.length), 2);

  // Wrong password: 401 with the envelope.
  const wrongPw = await sdk('/api/DigitalIdentity/Login', { ...t, body: { phoneNumber: phone, password: 'Wrong#1234', imei: 'ios-vendor-uuid-1' } });
  assertError(wrongPw, 401);
});

test('Register/StepCreate alias with PascalCase keys and GeoLocation {Latitude: "30", Longitude: 31.2}', async () => {
  const phone = freshPhone();
  const send = await verifyPhone(phone);
  const { phoneNumberOtpRequestId: id, phoneNumberOtp: otp } = send.body.data;
  const val = await sdk('/api/DigitalIdentity/Register/StepVerifyPhone', { body: { PhoneNumber: phone, PhoneNumberOtpRequestId: id, PhoneNumberOtp: otp } });
  assertOk(val);
  assert.equal(val.body.data.isPhoneNumberConfirmed, true);

  const reg = await sdk('/api/DigitalIdentity/Register/StepCreate', {
    body: {
      PhoneNumber: phone, Password: 'Pascal#Case1', PhoneNumberOtp: otp, PhoneNumberOtpRequestId: id,
      Imei: 'mw-device-1', Imsi: '602020000000001', GeoLocation: { Latitude: '30', Longitude: 31.2 },
    },
  });
  assertOk(reg);
  assertSession(reg.body.data, phone);
  assert.equal(reg.body.data.isEmailConfirmationRequired, false, 'acme does not require email');

  // The PascalCase device and location reached storage (sealed), under their canonical names.
  const tenant = (await s.ctx.tenants.getByName(s.tenantName))!;
  const dev = await s.ctx.db.selectFrom('user_devices').selectAll().where('user_id', '=', reg.body.data.user.id).executeTakeFirstOrThrow();
  const info = tenant.keys.decryptJson<any>(dev.info_enc!, 'user.device');
  assert.equal(info.imei, 'mw-device-1');
  assert.equal(info.imsi, '602020000000001');
  assert.equal(Number(info.geoLocation.latitude), 30);
  assert.equal(Number(info.geoLocation.longitude), 31.2);

  // The device given at registration is a known device: Login with PascalCase keys gives a token at once.
  const login = await sdk('/api/DigitalIdentity/Login', {
    body: { PhoneNumber: phone, Password: 'Pascal#Case1', Imei: 'mw-device-1', GeoLocation: { Latitude: '30', Longitude: 31.2 } },
  });
  assertOk(login);
  assertSession(login.body.data, phone);
  await assertUserTokenWorks(login.body.data.accessToken);
});

test('user RefreshToken via /api/DigitalIdentity/RefreshToken and /api/credentials/RefreshToken (RN SDK)', async () => {
  const phone = freshPhone();
  const send = await verifyPhone(phone);
  const { phoneNumberOtpRequestId: id, phoneNumberOtp: otp } = send.body.data;
  assertOk(await sdk('/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: phone, phoneNumberOtpRequestId: id, phoneNumberOtp: otp } }));
  const reg = await sdk('/api/DigitalIdentity/Register', { body: { phoneNumber: phone, password: 'Secret#123', phoneNumberOtpRequestId: id, phoneNumberOtp: otp, imei: 'rn-1' } });
  assertOk(reg);

  const r1 = await sdk('/api/DigitalIdentity/RefreshToken', { token: reg.body.data.accessToken, body: { refreshToken: reg.body.data.refreshToken } });
  assertOk(r1);
  const d1 = r1.body.data;
  for (const f of ['accessToken', 'encryptedAccessToken', 'expireInSeconds', 'refreshToken', 'newRefreshToken']) assert.ok(f in d1, `refresh output lacks ${f}`);
  assert.notEqual(d1.refreshToken, reg.body.data.refreshToken);
  assert.equal(d1.newRefreshToken, d1.refreshToken);
  assert.notEqual(d1.accessToken, reg.body.data.accessToken);
  await assertUserTokenWorks(d1.accessToken);

  // The RN SDK refreshes user tokens through /api/credentials/RefreshToken (spec §3.5, §12.7), with an expired/empty bearer.
  const r2 = await sdk('/api/credentials/RefreshToken', { body: { refreshToken: d1.refreshToken } });
  assertOk(r2);
  assert.notEqual(r2.body.data.refreshToken, d1.refreshToken);
  await assertUserTokenWorks(r2.body.data.accessToken);
  // The refreshed token is still a user token of this user.
  const claims = await s.ctx.tokens.verifyAccess(r2.body.data.accessToken);
  assert.equal(claims.typ, 'user');
  assert.equal(claims.sub, reg.body.data.user.id);

  // Missing refreshToken: 400 envelope.
  assertError(await sdk('/api/DigitalIdentity/RefreshToken', { body: {} }), 400);
});

test('empty "Authorization: Bearer " is accepted on ApiKey-only endpoints; a user endpoint still needs a token', async () => {
  for (const h of ['Bearer ', 'Bearer', 'Bearer null', '']) {
    const r = await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { headers: { Authorization: h, TenancyName: s.tenantName }, body: { phoneNumber: freshPhone() } });
    assertOk(r);
    assert.equal(r.body.data.exists, false);
  }
  const r = await sdk('/api/DigitalIdentity/CancelVerifiedDigitalIdentity', {});
  assertError(r, 401);
});

test('a production tenant never echoes phoneNumberOtp (registration and new-device login)', async () => {
  const t = { apiKey: prod.key, tenancyName: prod.name };
  const phone = freshPhone();
  const send = await verifyPhone(phone, t);
  assert.equal(send.body.data.phoneNumberOtp, null);
  assert.match(send.body.data.phoneNumberOtpRequestId, UUID_RE);
  assert.doesNotMatch(send.text, /"\d{6}"/, 'no 6-digit code anywhere in the response');
  const esend = await sdk('/api/DigitalIdentity/Register/StepVerifyEmail', { ...t, body: { email: 'p@example.com' } });
  assertOk(esend);
  assert.ok(esend.body.data.emailOtp == null, 'email OTP is not echoed either');

  // New-device login of a user of this tenant (created directly: the SMS code never reaches the test).
  const tenant = (await s.ctx.tenants.get(prod.id))!;
  await s.ctx.users.create(tenant, { phone, emailConfirmed: false, passwordHash: await hashPassword('Secret#123') });
  const login = await sdk('/api/DigitalIdentity/Login', { ...t, body: { phoneNumber: phone, password: 'Secret#123', imei: 'p-2' } });
  assertOk(login);
  assert.equal(login.body.data.isPhoneNumberConfirmationRequired, true);
  assert.equal(login.body.data.phoneNumberOtp, null);
  assert.equal(login.body.data.accessToken, null);
});
