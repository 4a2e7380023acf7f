import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
before(async () => { s = await startTestServer(); });
after(async () => { await s.close(); });

test('success envelope carries explicit nulls and echoes X-Request-Id', async () => {
  const r = await s.call('GET', '/healthz', { headers: { 'X-Request-Id': 'abc-123' } });
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body).sort(), ['data', 'error_code', 'error_descriptions', 'error_message']);
  assert.equal(r.body.error_code, null);
  assert.equal(r.body.error_message, null);
  assert.equal(r.headers.get('x-request-id'), 'abc-123');
});

test('unknown route, malformed JSON and wrong content type get envelopes, never HTML or stacks', async () => {
  const nf = await s.call('GET', '/does/not/exist');
  assert.equal(nf.status, 404);
  assert.equal(nf.body.error_code, 404);

  const bad = await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { raw: '{"phoneNumber": ', headers: { 'Content-Type': 'application/json' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error_code, 400);
  assert.doesNotMatch(bad.text, /at .*\.ts:\d+/);

  const ct = await s.call('POST', '/api/DigitalIdentity/CheckExistenceOfEmailOrPhone', { raw: 'phoneNumber=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(ct.status, 415);
  assert.equal(ct.body.error_code, 415);
});

test('Accept_Language picks Arabic messages', async () => {
  const r = await s.call('GET', '/does/not/exist', { headers: { Accept_Language: 'ar' } });
  assert.match(r.body.error_message, /[\u0600-\u06FF]/);
});

test('readiness checks the database and blob store', async () => {
  const r = await s.call('GET', '/readyz');
  assert.equal(r.status, 200);
  assert.equal(r.body.data.checks.database, 'ok');
  assert.equal(r.body.data.checks.blobs, 'ok');
});
