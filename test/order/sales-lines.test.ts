import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness } from '../helpers/app.js';
import { client, salesWorld, sorted, type Client, type SalesWorld } from './sales-helpers.js';

const LINE_KEYS = [
  'pk',
  'allocated',
  'quantity',
  'reference',
  'notes',
  'order',
  'overdue',
  'part',
  'sale_price',
  'sale_price_currency',
  'shipped',
  'target_date',
  'link',
  'project_code',
  'project_code_label',
  'project_code_detail',
  'available_stock',
  'available_variant_stock',
  'building',
  'on_order',
];

describe('sales order lines: create, read, update, delete', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  let order: number;
  before(async () => {
    h = await createHarness();
    api = client(h, await h.user('root', { is_superuser: true }));
    w = await salesWorld(h);
    order = await h.fx.salesOrder({ customer_id: w.customer });
  });
  after(() => h.close());

  it('creates a line and answers the keys of §7.12 (details opt-in)', async () => {
    const res = await api.post('/api/order/so-line/', { order, part: w.part, quantity: '4.5', sale_price: 2, reference: 'A', shipped: 99 });
    assert.equal(res.statusCode, 201);
    const line = res.json();
    assert.deepEqual(sorted(Object.keys(line)), sorted(LINE_KEYS));
    assert.equal(line.quantity, 4.5);
    assert.equal(line.shipped, 0, 'shipped is read-only');
    assert.equal(line.sale_price, 2);
    assert.equal(line.sale_price_currency, 'USD', 'the default currency');
    assert.equal(line.allocated, 0);
    assert.equal(line.order, order);
    const detail = (await api.get(`/api/order/so-line/${line.pk}/?part_detail=true&order_detail=true&customer_detail=true`)).json();
    assert.equal(detail.part_detail.pk, w.part);
    assert.equal(detail.part_detail.name, 'Widget');
    assert.equal(detail.order_detail.pk, order);
    assert.equal(detail.order_detail.reference.startsWith('SO-'), true);
    assert.equal(detail.customer_detail.pk, w.customer);
  });

  it('needs order and quantity, and only accepts salable parts', async () => {
    const missing = await api.post('/api/order/so-line/', {});
    assert.deepEqual(missing.json(), { order: ['This field is required.'], quantity: ['This field is required.'] });
    const notSalable = await h.fx.part({ salable: false });
    const res = await api.post('/api/order/so-line/', { order, part: notSalable, quantity: 1 });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { part: ['Only salable parts can be assigned to a sales order'] });
    const negative = await api.post('/api/order/so-line/', { order, part: w.part, quantity: -1 });
    assert.deepEqual(negative.json(), { quantity: ['Ensure this value is greater than or equal to 0.'] });
    const badOrder = await api.post('/api/order/so-line/', { order: 4242, quantity: 1 });
    assert.deepEqual(badOrder.json(), { order: ['Invalid pk "4242" - object does not exist.'] });
    const huge = await api.post('/api/order/so-line/', { order, part: w.part, quantity: 1e12, sale_price: 1e20 });
    assert.deepEqual(huge.json(), {
      quantity: ['Ensure that there are no more than 10 digits before the decimal point.'],
      sale_price: ['Ensure that there are no more than 19 digits in total.'],
    });
    const rounded = await api.post('/api/order/so-line/', { order, part: w.part, quantity: '2.1234567' });
    assert.equal(rounded.json().quantity, 2.12346);
    const noPart = await api.post('/api/order/so-line/', { order, quantity: 1, part: null });
    assert.equal(noPart.statusCode, 201);
    assert.equal(noPart.json().part, null);
  });

  it('updates with PATCH (partial) and PUT (order and quantity required)', async () => {
    const id = await h.fx.soLine({ order_id: order, part_id: w.part, quantity: 1 });
    const patched = await api.patch(`/api/order/so-line/${id}/`, { quantity: 7, notes: 'rush' });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().quantity, 7);
    assert.equal(patched.json().notes, 'rush');
    const put = await api.put(`/api/order/so-line/${id}/`, { reference: 'B' });
    assert.deepEqual(put.json(), { order: ['This field is required.'], quantity: ['This field is required.'] });
    const notSalable = await h.fx.part({ salable: false });
    const swap = await api.patch(`/api/order/so-line/${id}/`, { part: notSalable });
    assert.deepEqual(swap.json(), { part: ['Only salable parts can be assigned to a sales order'] });
  });

  it('locks lines of shipped and complete orders', async () => {
    const done = await h.fx.salesOrder({ customer_id: w.customer, status: 20 });
    const line = await h.fx.soLine({ order_id: done, part_id: w.part, quantity: 1 });
    const locked = { non_field_errors: ['The order is locked and cannot be modified'] };
    const create = await api.post('/api/order/so-line/', { order: done, part: w.part, quantity: 1 });
    assert.equal(create.statusCode, 400);
    assert.deepEqual(create.json(), locked);
    assert.deepEqual((await api.patch(`/api/order/so-line/${line}/`, { quantity: 3 })).json(), locked);
    assert.deepEqual((await api.delete(`/api/order/so-line/${line}/`)).json(), locked);
    await h.app.ctx.settings.setGlobal('SALESORDER_EDIT_COMPLETED_ORDERS', true);
    assert.equal((await api.patch(`/api/order/so-line/${line}/`, { quantity: 3 })).statusCode, 200);
    await h.app.ctx.settings.setGlobal('SALESORDER_EDIT_COMPLETED_ORDERS', false);
  });

  it('deletes a line with its allocations', async () => {
    const id = await h.fx.soLine({ order_id: order, part_id: w.part, quantity: 1 });
    const item = await h.fx.stockItem({ part_id: w.part, quantity: 2 });
    await h.fx.allocation({ line_id: id, item_id: item, quantity: 1 });
    assert.equal((await api.delete(`/api/order/so-line/${id}/`)).statusCode, 204);
    assert.equal((await api.get(`/api/order/so-line/${id}/`)).statusCode, 404);
    assert.deepEqual((await api.get(`/api/order/so-line/${id}/`)).json(), { detail: 'No SalesOrderLineItem matches the given query.' });
    assert.deepEqual((await api.get(`/api/order/so-allocation/?line=${id}`)).statusCode, 400);
    assert.deepEqual((await api.get(`/api/order/so-allocation/?item=${item}`)).json(), []);
  });
});

describe('sales order lines: stock figures', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    api = client(h, await h.user('root', { is_superuser: true }));
    w = await salesWorld(h);
  });
  after(() => h.close());

  it('computes allocated, available_stock, available_variant_stock, building and on_order', async () => {
    const template = await h.fx.part({ salable: true, is_template: true, name: 'Shirt' });
    const red = await h.fx.part({ salable: true, variant_of_id: template, name: 'Red shirt' });
    const blue = await h.fx.part({ salable: false, variant_of_id: template, name: 'Blue shirt' });
    const so = await h.fx.salesOrder({ customer_id: w.customer, status: 15 });
    const line = await h.fx.soLine({ order_id: so, part_id: template, quantity: 10 });
    // Stock of the template itself: 8 in stock, 1 damaged (still available), 5 lost, 3 shipped.
    const a = await h.fx.stockItem({ part_id: template, quantity: 8 });
    await h.fx.stockItem({ part_id: template, quantity: 1, status: 55 });
    await h.fx.stockItem({ part_id: template, quantity: 5, status: 70 });
    await h.fx.stockItem({ part_id: template, quantity: 3, sales_order_id: so });
    // Active allocation (open order, no shipment) holds 2; a shipped one holds nothing.
    await h.fx.allocation({ line_id: line, item_id: a, quantity: 2 });
    const shipped = await h.fx.shipment({ order_id: so, shipment_date: '2026-01-01' });
    await h.fx.allocation({ line_id: line, item_id: a, quantity: 1, shipment_id: shipped });
    // Variants: red (salable) has 6 with 1 allocated; blue is not salable and does not count.
    const r = await h.fx.stockItem({ part_id: red, quantity: 6 });
    const other = await h.fx.salesOrder({ customer_id: w.customer });
    const redLine = await h.fx.soLine({ order_id: other, part_id: red, quantity: 1 });
    await h.fx.allocation({ line_id: redLine, item_id: r, quantity: 1 });
    await h.fx.stockItem({ part_id: blue, quantity: 50 });
    // In production: 4 of the template on an active build.
    const assembly = await h.fx.part({ assembly: true });
    const build = await h.fx.build({ part_id: assembly, status: 20 });
    await h.fx.stockItem({ part_id: template, quantity: 4, is_building: true, build_id: build });
    // On order: an open PO line of 3 packs of 10, 1 pack received.
    const sp = await h.fx.supplierPart({ part_id: template, supplier_id: w.supplier, pack_quantity: '10', pack_quantity_native: 10 });
    const po = await h.fx.purchaseOrder({ supplier_id: w.supplier, status: 20 });
    await h.fx.poLine({ order_id: po, part_id: sp, quantity: 3, received: 1 });
    const body = (await api.get(`/api/order/so-line/${line}/`)).json();
    assert.equal(body.allocated, 3, 'every allocation of the line');
    assert.equal(body.available_stock, 7, '8 + 1 in stock, minus the active allocation of 2');
    assert.equal(body.available_variant_stock, 5);
    assert.equal(body.building, 4);
    assert.equal(body.on_order, 20);
  });

  it('marks open lines with a past target date and unshipped quantity as overdue', async () => {
    const so = await h.fx.salesOrder({ customer_id: w.customer, status: 15 });
    const late = await h.fx.soLine({ order_id: so, part_id: w.part, quantity: 2, target_date: '2000-01-01' });
    const lateShipped = await h.fx.soLine({ order_id: so, part_id: w.part, quantity: 2, shipped: 2, target_date: '2000-01-01' });
    const closed = await h.fx.salesOrder({ customer_id: w.customer, status: 30 });
    const lateClosed = await h.fx.soLine({ order_id: closed, part_id: w.part, quantity: 2, target_date: '2000-01-01' });
    const get = async (id: number) => (await api.get(`/api/order/so-line/${id}/`)).json().overdue;
    assert.equal(await get(late), true);
    assert.equal(await get(lateShipped), false);
    assert.equal(await get(lateClosed), false);
  });
});

describe('sales order lines: filters, search, ordering, permissions', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    api = client(h, await h.user('root', { is_superuser: true }));
    w = await salesWorld(h);
    ids.open = await h.fx.salesOrder({ customer_id: w.customer, status: 15, reference: 'SO-0002', reference_int: 2 });
    ids.done = await h.fx.salesOrder({ customer_id: w.otherCustomer, status: 30, reference: 'SO-0001', reference_int: 1 });
    ids.template = await h.fx.part({ salable: true, is_template: true, name: 'Alpha' });
    ids.variant = await h.fx.part({ salable: true, variant_of_id: ids.template, name: 'Beta' });
    const item = await h.fx.stockItem({ part_id: w.part, quantity: 100 });
    ids.l1 = await h.fx.soLine({ order_id: ids.open, part_id: w.part, quantity: 5, reference: 'first', sale_price: 3 });
    ids.l2 = await h.fx.soLine({ order_id: ids.open, part_id: ids.template, quantity: 2, shipped: 2, reference: 'second' });
    ids.l3 = await h.fx.soLine({ order_id: ids.done, part_id: ids.variant, quantity: 1, reference: 'third', sale_price: 1 });
    await h.fx.allocation({ line_id: ids.l1, item_id: item, quantity: 5 });
  });
  after(() => h.close());

  const pks = async (url: string) => (await api.get(url)).json().map((o: { pk: number }) => o.pk);

  it('filters by order, part (with variants), completed, allocated, pricing and order status', async () => {
    assert.deepEqual(await pks(`/api/order/so-line/?order=${ids.open}`), [ids.l1, ids.l2]);
    assert.deepEqual(await pks(`/api/order/so-line/?part=${ids.template}`), [ids.l2]);
    assert.deepEqual(await pks(`/api/order/so-line/?part=${ids.template}&include_variants=True`), [ids.l2, ids.l3]);
    assert.deepEqual(await pks('/api/order/so-line/?completed=true'), [ids.l2]);
    assert.deepEqual(await pks('/api/order/so-line/?completed=false'), [ids.l1, ids.l3]);
    assert.deepEqual(await pks('/api/order/so-line/?allocated=1'), [ids.l1]);
    assert.deepEqual(await pks('/api/order/so-line/?allocated=0'), [ids.l2, ids.l3]);
    assert.deepEqual(await pks('/api/order/so-line/?has_pricing=true'), [ids.l1, ids.l3]);
    assert.deepEqual(await pks('/api/order/so-line/?order_status=30'), [ids.l3]);
    assert.deepEqual(await pks('/api/order/so-line/?order_outstanding=true'), [ids.l1, ids.l2]);
    assert.deepEqual(await pks('/api/order/so-line/?order_outstanding=false'), [ids.l3]);
    assert.deepEqual((await api.get('/api/order/so-line/?order=999')).json(), { order: ['Select a valid choice. That choice is not one of the available choices.'] });
    assert.deepEqual((await api.get('/api/order/so-line/?order_status=x')).json(), { order_status: ['Enter a number.'] });
  });

  it('searches part name and reference; orders by part name, quantity, order', async () => {
    assert.deepEqual(await pks('/api/order/so-line/?search=beta'), [ids.l3]);
    assert.deepEqual(await pks('/api/order/so-line/?search=SECOND'), [ids.l2]);
    assert.deepEqual(await pks('/api/order/so-line/?ordering=part'), [ids.l2, ids.l3, ids.l1]);
    assert.deepEqual(await pks('/api/order/so-line/?ordering=-quantity'), [ids.l1, ids.l2, ids.l3]);
    assert.deepEqual(await pks('/api/order/so-line/?ordering=order,-reference'), [ids.l3, ids.l2, ids.l1]);
    assert.deepEqual(await pks('/api/order/so-line/?ordering=-allocated'), [ids.l1, ids.l2, ids.l3]);
    const page = (await api.get('/api/order/so-line/?limit=1')).json();
    assert.equal(page.count, 3);
    assert.equal(page.results.length, 1);
  });

  it('uses order_salesorderlineitem permissions', async () => {
    const viewer = client(h, await h.user('viewer', { roles: { sales_order: { can_view: true } } }));
    assert.equal((await viewer.get('/api/order/so-line/')).statusCode, 200);
    assert.equal((await viewer.post('/api/order/so-line/', { order: ids.open, quantity: 1 })).statusCode, 403);
    assert.equal((await viewer.patch(`/api/order/so-line/${ids.l1}/`, { quantity: 1 })).statusCode, 403);
    const stockOnly = client(h, await h.user('stocky', { roles: { stock: { can_view: true, can_add: true, can_change: true, can_delete: true } } }));
    assert.equal((await stockOnly.get('/api/order/so-line/')).statusCode, 403);
    const deleter = client(h, await h.user('deleter', { roles: { sales_order: { can_delete: true } } }));
    const line = await h.fx.soLine({ order_id: ids.open, part_id: w.part, quantity: 1 });
    assert.equal((await deleter.post('/api/order/so-line/', { order: ids.open, quantity: 1 })).statusCode, 403);
    assert.equal((await deleter.delete(`/api/order/so-line/${line}/`)).statusCode, 204);
  });
});
