/**
 * Pruning the scan history at its cap (BARCODE_RESULTS_MAX_NUM): each prune deletes from where
 * the pruner's last one ended, so that on PostgreSQL it does not walk the dead index entries of
 * every row deleted before; every few prunes it takes the whole range, for rows committed late
 * below that point.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Kysely, KyselyPlugin } from 'kysely';
import { HistoryPruner, recordScan } from '../../src/barcode/history.js';
import { DataGeneration } from '../../src/db/generation.js';
import type { DB } from '../../src/db/schema.js';
import { SettingsService } from '../../src/settings/service.js';
import { createTestDatabase, testDialect, type TestDatabase } from '../helpers/database.js';

describe('history pruning', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t.drop());
  beforeEach(() => t.database.kysely.deleteFrom('barcode_scan').execute());

  const row = (data: string, id?: number) => ({
    ...(id !== undefined ? { id } : {}),
    data,
    user_id: null,
    timestamp: new Date().toISOString(),
    endpoint: '/api/barcode/',
    context: '{}',
    response: '{}',
    result: false,
    plugin: null,
  });
  /** Stores scans; answers the newest id. */
  async function scans(n: number, prefix: string): Promise<number> {
    let newest = 0;
    for (let i = 0; i < n; i++) {
      newest = (await t.database.kysely.insertInto('barcode_scan').values(row(`${prefix}-${i}`)).returning('id').executeTakeFirstOrThrow()).id;
    }
    return newest;
  }
  const stored = async () => (await t.database.kysely.selectFrom('barcode_scan').select('data').orderBy('id').execute()).map((r) => r.data);

  it('keeps the newest rows, prune after prune', async () => {
    const pruner = new HistoryPruner(1000);
    const db = t.database.kysely;
    await pruner.prune(db, await scans(30, 'a'), 10);
    assert.deepEqual(await stored(), Array.from({ length: 10 }, (_, i) => `a-${20 + i}`));
    await pruner.prune(db, await scans(5, 'b'), 10);
    assert.deepEqual(await stored(), [...Array.from({ length: 5 }, (_, i) => `a-${25 + i}`), ...Array.from({ length: 5 }, (_, i) => `b-${i}`)]);
    // A lower cap: the rows between the new and the old cutoff go too.
    await pruner.prune(db, await scans(1, 'c'), 3);
    assert.deepEqual(await stored(), ['b-3', 'b-4', 'c-0']);
  });

  it('starts where its last prune ended, and takes the whole range every few prunes', async () => {
    const pruner = new HistoryPruner(3);
    const db = t.database.kysely;
    const first = (await scans(1, 'old')) as number;
    await pruner.prune(db, await scans(20, 'a'), 10); // prune 1: the whole range
    assert.equal((await stored()).length, 10);
    // A row committed late with an id below where that prune ended (a long transaction's).
    await db.insertInto('barcode_scan').values(row('late', first)).execute();
    await pruner.prune(db, await scans(2, 'b'), 10); // prune 2: from where prune 1 ended
    await pruner.prune(db, await scans(2, 'c'), 10); // prune 3
    assert.deepEqual((await stored())[0], 'late', 'out of reach of a bounded prune');
    assert.equal((await stored()).length, 11);
    await pruner.prune(db, await scans(2, 'd'), 10); // prune 4: the whole range again
    assert.ok(!(await stored()).includes('late'));
    assert.equal((await stored()).length, 10);
  });
});

describe('the history writer', () => {
  let t: TestDatabase;
  let settings: SettingsService;
  before(async () => {
    t = await createTestDatabase();
    settings = new SettingsService(t.database.kysely, new DataGeneration(t.database));
  });
  after(() => t.drop());
  beforeEach(() => t.database.kysely.deleteFrom('barcode_scan').execute());

  /** The statements Kysely compiles through `db` (transaction control is not among them). */
  function counting(): { db: Kysely<DB>; statements: string[] } {
    const statements: string[] = [];
    const plugin: KyselyPlugin = {
      transformQuery: (args) => {
        statements.push(args.node.kind);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    return { db: t.database.kysely.withPlugin(plugin), statements };
  }

  const scan = (db: Kysely<DB>, data: string) =>
    recordScan(db, settings, { data, userId: null, endpoint: '/api/barcode/', context: {}, response: {}, result: false, plugin: null });
  const stored = async () => (await t.database.kysely.selectFrom('barcode_scan').select('data').orderBy('id').execute()).map((r) => r.data);

  const postgres = testDialect() === 'postgres';
  it(
    postgres
      ? "stores a tick's scans and prunes the history in one statement (PostgreSQL: one round trip)"
      : "stores a tick's scans and prunes the history in one transaction (SQLite: an insert and a delete)",
    async () => {
      await settings.setGlobal('BARCODE_RESULTS_MAX_NUM', '8');
      const { db, statements } = counting();
      await Promise.all(Array.from({ length: 6 }, (_, i) => scan(db, `a-${i}`)));
      assert.deepEqual(await stored(), Array.from({ length: 6 }, (_, i) => `a-${i}`));
      statements.length = 0;
      await Promise.all(Array.from({ length: 5 }, (_, i) => scan(db, `b-${i}`)));
      assert.deepEqual(await stored(), [...['a-3', 'a-4', 'a-5'], ...Array.from({ length: 5 }, (_, i) => `b-${i}`)]);
      // However the scans fell into ticks: on PostgreSQL each tick's write is one statement
      // (a select whose WITH clause inserts and deletes); on SQLite an insert, then a delete.
      assert.ok(statements.length > 0);
      assert.deepEqual(new Set(statements), new Set(postgres ? ['SelectQueryNode'] : ['InsertQueryNode', 'DeleteQueryNode']));
    },
  );

  it('keeps the cap exactly, batch after batch, and when a batch is larger than the cap', async () => {
    await settings.setGlobal('BARCODE_RESULTS_MAX_NUM', '4');
    for (const round of [1, 2, 3]) {
      await Promise.all(Array.from({ length: 3 }, (_, i) => scan(t.database.kysely, `r${round}-${i}`)));
    }
    assert.deepEqual(await stored(), ['r2-2', 'r3-0', 'r3-1', 'r3-2']);
    await Promise.all(Array.from({ length: 7 }, (_, i) => scan(t.database.kysely, `big-${i}`)));
    assert.deepEqual(await stored(), ['big-3', 'big-4', 'big-5', 'big-6']);
  });
});
