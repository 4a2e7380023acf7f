/**
 * The whole Digital Identity flow over real HTTP with the real engines, as the Vlens SDKs drive it:
 * register → front → back → three selfie frames → Verified; then a replayed photo and someone else's face are
 * rejected, and an admin reads every stored image (audited).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startTestServer, registerUser, adminLogin, type TestServer } from '../helpers/server.js';
import { fixture, b64 } from '../helpers/cards.js';
import { synthReplay } from '../../src/face/synth-replay.js';

let s: TestServer;
/** The committed verification card pair (scripts/make-verify-fixtures.ts): portrait = the selfie fixtures' person. */
const labels = JSON.parse(fixture('cards/verify_labels.json').toString('utf8')) as { front: Record<string, string>; back: Record<string, string> };
const card = { front: fixture('cards/verify_front.jpg'), back: fixture('cards/verify_back.jpg'), labels };
const live = [1, 2, 3].map((i) => fixture(`faces/live_franck_${i}.jpg`));

before(async () => {
  s = await startTestServer({ engines: true });
  await s.ctx.engines.warm();
});
after(async () => { await s.close(); });

const sdkHeaders = (token: string) => ({ TenancyName: s.tenantName, Accept_Language: 'en', Accept: '*/*', 'X-Request-Id': crypto.randomUUID(), Authorization: `Bearer ${token}` });

async function scanBoth(token: string, tx: string) {
  const front = await s.call('POST', '/api/DigitalIdentity/verify/id/front', { headers: sdkHeaders(token), body: { transaction_id: tx, image: b64(card.front), getExtractedData: true } });
  const back = await s.call('POST', '/api/DigitalIdentity/verify/id/back', { headers: sdkHeaders(token), body: { transaction_id: tx, image: b64(card.back), getExtractedData: true } });
  return { front, back };
}

test('genuine capture: front, back and three live frames give a verified identity', async () => {
  const user = await registerUser(s, '+201000000101');
  const tx = crypto.randomUUID();
  const { front, back } = await scanBoth(user.accessToken, tx);
  assert.equal(front.status, 200, front.text);
  assert.equal(front.body.error_code, null, front.text);
  assert.deepEqual(front.body.services.Validations.validation_errors, [], JSON.stringify(front.body.services.Validations));
  assert.equal(front.body.data.idFrontData.transaction_id, tx);
  assert.equal(front.body.data.idFrontData.idNumber, card.labels.front.idNumber);
  assert.equal(front.body.services.classification.doc_type, 'national_id');
  assert.equal(back.body.error_code, null, back.text);
  assert.deepEqual(back.body.services.validations.validation_errors, [], JSON.stringify(back.body.services.validations));
  // The back call returns both sides (the iOS SDK needs idFrontData.idNumber and name after the back step).
  assert.equal(back.body.data.idFrontData.idNumber, card.labels.front.idNumber);
  assert.ok(back.body.data.idFrontData.name);
  assert.equal(back.body.data.idBackData.idNumber, card.labels.front.idNumber);
  assert.equal(back.body.data.isVerificationProcessCompleted, false);

  const liveness = await s.call('POST', '/api/DigitalIdentity/verify/liveness/multi', {
    headers: sdkHeaders(user.accessToken), body: { transaction_id: tx, face_1: b64(live[0]!), face_2: b64(live[1]!), face_3: b64(live[2]!) },
  });
  assert.equal(liveness.body.error_code, null, liveness.text);
  assert.deepEqual(liveness.body.services.Validations.validation_errors, [], JSON.stringify(liveness.body.services.Validations));
  assert.equal(liveness.body.services.liveness, true);
  assert.equal(liveness.body.data.isMatched, true);
  assert.equal(liveness.body.data.isVerificationProcessCompleted, true);
  assert.equal(liveness.body.data.isDigitalIdentityVerified, true);
  // The profile fills from the card once verified.
  assert.equal(liveness.body.data.user.idNumber, card.labels.front.idNumber);
  assert.equal(liveness.body.data.user.fullName, front.body.data.idFrontData.name);

  // An admin reads every stored image; each read is audited with the LogId.
  const admin = await adminLogin(s);
  const list = await s.call('GET', `/api/DigitalIdentity/GetUserDigitalIdentityImages?emailOrPhoneNumber=%2B201000000101`, { token: admin.accessToken });
  assert.equal(list.body.error_code, null, list.text);
  assert.equal(list.body.data.transactionId, tx);
  for (const k of ['idFrontImage', 'idBackImage', 'livenessImage', 'livenessFace01Image', 'livenessFace02Image', 'livenessFace03Image']) {
    const name = list.body.data[k];
    assert.ok(name, `${k} listed`);
    const img = await s.call('GET', `/api/DigitalIdentity/GetStepImage?TransactionId=${tx}&FileName=${name}&LogId=case-7`, { token: admin.accessToken });
    assert.equal(img.body.error_code, null, img.text);
    assert.ok(Buffer.from(img.body.data.image, 'base64').length > 1000);
  }
  const front1 = await s.call('GET', `/api/DigitalIdentity/GetStepImage?TransactionId=${tx}&FileName=${list.body.data.idFrontImage}`, { token: admin.accessToken });
  assert.ok(Buffer.from(front1.body.data.image, 'base64').equals(card.front), 'the stored front is the submitted image');
  const audits = await s.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'images.read').where('log_id', '=', 'case-7').execute();
  assert.equal(audits.length, 6);

  const txView = await s.call('GET', `/api/Transactions/GetTransactionById?id=${tx}`, { token: admin.accessToken });
  assert.equal(txView.body.data.transaction.isVerified, true);
  assert.equal(txView.body.data.transaction.idNumber, card.labels.front.idNumber);
});

test('a photo replayed in front of the camera is rejected', async () => {
  const user = await registerUser(s, '+201000000102');
  const tx = crypto.randomUUID();
  await scanBoth(user.accessToken, tx);
  const frames = await synthReplay(fixture('faces/franck_photo.jpg'), { medium: 'screen', seed: 99 });
  const r = await s.call('POST', '/api/DigitalIdentity/verify/liveness/multi', {
    headers: sdkHeaders(user.accessToken), body: { transaction_id: tx, face_1: b64(frames[0]!), face_2: b64(frames[1]!), face_3: b64(frames[2]!) },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.data.isDigitalIdentityVerified, false, r.text);
  assert.equal(r.body.services.liveness, false);
  assert.ok(r.body.services.Validations.validation_errors.length > 0);
});

test("someone else's live face does not match the card", async () => {
  const user = await registerUser(s, '+201000000103');
  const tx = crypto.randomUUID();
  await scanBoth(user.accessToken, tx);
  const other = ['other_person.jpg', 'other_person_2.jpg', 'other_person_3.jpg'].map((f) => b64(fixture(`faces/${f}`)));
  const r = await s.call('POST', '/api/DigitalIdentity/verify/liveness/multi', {
    headers: sdkHeaders(user.accessToken), body: { transaction_id: tx, face_1: other[0], face_2: other[1], face_3: other[2] },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.services.liveness, true, 'a live person');
  assert.equal(r.body.data.isMatched, false);
  assert.equal(r.body.data.isVerificationProcessCompleted, false);
  assert.equal(r.body.data.isDigitalIdentityVerified, false);
  assert.equal(r.body.services.Validations.validation_errors[0].errors[0].code, 6011);
});

test('liveness before both sides, a foreign transaction and a bad image are refused without changing stored data', async () => {
  const a = await registerUser(s, '+201000000104');
  const b = await registerUser(s, '+201000000105');
  const tx = crypto.randomUUID();
  const early = await s.call('POST', '/api/DigitalIdentity/verify/liveness/multi', { headers: sdkHeaders(a.accessToken), body: { transaction_id: tx, face_1: b64(live[0]!), face_2: b64(live[1]!), face_3: b64(live[2]!) } });
  assert.equal(early.body.error_code, 6010);

  const front = await s.call('POST', '/api/DigitalIdentity/verify/id/front', { headers: sdkHeaders(a.accessToken), body: { transaction_id: tx, image: b64(card.front), getExtractedData: true } });
  assert.equal(front.body.error_code, null, front.text);
  const before = await s.ctx.db.selectFrom('transaction_steps').selectAll().where('transaction_id', '=', tx).execute();

  const foreign = await s.call('POST', '/api/DigitalIdentity/verify/id/back', { headers: sdkHeaders(b.accessToken), body: { transaction_id: tx, image: b64(card.back) } });
  assert.equal(foreign.body.error_code, 5004);
  const corrupt = await s.call('POST', '/api/DigitalIdentity/verify/id/front', { headers: sdkHeaders(a.accessToken), body: { transaction_id: tx, image: 'not-base64!!' } });
  assert.equal(corrupt.status, 400);
  const pdf = await s.call('POST', '/api/DigitalIdentity/verify/id/front', { headers: sdkHeaders(a.accessToken), body: { transaction_id: tx, image: b64(Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n')) } });
  assert.equal(pdf.status, 415);
  const big = await s.call('POST', '/api/DigitalIdentity/verify/id/front', { headers: sdkHeaders(a.accessToken), body: { transaction_id: tx, image: b64(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5 * 1024 * 1024 + 10)])) } });
  assert.equal(big.body.error_code, 5002);
  const cat = await s.call('POST', '/api/DigitalIdentity/verify/id/front', { headers: sdkHeaders(a.accessToken), body: { transaction_id: tx, image: b64(live[0]!) } });
  assert.ok([3011, 5001].includes(cat.body.error_code), cat.text);

  const after = await s.ctx.db.selectFrom('transaction_steps').selectAll().where('transaction_id', '=', tx).execute();
  assert.deepEqual(after, before);
});

test('capture-first: ApiKey-only OCR, then the user links the transaction', async () => {
  const tx = crypto.randomUUID();
  const h = { TenancyName: s.tenantName, Authorization: 'Bearer ' };
  const f = await s.call('POST', '/v1/ocr/id/front', { headers: h, body: { transaction_id: tx, image: b64(card.front), client_transaction_id: 'ref-1' } });
  assert.equal(f.body.error_code, null, f.text);
  assert.equal(f.body.data.idNumber, card.labels.front.idNumber);
  assert.equal(f.body.data.client_transaction_id, 'ref-1');
  const bk = await s.call('POST', '/v1/ocr/id/back', { headers: h, body: { transaction_id: tx, image: b64(card.back) } });
  assert.equal(bk.body.error_code, null, bk.text);
  const lv = await s.call('POST', '/v1/ocr/liveness/multi', { headers: h, body: { transaction_id: tx, face_1: b64(live[0]!), face_2: b64(live[1]!), face_3: b64(live[2]!) } });
  assert.equal(lv.body.data.isVerificationProcessCompleted, true, lv.text);

  const user = await registerUser(s, '+201000000106');
  const link = await s.call('POST', '/api/DigitalIdentity/LinkUserWithExistingTransaction', { headers: sdkHeaders(user.accessToken), body: { transactionId: tx, getExtractedData: true } });
  assert.equal(link.body.error_code, null, link.text);
  assert.equal(link.body.data.isDigitalIdentityVerified, true);
  assert.equal(link.body.data.user.idNumber, card.labels.front.idNumber);
  // Another user can no longer take it.
  const thief = await registerUser(s, '+201000000107');
  const steal = await s.call('POST', '/api/DigitalIdentity/LinkUserWithExistingTransaction', { headers: sdkHeaders(thief.accessToken), body: { transactionId: tx } });
  assert.equal(steal.body.error_code, 5004);
});

test('OCR product: classification, face/match against a transaction portrait, face/compare', async () => {
  const h = { TenancyName: s.tenantName };
  const cls = await s.call('POST', '/v1/ocr/classification', { headers: h, body: { image: b64(card.back) } });
  assert.equal(cls.body.error_code, null, cls.text);
  assert.equal(cls.body.services.classification.doc_type, 'national_id');
  assert.equal(cls.body.data.side, 'back');
  const notCard = await s.call('POST', '/v1/ocr/classification', { headers: h, body: { image: b64(fixture('faces/other_person.jpg')) } });
  assert.notEqual(notCard.body.services?.classification?.doc_type, 'national_id', notCard.text);

  const tx = crypto.randomUUID();
  const f = await s.call('POST', '/v1/ocr/id/front', { headers: h, body: { transaction_id: tx, image: b64(card.front) } });
  assert.equal(f.body.error_code, null, f.text);
  const same = await s.call('POST', '/v1/ocr/face/match', { headers: h, body: { transaction_id: tx, image: b64(live[0]!) } });
  assert.equal(same.body.error_code, null, same.text);
  assert.equal(same.body.data.isMatched, true);
  const other = await s.call('POST', '/v1/ocr/face/match', { headers: h, body: { transaction_id: tx, image: b64(fixture('faces/other_person.jpg')) } });
  assert.equal(other.body.data.isMatched, false, other.text);
  assert.ok(other.body.data.similarity < same.body.data.similarity);
  const unknownTx = await s.call('POST', '/v1/ocr/face/match', { headers: h, body: { transaction_id: crypto.randomUUID(), image: b64(live[0]!) } });
  assert.equal(unknownTx.body.error_code, 5004);

  const cmpSame = await s.call('POST', '/v1/ocr/face/compare', { headers: h, body: { face_image1: b64(live[0]!), face_image2: b64(fixture('faces/franck_photo.jpg')) } });
  assert.equal(cmpSame.body.data.isMatched, true, cmpSame.text);
  const cmpOther = await s.call('POST', '/v1/ocr/face/compare', { headers: h, body: { face_image1: b64(live[0]!), face_image2: b64(fixture('faces/other_person.jpg')) } });
  assert.equal(cmpOther.body.data.isMatched, false, cmpOther.text);
});

test('authority checks: manual review leaves the identity pending until an admin approves; the HTTP adapter decides', async () => {
  const t = s.bootstrap!.tenantId;
  const flow = async (phone: string) => {
    const user = await registerUser(s, phone);
    const tx = crypto.randomUUID();
    await scanBoth(user.accessToken, tx);
    const r = await s.call('POST', '/api/DigitalIdentity/verify/liveness/multi', { headers: sdkHeaders(user.accessToken), body: { transaction_id: tx, face_1: b64(live[0]!), face_2: b64(live[1]!), face_3: b64(live[2]!) } });
    return { tx, r };
  };
  try {
    await s.ctx.tenants.update(t, { settings: { requireCso: true, authority: { mode: 'manual' } } });
    const manual = await flow('+201000000110');
    assert.equal(manual.r.body.data.isVerificationProcessCompleted, true, manual.r.text);
    assert.equal(manual.r.body.data.isDigitalIdentityVerified, false);
    assert.equal(manual.r.body.services.SRC.isValid, false);
    const admin = await adminLogin(s);
    const review = await s.call('POST', '/api/Transactions/ReviewAuthorityCheck', { token: admin.accessToken, body: { id: manual.tx, approve: true } });
    assert.equal(review.body.data.isDigitalIdentityVerified, true, review.text);

    // An operator's own CSO integration: this one answers "no match".
    const http = await import('node:http');
    const seen: any[] = [];
    const gw = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { seen.push(JSON.parse(body)); res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ cso: false, errorKey: 'cso_no_record' })); });
    });
    await new Promise<void>((ok) => gw.listen(0, '127.0.0.1', ok));
    const port = (gw.address() as { port: number }).port;
    await s.ctx.tenants.update(t, { settings: { authority: { mode: 'http', url: `http://127.0.0.1:${port}/check` } } });
    const rejected = await flow('+201000000111');
    gw.close();
    assert.equal(rejected.r.body.data.isVerificationProcessCompleted, true, rejected.r.text);
    assert.equal(rejected.r.body.data.isDigitalIdentityVerified, false);
    assert.equal(rejected.r.body.services.SRC.errorKey, 'cso_no_record');
    assert.equal(seen[0].idNumber, card.labels.front.idNumber);
    assert.deepEqual(seen[0].checks, ['CSO']);
  } finally {
    await s.ctx.tenants.update(t, { settings: { requireCso: false, authority: { mode: 'disabled' } } });
  }
});
