/**
 * Pruning the scan history at its cap (BARCODE_RESULTS_MAX_NUM): each prune deletes from where
 * the pruner's last one ended, so that on PostgreSQL it does not walk the dead index entries of
 * every row deleted before; every few prunes it takes the whole range, for rows committed late
 * below that point.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { HistoryPruner } from '../../src/barcode/history.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

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
