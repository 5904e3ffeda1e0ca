/** `stockscan demo`, run as a child process, on a fresh database of the configured kind. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { runCli, startCliServer } from '../helpers/cli.js';
import { freshDatabaseUrl } from '../helpers/database.js';

interface Target {
  env: Record<string, string>;
  url: string;
  cleanup(): Promise<void>;
}

async function target(): Promise<Target> {
  const fresh = await freshDatabaseUrl();
  const dataDir = mkdtempSync(join(tmpdir(), 'stockscan-demo-'));
  return {
    url: fresh.url,
    env: { DATABASE_URL: fresh.url, STOCKSCAN_DATA_DIR: dataDir, STOCKSCAN_SECRET_KEY: '', INVENTREE_ADMIN_USER: '', PORT: '8000', HOST: '127.0.0.1' },
    async cleanup() {
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `work` on the target database (migrated first) and closes it again. */
async function withDb<T>(url: string, work: (db: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
  const database = openDatabase(url, { poolSize: 2 });
  try {
    await migrateToLatest(database);
    return await work(database);
  } finally {
    await database.close();
  }
}

const partCount = (url: string) => withDb(url, async (db) => (await db.kysely.selectFrom('part').select('id').execute()).length);

describe('stockscan demo', () => {
  let t: Target;
  let first: Awaited<ReturnType<typeof runCli>>;
  before(async () => {
    t = await target();
    first = await runCli(['demo'], t.env);
  });
  after(() => t.cleanup());

  it('is listed in the help, with --force', async () => {
    const help = await runCli(['help'], t.env);
    assert.match(help.stdout, /\n {2}demo {2,}Load a small electronics workshop/);
    assert.match(help.stdout, /\n {6}--force {2,}Load it into a database that already holds other data\./);
    const own = await runCli(['demo', '--help'], t.env);
    assert.equal(own.code, 0);
    assert.equal(own.stdout, help.stdout);
  });

  it('loads the demo into a fresh database and prints what it created', async () => {
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr, '');
    const out = first.stdout;
    assert.match(out, /^Loaded the demo electronics workshop into (sqlite|postgres):/);
    assert.match(out, /\n {2}50 parts with IPNs: 2 templates with 7 variants/);
    assert.match(out, /\n {2}4 purchase orders, placed: PO-0001 DigiKey \(supplier reference 72991337\), PO-0002 Mouser \(supplier reference P0-1337\)/);
    assert.match(out, /supplier plugins activated: DigiKeyPlugin, MouserPlugin, LCSCPlugin, TMEPlugin/);
    assert.match(out, /\nBarcodes to try/);
    assert.match(out, /\n {2}BIN-A1 +bin label on Bin A1/);
    assert.match(out, /curl -s http:\/\/127\.0\.0\.1:8000\/api\/barcode\/po-receive\//);
    assert.equal(await partCount(t.url), 50);

    // The printed location barcode is the bin it names.
    const m = /\n {2}(INV-SL(\d+)) +stock location (.+)\n/.exec(out);
    assert.ok(m);
    const name = await withDb(t.url, async (db) => (await db.kysely.selectFrom('stock_location').select('name').where('id', '=', Number(m[2])).executeTakeFirstOrThrow()).name);
    assert.equal(name, m[3]);
  });

  it('refuses to load the demo a second time, also with --force', async () => {
    for (const args of [['demo'], ['demo', '--force']]) {
      const again = await runCli(args, t.env);
      assert.equal(again.code, 2);
      assert.equal(again.stdout, '');
      assert.match(again.stderr, /^stockscan: the demo data is already loaded \(found supplier part 296-LM358BIDDFRCT-ND, .*nothing was loaded/);
    }
    assert.equal(await partCount(t.url), 50);
  });

  it('rejects unknown options as the other commands do', async () => {
    const res = await runCli(['demo', '--frobnicate'], t.env);
    assert.equal(res.code, 1);
    assert.equal(res.stderr, "stockscan: Unknown option '--frobnicate'\n");
  });

  it('prints curl commands that work against the server', async () => {
    const created = await runCli(['createsuperuser', '--username', 'admin', '--password', 'a-long-demo-password'], t.env);
    assert.equal(created.code, 0, created.stderr);
    const token = (await runCli(['token', 'admin'], t.env)).stdout.trim();
    const server = await startCliServer(t.env);
    try {
      const curls = [...first.stdout.matchAll(/curl -s http:\/\/127\.0\.0\.1:8000(\S+) .* -d '(.+)'\n/g)];
      assert.equal(curls.length, 3);
      for (const [, path, body] of curls) {
        const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Token ${token}`, 'content-type': 'application/json' }, body });
        const json = (await res.json()) as Record<string, unknown>;
        assert.equal(res.status, 200, JSON.stringify(json));
        assert.equal(typeof json.success, 'string', `${path}: ${JSON.stringify(json)}`);
      }
    } finally {
      await server.stop();
    }
  });
});

describe('stockscan demo on a database with data of its own', () => {
  let t: Target;
  before(async () => {
    t = await target();
    await withDb(t.url, (db) => db.kysely.insertInto('part').values({ name: 'My own part', creation_date: '2024-01-01' }).execute());
  });
  after(() => t.cleanup());

  it('refuses without --force and loads with it', async () => {
    const refused = await runCli(['demo'], t.env);
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr,
      'stockscan: the database already holds inventory data (1 part); nothing was loaded (run "stockscan demo --force" to add the demo data anyway)\n',
    );
    assert.equal(await partCount(t.url), 1);

    const forced = await runCli(['demo', '--force'], t.env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /\n {2}\(added to the data already there: 1 part\)\n/);
    assert.equal(await partCount(t.url), 51);
  });
});
