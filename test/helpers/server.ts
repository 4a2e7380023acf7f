/**
 * Starts a real Hawiya server for a test file: real HTTP on a random port, a fresh SQLite file or a fresh
 * PostgreSQL database (HAWIYA_TEST_DB=postgres), a temporary data directory and a bootstrap tenant.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { startServer, type RunningServer } from '../../src/server/start.js';
import type { Config } from '../../src/config.js';

export const PG_ADMIN_URL = process.env.HAWIYA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const testDb = (): 'sqlite' | 'postgres' => (process.env.HAWIYA_TEST_DB === 'postgres' ? 'postgres' : 'sqlite');

export interface TestServer extends RunningServer {
  apiKey: string;
  tenantName: string;
  adminUser: string;
  adminPassword: string;
  dataDir: string;
  databaseUrl: string;
  /** Calls the server with fetch and returns status, headers and the parsed JSON body. */
  call(method: string, route: string, opts?: CallOptions): Promise<CallResult>;
}

export interface CallOptions {
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw body string (sent as-is). */
  raw?: string;
  apiKey?: string | null;
  token?: string;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (testDb() === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawiya-db-'));
    return { url: `sqlite:${path.join(dir, 'hawiya.db')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `hawiya_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      // pg's pool.end() resolves before its backends have gone: FORCE-killing one that is still closing makes
      // its client emit an uncaught "terminating connection" error in the test process. Let them leave first.
      for (let i = 0; i < 50; i++) {
        const r = await c.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (r.rows[0].n === 0) break;
        await new Promise((res) => setTimeout(res, 20));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawiya-data-'));
  const db = await createTestDatabase();
  const apiKey = `hwk_test_${crypto.randomBytes(16).toString('hex')}`;
  const adminPassword = `pw-${crypto.randomBytes(6).toString('hex')}`;
  process.env.HAWIYA_AUTH_CACHE_MS ??= '0';
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    databaseUrl: db.url,
    blobUrl: `file:${path.join(dataDir, 'blobs')}`,
    masterKey: crypto.randomBytes(32).toString('hex'),
    masterKeyFile: path.join(dataDir, 'master.key'),
    logLevel: process.env.HAWIYA_TEST_LOG ?? 'silent',
    engines: false,
    bootstrap: { tenant: 'acme', apiKey, adminUser: 'admin', adminPassword },
    ...overrides,
  });
  // Tests make many calls quickly: lift the bootstrap tenant's rate limit (a dedicated test covers limits).
  await server.ctx.tenants.update(server.bootstrap!.tenantId, { settings: { rateLimit: { perSecond: 0, perMinute: 0 } } });

  const call = async (method: string, route: string, opts: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.apiKey !== null) headers.ApiKey ??= opts.apiKey ?? apiKey;
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(server.url + route, { method, headers, body });
    const text = await res.text();
    let parsed: any;
    try { parsed = JSON.parse(text); } catch { parsed = undefined; }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };

  return {
    ...server,
    apiKey,
    tenantName: 'acme',
    adminUser: 'admin',
    adminPassword,
    dataDir,
    databaseUrl: db.url,
    call,
    close: async () => {
      await server.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Registers an end user through the real OTP flow (the console provider echoes OTPs on non-production tenants). */
export async function registerUser(s: TestServer, phone: string, password = 'Secret#123', imei = 'device-1', apiKey?: string) {
  const send = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { apiKey, body: { phoneNumber: phone, smsProviders: 0 } });
  if (send.body?.error_code !== null) throw new Error(`StepVerifyPhone failed: ${send.text}`);
  const { phoneNumberOtpRequestId, phoneNumberOtp } = send.body.data;
  const val = await s.call('POST', '/api/DigitalIdentity/Register/StepVerifyPhone', { apiKey, body: { phoneNumber: phone, phoneNumberOtpRequestId, phoneNumberOtp } });
  if (val.body?.error_code !== null) throw new Error(`OTP validation failed: ${val.text}`);
  const reg = await s.call('POST', '/api/DigitalIdentity/Register', { apiKey, body: { phoneNumber: phone, password, phoneNumberOtpRequestId, phoneNumberOtp, imei } });
  if (reg.body?.error_code !== null) throw new Error(`Register failed: ${reg.text}`);
  return reg.body.data as { accessToken: string; refreshToken: string; user: { id: number } };
}

export async function adminLogin(s: TestServer): Promise<{ accessToken: string; refreshToken: string }> {
  const r = await s.call('POST', '/api/credentials/Login', {
    headers: { TenancyName: s.tenantName },
    body: { tenancyName: s.tenantName, userNameOrEmailAddress: s.adminUser, password: s.adminPassword },
  });
  if (r.body?.error_code !== null) throw new Error(`admin login failed: ${r.text}`);
  return r.body.data;
}
