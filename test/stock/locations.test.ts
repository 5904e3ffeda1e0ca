import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

const LOCATION_KEYS = [
  'pk',
  'barcode_hash',
  'name',
  'level',
  'description',
  'parent',
  'pathstring',
  'items',
  'sublocations',
  'owner',
  'icon',
  'custom_icon',
  'structural',
  'external',
  'location_type',
  'location_type_detail',
  'tags',
].sort();

describe('stock locations', () => {
  let h: Harness;
  let admin: TestUser;
  let wh: number;
  let shelf: number;
  let bin: number;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true });
    wh = await h.fx.location({ name: 'Warehouse' });
    shelf = await h.fx.location({ name: 'Shelf', parent_id: wh });
    bin = await h.fx.location({ name: 'Bin', parent_id: shelf });
    const part = await h.fx.part({ name: 'Widget' });
    await h.fx.stockItem({ part_id: part, location_id: wh, quantity: 3 });
    await h.fx.stockItem({ part_id: part, location_id: bin, quantity: 4 });
    await h.fx.stockItem({ part_id: part, location_id: bin, quantity: 5 });
    await h.fx.link('stocklocation', shelf, 'SHELF-BARCODE');
  });
  after(() => h.close());

  const get = (url: string) => h.request({ method: 'GET', url, headers: admin.auth });

  it('serialises every §7.4 key, counting items and locations below', async () => {
    const res = await get(`/api/stock/location/${wh}/`);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), LOCATION_KEYS);
    assert.equal(body.items, 3);
    assert.equal(body.sublocations, 2);
    assert.equal(body.level, 0);
    assert.equal(body.parent, null);
    assert.equal(body.owner, null);
    assert.equal(body.location_type_detail, null);
    assert.deepEqual(body.tags, []);
    assert.equal(body.barcode_hash, '');
    const shelfBody = (await get(`/api/stock/location/${shelf}/`)).json();
    assert.equal(shelfBody.items, 2);
    assert.equal(shelfBody.sublocations, 1);
    assert.equal(shelfBody.pathstring, 'Warehouse/Shelf');
    assert.equal(shelfBody.level, 1);
    assert.match(shelfBody.barcode_hash, /^[0-9a-f]{32}$/);
  });

  it('adds the path with ?path_detail=true', async () => {
    const body = (await get(`/api/stock/location/${bin}/?path_detail=true`)).json();
    assert.deepEqual(
      body.path.map((p: { pk: number; name: string }) => [p.pk, p.name]),
      [
        [wh, 'Warehouse'],
        [shelf, 'Shelf'],
        [bin, 'Bin'],
      ],
    );
    assert.equal('path' in (await get(`/api/stock/location/${bin}/`)).json(), false);
  });

  it('filters by parent (direct children unless cascade), top_level, name and search', async () => {
    const ids = async (url: string) => (await get(url)).json().map((l: { pk: number }) => l.pk);
    assert.deepEqual(await ids(`/api/stock/location/?parent=${wh}`), [shelf]);
    assert.deepEqual((await ids(`/api/stock/location/?parent=${wh}&cascade=True`)).sort(), [shelf, bin].sort());
    assert.deepEqual(await ids('/api/stock/location/?top_level=true'), [wh]);
    assert.deepEqual(await ids('/api/stock/location/?name=Bin'), [bin]);
    assert.deepEqual((await ids('/api/stock/location/?search=shel')).sort(), [shelf, bin].sort()); // pathstring matches too
    const bad = await get('/api/stock/location/?parent=9999');
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json(), { parent: ['Select a valid choice. That choice is not one of the available choices.'] });
  });

  it('filters by structural and external', async () => {
    const s = await h.fx.location({ name: 'Structural', structural: true, external: true });
    const ids = async (url: string) => (await get(url)).json().map((l: { pk: number }) => l.pk);
    assert.deepEqual(await ids('/api/stock/location/?structural=True'), [s]);
    assert.deepEqual(await ids('/api/stock/location/?external=true'), [s]);
    assert.equal((await ids('/api/stock/location/?structural=false')).includes(s), false);
  });

  it('pages with limit', async () => {
    const body = (await get('/api/stock/location/?limit=2')).json();
    assert.equal(typeof body.count, 'number');
    assert.equal(body.results.length, 2);
  });

  it('serves the tree endpoint ordered by level and name', async () => {
    const body = (await get('/api/stock/location/tree/')).json();
    const w = body.find((n: { pk: number }) => n.pk === wh);
    assert.deepEqual(Object.keys(w).sort(), ['icon', 'name', 'parent', 'pk', 'structural', 'sublocations']);
    assert.equal(w.sublocations, 2);
    const levels = body.map((n: { pk: number }) => n.pk);
    assert.ok(levels.indexOf(wh) < levels.indexOf(shelf));
    assert.ok(levels.indexOf(shelf) < levels.indexOf(bin));
  });

  it('answers the catch-all 404 for a missing location', async () => {
    const res = await get('/api/stock/location/9999/');
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { detail: 'No StockLocation matches the given query.' });
  });
});

describe('stock location writes', () => {
  let h: Harness;
  let admin: TestUser;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true });
  });
  after(() => h.close());

  const send = (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    h.request({ method, url, headers: admin.auth, ...(payload !== undefined ? { payload: payload as object } : {}) });

  it('creates locations under a parent, unique among siblings', async () => {
    const root = await send('POST', '/api/stock/location/', { name: 'Store', description: 'Main store' });
    assert.equal(root.statusCode, 201);
    assert.equal(root.json().pathstring, 'Store');
    const child = await send('POST', '/api/stock/location/', { name: 'Aisle', parent: root.json().pk });
    assert.equal(child.statusCode, 201);
    assert.equal(child.json().pathstring, 'Store/Aisle');
    assert.equal(child.json().level, 1);
    const dup = await send('POST', '/api/stock/location/', { name: 'Aisle', parent: root.json().pk });
    assert.equal(dup.statusCode, 400);
    assert.deepEqual(dup.json(), { non_field_errors: ['Duplicate names cannot exist under the same parent'] });
    const elsewhere = await send('POST', '/api/stock/location/', { name: 'Aisle' });
    assert.equal(elsewhere.statusCode, 201);
    const missing = await send('POST', '/api/stock/location/', { description: 'x' });
    assert.deepEqual(missing.json(), { name: ['This field is required.'] });
  });

  it('re-parents with a string pk (mobile app) and rebuilds the subtree paths', async () => {
    const a = await h.fx.location({ name: 'A' });
    const b = await h.fx.location({ name: 'B' });
    const a1 = await h.fx.location({ name: 'A1', parent_id: a });
    const a2 = await h.fx.location({ name: 'A2', parent_id: a1 });
    const res = await send('PATCH', `/api/stock/location/${a}/`, { parent: String(b) });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().parent, b);
    assert.equal(res.json().pathstring, 'B/A');
    const deep = (await h.request({ method: 'GET', url: `/api/stock/location/${a2}/`, headers: admin.auth })).json();
    assert.equal(deep.pathstring, 'B/A/A1/A2');
    assert.equal(deep.level, 3);
    const back = await send('PATCH', `/api/stock/location/${a}/`, { parent: null });
    assert.equal(back.json().pathstring, 'A');
  });

  it('refuses cycles and unknown parents', async () => {
    const a = await h.fx.location({ name: 'Cyc' });
    const child = await h.fx.location({ name: 'CycChild', parent_id: a });
    const selfRes = await send('PATCH', `/api/stock/location/${a}/`, { parent: a });
    assert.equal(selfRes.statusCode, 400);
    assert.deepEqual(selfRes.json(), { parent: ['Invalid choice'] });
    const loop = await send('PATCH', `/api/stock/location/${a}/`, { parent: child });
    assert.deepEqual(loop.json(), { parent: ['Invalid choice'] });
    const unknown = await send('PATCH', `/api/stock/location/${a}/`, { parent: '999' });
    assert.deepEqual(unknown.json(), { parent: ['Invalid pk "999" - object does not exist.'] });
  });

  it('refuses to make a location holding stock structural', async () => {
    const loc = await h.fx.location({ name: 'Holding' });
    await h.fx.stockItem({ part_id: await h.fx.part(), location_id: loc });
    const res = await send('PATCH', `/api/stock/location/${loc}/`, { structural: true });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      non_field_errors: ['You cannot make this stock location structural because some stock items are already located into it!'],
    });
  });

  it('deletes a location moving children and stock to its parent, with its barcode links', async () => {
    const top = await h.fx.location({ name: 'DelTop' });
    const mid = await h.fx.location({ name: 'DelMid', parent_id: top });
    const low = await h.fx.location({ name: 'DelLow', parent_id: mid });
    const item = await h.fx.stockItem({ part_id: await h.fx.part(), location_id: mid });
    await h.fx.link('stocklocation', mid, 'DEL-MID');
    const res = await send('DELETE', `/api/stock/location/${mid}/`);
    assert.equal(res.statusCode, 204);
    const lowBody = (await h.request({ method: 'GET', url: `/api/stock/location/${low}/`, headers: admin.auth })).json();
    assert.equal(lowBody.parent, top);
    assert.equal(lowBody.pathstring, 'DelTop/DelLow');
    const itemRow = await h.db.database.kysely.selectFrom('stock_item').select('location_id').where('id', '=', item).executeTakeFirstOrThrow();
    assert.equal(itemRow.location_id, top);
    const links = await h.db.database.kysely.selectFrom('barcode_link').select('id').where('data', '=', 'DEL-MID').execute();
    assert.equal(links.length, 0);
  });

  it('deletes sub-locations and stock when asked with 1', async () => {
    const top = await h.fx.location({ name: 'Purge' });
    const sub = await h.fx.location({ name: 'PurgeSub', parent_id: top });
    const item = await h.fx.stockItem({ part_id: await h.fx.part(), location_id: sub });
    const res = await send('DELETE', `/api/stock/location/${top}/`, { delete_sub_locations: 1, delete_stock_items: '1' });
    assert.equal(res.statusCode, 204);
    const db = h.db.database.kysely;
    assert.equal(await db.selectFrom('stock_location').select('id').where('id', '=', sub).executeTakeFirst(), undefined);
    assert.equal(await db.selectFrom('stock_item').select('id').where('id', '=', item).executeTakeFirst(), undefined);
  });
});

describe('stock location permissions', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('needs the stock_location ruleset (view to read, add to create)', async () => {
    const viewer = await h.user('viewer', { roles: { stock_location: { can_view: true } } });
    const stockOnly = await h.user('stockonly', { roles: { stock: { can_view: true } } });
    assert.equal((await h.request({ method: 'GET', url: '/api/stock/location/', headers: viewer.auth })).statusCode, 200);
    assert.equal((await h.request({ method: 'GET', url: '/api/stock/location/', headers: stockOnly.auth })).statusCode, 403);
    const post = await h.request({ method: 'POST', url: '/api/stock/location/', headers: viewer.auth, payload: { name: 'X' } });
    assert.equal(post.statusCode, 403);
    assert.deepEqual(post.json(), { detail: 'You do not have permission to perform this action.' });
    const adder = await h.user('adder', { roles: { stock_location: { can_add: true } } });
    assert.equal((await h.request({ method: 'POST', url: '/api/stock/location/', headers: adder.auth, payload: { name: 'X' } })).statusCode, 201);
    assert.equal((await h.request({ method: 'GET', url: '/api/stock/location/' })).statusCode, 401);
  });
});
