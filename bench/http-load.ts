/**
 * HTTP load benchmark: 50 concurrent connections for ~15 s against a token-authenticated read
 * (GET /api/DigitalIdentity/GetCurrentUser: ApiKey + end-user bearer, one user row read and decrypted).
 *
 *   npm run bench:http [-- --duration 15 --connections 50]
 *
 * The server runs in this process on SQLite in a temporary directory with production-like auth caching;
 * autocannon runs in a child process so it does not share the server's event loop. Results are printed and
 * written to bench/results/http.md.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '15' },
    connections: { type: 'string', default: '50' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/http.md', import.meta.url)) },
    client: { type: 'string' },
  },
});

interface LoadResult {
  total: number; ok2xx: number; errors: number; rps: number;
  p50: number; p95: number; p99: number; max: number;
}

/**
 * Client mode (`--client <json>`): runs autocannon here and prints LoadResult. autocannon reports no p95,
 * so every response time is kept and the percentiles are computed exactly.
 */
async function runClient(spec: { url: string; headers: Record<string, string>; connections: number; duration: number }) {
  const { default: autocannon } = await import('autocannon');
  const times: number[] = [];
  const r = await new Promise<import('autocannon').Result>((resolve, reject) => {
    const inst = autocannon({ url: spec.url, headers: spec.headers, connections: spec.connections, duration: spec.duration },
      (err, res) => (err ? reject(err) : resolve(res)));
    inst.on('response', (_client, _status, _bytes, ms) => { times.push(ms); });
  });
  times.sort((a, b) => a - b);
  const pct = (p: number) => (times.length ? times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]! : NaN);
  const round = (v: number) => Math.round(v * 100) / 100;
  const out: LoadResult = {
    total: r.requests.total, ok2xx: r['2xx'], errors: r.errors + r.timeouts + r.non2xx, rps: r.requests.average,
    p50: round(pct(50)), p95: round(pct(95)), p99: round(pct(99)), max: round(times.at(-1) ?? NaN),
  };
  process.stdout.write(JSON.stringify(out));
}

function load(url: string, headers: Record<string, string>, connections: number, duration: number): Promise<LoadResult> {
  const argv = ['--import', 'tsx', fileURLToPath(import.meta.url), '--client', JSON.stringify({ url, headers, connections, duration })];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, argv, { maxBuffer: 16 * 1024 * 1024, timeout: (duration + 60) * 1000 }, (err, stdout) => {
      if (err) return reject(err);
      resolve(JSON.parse(stdout) as LoadResult);
    });
  });
}

if (args.client) {
  await runClient(JSON.parse(args.client));
  process.exit(0);
}

// Production default for the ApiKey/tenant cache (the test harness turns it off); set before the server starts.
process.env.HAWIYA_AUTH_CACHE_MS ??= '2000';
process.env.HAWIYA_TEST_DB = 'sqlite';
const { startTestServer, registerUser } = await import('../test/helpers/server.js');

const connections = Number(args.connections);
const duration = Number(args.duration);
const server = await startTestServer({ logLevel: 'warn' });
try {
  const user = await registerUser(server, '+201001234567');
  const url = `${server.url}/api/DigitalIdentity/GetCurrentUser`;
  const headers = { ApiKey: server.apiKey, Authorization: `Bearer ${user.accessToken}` };
  const probe = await server.call('GET', '/api/DigitalIdentity/GetCurrentUser', { token: user.accessToken });
  if (probe.status !== 200 || probe.body?.data?.phoneNumber !== '+201001234567') throw new Error(`probe failed: ${probe.text}`);

  await load(url, headers, connections, 2); // warm-up: JIT, caches, connection setup
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 250);
  const cpuBefore = process.cpuUsage();
  const loadBefore = os.loadavg()[0]!;
  const t0 = Date.now();
  const r = await load(url, headers, connections, duration);
  const wallS = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  const loadAfter = os.loadavg()[0]!;

  const rows: [string, string][] = [
    ['endpoint', 'GET /api/DigitalIdentity/GetCurrentUser (ApiKey + user bearer)'],
    ['connections / duration', `${connections} / ${duration} s`],
    ['requests', `${r.total} (${r.ok2xx} 2xx)`],
    ['requests/s (avg)', r.rps.toFixed(0)],
    ['latency p50', `${r.p50} ms`],
    ['latency p95', `${r.p95} ms`],
    ['latency p99', `${r.p99} ms`],
    ['latency max', `${r.max} ms`],
    ['errors (errors + timeouts + non-2xx)', String(r.errors)],
    ['server RSS peak', `${(peakRss / 2 ** 20).toFixed(0)} MiB`],
    ['server CPU', `${(((cpu.user + cpu.system) / 1e6 / wallS) * 100).toFixed(0)} % of one core`],
    // Independent of how busy the machine is: the server's own cost of one request.
    ['server CPU per request', `${((cpu.user + cpu.system) / Math.max(1, r.total)).toFixed(0)} µs`],
    ['machine', `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}`],
    ['load average (1 min) before / after', `${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)}`],
  ];
  const target = r.p95 < 20 ? 'met' : 'NOT met';
  const md = [
    '# HTTP load benchmark',
    '',
    `Run: \`npm run bench:http\` — ${new Date().toISOString()}. SQLite, auth cache ${process.env.HAWIYA_AUTH_CACHE_MS} ms, autocannon in a separate process on the same machine.`,
    '',
    '| metric | value |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    `Target p95 < 20 ms: **${target}**.`,
    '',
  ].join('\n');
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, md);
  process.stdout.write('\n' + md + `\nwritten to ${path.relative(process.cwd(), args.out)}\n`);
} finally {
  await server.close();
}
