/**
 * End-to-end latency of the verification endpoints over real HTTP with the real engines:
 * verify/id/front, verify/id/back and verify/liveness/multi, one flow at a time (a phone user waits for each).
 *
 *   npm run bench:verify [-- --flows 20]
 *
 * Side timings use a different generated card per flow; liveness runs on the committed verification card pair
 * (it needs both sides passed) with the committed live frames. The server is a separate process: its peak RSS
 * (VmHWM) is the server's own. Prints a table and writes bench/results/verify-http.md.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { capturedCard } from '../src/document/synth/capture.js';
import { fixture, b64 } from '../test/helpers/cards.js';
import { ProgressBar } from '../scripts/progress.js';

const { values: args } = parseArgs({
  options: {
    flows: { type: 'string', default: '20' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/verify-http.md', import.meta.url)) },
  },
});
const flows = Number(args.flows);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawiya-bench-'));
const apiKey = `hwk_bench_${crypto.randomBytes(12).toString('hex')}`;
const port = 18000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
// The server runs as its own process (as in production) so its peak memory is measured alone.
const server = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../src/cli.ts', import.meta.url)), 'serve'], {
  env: {
    // As `npm start` runs it (package.json): two glibc malloc arenas unless the caller set another number.
    MALLOC_ARENA_MAX: '2',
    ...process.env, PORT: String(port), HOST: '127.0.0.1', HAWIYA_DATA_DIR: dir, LOG_LEVEL: 'warn',
    HAWIYA_BOOTSTRAP_TENANT: 'bench', HAWIYA_BOOTSTRAP_API_KEY: apiKey, HAWIYA_BOOTSTRAP_ADMIN_USER: 'admin', HAWIYA_BOOTSTRAP_ADMIN_PASSWORD: 'bench-password',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
for (let i = 0; ; i++) {
  const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
  if (ready) break;
  if (i > 240) throw new Error('server did not become ready');
  await new Promise((r) => setTimeout(r, 500));
}
// Lift the bench tenant's rate limit through the CLI-equivalent store call.
{
  const { loadConfig } = await import('../src/config.js');
  const { openStore } = await import('../src/server/store.js');
  const store = await openStore(loadConfig({ dataDir: dir, databaseUrl: `sqlite:${path.join(dir, 'hawiya.db')}`, masterKeyFile: path.join(dir, 'master.key') }));
  const t = await store.tenants.getByName('bench');
  await store.tenants.update(t!.id, { settings: { rateLimit: { perSecond: 0, perMinute: 0 } } });
  await store.close();
  await new Promise((r) => setTimeout(r, 2500)); // the server caches tenant settings for up to 2 s
}
const peakRssMiB = () => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

async function call(route: string, body: unknown, token?: string): Promise<{ ms: number; body: any }> {
  const t = performance.now();
  const res = await fetch(base + route, {
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
const verifyCard = { front: b64(fixture('cards/verify_front.jpg')), back: b64(fixture('cards/verify_back.jpg')) };
const times: Record<'front' | 'back' | 'liveness', number[]> = { front: [], back: [], liveness: [] };
let sidesPassed = 0;
let verified = 0;
const progress = new ProgressBar('flows', flows);
const bar = (i: number) => progress.tick(i);
for (let i = 0; i < flows; i++) {
  bar(i);
  // A different synthetic card each time for the side timings (any outcome counts: the engine does the work).
  const card = await capturedCard(1000 + i, portrait);
  const tx = crypto.randomUUID();
  const f = await call('/api/DigitalIdentity/verify/id/front', { transaction_id: tx, image: b64(card.front), getExtractedData: true }, token);
  const b = await call('/api/DigitalIdentity/verify/id/back', { transaction_id: tx, image: b64(card.back), getExtractedData: true }, token);
  times.front.push(f.ms);
  times.back.push(b.ms);
  if (f.body.services?.Validations?.validation_errors?.length === 0 && b.body.services?.Validations?.validation_errors?.length === 0) sidesPassed++;
  // The whole flow on the committed card pair, so liveness runs (it needs both sides passed).
  const vtx = crypto.randomUUID();
  await call('/api/DigitalIdentity/verify/id/front', { transaction_id: vtx, image: verifyCard.front }, token);
  await call('/api/DigitalIdentity/verify/id/back', { transaction_id: vtx, image: verifyCard.back }, token);
  const l = await call('/api/DigitalIdentity/verify/liveness/multi', { transaction_id: vtx, face_1: frames[0], face_2: frames[1], face_3: frames[2] }, token);
  if (l.body.error_code !== 6010) times.liveness.push(l.ms);
  if (l.body.data?.isDigitalIdentityVerified) verified++;
}
bar(flows);
process.stderr.write('\n');
const peakRss = peakRssMiB();
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
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
  row(`POST /api/DigitalIdentity/verify/id/front (${flows} different synthetic cards)`, times.front),
  row('POST /api/DigitalIdentity/verify/id/back (same cards)', times.back),
  row('POST /api/DigitalIdentity/verify/liveness/multi (committed card pair + live frames)', times.liveness),
  '',
  `Random cards whose both sides passed with no finding: ${sidesPassed}/${flows}. Committed-pair flows ending Verified: ${verified}/${flows}. Peak RSS of the server process (engines and worker threads included): ${peakRss} MiB.`,
  '',
].join('\n');
process.stdout.write(md);
fs.mkdirSync(path.dirname(args.out!), { recursive: true });
fs.writeFileSync(args.out!, md);
