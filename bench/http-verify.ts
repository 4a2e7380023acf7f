/**
 * End-to-end latency of the verification endpoints over real HTTP with the real engines:
 * verify/id/front, verify/id/back and verify/liveness/multi, one flow at a time (a phone user waits for each).
 *
 *   npm run bench:verify [-- --flows 20]
 *
 * Cards are rendered by the project's synthetic generator with the portrait of the face fixtures' person;
 * the selfie frames are the committed live fixtures. Prints a table and writes bench/results/verify-http.md.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from '../src/server/start.js';
import { capturedCard, fixture, b64 } from '../test/helpers/cards.js';

const { values: args } = parseArgs({
  options: {
    flows: { type: 'string', default: '20' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/verify-http.md', import.meta.url)) },
  },
});
const flows = Number(args.flows);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawiya-bench-'));
const apiKey = `hwk_bench_${crypto.randomBytes(12).toString('hex')}`;
const server = await startServer({
  port: 0, host: '127.0.0.1', dataDir: dir, databaseUrl: `sqlite:${path.join(dir, 'hawiya.db')}`, blobUrl: `file:${path.join(dir, 'blobs')}`,
  masterKey: crypto.randomBytes(32).toString('hex'), masterKeyFile: path.join(dir, 'master.key'), logLevel: 'warn',
  bootstrap: { tenant: 'bench', apiKey, adminUser: 'admin', adminPassword: 'bench-password' },
});
await server.ctx.tenants.update(server.bootstrap!.tenantId, { settings: { rateLimit: { perSecond: 0, perMinute: 0 } } });
await server.ctx.engines.warm();

async function call(route: string, body: unknown, token?: string): Promise<{ ms: number; body: any }> {
  const t = performance.now();
  const res = await fetch(server.url + route, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ApiKey: apiKey, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  const json = await res.json();
  return { ms: performance.now() - t, body: json };
}

// One user through the real OTP flow.
const phone = '+201099999999';
const send = await call('/api/DigitalIdentity/Register/StepVerifyPhone', { phoneNumber: phone });
const { phoneNumberOtpRequestId, phoneNumberOtp } = send.body.data;
await call('/api/DigitalIdentity/Register/StepVerifyPhone', { phoneNumber: phone, phoneNumberOtpRequestId, phoneNumberOtp });
const reg = await call('/api/DigitalIdentity/Register', { phoneNumber: phone, password: 'Secret#123', phoneNumberOtpRequestId, imei: 'bench' });
const token: string = reg.body.data.accessToken;

const frames = [1, 2, 3].map((i) => b64(fixture(`faces/live_franck_${i}.jpg`)));
const portrait = fixture('faces/franck_photo.jpg');
const times: Record<'front' | 'back' | 'liveness', number[]> = { front: [], back: [], liveness: [] };
let verified = 0;
let peakRss = process.memoryUsage().rss;
const bar = (i: number) => process.stderr.write(`\r[${'#'.repeat(Math.round((i / flows) * 30)).padEnd(30)}] ${i}/${flows} flows`);
for (let i = 0; i < flows; i++) {
  bar(i);
  const card = await capturedCard(1000 + i, portrait);
  const tx = crypto.randomUUID();
  const f = await call('/api/DigitalIdentity/verify/id/front', { transaction_id: tx, image: b64(card.front), getExtractedData: true }, token);
  const b = await call('/api/DigitalIdentity/verify/id/back', { transaction_id: tx, image: b64(card.back), getExtractedData: true }, token);
  const l = await call('/api/DigitalIdentity/verify/liveness/multi', { transaction_id: tx, face_1: frames[0], face_2: frames[1], face_3: frames[2] }, token);
  times.front.push(f.ms);
  times.back.push(b.ms);
  if (l.body.error_code !== 6010) times.liveness.push(l.ms);
  if (l.body.data?.isDigitalIdentityVerified) verified++;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
bar(flows);
process.stderr.write('\n');
await server.close();
fs.rmSync(dir, { recursive: true, force: true });

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const row = (name: string, xs: number[]) => `| ${name} | ${xs.length} | ${pct(xs, 50).toFixed(0)} ms | ${pct(xs, 95).toFixed(0)} ms |`;
const md = [
  '# Verification endpoints, end to end over HTTP',
  '',
  `Run: \`npm run bench:verify -- --flows ${flows}\` — ${new Date().toISOString()}. One flow at a time, SQLite, real engines, ${os.cpus().length} cores, load average (1 min) at the end ${os.loadavg()[0]!.toFixed(2)}.`,
  '',
  '| endpoint | n | p50 | p95 |',
  '| --- | --- | --- | --- |',
  row('POST /api/DigitalIdentity/verify/id/front', times.front),
  row('POST /api/DigitalIdentity/verify/id/back', times.back),
  row('POST /api/DigitalIdentity/verify/liveness/multi (after both sides passed)', times.liveness),
  '',
  `Flows ending Verified: ${verified}/${flows}. Peak RSS of the server process (engines and workers included): ${Math.round(peakRss / 1048576)} MiB.`,
  '',
].join('\n');
process.stdout.write(md);
fs.mkdirSync(path.dirname(args.out!), { recursive: true });
fs.writeFileSync(args.out!, md);
