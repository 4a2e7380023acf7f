/**
 * Bad input: SQL-injection strings in every field of the registration/login bodies, oversized strings,
 * malformed JSON, wrong content types, a 10 MB body on a small endpoint, prototype-pollution keys.
 * Each gets a clean envelope (never a stack trace or HTML) and leaves stored data and tables intact.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startTestServer, registerUser, type TestServer, type CallResult } from '../helpers/server.js';
import { assertError, assertNoLeak, assertOk, assertUnchanged, freshPhone, snapshot, DATA_TABLES } from '../helpers/attack.js';

let s: TestServer;
let registeredPhone: string;
before(async () => {
  s = await startTestServer();
  registeredPhone = freshPhone();
  await registerUser(s, registeredPhone, 'Secret#123', 'dev-1');
});
after(async () => { await s?.close(); });

const INJECTIONS = [`' OR 1=1 --`, `"; DROP TABLE users; --`, `1; DELETE FROM api_keys WHERE '1'='1`, `admin'/*`];
const UUID0 = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

/** Endpoint → a valid-looking base body and the fields to poison (dotted paths for nested). */
const TARGETS: { path: string; headers?: Record<string, string>; body: () => Record<string, unknown>; fields: string[] }[] = [
  { path: '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', body: () => ({ phoneNumber: registeredPhone, email: 'a@example.com' }), fields: ['phoneNumber', 'email'] },
  { path: '/api/DigitalIdentity/Register/StepVerifyPhone', body: () => ({ phoneNumber: freshPhone(), phoneNumberOtpRequestId: UUID0, phoneNumberOtp: '123456', transactionId: null }), fields: ['phoneNumber', 'phoneNumberOtpRequestId', 'phoneNumberOtp', 'transactionId'] },
  { path: '/api/DigitalIdentity/Register/StepVerifyEmail', body: () => ({ email: 'x@example.com', emailOtpRequestId: UUID0, emailOtp: '123456' }), fields: ['email', 'emailOtpRequestId', 'emailOtp', 'transactionId'] },
  {
    path: '/api/DigitalIdentity/Register',
    body: () => ({ phoneNumber: freshPhone(), email: 'r@example.com', password: 'Secret#123', phoneNumberOtp: '123456', phoneNumberOtpRequestId: UUID0, emailOtpRequestId: UUID0, oAuthTokenVerificationRequestId: null, imei: 'd', imsi: 'i', geoLocation: { latitude: 30, longitude: 31 }, transactionId: null }),
    fields: ['phoneNumber', 'email', 'password', 'phoneNumberOtp', 'phoneNumberOtpRequestId', 'emailOtpRequestId', 'oAuthTokenVerificationRequestId', 'imei', 'imsi', 'geoLocation.latitude', 'geoLocation.longitude', 'transactionId'],
  },
  {
    path: '/api/DigitalIdentity/Login',
    body: () => ({ phoneNumber: registeredPhone, password: 'Wrong#Pass', imei: 'dev-1', imsi: null, geoLocation: { latitude: 30, longitude: 31 }, phoneNumberOtpRequestId: null, phoneNumberOtp: null }),
    fields: ['phoneNumber', 'password', 'imei', 'imsi', 'geoLocation.latitude', 'phoneNumberOtpRequestId', 'phoneNumberOtp'],
  },
  {
    path: '/api/credentials/Login', headers: { TenancyName: 'acme' },
    body: () => ({ tenancyName: 'acme', userNameOrEmailAddress: 'nobody-here', password: 'wrong-password' }),
    fields: ['tenancyName', 'userNameOrEmailAddress', 'password'],
  },
  { path: '/api/credentials/RefreshToken', body: () => ({ refreshToken: 'x' }), fields: ['refreshToken'] },
];

function setPath(o: Record<string, any>, path: string, v: unknown) {
  const parts = path.split('.');
  let cur = o;
  for (const p of parts.slice(0, -1)) cur = cur[p] ??= {};
  cur[parts.at(-1)!] = v;
}

/** The tables still exist and the api key / admin rows are untouched. */
async function assertTablesIntact() {
  for (const t of DATA_TABLES) await (s.ctx.db as any).selectFrom(t).select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  assertOk(await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { body: { phoneNumber: registeredPhone } }));
}

/** A refused or harmless answer: a clean envelope with a client-side error, never 5xx. */
function assertCleanRefusal(r: CallResult, what: string) {
  assertNoLeak(r);
  assert.ok(r.status < 500, `${what}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
  assert.notEqual(r.body.error_code, null, `${what}: accepted (${r.text.slice(0, 200)})`);
  assert.equal(r.body.data, null);
  assert.ok([400, 401, 6001, 6002, 6003, 6004, 6005].includes(r.body.error_code), `${what}: error_code ${r.body.error_code}`);
}

test('SQL-injection strings in every field of registration / login bodies: clean errors, nothing stored, tables intact', async () => {
  const before = await snapshot(s);
  for (const target of TARGETS) {
    // Every field gets the two classic strings and one of the others. (Password hashing stays bounded: the
    // target accounts lock after 5 failures, and a locked account is refused before any hashing.)
    for (const [i, field] of target.fields.entries()) {
      for (const inj of [INJECTIONS[0]!, INJECTIONS[1]!, INJECTIONS[2 + (i % 2)]!]) {
        const body = target.body();
        setPath(body, field, inj);
        const r = await s.call('POST', target.path, { body, headers: target.headers });
        assertCleanRefusal(r, `${target.path} ${field}=${inj}`);
      }
    }
  }
  // Login attempts leave failure counters (users.failed_logins) and audit rows; nothing else may change.
  const after = await snapshot(s);
  assertUnchanged(before, after, ['users', 'audit_log', 'otp_requests']);
  assert.equal(after.users!.length, before.users!.length);
  assert.equal(after.otp_requests!.length, before.otp_requests!.length, 'no OTP request created');
  await assertTablesIntact();
});

test('SQL-injection strings in the headers (ApiKey, TenancyName, X-Request-Id, Accept_Language): clean errors', async () => {
  const before = await snapshot(s);
  for (const inj of INJECTIONS) {
    assertError(await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { apiKey: inj, body: { phoneNumber: registeredPhone } }), 401);
    const tn = await s.call('POST', '/api/credentials/Login', { headers: { TenancyName: inj }, body: { tenancyName: inj, userNameOrEmailAddress: 'admin', password: 'x-wrong-pw' } });
    assertCleanRefusal(tn, `TenancyName ${inj}`);
    const rid = await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { headers: { 'X-Request-Id': inj, Accept_Language: inj }, body: { phoneNumber: registeredPhone } });
    assertOk(rid);
    assert.notEqual(rid.headers.get('x-request-id'), inj, 'an unsafe X-Request-Id is replaced, not echoed');
  }
  assertUnchanged(before, await snapshot(s), ['audit_log']);
  await assertTablesIntact();
});

test('injection strings that are valid data (a password) are stored as data: the account works with exactly that password', async () => {
  const phone = freshPhone();
  const pw = `"; DROP TABLE users; --`;
  await registerUser(s, phone, pw, 'inj-device');
  assertOk(await s.call('POST', '/api/DigitalIdentity/Login', { body: { phoneNumber: phone, password: pw, imei: 'inj-device' } }));
  assertError(await s.call('POST', '/api/DigitalIdentity/Login', { body: { phoneNumber: phone, password: `' OR 1=1 --`, imei: 'inj-device' } }), 401);
  await assertTablesIntact();
});

test('oversized strings → 400 with error_descriptions naming the field; nothing stored', async () => {
  const before = await snapshot(s);
  const huge = '1'.repeat(10_000);
  const r1 = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: huge } });
  assertError(r1, 400);
  assert.ok(Array.isArray(r1.body.error_descriptions) && r1.body.error_descriptions.length > 0, r1.text.slice(0, 300));
  assert.equal(r1.body.error_descriptions[0].field, 'phoneNumber');

  const tn = 'T'.repeat(300);
  const r2 = await s.call('POST', '/api/credentials/Login', { headers: { TenancyName: tn }, body: { tenancyName: tn, userNameOrEmailAddress: 'admin', password: s.adminPassword } });
  assertError(r2, 400);
  assert.equal(r2.body.error_descriptions?.[0]?.field, 'tenancyName');

  // Every string field of every target, 10 000 characters.
  for (const target of TARGETS) {
    for (const field of target.fields) {
      const body = target.body();
      setPath(body, field, 'A'.repeat(10_000));
      const r = await s.call('POST', target.path, { body, headers: target.headers });
      assertError(r, 400, 400);
      assert.ok(Array.isArray(r.body.error_descriptions) && r.body.error_descriptions.length > 0, `${target.path} ${field}: no error_descriptions`);
      assert.equal(r.body.error_descriptions[0].field, field, `${target.path} ${field}: ${JSON.stringify(r.body.error_descriptions)}`);
      assert.equal(typeof r.body.error_descriptions[0].message, 'string');
    }
  }
  // Oversized headers: ApiKey and TenancyName.
  assertError(await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { apiKey: 'k'.repeat(10_000), body: { phoneNumber: registeredPhone } }), 401);
  assertUnchanged(before, await snapshot(s));
});

test('wrong types and missing fields → 400 with error_descriptions', async () => {
  const before = await snapshot(s);
  for (const body of [{}, { phoneNumber: null }, { phoneNumber: { $ne: 1 } }, { phoneNumber: ['+201000000000'] }, { phoneNumber: registeredPhone, password: { length: 9 } }]) {
    const r = await s.call('POST', '/api/DigitalIdentity/Login', { body });
    assertError(r, 400);
    assert.ok(Array.isArray(r.body.error_descriptions), JSON.stringify(body) + ' ' + r.text);
  }
  assertError(await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { body: {} }), 400);
  assertError(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { body: { phoneNumber: 'not a phone' } }), 400);
  assertError(await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyEmail', { body: { email: 'not-an-email' } }), 400);
  assertUnchanged(before, await snapshot(s));
});

test('malformed JSON → 400 envelope on every endpoint, nothing stored', async () => {
  const before = await snapshot(s);
  const bodies = ['{"phoneNumber": ', "{'phoneNumber': '+201000000000'}", '{"a":1}}', '[1,2', 'undefined', '\u0000', '{"phoneNumber":"\\u12"}', 'nul'];
  for (const target of TARGETS) {
    for (const raw of bodies) {
      const r = await s.call('POST', target.path, { raw, headers: { 'Content-Type': 'application/json', ...(target.headers ?? {}) } });
      assertError(r, 400, 400);
    }
  }
  // Valid JSON of the wrong shape.
  for (const raw of ['null', '[]', '"text"', '42', 'true']) {
    const r = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { raw, headers: { 'Content-Type': 'application/json' } });
    assertError(r, 400, 400);
  }
  assertUnchanged(before, await snapshot(s));
});

test('deeply nested JSON is refused cleanly', async () => {
  const raw = '{"phoneNumber":"+201000000000","geoLocation":' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) + '}';
  const r = await s.call('POST', '/api/DigitalIdentity/Login', { raw, headers: { 'Content-Type': 'application/json' } });
  assertNoLeak(r);
  assert.ok(r.status < 500, r.text.slice(0, 200));
});

test('wrong content type → 415 envelope, nothing stored', async () => {
  const before = await snapshot(s);
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/html']) {
    const r = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { raw: JSON.stringify({ phoneNumber: freshPhone() }), headers: { 'Content-Type': ct } });
    assertError(r, 415, 415);
  }
  // A body with no content type at all is not parsed as JSON either.
  const noCt = await rawRequest('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', JSON.stringify({ phoneNumber: freshPhone() }), { ApiKey: s.apiKey });
  assert.ok([400, 415].includes(noCt.status), `no content type: ${noCt.status}`);
  assertUnchanged(before, await snapshot(s));
});

function rawRequest(method: string, path: string, body: string | Buffer | undefined, headers: Record<string, string | number>): Promise<CallResult> {
  const u = new URL(s.url + path);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: any;
        try { parsed = JSON.parse(text); } catch { parsed = undefined; }
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode!, headers: h, body: parsed, text });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body); else req.end();
  });
}

test('a 10 MB body on a small endpoint → 413 with the envelope, nothing stored', async () => {
  const before = await snapshot(s);
  const big = JSON.stringify({ phoneNumber: '+201000000000', pad: 'x'.repeat(10 * 1024 * 1024) });
  let r: CallResult;
  try {
    r = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { raw: big, headers: { 'Content-Type': 'application/json' } });
  } catch {
    // The server may answer before reading the whole body; read the answer with a plain HTTP client instead.
    r = await rawRequest('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', big, { ApiKey: s.apiKey, 'Content-Type': 'application/json' });
  }
  assertError(r, 413, 413);
  // Chunked (no Content-Length): the limit holds while streaming too.
  const chunked = await new Promise<CallResult>((resolve, reject) => {
    const u = new URL(s.url + '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone');
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { ApiKey: s.apiKey, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode!, headers: h, body: JSON.parse(text), text });
      });
    });
    req.on('error', reject);
    const chunk = 'x'.repeat(64 * 1024);
    req.write('{"phoneNumber":"+201000000000","pad":"');
    let i = 0;
    const pump = () => {
      while (i < 160) {
        i++;
        if (!req.write(chunk)) { req.once('drain', pump); return; }
      }
      req.end('"}');
    };
    req.on('response', () => { i = 160; });
    pump();
  });
  assertError(chunked, 413, 413);
  assertUnchanged(before, await snapshot(s));
});

test('prototype-pollution keys are refused (400) and smuggle nothing past validation', async () => {
  // A fresh, unlocked account: a smuggled login must fail because of the __proto__ key, not a lockout.
  const phone = freshPhone();
  await registerUser(s, phone, 'Proto#Pass1', 'proto-dev');
  const before = await snapshot(s);
  const bodies = [
    '{"phoneNumber":"' + freshPhone() + '","__proto__":{"polluted":true,"isAdmin":true}}',
    '{"__proto__":{"phoneNumber":"' + phone + '","password":"Proto#Pass1","imei":"proto-dev"}}',
    '{"phoneNumber":"' + phone + '","__proto__":{"password":"Proto#Pass1","imei":"proto-dev"}}',
    '{"phoneNumber":"' + phone + '","\\u005f_proto__":{"password":"Proto#Pass1","imei":"proto-dev"}}',
    '{"phoneNumber":"' + phone + '","geoLocation":{"__proto__":{"latitude":1}},"password":"Proto#Pass1","imei":"proto-dev"}',
    '[{"__proto__":{"x":1}}]',
  ];
  for (const raw of bodies) {
    for (const path of ['/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', '/api/DigitalIdentity/Login']) {
      const r = await s.call('POST', path, { raw, headers: { 'Content-Type': 'application/json' } });
      assertError(r, 400, 400);
    }
  }
  assert.equal(({} as any).polluted, undefined, 'Object.prototype was polluted');
  assert.equal(({} as any).isAdmin, undefined);
  // constructor.prototype is plain data: harmless, the global prototype is untouched.
  const c = await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { raw: '{"phoneNumber":"' + phone + '","constructor":{"prototype":{"polluted2":true}}}', headers: { 'Content-Type': 'application/json' } });
  assertNoLeak(c);
  assert.ok(c.status < 500);
  assert.equal(({} as any).polluted2, undefined);
  assertUnchanged(before, await snapshot(s));
  // The same login without the smuggling works.
  assertOk(await s.call('POST', '/api/DigitalIdentity/Login', { body: { phoneNumber: phone, password: 'Proto#Pass1', imei: 'proto-dev' } }));
});

test('unknown routes and methods: envelope, never HTML; responses never carry stack traces', async () => {
  for (const [m, p] of [['GET', '/api/DigitalIdentity/Login'], ['DELETE', '/api/credentials/Login'], ['GET', '/../../etc/passwd'], ['GET', '/api/%E0%A4%A'], ['POST', '/api/DigitalIdentity/Nope']] as const) {
    const r = await s.call(m, p);
    assertNoLeak(r);
    assert.ok(r.status >= 400 && r.status < 500, `${m} ${p}: ${r.status}`);
    assert.notEqual(r.body.error_code, null);
  }
});

test('requests the HTTP parser rejects (oversized headers, garbage request line) still get the envelope', async () => {
  const big = await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { headers: { 'X-Padding': 'x'.repeat(20_000) }, body: { phoneNumber: registeredPhone } });
  assertError(big, 431, 431);
  const u = new URL(s.url);
  const raw = await new Promise<string>((resolve, reject) => {
    const c = net.connect(Number(u.port), u.hostname, () => c.write('GARBAGE /x HTTP/1.1\r\nHost: x\r\n\r\n'));
    let d = '';
    c.on('data', (x) => { d += x; });
    c.on('close', () => resolve(d));
    c.on('error', reject);
    setTimeout(() => c.destroy(), 2000);
  });
  assert.match(raw, /^HTTP\/1\.1 400 /);
  const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
  assert.deepEqual(Object.keys(body).sort(), ['data', 'error_code', 'error_descriptions', 'error_message']);
  assert.equal(body.error_code, 400);
  assert.equal(body.data, null);
});
