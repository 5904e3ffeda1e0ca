/**
 * The stock list's pages under an ordering that starts with the part name are read from the
 * items of the first parts only (stock/list-window.ts). Every page must be exactly the slice
 * of the whole list the database orders itself: parts sharing a name, parts without stock,
 * pages across part boundaries, both directions, deep offsets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { partsHoldingFirstItems } from '../../src/stock/list-window.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

describe('stock list pages ordered by part name', () => {
  let h: Harness;
  let viewer: TestUser;
  const names = ['Resistor', 'Capacitor', 'Resistor', 'Diode', 'Zener', 'Capacitor', 'Empty'];
  const partIds: number[] = [];

  before(async () => {
    h = await createHarness();
    viewer = await h.user('viewer', { roles: { stock: { can_view: true }, part: { can_view: true } } });
    const locations = [await h.fx.location({ name: 'Shelf B' }), await h.fx.location({ name: 'Shelf A' }), null];
    // Parts of the same name differ by IPN (names, IPNs and revisions are unique together).
    for (const [i, name] of names.entries()) partIds.push(await h.fx.part({ name, ipn: `IPN-${i}` }));
    // Items per part: 4, 1, 6, 0 ("Diode" has none), 3, 5, 0 ("Empty"); quantities repeat so
    // that quantity and location ties cross part boundaries.
    const perPart = [4, 1, 6, 0, 3, 5, 0];
    let n = 0;
    for (const [i, count] of perPart.entries()) {
      for (let k = 0; k < count; k++) {
        n += 1;
        await h.fx.stockItem({ part_id: partIds[i] as number, quantity: (n % 3) + 1, location_id: locations[n % 3] ?? null });
      }
    }
  });
  after(() => h.close());

  async function list(params: string): Promise<{ count?: number; pks: number[] }> {
    const res = await h.request({ method: 'GET', url: `/api/stock/?${params}`, headers: viewer.auth });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { count: number; results: { pk: number }[] } | { pk: number }[];
    return Array.isArray(body) ? { pks: body.map((r) => r.pk) } : { count: body.count, pks: body.results.map((r) => r.pk) };
  }

  for (const ordering of ['', 'part__name', '-part__name', 'part__name,-quantity', '-part__name,location']) {
    it(`every page equals the slice of the whole list (ordering "${ordering}")`, async () => {
      const suffix = ordering === '' ? '' : `ordering=${ordering}`;
      const whole = (await list(suffix)).pks;
      assert.equal(whole.length, 19);
      for (const limit of [1, 2, 4, 5, 25]) {
        for (let offset = 0; offset <= whole.length + 1; offset += 1) {
          const page = await list(`${suffix}&limit=${limit}&offset=${offset}`);
          assert.equal(page.count, 19);
          assert.deepEqual(page.pks, whole.slice(offset, offset + limit), `limit ${limit}, offset ${offset}`);
        }
      }
    });
  }

  it('a filtered list is counted and paged as before', async () => {
    const whole = (await list(`part=${partIds[0]}`)).pks;
    const page = await list(`part=${partIds[0]}&limit=2&offset=1`);
    assert.equal(page.count, whole.length);
    assert.deepEqual(page.pks, whole.slice(1, 3));
  });

  it('takes the parts of the first rows, with every part sharing the last name', async () => {
    const db = h.app.ctx.db;
    const byName = (ids: number[] | undefined) => (ids ?? []).map((id) => names[partIds.indexOf(id)]);
    // Capacitor (1 + 5 items) covers 6 rows.
    assert.deepEqual(byName(await partsHoldingFirstItems(db, 6, false)), ['Capacitor', 'Capacitor']);
    // A seventh row needs Diode (none) and the first Resistor, so both Resistors.
    assert.deepEqual(byName(await partsHoldingFirstItems(db, 7, false)), ['Capacitor', 'Capacitor', 'Diode', 'Empty', 'Resistor', 'Resistor']);
    assert.deepEqual(byName(await partsHoldingFirstItems(db, 3, true)), ['Zener']);
    assert.deepEqual(byName(await partsHoldingFirstItems(db, 100, false)), ['Capacitor', 'Capacitor', 'Diode', 'Empty', 'Resistor', 'Resistor', 'Zener']);
  });

  it('gives up (the full sort is used) when the first rows are spread over too many parts', async () => {
    const db = h.app.ctx.db;
    // 2,100 parts without stock, named before all the others.
    for (let start = 0; start < 2100; start += 300) {
      const rows = Array.from({ length: 300 }, (_, i) => ({ name: `AAA ${String(start + i).padStart(5, '0')}`, tree_path: '/' }));
      await db.insertInto('part').values(rows).execute();
    }
    assert.equal(await partsHoldingFirstItems(db, 1, false), undefined);
    const whole = (await list('')).pks;
    assert.deepEqual((await list('limit=3&offset=2')).pks, whole.slice(2, 5));
  });
});
