/** Encryption at rest: the master key file, per-tenant data keys, sealed fields and blobs, tamper detection. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../src/server/start.js';
import type { Config } from '../../src/config.js';
import { TamperError } from '../../src/crypto/keys.js';
import { createTestDatabase, registerUser, startTestServer } from '../helpers/server.js';

const IMAGE = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('NATIONAL-ID-PORTRAIT-'.repeat(300))]);
const PHONE = '+201001234567';

describe('encryption at rest', () => {
  test('without HAWIYA_MASTER_KEY the key file is created 0600 on first start and reused on restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawiya-key-'));
    const db = await createTestDatabase();
    const keyFile = path.join(dataDir, 'secrets', 'master.key');
    const config: Partial<Config> = {
      port: 0, host: '127.0.0.1', dataDir, databaseUrl: db.url, blobUrl: `file:${path.join(dataDir, 'blobs')}`,
      masterKey: undefined, masterKeyFile: keyFile, logLevel: 'silent', engines: false,
      bootstrap: { tenant: 'acme', apiKey: `hwk_test_${crypto.randomBytes(12).toString('hex')}`, adminUser: 'admin', adminPassword: 'initial-pw-1' },
    };
    try {
      const first = await startServer(config);
      const tenantId = first.bootstrap!.tenantId;
      try {
        assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
        const tenant = (await first.ctx.tenants.get(tenantId))!;
        await first.ctx.users.create(tenant, { phone: PHONE, emailConfirmed: false, passwordHash: null });
        await first.ctx.blobs.put(tenant.keys, 'restart/front.jpg', IMAGE);
      } finally {
        await first.close();
      }
      const keyText = fs.readFileSync(keyFile, 'utf8');
      assert.match(keyText, /^[0-9a-f]{64}\n$/);

      const second = await startServer(config);
      try {
        assert.equal(second.bootstrap, undefined, 'a non-empty store is not bootstrapped again');
        assert.equal(fs.readFileSync(keyFile, 'utf8'), keyText, 'the key file is reused, not replaced');
        const tenant = (await second.ctx.tenants.get(tenantId))!;
        const user = (await second.ctx.users.findByPhone(tenant, PHONE))!;
        assert.equal(second.ctx.users.toDto(tenant, user).phoneNumber, PHONE);
        assert.deepEqual(await second.ctx.blobs.get(tenant.keys, 'restart/front.jpg'), IMAGE);
      } finally {
        await second.close();
      }

      // Another master key cannot unwrap the tenant's data key: requests fail closed with the integrity error.
      const wrong = await startServer({ ...config, masterKey: crypto.randomBytes(32).toString('hex') });
      try {
        await assert.rejects(wrong.ctx.tenants.get(tenantId), TamperError);
        const res = await fetch(`${wrong.url}/api/DigitalIdentity/GetCurrentUser`, { headers: { ApiKey: config.bootstrap!.apiKey! } });
        const body = await res.json() as { data: unknown; error_code: number; error_message: string };
        assert.equal(res.status, 500);
        assert.equal(body.data, null);
        assert.match(body.error_message, /integrity/);
      } finally {
        await wrong.close();
      }
    } finally {
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('tenants have distinct data keys; a sealed field moved to another tenant, row purpose or altered fails closed', async () => {
    const s = await startTestServer();
    try {
      const acme = (await s.ctx.tenants.get(s.bootstrap!.tenantId))!;
      const beta = await s.ctx.tenants.create('beta');
      await s.ctx.tenants.update(beta.id, { settings: { rateLimit: { perSecond: 0, perMinute: 0 } } });
      const deks = await s.ctx.db.selectFrom('tenants').select(['id', 'wrapped_dek']).execute();
      assert.equal(new Set(deks.map((d) => d.wrapped_dek)).size, deks.length);

      const sealed = acme.keys.encryptText(PHONE, 'user.phone');
      assert.equal(acme.keys.decryptText(sealed, 'user.phone'), PHONE);
      assert.throws(() => beta.keys.decryptText(sealed, 'user.phone'), TamperError);
      assert.throws(() => acme.keys.decryptText(sealed, 'user.email'), TamperError);
      assert.notEqual(acme.keys.lookup(`phone:${PHONE}`), beta.keys.lookup(`phone:${PHONE}`));

      const betaKey = (await s.ctx.tenants.createApiKey(beta.id, 'test')).key;
      const a = await registerUser(s, PHONE);
      const b = await registerUser(s, '+201009999999', 'Secret#123', 'device-2', betaKey);

      // No column of the stored row holds the phone number in clear.
      const rowA = (await s.ctx.db.selectFrom('users').selectAll().where('id', '=', a.user.id).executeTakeFirstOrThrow());
      assert.ok(!JSON.stringify(rowA).includes('1001234567'));

      const me = (token: string, apiKey?: string) => s.call('GET', '/api/DigitalIdentity/GetCurrentUser', { token, apiKey });
      assert.equal((await me(a.accessToken)).body.data.phoneNumber, PHONE);
      const rowB = (await s.ctx.db.selectFrom('users').selectAll().where('id', '=', b.user.id).executeTakeFirstOrThrow());

      const expectIntegrityError = async (token: string, apiKey?: string) => {
        const r = await me(token, apiKey);
        assert.equal(r.status, 500, r.text);
        assert.equal(r.body.data, null);
        assert.match(r.body.error_message, /integrity/);
        assert.ok(!r.text.includes('1001234567') && !r.text.includes('1009999999'));
      };
      // Tenant A's sealed phone copied into tenant B's row.
      await s.ctx.db.updateTable('users').set({ phone_enc: rowA.phone_enc }).where('id', '=', b.user.id).execute();
      await expectIntegrityError(b.accessToken, betaKey);
      // B's own phone ciphertext moved into its email field (another purpose).
      await s.ctx.db.updateTable('users').set({ phone_enc: rowB.phone_enc, email_enc: rowB.phone_enc }).where('id', '=', b.user.id).execute();
      await expectIntegrityError(b.accessToken, betaKey);
      // One altered character of A's sealed phone.
      const flipped = rowA.phone_enc.slice(0, 20) + (rowA.phone_enc[20] === 'A' ? 'B' : 'A') + rowA.phone_enc.slice(21);
      await s.ctx.db.updateTable('users').set({ phone_enc: flipped }).where('id', '=', a.user.id).execute();
      await expectIntegrityError(a.accessToken);
      // Restored, the same row reads again.
      await s.ctx.db.updateTable('users').set({ phone_enc: rowA.phone_enc }).where('id', '=', a.user.id).execute();
      assert.equal((await me(a.accessToken)).body.data.phoneNumber, PHONE);
    } finally {
      await s.close();
    }
  });

  test('a local blob file holds ciphertext only, and tampering with it is detected', async () => {
    const s = await startTestServer();
    try {
      const keys = (await s.ctx.tenants.get(s.bootstrap!.tenantId))!.keys;
      const key = `t${keys.tenantId}/0b6f1c7e/front.jpg`;
      await s.ctx.blobs.put(keys, key, IMAGE);
      const file = path.join(s.dataDir, 'blobs', ...key.split('/'));
      const stored = fs.readFileSync(file);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.equal(stored.indexOf(Buffer.from('NATIONAL-ID-PORTRAIT')), -1);
      assert.equal(stored.indexOf(IMAGE.subarray(0, 4)), -1);
      assert.deepEqual(await s.ctx.blobs.get(keys, key), IMAGE);

      const tampered = Buffer.from(stored);
      tampered[100]! ^= 0x80;
      fs.writeFileSync(file, tampered);
      await assert.rejects(s.ctx.blobs.get(keys, key), TamperError);
      fs.writeFileSync(file, stored.subarray(0, 20)); // truncated
      await assert.rejects(s.ctx.blobs.get(keys, key), TamperError);
      fs.writeFileSync(file, stored);
      assert.deepEqual(await s.ctx.blobs.get(keys, key), IMAGE);
      assert.equal(await s.ctx.blobs.get(keys, `t${keys.tenantId}/0b6f1c7e/missing.jpg`), undefined);
    } finally {
      await s.close();
    }
  });
});
