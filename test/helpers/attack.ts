/**
 * Helpers for the attack / bad-input suite: envelope assertions and before/after snapshots of stored data,
 * so each refused request can be shown to have changed nothing.
 */
import assert from 'node:assert/strict';
import type { TestServer, CallResult } from './server.js';

/** Tables whose rows a refused request must never touch. */
export const DATA_TABLES = [
  'tenants', 'api_keys', 'admin_users', 'users', 'user_devices', 'otp_requests', 'refresh_tokens',
  'transactions', 'transaction_steps', 'audit_log',
] as const;
export type DataTable = (typeof DATA_TABLES)[number];

/** Columns that move on their own (bookkeeping of reads), not data a request may alter. */
const VOLATILE = new Set(['last_used_at', 'last_seen_at']);

export type Snapshot = Record<string, unknown[]>;

/** Every row of every data table (volatile bookkeeping columns dropped), in a stable order. */
export async function snapshot(s: TestServer, tables: readonly DataTable[] = DATA_TABLES): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const t of tables) {
    const rows = (await (s.ctx.db as any).selectFrom(t).selectAll().execute()) as Record<string, unknown>[];
    out[t] = rows
      .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !VOLATILE.has(k)).map(([k, v]) => [k, v === null ? null : String(v)])))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return out;
}

/** Asserts nothing changed between two snapshots; `except` lists tables allowed to change (e.g. audit_log). */
export function assertUnchanged(before: Snapshot, after: Snapshot, except: readonly DataTable[] = [], what = 'stored data') {
  for (const t of Object.keys(before)) {
    if ((except as readonly string[]).includes(t)) continue;
    assert.deepEqual(after[t], before[t], `${what}: table ${t} changed`);
  }
}

export async function count(s: TestServer, table: DataTable): Promise<number> {
  const r = await (s.ctx.db as any).selectFrom(table).select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(r.n);
}

const STACK_RE = /\n\s+at\s|\bat\s+\S+\s\(.*:\d+:\d+\)|node_modules|\.ts:\d+|\.js:\d+:\d+|Error: .*\n/;

/** A response is a JSON Vlens envelope that carries no stack trace or internals. */
export function assertNoLeak(r: CallResult) {
  assert.match(r.headers.get('content-type') ?? '', /application\/json/, `not JSON: ${r.text.slice(0, 200)}`);
  assert.ok(r.body && typeof r.body === 'object', `body is not a JSON object: ${r.text.slice(0, 200)}`);
  assert.doesNotMatch(r.text, STACK_RE, `response leaks a stack trace: ${r.text.slice(0, 300)}`);
  assert.doesNotMatch(r.text, /<html|<!doctype/i);
  assert.ok(!('stack' in r.body) && !('stack' in (r.body.data ?? {})), 'response carries a stack property');
}

/**
 * Asserts a Vlens error envelope: HTTP `status`, `error_code`, `data: null`, a non-empty message and no leak.
 * `code` defaults to the HTTP status (transport/auth failures, spec §2.2).
 */
export function assertError(r: CallResult, status: number, code: number = status, msg?: RegExp) {
  assertNoLeak(r);
  assert.equal(r.status, status, `HTTP status (body ${r.text.slice(0, 300)})`);
  assert.equal(r.body.error_code, code, `error_code (body ${r.text.slice(0, 300)})`);
  assert.equal(r.body.data, null);
  assert.equal(typeof r.body.error_message, 'string');
  assert.ok(r.body.error_message.length > 0);
  assert.ok('error_descriptions' in r.body, 'error_descriptions is always present');
  if (msg) assert.match(r.body.error_message, msg);
}

/** Asserts a success envelope with explicit nulls. */
export function assertOk(r: CallResult) {
  assertNoLeak(r);
  assert.equal(r.status, 200, `HTTP status (body ${r.text.slice(0, 300)})`);
  assert.equal(r.body.error_code, null, `error_code (body ${r.text.slice(0, 300)})`);
  assert.equal(r.body.error_message, null);
  assert.ok('error_descriptions' in r.body);
  assert.equal(r.body.error_descriptions, null);
}

/** A fresh Egyptian mobile number in E.164 form. */
let phoneSeq = 0;
export function freshPhone(): string {
  phoneSeq++;
  const n = (Date.now() % 10_000_000) * 10 + phoneSeq;
  return `+2010${String(n % 100_000_000).padStart(8, '0')}`;
}
