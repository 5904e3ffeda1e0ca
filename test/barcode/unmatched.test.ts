/**
 * The unmatched inbox: `GET /api/barcode/unmatched/` and `POST /api/barcode/unmatched/dismiss/`
 * — failed scans grouped by normalised barcode, without barcodes that match now and without
 * dismissed groups; staff only.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { failedScans } from '../../src/barcode/unmatched-routes.js';
import { barcodeHash } from '../../src/barcode/formats/hash.js';

interface Item {
  data: string;
  normalized: string;
  count: number;
  first_seen: string;
  last_seen: string;
  users: { pk: number; username: string }[];
  endpoints: string[];
  last_error: string | null;
}

describe('unmatched inbox', () => {
  let h: Harness;
  let staff: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let part: number;
  beforeEach(async () => {
    h = await createHarness();
    staff = await h.user('staff', { is_staff: true, roles: { part: { can_view: true, can_change: true } } });
    alice = await h.user('alice', { roles: { part: { can_view: true }, sales_order: { can_add: true } } });
    bob = await h.user('bob', { roles: { part: { can_view: true } } });
    part = await h.fx.part({ name: 'Thing' });
  });
  afterEach(() => h.close());

  const scan = (barcode: string, who: TestUser) => h.request({ method: 'POST', url: '/api/barcode/', headers: who.auth, payload: { barcode } });
  const inbox = async (query = '', who: TestUser = staff) => {
    const res = await h.request({ method: 'GET', url: `/api/barcode/unmatched/${query}`, headers: who.auth });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  /** Moves the timestamps of the scans of `normalized` back by `minutes`. */
  const age = async (normalized: string, minutes: number) => {
    const rows = await h.db.database.kysely.selectFrom('barcode_scan').select(['id', 'timestamp']).where('normalized', '=', normalized).execute();
    for (const r of rows) {
      const t = new Date(new Date(r.timestamp).getTime() - minutes * 60000).toISOString();
      await h.db.database.kysely.updateTable('barcode_scan').set({ timestamp: t }).where('id', '=', r.id).execute();
    }
  };

  it('groups failed scans by normalised barcode with counts, times, users, endpoints and the last error', async () => {
    await scan('MYSTERY-1', alice);
    await scan('MYSTERY-1', bob);
    await scan(']C0MYSTERY-1', alice);
    const customer = await h.fx.company({ is_customer: true, is_supplier: false });
    const so = await h.fx.salesOrder({ customer_id: customer, status: 10 });
    await h.request({ method: 'POST', url: '/api/barcode/so-allocate/', headers: alice.auth, payload: { barcode: 'MYSTERY-1', sales_order: so } });
    await age('MYSTERY-1', 90);
    await scan('MYSTERY-2', bob);
    await scan(`INV-PA${part}`, bob); // matched: not in the inbox
    const items = (await inbox()) as Item[];
    assert.deepEqual(items.map((i) => i.normalized), ['MYSTERY-2', 'MYSTERY-1']);
    const one = items[1]!;
    assert.equal(one.count, 4);
    assert.equal(one.data, 'MYSTERY-1');
    assert.deepEqual(one.users, [
      { pk: alice.user.id, username: 'alice' },
      { pk: bob.user.id, username: 'bob' },
    ]);
    assert.deepEqual(one.endpoints, ['/api/barcode/', '/api/barcode/so-allocate/']);
    assert.equal(one.last_error, 'No matching plugin found for barcode data');
    assert.match(one.first_seen, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    assert.ok(one.first_seen <= one.last_seen);
    assert.deepEqual(Object.keys(one).sort(), ['count', 'data', 'endpoints', 'first_seen', 'last_error', 'last_seen', 'normalized', 'users']);
    assert.equal(items[0]!.last_error, 'No match found for barcode data');
  });

  it('shows what was sent and what was read; control pictures and real characters are one group', async () => {
    await scan('[)>\u241e06\u241dPXYZ-1\u241dQ5\u241e\u2404', alice);
    await scan('[)>\x1e06\x1dPXYZ-1\x1dQ5\x1e\x04', bob);
    const [item] = (await inbox()) as Item[];
    assert.equal(item!.count, 2);
    assert.equal(item!.data, '[)>\x1e06\x1dPXYZ-1\x1dQ5\x1e\x04');
    assert.equal(item!.normalized, '[)>\x1e06\x1dPXYZ-1\x1dQ5\x1e\x04');
  });

  it('a group disappears once its barcode is linked (POST /api/barcode/link/)', async () => {
    await scan('NEW-LABEL', alice);
    assert.equal(((await inbox()) as Item[]).length, 1);
    const link = await h.request({ method: 'POST', url: '/api/barcode/link/', headers: staff.auth, payload: { barcode: 'NEW-LABEL', part } });
    assert.equal(link.statusCode, 200);
    assert.deepEqual(await inbox(), []);
  });

  it('a group disappears when the plugins find it now (an object created since)', async () => {
    await scan('INV-PA999', alice);
    assert.equal(((await inbox()) as Item[])[0]!.normalized, 'INV-PA999');
    await h.fx.part({ id: 999, name: 'Late part' });
    assert.deepEqual(await inbox(), []);
  });

  it('dismiss hides the group; a later failure starts it afresh', async () => {
    await scan('JUNK', alice);
    await scan('JUNK', bob);
    const res = await h.request({ method: 'POST', url: '/api/barcode/unmatched/dismiss/', headers: staff.auth, payload: { data: 'JUNK' } });
    assert.deepEqual([res.statusCode, res.json()], [200, { success: 'Dismissed' }]);
    assert.deepEqual(await inbox(), []);
    // Dismissal time is after those scans; a new failure shows up alone.
    await new Promise((r) => setTimeout(r, 5));
    await scan('JUNK', bob);
    const [item] = (await inbox()) as Item[];
    assert.deepEqual([item!.count, item!.users.map((u) => u.username)], [1, ['bob']]);
    // Dismissing again is fine.
    assert.equal((await h.request({ method: 'POST', url: '/api/barcode/unmatched/dismiss/', headers: staff.auth, payload: { data: 'JUNK' } })).statusCode, 200);
    assert.deepEqual(await inbox(), []);
  });

  it('is paginated with limit, searchable, newest first', async () => {
    for (const [code, minutes] of [
      ['AAA-1', 30],
      ['BBB-2', 20],
      ['AAA-3', 10],
    ] as const) {
      await scan(code, alice);
      await age(code, minutes);
    }
    const page = await inbox('?limit=2');
    assert.equal(page.count, 3);
    assert.deepEqual(page.results.map((i: Item) => i.normalized), ['AAA-3', 'BBB-2']);
    assert.ok(page.next);
    const second = await inbox('?limit=2&offset=2');
    assert.deepEqual(second.results.map((i: Item) => i.normalized), ['AAA-1']);
    const found = (await inbox('?search=aaa')) as Item[];
    assert.deepEqual(found.map((i) => i.normalized), ['AAA-3', 'AAA-1']);
  });

  it('leaves out invalid requests (no barcode to group)', async () => {
    await scan('', alice);
    await h.request({ method: 'POST', url: '/api/barcode/', headers: alice.auth, payload: {} });
    assert.deepEqual(await inbox(), []);
  });

  it('is staff only; dismiss validates its body', async () => {
    assert.equal((await h.request({ method: 'GET', url: '/api/barcode/unmatched/', headers: alice.auth })).statusCode, 403);
    assert.equal((await h.request({ method: 'POST', url: '/api/barcode/unmatched/dismiss/', headers: alice.auth, payload: { data: 'X' } })).statusCode, 403);
    assert.equal((await h.request({ method: 'GET', url: '/api/barcode/unmatched/' })).statusCode, 401);
    const bad = await h.request({ method: 'POST', url: '/api/barcode/unmatched/dismiss/', headers: staff.auth, payload: {} });
    assert.deepEqual([bad.statusCode, bad.json()], [400, { data: ['This field is required.'] }]);
  });
});

/**
 * Migration 0008: no index of the history is keyed by the normalised barcode (0006 kept one of
 * the failed scans), so a failed scan writes only at the ends of the history's indexes, as a
 * successful one does, however large the history is.
 */
describe('the indexes of the scan history', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  it('include none keyed by the barcode hash, for failed or successful scans', async () => {
    const database = h.db.database;
    const indexes =
      database.dialect === 'sqlite'
        ? (await sql<{ name: string; sql: string | null }>`select name, sql from sqlite_master where type = 'index' and tbl_name = 'barcode_scan'`.execute(database.kysely)).rows
        : (await sql<{ name: string; sql: string | null }>`select indexname as name, indexdef as sql from pg_indexes where tablename = 'barcode_scan'`.execute(database.kysely)).rows;
    assert.ok(indexes.some((i) => /timestamp/.test(i.sql ?? '')), 'the history still has its other indexes');
    assert.deepEqual(
      indexes.filter((i) => /normalized_hash/.test(i.sql ?? '')).map((i) => i.name),
      [],
    );
  });

  it('leave the inbox its look-up of failed scans by barcode', async () => {
    const staff = await h.user('staff', { is_staff: true });
    for (const barcode of ['NOPE-1', 'NOPE-2', 'NOPE-1']) {
      assert.equal((await h.request({ method: 'POST', url: '/api/barcode/', headers: staff.auth, payload: { barcode } })).statusCode, 400);
    }
    const rows = await failedScans(h.db.database.kysely).where('s.normalized_hash', '=', barcodeHash('NOPE-1')).select('s.id').execute();
    assert.equal(rows.length, 2);
  });
});
