import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lineAllocatedTotals } from '../../src/order/sales-serializers.js';
import { inTransaction } from '../../src/db/transaction.js';
import { ValidationError } from '../../src/http/errors.js';
import { allocationModelErrors, createAllocationIn, isSalesOrderOpen } from '../../src/order/sales-service.js';
import { activeAllocationCounts, isSerialized, unallocatedQuantities } from '../../src/stock/queries.js';
import { createHarness, type Harness } from '../helpers/app.js';
import { client, salesWorld, sorted, type Client, type SalesWorld } from './sales-helpers.js';

const ALLOCATION_KEYS = ['pk', 'item', 'quantity', 'shipment', 'line', 'part', 'order', 'serial', 'location', 'item_detail', 'part_detail', 'shipment_detail'];

interface Setup {
  order: number;
  line: number;
  shipment: number;
  item: number;
  allocation: number;
}

async function setup(h: Harness, w: SalesWorld, quantity = 10): Promise<Setup> {
  const order = await h.fx.salesOrder({ customer_id: w.customer, status: 15 });
  const line = await h.fx.soLine({ order_id: order, part_id: w.part, quantity: 20 });
  const shipment = await h.fx.shipment({ order_id: order });
  const item = await h.fx.stockItem({ part_id: w.part, quantity, location_id: w.location, batch: 'B-1' });
  const allocation = await h.fx.allocation({ line_id: line, item_id: item, shipment_id: shipment, quantity: 4 });
  return { order, line, shipment, item, allocation };
}

describe('sales order allocations: read', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  let s: Setup;
  before(async () => {
    h = await createHarness();
    api = client(h, await h.user('root', { is_superuser: true }));
    w = await salesWorld(h);
    s = await setup(h, w);
  });
  after(() => h.close());

  it('answers the keys of §7.14 with item, part and shipment details by default', async () => {
    const res = await api.get(`/api/order/so-allocation/${s.allocation}/`);
    assert.equal(res.statusCode, 200);
    const a = res.json();
    assert.deepEqual(sorted(Object.keys(a)), sorted(ALLOCATION_KEYS));
    assert.equal(a.item, s.item);
    assert.equal(a.quantity, 4);
    assert.equal(a.shipment, s.shipment);
    assert.equal(a.line, s.line);
    assert.equal(a.part, w.part);
    assert.equal(a.order, s.order);
    assert.equal(a.serial, null);
    assert.equal(a.location, w.location);
    assert.equal(a.item_detail.pk, s.item);
    assert.equal(a.item_detail.quantity, 10);
    assert.equal(a.item_detail.allocated, 4);
    assert.equal(a.item_detail.in_stock, true);
    assert.equal(a.item_detail.batch, 'B-1');
    assert.equal('part_detail' in a.item_detail, false);
    // The embedded item is the StockItem object itself, without details or notes.
    const own = (await api.get(`/api/stock/${s.item}/?part_detail=false`)).json();
    delete own.notes;
    assert.deepEqual(a.item_detail, own);
    assert.equal(a.part_detail.pk, w.part);
    assert.equal(a.shipment_detail.pk, s.shipment);
    assert.equal('order_detail' in a.shipment_detail, false, 'the embedded shipment has no order_detail');
  });

  it('turns details on and off with the flags', async () => {
    const a = (await api.get(`/api/order/so-allocation/${s.allocation}/?item_detail=false&part_detail=false&shipment_detail=false&order_detail=true&customer_detail=true&location_detail=true`)).json();
    assert.deepEqual(sorted(Object.keys(a)), sorted(['pk', 'item', 'quantity', 'shipment', 'line', 'part', 'order', 'serial', 'location', 'order_detail', 'customer_detail', 'location_detail']));
    assert.equal(a.order_detail.pk, s.order);
    assert.equal(a.customer_detail.pk, w.customer);
    assert.deepEqual(a.location_detail, { pk: w.location, name: 'Shelf', pathstring: 'Shelf' });
  });

  it('has no POST on the list', async () => {
    const res = await api.post('/api/order/so-allocation/', { line: s.line, item: s.item, quantity: 1 });
    assert.equal(res.statusCode, 405);
    assert.deepEqual(res.json(), { detail: 'Method "POST" not allowed.' });
    assert.deepEqual((await api.get('/api/order/so-allocation/99999/')).json(), { detail: 'No SalesOrderAllocation matches the given query.' });
  });
});

describe('sales order allocations: filters', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    api = client(h, await h.user('root', { is_superuser: true }));
    w = await salesWorld(h);
    const template = await h.fx.part({ salable: true, is_template: true, name: 'Tpl' });
    const variant = await h.fx.part({ salable: true, variant_of_id: template, name: 'Var', ipn: 'V-1' });
    const child = await h.fx.location({ name: 'Bin', parent_id: w.location });
    ids.template = template;
    ids.child = child;
    ids.o1 = await h.fx.salesOrder({ customer_id: w.customer, status: 15 });
    ids.o2 = await h.fx.salesOrder({ customer_id: w.customer, status: 30 });
    ids.l1 = await h.fx.soLine({ order_id: ids.o1, part_id: w.part, quantity: 5 });
    ids.l2 = await h.fx.soLine({ order_id: ids.o2, part_id: template, quantity: 5 });
    ids.s1 = await h.fx.shipment({ order_id: ids.o1, reference: '1' });
    ids.s2 = await h.fx.shipment({ order_id: ids.o1, reference: '2', shipment_date: '2026-01-01' });
    ids.i1 = await h.fx.stockItem({ part_id: w.part, quantity: 5, location_id: w.location, serial: '77' });
    ids.i2 = await h.fx.stockItem({ part_id: variant, quantity: 5, location_id: child, batch: 'LOT-9' });
    ids.a1 = await h.fx.allocation({ line_id: ids.l1, item_id: ids.i1, quantity: 1 });
    ids.a2 = await h.fx.allocation({ line_id: ids.l1, item_id: ids.i1, quantity: 1, shipment_id: ids.s1 });
    ids.a3 = await h.fx.allocation({ line_id: ids.l1, item_id: ids.i1, quantity: 1, shipment_id: ids.s2 });
    ids.a4 = await h.fx.allocation({ line_id: ids.l2, item_id: ids.i2, quantity: 2 });
  });
  after(() => h.close());

  const pks = async (url: string) => (await api.get(url)).json().map((o: { pk: number }) => o.pk);

  it('filters by order, line, shipment, item and part (with variants)', async () => {
    assert.deepEqual(await pks(`/api/order/so-allocation/?order=${ids.o1}`), [ids.a1, ids.a2, ids.a3]);
    assert.deepEqual(await pks(`/api/order/so-allocation/?line=${ids.l2}`), [ids.a4]);
    assert.deepEqual(await pks(`/api/order/so-allocation/?shipment=${ids.s1}`), [ids.a2]);
    assert.deepEqual(await pks(`/api/order/so-allocation/?item=${ids.i2}`), [ids.a4]);
    assert.deepEqual(await pks(`/api/order/so-allocation/?part=${ids.template}`), []);
    assert.deepEqual(await pks(`/api/order/so-allocation/?part=${ids.template}&include_variants=true`), [ids.a4]);
    assert.deepEqual((await api.get('/api/order/so-allocation/?shipment=4040')).json(), { shipment: ['Select a valid choice. That choice is not one of the available choices.'] });
  });

  it('filters by outstanding, location (with sublocations) and shipment assignment', async () => {
    assert.deepEqual(await pks('/api/order/so-allocation/?outstanding=true'), [ids.a1, ids.a2]);
    assert.deepEqual(await pks('/api/order/so-allocation/?outstanding=false'), [ids.a3, ids.a4]);
    assert.deepEqual(await pks(`/api/order/so-allocation/?location=${w.location}`), [ids.a1, ids.a2, ids.a3, ids.a4]);
    assert.deepEqual(await pks(`/api/order/so-allocation/?location=${ids.child}`), [ids.a4]);
    assert.deepEqual(await pks('/api/order/so-allocation/?assigned_to_shipment=false'), [ids.a1, ids.a4]);
  });

  it('searches part name, IPN, serial and batch; orders', async () => {
    assert.deepEqual(await pks('/api/order/so-allocation/?search=v-1'), [ids.a4]);
    assert.deepEqual(await pks('/api/order/so-allocation/?search=lot-9'), [ids.a4]);
    assert.deepEqual(await pks('/api/order/so-allocation/?search=77'), [ids.a1, ids.a2, ids.a3]);
    assert.deepEqual(await pks('/api/order/so-allocation/?ordering=-quantity'), [ids.a4, ids.a1, ids.a2, ids.a3]);
    assert.deepEqual(await pks('/api/order/so-allocation/?ordering=part'), [ids.a4, ids.a1, ids.a2, ids.a3]);
    assert.deepEqual(await pks('/api/order/so-allocation/?ordering=shipment_date'), [ids.a3, ids.a1, ids.a2, ids.a4]);
  });
});

describe('sales order allocations: update rules', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    api = client(h, await h.user('root', { is_superuser: true }));
    w = await salesWorld(h);
  });
  after(() => h.close());

  it('changes the quantity within the stock quantity', async () => {
    const s = await setup(h, w);
    const res = await api.patch(`/api/order/so-allocation/${s.allocation}/`, { quantity: 10 });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().quantity, 10);
    const line = (await api.get(`/api/order/so-line/${s.line}/`)).json();
    assert.equal(line.allocated, 10);
  });

  it('refuses a quantity above what the item has left (InvenTree reports it as over-allocation)', async () => {
    const s = await setup(h, w);
    const other = await h.fx.soLine({ order_id: s.order, part_id: w.part, quantity: 5 });
    await h.fx.allocation({ line_id: other, item_id: s.item, quantity: 5 });
    const over = await api.patch(`/api/order/so-allocation/${s.allocation}/`, { quantity: 6 });
    assert.equal(over.statusCode, 400);
    assert.deepEqual(over.json(), { quantity: ['Stock item is over-allocated'] });
    const above = await api.patch(`/api/order/so-allocation/${s.allocation}/`, { quantity: 11 });
    assert.deepEqual(above.json(), { quantity: ['Stock item is over-allocated'] });
    assert.equal((await api.patch(`/api/order/so-allocation/${s.allocation}/`, { quantity: 5 })).statusCode, 200);
    assert.equal((await api.get(`/api/order/so-allocation/${s.allocation}/`)).json().quantity, 5);
  });

  it('ignores allocations that no longer hold stock when counting', async () => {
    const s = await setup(h, w);
    const closed = await h.fx.salesOrder({ customer_id: w.customer, status: 30 });
    const closedLine = await h.fx.soLine({ order_id: closed, part_id: w.part, quantity: 9 });
    await h.fx.allocation({ line_id: closedLine, item_id: s.item, quantity: 9 });
    const shipped = await h.fx.shipment({ order_id: s.order, reference: 'sent', shipment_date: '2026-01-01' });
    await h.fx.allocation({ line_id: s.line, item_id: s.item, quantity: 9, shipment_id: shipped });
    assert.equal((await api.patch(`/api/order/so-allocation/${s.allocation}/`, { quantity: 10 })).statusCode, 200);
  });

  it('checks quantity, serials, shipment and item limits', async () => {
    const s = await setup(h, w);
    assert.deepEqual((await api.patch(`/api/order/so-allocation/${s.allocation}/`, { quantity: 0 })).json(), { quantity: ['Allocation quantity must be greater than zero'] });
    assert.deepEqual((await api.patch(`/api/order/so-allocation/${s.allocation}/`, { quantity: -2 })).json(), {
      quantity: ['Ensure this value is greater than or equal to 0.', 'Allocation quantity must be greater than zero'],
    });
    assert.deepEqual((await api.patch(`/api/order/so-allocation/${s.allocation}/`, { quantity: 'lots' })).json(), { quantity: ['A valid number is required.'] });
    const serial = await h.fx.stockItem({ part_id: w.part, quantity: 1, serial: '1001' });
    const serialAllocation = await h.fx.allocation({ line_id: s.line, item_id: serial, quantity: 1 });
    assert.deepEqual((await api.patch(`/api/order/so-allocation/${serialAllocation}/`, { quantity: 0.5 })).json(), {
      quantity: ['Quantity must be 1 for serialized stock item'],
    });
    const otherOrder = await h.fx.salesOrder({ customer_id: w.customer });
    const foreign = await h.fx.shipment({ order_id: otherOrder });
    assert.deepEqual((await api.patch(`/api/order/so-allocation/${s.allocation}/`, { shipment: foreign })).json(), {
      line: ['Sales order does not match shipment'],
      shipment: ['Shipment does not match sales order'],
    });
    const unsalable = await h.fx.part({ salable: false });
    const wrongItem = await h.fx.stockItem({ part_id: unsalable, quantity: 5 });
    assert.deepEqual((await api.patch(`/api/order/so-allocation/${s.allocation}/`, { item: wrongItem })).json(), {
      item: [`Invalid pk "${wrongItem}" - object does not exist.`],
    });
    const put = await api.put(`/api/order/so-allocation/${s.allocation}/`, { shipment: null });
    assert.deepEqual(put.json(), { item: ['This field is required.'], quantity: ['This field is required.'] });
    const moved = await api.put(`/api/order/so-allocation/${s.allocation}/`, { item: s.item, quantity: 2, shipment: null });
    assert.equal(moved.statusCode, 200);
    assert.equal(moved.json().shipment, null);
    assert.equal(moved.json().shipment_detail, null);
  });

  it('refuses edits once the item has gone to a customer (the item limit of the model)', async () => {
    const s = await setup(h, w);
    await h.db.database.kysely.updateTable('stock_item').set({ sales_order_id: s.order }).where('id', '=', s.item).execute();
    assert.deepEqual((await api.patch(`/api/order/so-allocation/${s.allocation}/`, { quantity: 3 })).json(), {
      item: [`Stock Item instance with id ${s.item} does not exist.`],
    });
  });

  it('lets only one of two concurrent changes over-allocate nothing (D16)', async () => {
    const s = await setup(h, w);
    await api.patch(`/api/order/so-allocation/${s.allocation}/`, { quantity: 1 });
    const other = await h.fx.allocation({ line_id: s.line, item_id: s.item, quantity: 1 });
    const results = await Promise.all([
      api.patch(`/api/order/so-allocation/${s.allocation}/`, { quantity: 9 }),
      api.patch(`/api/order/so-allocation/${other}/`, { quantity: 9 }),
    ]);
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 400]);
    const rows = await h.db.database.kysely.selectFrom('sales_order_allocation').select('quantity').where('item_id', '=', s.item).execute();
    assert.equal(rows.reduce((sum, r) => sum + Number(r.quantity), 0), 10);
  });

  it('deletes one allocation', async () => {
    const s = await setup(h, w);
    assert.equal((await api.delete(`/api/order/so-allocation/${s.allocation}/`)).statusCode, 204);
    assert.equal((await api.get(`/api/order/so-allocation/${s.allocation}/`)).statusCode, 404);
  });
});

describe('sales order allocations: bulk operations', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    api = client(h, await h.user('root', { is_superuser: true }));
    w = await salesWorld(h);
  });
  after(() => h.close());

  it('updates several allocations at once, all or nothing', async () => {
    const s = await setup(h, w);
    const second = await h.fx.allocation({ line_id: s.line, item_id: s.item, quantity: 1 });
    const res = await api.patch('/api/order/so-allocation/', { items: [s.allocation, second], shipment: null });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { success: 'Updated 2 items' });
    const rows = (await api.get(`/api/order/so-allocation/?line=${s.line}`)).json();
    assert.deepEqual(
      rows.map((r: { shipment: number | null }) => r.shipment),
      [null, null],
    );
    // 4 + 6 = 10 fits; 6 + 6 = 12 does not: nothing changes.
    const refused = await api.patch('/api/order/so-allocation/', { items: [s.allocation, second], quantity: 6 });
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(refused.json(), { quantity: ['Stock item is over-allocated'] });
    const after = (await api.get(`/api/order/so-allocation/?line=${s.line}`)).json();
    assert.deepEqual(
      after.map((r: { quantity: number }) => r.quantity),
      [4, 1],
    );
    const byFilter = await api.patch('/api/order/so-allocation/', { filters: { line: s.line }, shipment: s.shipment });
    assert.deepEqual(byFilter.json(), { success: 'Updated 2 items' });
  });

  it('answers the bulk selection errors', async () => {
    const s = await setup(h, w);
    const nothing = { non_field_errors: ['List of items or filters must be provided for bulk operation'] };
    assert.deepEqual((await api.patch('/api/order/so-allocation/', { quantity: 1 })).json(), nothing);
    assert.deepEqual((await api.delete('/api/order/so-allocation/', { items: [] })).json(), nothing);
    assert.deepEqual((await api.delete('/api/order/so-allocation/', { items: 'all' })).json(), { non_field_errors: ['Items must be provided as a list'] });
    assert.deepEqual((await api.delete('/api/order/so-allocation/', { items: ['x'] })).json(), { non_field_errors: ['Invalid items list provided'] });
    assert.deepEqual((await api.delete('/api/order/so-allocation/', { filters: [1] })).json(), { non_field_errors: ['Filters must be provided as a dict'] });
    assert.deepEqual((await api.delete('/api/order/so-allocation/', { filters: { colour: 'red' } })).json(), { non_field_errors: ['Invalid filters provided'] });
    assert.deepEqual((await api.delete('/api/order/so-allocation/', { items: [99999] })).json(), { non_field_errors: ['No items match the provided criteria'] });
    assert.deepEqual((await api.delete('/api/order/so-allocation/', { items: [3000000000] })).json(), { non_field_errors: ['No items match the provided criteria'] });
    assert.deepEqual((await api.delete('/api/order/so-allocation/', { filters: { line: 3000000000 } })).json(), { non_field_errors: ['No items match the provided criteria'] });
    assert.deepEqual((await api.delete('/api/order/so-allocation/', { filters: { line: 'x' } })).json(), { non_field_errors: ['Invalid filters provided'] });
    assert.deepEqual((await h.request({ method: 'DELETE', url: '/api/order/so-allocation/?all=false', headers: (await h.user('bulk', { is_superuser: true })).auth })).json(), {
      non_field_errors: ['All filter must only be used with true'],
    });
    assert.equal((await api.get(`/api/order/so-allocation/${s.allocation}/`)).statusCode, 200);
  });

  it('deletes several allocations at once', async () => {
    const s = await setup(h, w);
    const second = await h.fx.allocation({ line_id: s.line, item_id: s.item, quantity: 1 });
    const res = await api.delete('/api/order/so-allocation/', { items: [s.allocation, second] });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { success: 'Deleted 2 items' });
    assert.deepEqual((await api.get(`/api/order/so-allocation/?line=${s.line}`)).json(), []);
  });

  it('checks the model permission of each method', async () => {
    const s = await setup(h, w);
    const viewer = client(h, await h.user('viewer', { roles: { sales_order: { can_view: true } } }));
    assert.equal((await viewer.get('/api/order/so-allocation/')).statusCode, 200);
    assert.equal((await viewer.patch('/api/order/so-allocation/', { items: [s.allocation], quantity: 1 })).statusCode, 403);
    assert.equal((await viewer.patch(`/api/order/so-allocation/${s.allocation}/`, { quantity: 1 })).statusCode, 403);
    assert.equal((await viewer.delete(`/api/order/so-allocation/${s.allocation}/`)).statusCode, 403);
    const changer = client(h, await h.user('changer', { roles: { sales_order: { can_change: true } } }));
    assert.equal((await changer.patch(`/api/order/so-allocation/${s.allocation}/`, { quantity: 1 })).statusCode, 200);
    assert.equal((await changer.delete('/api/order/so-allocation/', { items: [s.allocation] })).statusCode, 403);
    const stock = client(h, await h.user('stock', { roles: { stock: { can_view: true } } }));
    assert.equal((await stock.get('/api/order/so-allocation/')).statusCode, 403);
  });
});

describe('sales order helpers for the allocation and shipping work', () => {
  let h: Harness;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    w = await salesWorld(h);
  });
  after(() => h.close());

  it('isSalesOrderOpen follows the API 435 groups', () => {
    assert.deepEqual(
      [10, 15, 20, 25, 30, 40, 50, 60].filter(isSalesOrderOpen),
      [10, 15, 25],
    );
  });

  it('counts active allocations per item and the unallocated quantity', async () => {
    const db = h.db.database.kysely;
    const s = await setup(h, w);
    const pending = await h.fx.allocation({ line_id: s.line, item_id: s.item, quantity: 1 });
    const sent = await h.fx.shipment({ order_id: s.order, reference: 'sent', shipment_date: '2026-01-01' });
    await h.fx.allocation({ line_id: s.line, item_id: s.item, quantity: 3, shipment_id: sent });
    assert.equal((await activeAllocationCounts(db, [s.item])).get(s.item), 5);
    assert.equal((await activeAllocationCounts(db, [s.item], pending)).get(s.item), 4);
    assert.equal((await unallocatedQuantities(db, [s.item])).get(s.item)?.unallocated, 5);
    const totals = await lineAllocatedTotals(db, [s.line]);
    assert.equal(totals.get(s.line), 8, 'the line counts every allocation');
    assert.equal(isSerialized({ serial: '12', quantity: 1 }), true);
    assert.equal(isSerialized({ serial: '12', quantity: 2 }), false);
    assert.equal(isSerialized({ serial: null, quantity: 1 }), false);
  });

  it('createAllocationIn checks and inserts in the caller\'s transaction', async () => {
    const database = h.db.database;
    const s = await setup(h, w);
    const id = await inTransaction(database, (trx) => createAllocationIn(trx, database, { lineId: s.line, itemId: s.item, shipmentId: s.shipment, quantity: 6 }));
    const row = await database.kysely.selectFrom('sales_order_allocation').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(Number(row.quantity), 6);
    await assert.rejects(
      inTransaction(database, (trx) => createAllocationIn(trx, database, { lineId: s.line, itemId: s.item, shipmentId: null, quantity: 1 })),
      (e: unknown) => e instanceof ValidationError && JSON.stringify(e.fields) === JSON.stringify({ quantity: ['Stock item is over-allocated'] }),
    );
    assert.equal((await activeAllocationCounts(database.kysely, [s.item])).get(s.item), 10);
  });

  it('allocationModelErrors reports the model checks of a new allocation', async () => {
    const db = h.db.database.kysely;
    const s = await setup(h, w);
    assert.equal(await allocationModelErrors(db, { lineId: s.line, itemId: s.item, shipmentId: s.shipment, quantity: 6 }), undefined);
    assert.deepEqual(await allocationModelErrors(db, { lineId: s.line, itemId: s.item, shipmentId: s.shipment, quantity: 7 }), { quantity: ['Stock item is over-allocated'] });
    const noPart = await h.fx.soLine({ order_id: s.order, quantity: 1 });
    assert.deepEqual(await allocationModelErrors(db, { lineId: noPart, itemId: s.item, shipmentId: null, quantity: 1 }), { line: ['Cannot allocate stock to a line without a part'] });
    assert.deepEqual(await allocationModelErrors(db, { lineId: s.line, itemId: 424242, shipmentId: null, quantity: 1 }), { item: ['Stock item has not been assigned'] });
    const virtualPart = await h.fx.part({ salable: true, virtual: true });
    const virtualItem = await h.fx.stockItem({ part_id: virtualPart, quantity: 5 });
    assert.deepEqual(await allocationModelErrors(db, { lineId: s.line, itemId: virtualItem, shipmentId: null, quantity: 1 }), {
      item: [`Stock Item instance with id ${virtualItem} does not exist.`],
    });
  });
});
