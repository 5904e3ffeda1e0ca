import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, startCliServer } from '../helpers/cli.js';
import { freshDatabaseUrl } from '../helpers/database.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const body = (res: Response): Promise<any> => res.json();

describe('the stockscan command', () => {
  let env: Record<string, string>;
  let dataDir: string;
  let drop: () => Promise<void>;
  before(async () => {
    const fresh = await freshDatabaseUrl();
    drop = fresh.drop;
    dataDir = mkdtempSync(join(tmpdir(), 'stockscan-cli-'));
    env = { DATABASE_URL: fresh.url, STOCKSCAN_DATA_DIR: dataDir, STOCKSCAN_SECRET_KEY: '', INVENTREE_ADMIN_USER: '' };
  });
  after(async () => {
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints help listing every command', async () => {
    const res = await runCli(['--help'], env);
    assert.equal(res.code, 0);
    for (const word of ['serve', 'migrate', 'createsuperuser', 'token', 'DATABASE_URL', 'HOST']) assert.match(res.stdout, new RegExp(word));
  });

  it('fails with a usage error on an unknown command', async () => {
    const res = await runCli(['frobnicate'], env);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /unknown command/);
  });

  it('migrates, then finds nothing more to do', async () => {
    const first = await runCli(['migrate'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Applied: 0001-platform/);
    const second = await runCli(['migrate'], env);
    assert.match(second.stdout, /No pending migrations/);
  });

  it('creates a superuser and prints a token that works over a real socket', async () => {
    const created = await runCli(['createsuperuser', '--username', 'alice', '--email', 'a@example.com', '--password', 'a-long-password'], env);
    assert.equal(created.code, 0, created.stderr);
    const again = await runCli(['createsuperuser', '--username', 'alice', '--password', 'a-long-password'], env);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists/);

    const token = await runCli(['token', 'alice', '--name', 'scanner'], env);
    assert.equal(token.code, 0, token.stderr);
    const key = token.stdout.trim();
    assert.match(key, /^inv-[0-9a-f]{40}-\d{8}$/);
    const same = await runCli(['token', 'alice', '--name', 'scanner'], env);
    assert.equal(same.stdout.trim(), key);
    assert.equal(statSync(join(dataDir, 'secret_key')).mode & 0o777, 0o600);

    const server = await startCliServer(env);
    try {
      const info = await fetch(`${server.url}/api/`);
      assert.equal(info.headers.get('content-type'), 'application/json');
      assert.equal((await body(info)).apiVersion, 435);
      const me = await fetch(`${server.url}/api/user/me/`, { headers: { authorization: `Token ${key}` } });
      assert.equal(me.status, 200);
      assert.equal(me.headers.get('content-type'), 'application/json');
      assert.equal((await body(me)).username, 'alice');
      const basic = await fetch(`${server.url}/api/user/token/?name=python`, {
        headers: { authorization: `Basic ${Buffer.from('alice:a-long-password').toString('base64')}` },
      });
      assert.equal(basic.status, 200);
      assert.match(basic.headers.get('set-cookie') ?? '', /sessionid=/);
      // Users exist already: no generated admin.
      assert.doesNotMatch(server.output(), /Created superuser/);
      // The ready line names the heap policy serve applied (memory.ts).
      assert.match(server.output(), /"msg":"Stockscan is ready"/);
      assert.match(server.output(), /"heapGrowthPercent":50/);
    } finally {
      assert.equal(await server.stop('SIGTERM'), 0);
    }
  });

  it('refuses a token for an unknown user', async () => {
    const res = await runCli(['token', 'nobody'], env);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /no user "nobody"/);
  });
});

describe('first start', () => {
  it('creates "admin" with a random password printed once on an empty database', async () => {
    const fresh = await freshDatabaseUrl();
    const dataDir = mkdtempSync(join(tmpdir(), 'stockscan-first-'));
    const env = { DATABASE_URL: fresh.url, STOCKSCAN_DATA_DIR: dataDir, STOCKSCAN_SECRET_KEY: '', INVENTREE_ADMIN_USER: '' };
    try {
      const server = await startCliServer(env);
      const m = /Created superuser "admin" with password: (\S+)/.exec(server.output());
      assert.ok(m, server.output());
      const res = await fetch(`${server.url}/api/user/me/`, { headers: { authorization: `Basic ${Buffer.from(`admin:${m[1]}`).toString('base64')}` } });
      assert.equal(res.status, 200);
      const me = await body(res);
      assert.equal(me.is_superuser, true);
      assert.equal(me.is_staff, true);
      await server.stop();
      const second = await startCliServer(env);
      assert.doesNotMatch(second.output(), /Created superuser/);
      await second.stop();
    } finally {
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('creates the INVENTREE_ADMIN_USER account when it does not exist', async () => {
    const fresh = await freshDatabaseUrl();
    const dataDir = mkdtempSync(join(tmpdir(), 'stockscan-admin-'));
    const env = {
      DATABASE_URL: fresh.url,
      STOCKSCAN_DATA_DIR: dataDir,
      STOCKSCAN_SECRET_KEY: 'a-shared-secret-for-this-test',
      INVENTREE_ADMIN_USER: 'boss',
      INVENTREE_ADMIN_PASSWORD: 'boss-password-1',
      INVENTREE_ADMIN_EMAIL: 'boss@example.com',
    };
    try {
      const server = await startCliServer(env);
      assert.doesNotMatch(server.output(), /password:/);
      const res = await fetch(`${server.url}/api/user/me/`, { headers: { authorization: `Basic ${Buffer.from('boss:boss-password-1').toString('base64')}` } });
      const me = await body(res);
      assert.deepEqual([me.username, me.email, me.is_superuser, me.is_staff, me.is_active], ['boss', 'boss@example.com', true, true, true]);
      await server.stop();
    } finally {
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
