/** GET /api/DigitalIdentity/GetCurrentUser (the benchmarked read) and the verified-token cache behind it. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { adminLogin, registerUser, startTestServer, type TestServer } from '../helpers/server.js';

describe('GetCurrentUser', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  test('returns the User object of the token’s user, and only to an end-user token', async () => {
    const u = await registerUser(s, '+201112223334');
    const r = await s.call('GET', '/api/DigitalIdentity/GetCurrentUser', { token: u.accessToken });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      data: { id: u.user.id, name: null, surname: null, fullName: null, userName: '+201112223334', emailAddress: null, phoneNumber: '+201112223334', idNumber: null, address: null },
      error_code: null, error_message: null, error_descriptions: null,
    });
    assert.equal((await s.call('GET', '/api/DigitalIdentity/GetCurrentUser')).status, 401);
    assert.equal((await s.call('GET', '/api/DigitalIdentity/GetCurrentUser', { token: u.accessToken, apiKey: 'hwk_wrong_key_0123456789' })).status, 401);
    const admin = await adminLogin(s);
    assert.equal((await s.call('GET', '/api/DigitalIdentity/GetCurrentUser', { token: admin.accessToken })).status, 403);

    const other = await s.ctx.tenants.create('other');
    const otherKey = (await s.ctx.tenants.createApiKey(other.id)).key;
    const cross = await s.call('GET', '/api/DigitalIdentity/GetCurrentUser', { token: u.accessToken, apiKey: otherKey });
    assert.equal(cross.status, 403);
    assert.equal(cross.body.data, null);
  });

  test('a token verified once is still refused after it expires', async () => {
    const u = await registerUser(s, '+201112223335');
    const now = Math.floor(Date.now() / 1000);
    const shortLived = await new SignJWT({ typ: 'user', tid: s.bootstrap!.tenantId })
      .setProtectedHeader({ alg: 'HS256' }).setSubject(String(u.user.id)).setIssuer('hawiya')
      .setIssuedAt(now).setExpirationTime(now + 2).sign(new Uint8Array(s.ctx.keyring.jwtKey()));
    const first = await s.call('GET', '/api/DigitalIdentity/GetCurrentUser', { token: shortLived });
    assert.equal(first.status, 200, first.text);
    await new Promise((r) => setTimeout(r, (now + 2) * 1000 - Date.now() + 50));
    const later = await s.call('GET', '/api/DigitalIdentity/GetCurrentUser', { token: shortLived });
    assert.equal(later.status, 401);
    assert.match(later.body.error_message, /expired/);
  });
});
