/** Operations: online SQLite backup and restore; several worker processes on PostgreSQL. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, startCliServer } from '../helpers/cli.js';
import { freshDatabaseUrl, testDialect } from '../helpers/database.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const body = (res: Response): Promise<any> => res.json();
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe('stockscan backup', () => {
  it(testDialect() === 'sqlite' ? 'copies a live SQLite database; the copy serves as the restored database' : 'points PostgreSQL users to pg_dump', async () => {
    const fresh = await freshDatabaseUrl();
    const dataDir = mkdtempSync(join(tmpdir(), 'stockscan-backup-'));
    const env = { DATABASE_URL: fresh.url, STOCKSCAN_DATA_DIR: dataDir, STOCKSCAN_SECRET_KEY: 'backup-test-secret-key', INVENTREE_ADMIN_USER: '' };
    try {
      assert.equal((await runCli(['createsuperuser', '--username', 'keeper', '--password', 'keeper-password-1'], env)).code, 0);
      const file = join(dataDir, 'copy.db');
      if (testDialect() === 'postgres') {
        const res = await runCli(['backup', file], env);
        assert.equal(res.code, 2);
        assert.match(res.stderr, /pg_dump/);
        return;
      }
      const server = await startCliServer(env);
      try {
        const res = await runCli(['backup', file], env);
        assert.equal(res.code, 0, res.stderr);
        assert.match(res.stdout, /integrity ok/);
        const again = await runCli(['backup', file], env);
        assert.equal(again.code, 1);
        assert.match(again.stderr, /exists already/);
      } finally {
        await server.stop();
      }
      const restored = await startCliServer({ ...env, DATABASE_URL: `sqlite:${file}` });
      try {
        const me = await fetch(`${restored.url}/api/user/me/`, { headers: basic('keeper', 'keeper-password-1') });
        assert.equal(me.status, 200);
        assert.equal((await body(me)).username, 'keeper');
      } finally {
        await restored.stop();
      }
    } finally {
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('stockscan serve --workers', () => {
  it(testDialect() === 'sqlite' ? 'refuses several workers on SQLite' : 'runs several worker processes on one PostgreSQL database and one port', async () => {
    const fresh = await freshDatabaseUrl();
    const dataDir = mkdtempSync(join(tmpdir(), 'stockscan-workers-'));
    const env = {
      DATABASE_URL: fresh.url,
      STOCKSCAN_DATA_DIR: dataDir,
      STOCKSCAN_SECRET_KEY: 'workers-test-secret-key',
      INVENTREE_ADMIN_USER: 'boss',
      INVENTREE_ADMIN_PASSWORD: 'boss-password-1',
    };
    try {
      if (testDialect() === 'sqlite') {
        const res = await runCli(['serve', '--port', '0', '--workers', '2'], env);
        assert.equal(res.code, 2);
        assert.match(res.stderr, /SQLite serves one process/);
        return;
      }
      const server = await startCliServer(env, ['--workers', '2']);
      try {
        assert.match(server.output(), /"workers":2/);
        const token = await body(await fetch(`${server.url}/api/user/token/?name=w`, { headers: basic('boss', 'boss-password-1') }));
        // Tokens issued by one worker are accepted by every worker (one shared secret).
        const answers = await Promise.all(
          Array.from({ length: 20 }, () => fetch(`${server.url}/api/user/me/`, { headers: { authorization: `Token ${token.token}` } })),
        );
        assert.ok(answers.every((r) => r.status === 200));
        const pids = new Set([...server.output().matchAll(/"pid":(\d+)[^\n]*"msg":"Server listening/g)].map((m) => m[1]));
        assert.equal(pids.size, 2);
      } finally {
        assert.equal(await server.stop('SIGTERM'), 0);
      }
    } finally {
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
