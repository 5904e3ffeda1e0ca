import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

describe('stock actions', () => {
  let h: Harness;
  let admin: TestUser;
  let part: number;
  let from: number;
  let to: number;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true });
    part = await h.fx.part({ name: 'Bolt' });
    from = await h.fx.location({ name: 'From' });
    to = await h.fx.location({ name: 'To' });
  });
  after(() => h.close());

  const post = (action: string, payload: unknown) => h.request({ method: 'POST', url: `/api/stock/${action}/`, headers: admin.auth, payload: payload as object });
  const item = (id: number) => h.db.database.kysely.selectFrom('stock_item').selectAll().where('id', '=', id).executeTakeFirst();
  const tracking = (id: number) => h.db.database.kysely.selectFrom('stock_tracking').selectAll().where('item_id', '=', id).orderBy('id').execute();

  it('transfers a whole item as the mobile app sends it: 201 with the request echoed, STOCK_MOVE tracking', async () => {
    const id = await h.fx.stockItem({ part_id: part, location_id: from, quantity: 5 });
    const res = await post('transfer', { items: [{ pk: id, quantity: 5 }], location: to, notes: 'Moved by scan' });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json(), { items: [{ pk: id, quantity: 5, status: null }], notes: 'Moved by scan', location: to });
    assert.equal((await item(id))?.location_id, to);
    const [entry] = await tracking(id);
    assert.equal(entry?.tracking_type, 20);
    assert.deepEqual(JSON.parse(entry?.deltas ?? '{}'), { location: to });
    assert.equal(entry?.notes, 'Moved by scan');
    assert.equal(entry?.user_id, admin.user.id);
  });

  it('splits a partial transfer into a child item at the destination', async () => {
    const id = await h.fx.stockItem({ part_id: part, location_id: from, quantity: 10 });
    const res = await post('transfer', { items: [{ pk: String(id), quantity: '4' }], location: String(to) });
    assert.equal(res.statusCode, 201);
    assert.equal((await item(id))?.quantity, 6);
    assert.equal((await item(id))?.location_id, from);
    const child = await h.db.database.kysely.selectFrom('stock_item').selectAll().where('parent_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(Number(child.quantity), 4);
    assert.equal(child.location_id, to);
    const childTrack = await tracking(child.id);
    assert.equal(childTrack[0]?.tracking_type, 40);
    assert.deepEqual(JSON.parse(childTrack[0]?.deltas ?? '{}'), { stockitem: id, location: to, quantity: 4 });
    const parentTrack = await tracking(id);
    assert.equal(parentTrack[0]?.tracking_type, 42);
    assert.deepEqual(JSON.parse(parentTrack[0]?.deltas ?? '{}'), { removed: 4, quantity: 6, stockitem: child.id, location: to });
    const api = (await h.request({ method: 'GET', url: `/api/stock/${id}/`, headers: admin.auth })).json();
    assert.equal(api.child_items, 1);
  });

  it('validates every row and reports errors positionally, changing nothing', async () => {
    const good = await h.fx.stockItem({ part_id: part, location_id: from, quantity: 3 });
    const shipped = await h.fx.stockItem({ part_id: part, quantity: 3, customer_id: await h.fx.company({ is_customer: true }) });
    const res = await post('transfer', {
      items: [
        { pk: good, quantity: 1 },
        { pk: 9999, quantity: 1 },
        { pk: good, quantity: 0 },
        { pk: shipped, quantity: -1 },
        { pk: good },
      ],
      location: to,
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      items: [
        {},
        { pk: ['Invalid pk "9999" - object does not exist.'] },
        { quantity: ['Quantity must be greater than zero'] },
        { pk: ['Stock item is not in stock'], quantity: ['Ensure this value is greater than or equal to 0.'] },
        { quantity: ['This field is required.'] },
      ],
    });
    assert.equal((await item(good))?.location_id, from);
  });

  it('needs a non-structural destination and a non-empty list', async () => {
    const id = await h.fx.stockItem({ part_id: part, location_id: from });
    const structural = await h.fx.location({ structural: true });
    assert.deepEqual((await post('transfer', { items: [{ pk: id, quantity: 1 }], location: structural })).json(), {
      location: [`Invalid pk "${structural}" - object does not exist.`],
    });
    assert.deepEqual((await post('transfer', { items: [{ pk: id, quantity: 1 }] })).json(), { location: ['This field is required.'] });
    assert.deepEqual((await post('transfer', { items: [], location: to })).json(), { non_field_errors: ['A list of stock items must be provided'] });
    assert.deepEqual((await post('count', {})).json(), { items: ['This field is required.'] });
  });

  it('rolls the whole transfer back when one item is not in stock', async () => {
    const a = await h.fx.stockItem({ part_id: part, location_id: from, quantity: 2 });
    const lost = await h.fx.stockItem({ part_id: part, location_id: from, quantity: 2, status: 70 });
    const res = await post('transfer', { items: [{ pk: a, quantity: 2 }, { pk: lost, quantity: 2 }], location: to });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { non_field_errors: ['StockItem cannot be moved as it is not in stock'] });
    assert.equal((await item(a))?.location_id, from);
    assert.equal((await tracking(a)).length, 0);
  });

  it('counts stock (STOCK_COUNT), setting the stocktake date and optional fields', async () => {
    const id = await h.fx.stockItem({ part_id: part, quantity: 5 });
    const res = await post('count', { items: [{ pk: id, quantity: 8, batch: 'CNT', status: 50 }], notes: 'counted' });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json(), { items: [{ pk: id, quantity: 8, batch: 'CNT', status: 50 }], notes: 'counted' });
    const row = await item(id);
    assert.equal(Number(row?.quantity), 8);
    assert.equal(row?.batch, 'CNT');
    assert.equal(row?.status, 50);
    assert.match(String(row?.stocktake_date), /^\d{4}-\d{2}-\d{2}$/);
    const [entry] = await tracking(id);
    assert.equal(entry?.tracking_type, 10);
    assert.deepEqual(JSON.parse(entry?.deltas ?? '{}'), { quantity: 8, batch: 'CNT', status: 50 });
  });

  it('adds and removes stock (STOCK_ADD, STOCK_REMOVE)', async () => {
    const id = await h.fx.stockItem({ part_id: part, quantity: 5 });
    assert.equal((await post('add', { items: [{ pk: id, quantity: 2.5 }] })).statusCode, 201);
    assert.equal(Number((await item(id))?.quantity), 7.5);
    assert.equal((await post('remove', { items: [{ pk: id, quantity: 3 }] })).statusCode, 201);
    assert.equal(Number((await item(id))?.quantity), 4.5);
    const entries = await tracking(id);
    assert.deepEqual(
      entries.map((e) => [e.tracking_type, JSON.parse(e.deltas)]),
      [
        [11, { added: 2.5, quantity: 7.5 }],
        [12, { removed: 3, quantity: 4.5 }],
      ],
    );
  });

  it('deletes an item removed to zero unless it must be kept', async () => {
    const gone = await h.fx.stockItem({ part_id: part, quantity: 2 });
    const kept = await h.fx.stockItem({ part_id: part, quantity: 2, delete_on_deplete: false });
    const res = await post('remove', { items: [{ pk: gone, quantity: 5 }, { pk: kept, quantity: 2 }] });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(
      res.json().items.map((i: { pk: number | null }) => i.pk),
      [null, kept],
    );
    assert.equal(await item(gone), undefined);
    assert.equal(Number((await item(kept))?.quantity), 0);
  });

  it('leaves serialized items alone when counting or removing', async () => {
    const tracked = await h.fx.part({ trackable: true });
    const s = await h.fx.stockItem({ part_id: tracked, serial: '77', quantity: 1, delete_on_deplete: false });
    await post('remove', { items: [{ pk: s, quantity: 1 }] });
    await post('count', { items: [{ pk: s, quantity: 0 }] });
    assert.equal(Number((await item(s))?.quantity), 1);
    assert.equal((await tracking(s)).length, 0);
  });

  it('documents items, location and notes for OPTIONS (the app builds its form from it)', async () => {
    const res = await h.request({ method: 'OPTIONS', url: '/api/stock/transfer/', headers: admin.auth });
    assert.equal(res.statusCode, 200);
    const fields = res.json().actions.POST;
    assert.equal(fields.items.type, 'list');
    assert.equal(fields.items.required, true);
    assert.deepEqual(Object.keys(fields.items.child.children).sort(), ['batch', 'packaging', 'pk', 'quantity', 'status']);
    assert.equal(fields.location.type, 'integer');
    assert.equal(fields.location.required, true);
    assert.equal(fields.notes.type, 'string');
    assert.equal(fields.notes.required, false);
  });

  it('needs the stock.change role', async () => {
    const id = await h.fx.stockItem({ part_id: part, location_id: from });
    const viewer = await h.user('viewer', { roles: { stock: { can_view: true } } });
    const builder = await h.user('builder', { roles: { build: { can_view: true, can_change: true } } });
    const changer = await h.user('changer', { roles: { stock: { can_change: true } } });
    const payload = { items: [{ pk: id, quantity: 1 }], location: to };
    const denied = await h.request({ method: 'POST', url: '/api/stock/transfer/', headers: viewer.auth, payload });
    assert.equal(denied.statusCode, 403);
    assert.equal((await h.request({ method: 'POST', url: '/api/stock/transfer/', headers: builder.auth, payload })).statusCode, 403);
    assert.equal((await h.request({ method: 'POST', url: '/api/stock/transfer/', headers: changer.auth, payload })).statusCode, 201);
  });
});

describe('stock tracking endpoint', () => {
  let h: Harness;
  let admin: TestUser;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, first_name: 'Ada' });
  });
  after(() => h.close());

  it('lists entries of an item, newest first, with user_detail on request', async () => {
    const part = await h.fx.part();
    const other = await h.fx.stockItem({ part_id: part });
    const created = await h.request({ method: 'POST', url: '/api/stock/', headers: admin.auth, payload: { part, quantity: 4 } });
    const id = created.json()[0].pk;
    await h.request({ method: 'POST', url: '/api/stock/add/', headers: admin.auth, payload: { items: [{ pk: id, quantity: 1 }], notes: 'more' } });
    await h.request({ method: 'POST', url: '/api/stock/add/', headers: admin.auth, payload: { items: [{ pk: other, quantity: 1 }] } });
    const list = (await h.request({ method: 'GET', url: `/api/stock/track/?item=${id}&user_detail=true`, headers: admin.auth })).json();
    assert.equal(list.length, 2);
    assert.deepEqual(Object.keys(list[0]).sort(), ['date', 'deltas', 'item', 'label', 'notes', 'pk', 'tracking_type', 'user', 'user_detail']);
    assert.equal(list[0].tracking_type, 11);
    assert.equal(list[0].label, 'Stock manually added');
    assert.equal(list[0].notes, 'more');
    assert.equal(list[1].tracking_type, 1);
    assert.equal(list[0].user_detail.username, 'admin');
    assert.match(list[0].date, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const detail = await h.request({ method: 'GET', url: `/api/stock/track/${list[0].pk}/`, headers: admin.auth });
    assert.equal(detail.statusCode, 200);
    assert.equal('user_detail' in detail.json(), false);
    const missing = await h.request({ method: 'GET', url: '/api/stock/track/99999/', headers: admin.auth });
    assert.deepEqual(missing.json(), { detail: 'No StockItemTracking matches the given query.' });
    const bad = await h.request({ method: 'GET', url: '/api/stock/track/?item=99999', headers: admin.auth });
    assert.equal(bad.statusCode, 400);
  });

  it('needs a ruleset covering stock_stockitemtracking', async () => {
    const stock = await h.user('stockviewer', { roles: { stock: { can_view: true } } });
    const loc = await h.user('locviewer', { roles: { stock_location: { can_view: true } } });
    assert.equal((await h.request({ method: 'GET', url: '/api/stock/track/', headers: stock.auth })).statusCode, 200);
    assert.equal((await h.request({ method: 'GET', url: '/api/stock/track/', headers: loc.auth })).statusCode, 403);
  });
});
