#!/usr/bin/env node
// Runs the whole test suite twice — against SQLite and against PostgreSQL — with node's test runner.
// Usage: npm test [-- sqlite|postgres] [-- <test files…>]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const findTests = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? findTests(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []);

const args = process.argv.slice(2);
const dbs = args.filter((a) => a === 'sqlite' || a === 'postgres');
const files = args.filter((a) => a !== 'sqlite' && a !== 'postgres');
const targets = dbs.length ? dbs : ['sqlite', 'postgres'];
const testFiles = files.length ? files : findTests('test').sort();

let passed = 0, failed = 0;
for (const db of targets) {
  console.log(`\n=== test suite against ${db} (${testFiles.length} files) ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...testFiles], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { HAWIYA_SCRYPT_LOG_N: '12', ...process.env, HAWIYA_TEST_DB: db }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(r.stdout ?? '');
  const p = /ℹ pass (\d+)/.exec(r.stdout ?? '');
  const f = /ℹ fail (\d+)/.exec(r.stdout ?? '');
  passed += p ? Number(p[1]) : 0;
  failed += f ? Number(f[1]) : (r.status === 0 ? 0 : 1);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
