/** The S3 blob backend against a real S3-compatible server (s3rver) that checks SigV4 signatures. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { S3BlobBackend, S3Error, signV4 } from '../../src/storage/blobs/s3.js';
import { EncryptedBlobs } from '../../src/storage/blobs/store.js';
import { KeyRing, TamperError } from '../../src/crypto/keys.js';
import { startS3Server, type TestS3 } from '../helpers/s3.js';
import { startTestServer } from '../helpers/server.js';

// A recognisable "image": a JPEG header followed by a repeated marker the ciphertext must not contain.
const IMAGE = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('EGYPTIAN-ID-FRONT-'.repeat(200))]);

function tenantKeys(id: number) {
  const ring = new KeyRing(crypto.randomBytes(32));
  return ring.tenant(id, ring.newWrappedDataKey(id));
}

describe('S3 blob backend', () => {
  let s3: TestS3;
  before(async () => { s3 = await startS3Server(['hawiya', 'other']); });
  after(async () => { await s3.close(); });

  test('put, get, delete round trip; a missing object is undefined', async () => {
    const b = S3BlobBackend.fromUrl(s3.blobUrl('hawiya'));
    await b.check();
    const bytes = crypto.randomBytes(70_000);
    await b.put('t1/tx/front.jpg', bytes);
    assert.deepEqual(await b.get('t1/tx/front.jpg'), bytes);
    await b.put('t1/tx/front.jpg', IMAGE); // overwrite
    assert.deepEqual(await b.get('t1/tx/front.jpg'), IMAGE);
    assert.equal(await b.get('t1/tx/missing.jpg'), undefined);
    await b.delete('t1/tx/front.jpg');
    assert.equal(await b.get('t1/tx/front.jpg'), undefined);
    await b.delete('t1/tx/front.jpg'); // deleting twice is fine
  });

  test('a key prefix in the URL path keeps objects apart', async () => {
    const a = S3BlobBackend.fromUrl(s3.blobUrl('other').replace('s3://other', 's3://other/env-a'));
    const b = S3BlobBackend.fromUrl(s3.blobUrl('other').replace('s3://other', 's3://other/env-b/'));
    await a.put('k/1', Buffer.from('A'));
    await b.put('k/1', Buffer.from('B'));
    assert.equal((await a.get('k/1'))?.toString(), 'A');
    assert.equal((await b.get('k/1'))?.toString(), 'B');
    const root = S3BlobBackend.fromUrl(s3.blobUrl('other'));
    assert.equal((await root.get('env-a/k/1'))?.toString(), 'A');
  });

  test('the signer reproduces the SigV4 examples of the Amazon S3 documentation', () => {
    // s3rver does not verify V4 signatures, so the signer is checked against AWS's published vectors.
    const creds = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' };
    const empty = crypto.createHash('sha256').update('').digest('hex');
    const date = new Date('2013-05-24T00:00:00Z');
    const get = { host: 'examplebucket.s3.amazonaws.com', Range: 'bytes=0-9', 'x-amz-content-sha256': empty } as Record<string, string>;
    signV4({ method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'), headers: get, payloadHash: empty, date }, creds);
    assert.equal(get.authorization, 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,'
      + 'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    const list = { host: 'examplebucket.s3.amazonaws.com', 'x-amz-content-sha256': empty } as Record<string, string>;
    signV4({ method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J'), headers: list, payloadHash: empty, date }, creds);
    assert.match(list.authorization!, /Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7$/);
    const body = 'Welcome to Amazon S3.';
    const hash = crypto.createHash('sha256').update(body).digest('hex');
    const put = { host: 'examplebucket.s3.amazonaws.com', date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY', 'x-amz-content-sha256': hash } as Record<string, string>;
    signV4({ method: 'PUT', url: new URL('https://examplebucket.s3.amazonaws.com/test%24file.text'), headers: put, payloadHash: hash, date }, creds);
    assert.match(put.authorization!, /SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd$/);
  });

  test('an unknown access key is refused by the server with its S3 error code', async () => {
    const bad = S3BlobBackend.fromUrl(s3.blobUrl('hawiya', { accessKeyId: 'NOT-A-KEY' }));
    await assert.rejects(bad.put('x', Buffer.from('x')), (e: unknown) => e instanceof S3Error && e.status === 403 && e.code === 'InvalidAccessKeyId');
    await assert.rejects(bad.get('x'), (e: unknown) => e instanceof S3Error && e.status === 403);
  });

  test('check fails for a bucket that does not exist', async () => {
    await assert.rejects(S3BlobBackend.fromUrl(s3.blobUrl('no-such-bucket')).check(), (e: unknown) => e instanceof S3Error && e.status === 404);
  });

  test('credentials and region come from AWS_* when not in the URL; none at all is an error', async () => {
    const url = `s3://hawiya?endpoint=${encodeURIComponent(s3.endpoint)}`;
    const b = S3BlobBackend.fromUrl(url, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'eu-central-1' });
    await b.put('env/creds', Buffer.from('ok'));
    assert.equal((await b.get('env/creds'))?.toString(), 'ok');
    assert.throws(() => S3BlobBackend.fromUrl(url, {}), /credentials/);
    assert.throws(() => S3BlobBackend.fromUrl('file:/tmp/x', {}), /s3:\/\//);
  });

  test('through EncryptedBlobs the bucket holds ciphertext, and tampering is detected', async () => {
    const raw = S3BlobBackend.fromUrl(s3.blobUrl('hawiya'));
    const blobs = new EncryptedBlobs(raw);
    const keys = tenantKeys(7);
    await blobs.put(keys, 't7/tx1/front.jpg', IMAGE);
    assert.deepEqual(await blobs.get(keys, 't7/tx1/front.jpg'), IMAGE);

    const stored = (await raw.get('t7/tx1/front.jpg'))!;
    assert.ok(stored.length >= IMAGE.length);
    assert.equal(stored.indexOf(IMAGE.subarray(0, 4)), -1, 'JPEG magic must not appear in the bucket');
    assert.equal(stored.indexOf(Buffer.from('EGYPTIAN-ID-FRONT')), -1, 'image bytes must not appear in the bucket');

    const tampered = Buffer.from(stored);
    tampered[tampered.length - 10]! ^= 0x01;
    await raw.put('t7/tx1/front.jpg', tampered);
    await assert.rejects(blobs.get(keys, 't7/tx1/front.jpg'), TamperError);

    // An intact ciphertext copied under another key, or read with another tenant's key, fails too.
    await raw.put('t7/tx1/back.jpg', stored);
    await assert.rejects(blobs.get(keys, 't7/tx1/back.jpg'), TamperError);
    await raw.put('t7/tx1/front.jpg', stored);
    await assert.rejects(blobs.get(tenantKeys(8), 't7/tx1/front.jpg'), TamperError);
    assert.deepEqual(await blobs.get(keys, 't7/tx1/front.jpg'), IMAGE);
  });

  test('a server started with HAWIYA_BLOB_URL=s3://… is ready; with a missing bucket it is not', async () => {
    const s = await startTestServer({ blobUrl: s3.blobUrl('hawiya') });
    try {
      const r = await s.call('GET', '/readyz', { apiKey: null });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.data.checks, { database: 'ok', blobs: 'ok' });
      const keys = (await s.ctx.tenants.get(s.bootstrap!.tenantId))!.keys;
      await s.ctx.blobs.put(keys, 'server/check.bin', IMAGE);
      assert.equal((await S3BlobBackend.fromUrl(s3.blobUrl('hawiya')).get('server/check.bin'))!.indexOf(Buffer.from('EGYPTIAN-ID-FRONT')), -1);
    } finally {
      await s.close();
    }
    const missing = await startTestServer({ blobUrl: s3.blobUrl('absent-bucket') });
    try {
      const r = await missing.call('GET', '/readyz', { apiKey: null });
      assert.equal(r.status, 503);
      assert.equal(r.body.error_descriptions.blobs, 'failed');
    } finally {
      await missing.close();
    }
  });
});
