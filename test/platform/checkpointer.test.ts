/**
 * WAL checkpoints in a worker thread (src/db/checkpointer.ts): the server's connection no
 * longer copies the log back on its own commits, yet the log stays small; a thread that cannot
 * run hands checkpoints back to the connection. SQLite only, whatever DATABASE_URL says.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { SAFETY_NET_PAGES, startCheckpointer, type CheckpointReport } from '../../src/db/checkpointer.js';
import { openDatabase, openSqliteFile } from '../../src/db/connection.js';

const dir = mkdtempSync(join(tmpdir(), 'stockscan-checkpointer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PAGE = 4096;
const COMMITS = 120;
/** One transaction's worth of rows that fill about `pages` pages. */
function writePages(connection: ReturnType<typeof openSqliteFile>, pages: number): void {
  const insert = connection.prepare('insert into filler (body) values (?)');
  connection.transaction(() => {
    for (let i = 0; i < pages; i++) insert.run('x'.repeat(PAGE - 200));
  })();
}

const walBytes = (file: string) => statSync(`${file}-wal`).size;
const autocheckpoint = (connection: ReturnType<typeof openSqliteFile>) => connection.pragma('wal_autocheckpoint', { simple: true });

/** A database with a table to fill, its connection and a checkpoint thread reporting to `reports`. */
function withThread(name: string) {
  const file = join(dir, name);
  const connection = openSqliteFile(file);
  connection.exec('create table filler (id integer primary key, body text not null)');
  const reports: CheckpointReport[] = [];
  const checkpointer = startCheckpointer(connection, file, { intervalMs: 5, onReport: (r) => reports.push(r) });
  return { file, connection, reports, checkpointer };
}

describe('WAL checkpointer thread', () => {
  it('keeps the log small while the connection itself never checkpoints below the safety net', async () => {
    const { file, connection, reports, checkpointer } = withThread('busy.db');
    try {
      assert.equal(autocheckpoint(connection), SAFETY_NET_PAGES);
      // 120 commits of ~50 pages: ~6 000 pages in all, six times SQLite's own threshold and
      // below the safety net, so only the thread can keep the log short.
      for (let i = 0; i < COMMITS; i++) {
        writePages(connection, 50);
        await sleep(10);
      }
      const caughtUp = reports.findIndex((r) => r.caughtUp && r.frames > 0 && r.copied === r.frames);
      assert.ok(caughtUp >= 0, 'some run copied the whole log');
      // Once the thread runs, the log starts over after each run that caught up: it never
      // again holds more than a few runs' worth of pages (without the thread: all ~6 000).
      const largest = Math.max(...reports.slice(caughtUp).map((r) => r.frames));
      assert.ok(largest < 2000, `the log held ${largest} pages`);
      assert.ok(walBytes(file) < 4000 * PAGE, `WAL is ${walBytes(file)} bytes`);
      const rows = connection.prepare('select count(*) from filler').pluck().get();
      assert.equal(rows, COMMITS * 50);
    } finally {
      await checkpointer.stop();
      connection.close();
    }
  });

  it('without the thread the same writes grow the log (the check above is not vacuous)', async () => {
    const file = join(dir, 'idle.db');
    const connection = openSqliteFile(file);
    connection.exec('create table filler (id integer primary key, body text not null)');
    connection.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
    try {
      for (let i = 0; i < COMMITS; i++) {
        writePages(connection, 50);
        await sleep(10);
      }
      assert.ok(walBytes(file) > 5000 * PAGE, `WAL is ${walBytes(file)} bytes`);
    } finally {
      connection.close();
    }
  });

  it('a thread that cannot open the database gives the connection SQLite’s own checkpoints back', async () => {
    const file = join(dir, 'real.db');
    const connection = openSqliteFile(file);
    try {
      const errors: Error[] = [];
      const checkpointer = startCheckpointer(connection, join(dir, 'missing', 'nowhere.db'), { intervalMs: 5, onError: (e) => errors.push(e) });
      for (let waited = 0; errors.length === 0 && waited < 5000; waited += 20) await sleep(20);
      assert.equal(autocheckpoint(connection), 1000);
      assert.equal(errors.length, 1, 'the failure is reported (the server logs it)');
      assert.match(errors[0]?.message ?? '', /unable to open|does not exist|no such file/i);
      await checkpointer.stop();
    } finally {
      connection.close();
    }
  });

  it('stop() waits for the thread to end and gives the connection SQLite’s default back', async () => {
    const { connection, reports, checkpointer } = withThread('stopped.db');
    try {
      await checkpointer.stop();
      assert.equal(autocheckpoint(connection), 1000);
      // A stopped thread checkpoints no more.
      const before = reports.length;
      writePages(connection, 50);
      await sleep(100);
      assert.equal(reports.length, before);
      await checkpointer.stop(); // twice is harmless
    } finally {
      connection.close();
    }
  });

  it('openDatabase starts it only when asked (the server does; commands do not)', async () => {
    const server = openDatabase(`sqlite:${join(dir, 'server.db')}`, { walCheckpointer: true });
    const plain = openDatabase(`sqlite:${join(dir, 'cli.db')}`);
    const read = async (db: typeof server) =>
      (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.kysely)).rows[0]?.wal_autocheckpoint;
    try {
      assert.equal(await read(server), SAFETY_NET_PAGES);
      assert.equal(await read(plain), 1000);
    } finally {
      await server.close();
      await plain.close();
    }
  });
});
