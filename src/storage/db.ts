/**
 * Opens the database named by DATABASE_URL: a SQLite file (default, embedded) or PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './schema.js';
import { migrateToLatest, type Dialect } from './migrations.js';

export type DB = Kysely<Database>;

export interface OpenedDb {
  db: DB;
  dialect: Dialect;
  close(): Promise<void>;
}

export function openDatabase(url: string): OpenedDb {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  cacheStatements(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * Kysely prepares every query anew, and preparing costs more than running a point read. Statements are
 * reusable (Kysely runs one query at a time on its single SQLite connection), so keep them by SQL text.
 */
function cacheStatements(sqlite: SQLite.Database, max = 500): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SQLite.Statement>();
  sqlite.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      if (cache.size >= max) cache.clear(); // dynamic SQL (IN lists…) must not grow it without bound
      stmt = prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  }) as typeof sqlite.prepare;
}

export async function openAndMigrate(url: string): Promise<OpenedDb> {
  const opened = openDatabase(url);
  await migrateToLatest(opened.db as any, opened.dialect);
  return opened;
}

export const nowIso = (d: Date = new Date()): string => d.toISOString();
export const bool = (v: number | null | undefined): boolean => v === 1;
