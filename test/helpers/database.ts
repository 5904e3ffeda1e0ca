/**
 * A fresh database per test file, of the kind DATABASE_URL names: a new SQLite file next to
 * the configured one (or in the temp directory), or a new PostgreSQL database on the
 * configured server, dropped again at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { openDatabase, parseDatabaseUrl, type Database } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrator.js';

export interface TestDatabase {
  database: Database;
  url: string;
  drop(): Promise<void>;
}

export function testDialect(): 'sqlite' | 'postgres' {
  const url = process.env.DATABASE_URL;
  return url !== undefined && url !== '' && parseDatabaseUrl(url).dialect === 'postgres' ? 'postgres' : 'sqlite';
}

/** A URL for a brand-new, empty database (created on PostgreSQL). */
export async function freshDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const configured = process.env.DATABASE_URL;
  const suffix = randomBytes(6).toString('hex');
  if (configured !== undefined && configured !== '' && parseDatabaseUrl(configured).dialect === 'postgres') {
    const base = new URL(configured);
    const baseName = base.pathname.replace(/^\//, '') || 'postgres';
    const name = `${baseName}_t${suffix}`.toLowerCase();
    const admin = new pg.Client({ connectionString: configured });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(configured);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      drop: async () => {
        const c = new pg.Client({ connectionString: configured });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir =
    configured !== undefined && configured !== '' ? dirname(parseDatabaseUrl(configured).target) : mkdtempSync(join(tmpdir(), 'stockscan-test-'));
  const file = join(dir, `test-${suffix}.db`);
  return {
    url: `sqlite:${file}`,
    drop: async () => {
      for (const ext of ['', '-wal', '-shm']) rmSync(`${file}${ext}`, { force: true });
    },
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const fresh = await freshDatabaseUrl();
  const database = openDatabase(fresh.url, { poolSize: 8 });
  await migrateToLatest(database);
  return {
    database,
    url: fresh.url,
    drop: async () => {
      await database.close();
      await fresh.drop();
    },
  };
}

/**
 * The database's plan for a query, as text. PostgreSQL is told to avoid whole-table scans, so
 * that on a test's near-empty tables the plan shows which index it would use at scale.
 */
export async function planOf(database: Database, query: CompiledQuery): Promise<string> {
  if (database.dialect === 'sqlite') {
    const rows = await database.kysely.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
    return rows.rows.map((r) => r.detail).join('\n');
  }
  return database.kysely.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const rows = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
    return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}
