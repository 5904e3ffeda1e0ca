import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { undeliveredShipment } from '../../src/order/sales-service.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { client, salesWorld, SALES_ORDER_KEYS, sorted, type Client, type SalesWorld } from './sales-helpers.js';

const SHIPMENT_KEYS = [
  'pk',
  'order',
  'allocated_items',
  'shipment_date',
  'shipment_address',
  'delivery_date',
  'checked_by',
  'reference',
  'tracking_number',
  'invoice_number',
  'barcode_hash',
  'link',
  'parameters',
  'checked_by_detail',
  'order_detail',
  'shipment_address_detail',
];

describe('sales order shipments', () => {
  let h: Harness;
  let root: TestUser;
  let api: Client;
  let w: SalesWorld;
  let order: number;
  before(async () => {
    h = await createHarness();
    root = await h.user('root', { is_superuser: true, email: 'r@example.com' });
    api = client(h, root);
    w = await salesWorld(h);
    order = await h.fx.salesOrder({ customer_id: w.customer });
  });
  after(() => h.close());

  it('creates a shipment with reference "1" by default; order and checker details on by default', async () => {
    const res = await api.post('/api/order/so/shipment/', { order, checked_by: root.user.id, tracking_number: 'TRK1' });
    assert.equal(res.statusCode, 201);
    const s = res.json();
    assert.deepEqual(sorted(Object.keys(s)), sorted([...SHIPMENT_KEYS, 'notes']));
    assert.equal(s.reference, '1');
    assert.equal(s.allocated_items, 0);
    assert.equal(s.tracking_number, 'TRK1');
    assert.deepEqual(s.checked_by_detail, { pk: root.user.id, username: 'root', first_name: '', last_name: '', email: 'r@example.com' });
    assert.deepEqual(sorted(Object.keys(s.order_detail)), sorted(SALES_ORDER_KEYS));
    assert.equal(s.order_detail.pk, order);
    assert.equal(s.shipment_address_detail, null);
    const list = (await api.get(`/api/order/so/shipment/?order=${order}`)).json();
    assert.deepEqual(sorted(Object.keys(list[0])), sorted(SHIPMENT_KEYS), 'notes only in detail');
    const slim = (await api.get(`/api/order/so/shipment/${s.pk}/?order_detail=false&customer_detail=true`)).json();
    assert.equal('order_detail' in slim, false);
    assert.equal(slim.customer_detail.pk, w.customer);
  });

  it('keeps (order, reference) unique', async () => {
    const o = await h.fx.salesOrder({ customer_id: w.customer });
    assert.equal((await api.post('/api/order/so/shipment/', { order: o, reference: 'A' })).statusCode, 201);
    const dup = await api.post('/api/order/so/shipment/', { order: o, reference: 'A' });
    assert.equal(dup.statusCode, 400);
    assert.deepEqual(dup.json(), { non_field_errors: ['The fields order, reference must make a unique set.'] });
    const b = (await api.post('/api/order/so/shipment/', { order: o, reference: 'B' })).json();
    assert.deepEqual((await api.patch(`/api/order/so/shipment/${b.pk}/`, { reference: 'A' })).json(), {
      non_field_errors: ['The fields order, reference must make a unique set.'],
    });
    const other = await h.fx.salesOrder({ customer_id: w.customer });
    assert.equal((await api.post('/api/order/so/shipment/', { order: other, reference: 'A' })).statusCode, 201);
  });

  it('validates the body', async () => {
    assert.deepEqual((await api.post('/api/order/so/shipment/', {})).json(), { order: ['This field is required.'] });
    assert.deepEqual((await api.post('/api/order/so/shipment/', { order, reference: '' })).json(), { reference: ['This field may not be blank.'] });
    assert.deepEqual((await api.post('/api/order/so/shipment/', { order, delivery_date: '31/12/2026', checked_by: 777 })).json(), {
      delivery_date: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
      checked_by: ['Invalid pk "777" - object does not exist.'],
    });
  });

  it('updates, counts allocations and shows barcode_hash', async () => {
    const id = await h.fx.shipment({ order_id: order, reference: 'X' });
    const line = await h.fx.soLine({ order_id: order, part_id: w.part, quantity: 3 });
    const item = await h.fx.stockItem({ part_id: w.part, quantity: 3 });
    await h.fx.allocation({ line_id: line, item_id: item, shipment_id: id, quantity: 1 });
    await h.fx.allocation({ line_id: line, item_id: item, shipment_id: id, quantity: 1 });
    const hash = await h.fx.link('salesordershipment', id, 'SHIP-X-LABEL');
    const patched = await api.patch(`/api/order/so/shipment/${id}/`, { delivery_date: '2026-05-05', invoice_number: 'INV-9' });
    assert.equal(patched.statusCode, 200);
    const body = patched.json();
    assert.equal(body.delivery_date, '2026-05-05');
    assert.equal(body.invoice_number, 'INV-9');
    assert.equal(body.allocated_items, 2);
    assert.equal(body.barcode_hash, hash);
    const put = await api.put(`/api/order/so/shipment/${id}/`, { reference: 'Y' });
    assert.deepEqual(put.json(), { order: ['This field is required.'] });
  });

  it('deletes a shipment with its allocations and barcode links', async () => {
    const id = await h.fx.shipment({ order_id: order, reference: 'DEL' });
    const line = await h.fx.soLine({ order_id: order, part_id: w.part, quantity: 3 });
    const item = await h.fx.stockItem({ part_id: w.part, quantity: 3 });
    const alloc = await h.fx.allocation({ line_id: line, item_id: item, shipment_id: id, quantity: 1 });
    await h.fx.link('salesordershipment', id, 'SHIP-DEL-LABEL');
    assert.equal((await api.delete(`/api/order/so/shipment/${id}/`)).statusCode, 204);
    assert.deepEqual((await api.get(`/api/order/so/shipment/${id}/`)).json(), { detail: 'No SalesOrderShipment matches the given query.' });
    assert.equal((await api.get(`/api/order/so-allocation/${alloc}/`)).statusCode, 404);
    const links = await h.db.database.kysely.selectFrom('barcode_link').select('id').where('model_type', '=', 'salesordershipment').where('object_id', '=', id).execute();
    assert.equal(links.length, 0);
  });

  it('finds the single undelivered shipment of an order', async () => {
    const o = await h.fx.salesOrder({ customer_id: w.customer });
    assert.equal(await undeliveredShipment(h.db.database.kysely, o), null);
    const first = await h.fx.shipment({ order_id: o, reference: '1' });
    assert.equal(await undeliveredShipment(h.db.database.kysely, o), first);
    const second = await h.fx.shipment({ order_id: o, reference: '2' });
    assert.equal(await undeliveredShipment(h.db.database.kysely, o), null, 'two candidates: none');
    await h.db.database.kysely.updateTable('sales_order_shipment').set({ delivery_date: '2026-01-01' }).where('id', '=', first).execute();
    assert.equal(await undeliveredShipment(h.db.database.kysely, o), second);
  });
});

describe('sales order shipments: filters, search, ordering, permissions', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    const root = await h.user('root', { is_superuser: true });
    api = client(h, root);
    w = await salesWorld(h);
    ids.open = await h.fx.salesOrder({ customer_id: w.customer, status: 15, reference: 'SO-0100', reference_int: 100 });
    ids.closed = await h.fx.salesOrder({ customer_id: w.customer, status: 30, reference: 'SO-0200', reference_int: 200 });
    ids.s1 = await h.fx.shipment({ order_id: ids.open, reference: '1' });
    ids.s2 = await h.fx.shipment({ order_id: ids.open, reference: '2', shipment_date: '2026-02-01', checked_by_id: root.user.id, tracking_number: 'UPS-123' });
    ids.s3 = await h.fx.shipment({ order_id: ids.closed, reference: '1', shipment_date: '2026-01-01', delivery_date: '2026-01-03', invoice_number: 'INV-555' });
  });
  after(() => h.close());

  const pks = async (url: string) => (await api.get(url)).json().map((o: { pk: number }) => o.pk);

  it('filters by order, shipped, delivered, checked, order status', async () => {
    assert.deepEqual(await pks(`/api/order/so/shipment/?order=${ids.open}`), [ids.s1, ids.s2]);
    assert.deepEqual(await pks('/api/order/so/shipment/?shipped=true'), [ids.s2, ids.s3]);
    assert.deepEqual(await pks('/api/order/so/shipment/?shipped=False'), [ids.s1]);
    assert.deepEqual(await pks('/api/order/so/shipment/?delivered=true'), [ids.s3]);
    assert.deepEqual(await pks('/api/order/so/shipment/?checked=true'), [ids.s2]);
    assert.deepEqual(await pks('/api/order/so/shipment/?order_outstanding=true'), [ids.s1, ids.s2]);
    assert.deepEqual(await pks('/api/order/so/shipment/?order_status=30'), [ids.s3]);
    assert.equal((await api.get('/api/order/so/shipment/?order=0')).statusCode, 400);
  });

  it('searches order reference, reference, tracking and invoice numbers; orders', async () => {
    assert.deepEqual(await pks('/api/order/so/shipment/?search=so-0200'), [ids.s3]);
    assert.deepEqual(await pks('/api/order/so/shipment/?search=ups'), [ids.s2]);
    assert.deepEqual(await pks('/api/order/so/shipment/?search=inv-555'), [ids.s3]);
    assert.deepEqual(await pks('/api/order/so/shipment/?ordering=-shipment_date'), [ids.s1, ids.s2, ids.s3], 'nulls first when descending');
    assert.deepEqual(await pks('/api/order/so/shipment/?ordering=reference'), [ids.s1, ids.s3, ids.s2]);
  });

  it('uses order_salesordershipment permissions', async () => {
    const viewer = client(h, await h.user('viewer', { roles: { sales_order: { can_view: true } } }));
    assert.equal((await viewer.get('/api/order/so/shipment/')).statusCode, 200);
    assert.equal((await viewer.post('/api/order/so/shipment/', { order: ids.open })).statusCode, 403);
    assert.equal((await viewer.delete(`/api/order/so/shipment/${ids.s1}/`)).statusCode, 403);
    const builder = client(h, await h.user('builder', { roles: { build: { can_view: true } } }));
    assert.equal((await builder.get('/api/order/so/shipment/')).statusCode, 403);
  });
});
