import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lineDestination } from '../../src/order/purchase-serializers.js';
import { addDays, today } from '../../src/util/time.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

const LINE_KEYS = [
  'pk',
  'part',
  'quantity',
  'reference',
  'notes',
  'order',
  'order_detail',
  'build_order',
  'build_order_detail',
  'overdue',
  'received',
  'purchase_price',
  'purchase_price_currency',
  'auto_pricing',
  'destination',
  'destination_detail',
  'target_date',
  'total_price',
  'link',
  'sku',
  'mpn',
  'ipn',
  'internal_part',
  'internal_part_name',
  'project_code',
];

async function setSetting(h: Harness, admin: TestUser, key: string, value: unknown): Promise<void> {
  const res = await h.request({ method: 'PATCH', url: `/api/settings/global/${key}/`, headers: admin.auth, payload: { value } });
  assert.equal(res.statusCode, 200, res.body);
}

describe('purchase order lines', () => {
  let h: Harness;
  let root: TestUser;
  let buyer: TestUser;
  let partOnly: TestUser;
  let supplier: number;
  let otherSupplier: number;
  let part: number;
  let sp: number;
  let foreignSp: number;
  let po: number;
  let shelf: number;
  before(async () => {
    h = await createHarness();
    root = await h.user('root', { is_superuser: true });
    buyer = await h.user('buyer', { roles: { purchase_order: { can_view: true, can_add: true, can_change: true, can_delete: true } } });
    partOnly = await h.user('parts', { roles: { part: { can_view: true, can_add: true, can_change: true, can_delete: true } } });
    supplier = await h.fx.company({ name: 'Digi', currency: 'USD' });
    otherSupplier = await h.fx.company({ name: 'Mouse' });
    shelf = await h.fx.location({ name: 'Shelf' });
    part = await h.fx.part({ name: 'Resistor', ipn: 'R-10K', default_location_id: shelf });
    const mp = await h.fx.manufacturerPart({ part_id: part, mpn: 'RC0603' });
    sp = await h.fx.supplierPart({ part_id: part, supplier_id: supplier, sku: 'DK-123', manufacturer_part_id: mp });
    foreignSp = await h.fx.supplierPart({ part_id: part, supplier_id: otherSupplier, sku: 'MO-1' });
    po = await h.fx.purchaseOrder({ supplier_id: supplier });
  });
  after(() => h.close());

  const create = (payload: object, user: TestUser = buyer) => h.request({ method: 'POST', url: '/api/order/po-line/?format=json', headers: user.auth, payload });

  it('creates a line and answers the line keys, order_detail and destination_detail included', async () => {
    const res = await create({ order: po, part: sp, quantity: 5, purchase_price: 0.25, reference: 'first', merge_items: false });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    for (const key of LINE_KEYS) assert.ok(key in body, `missing ${key}`);
    assert.equal('part_detail' in body, false);
    assert.equal('supplier_part_detail' in body, false);
    assert.equal('merge_items' in body, false);
    assert.equal(body.order, po);
    assert.equal(body.order_detail.pk, po);
    assert.equal(body.order_detail.line_items, 1);
    assert.equal(body.quantity, 5);
    assert.equal(body.received, 0);
    assert.equal(body.purchase_price, 0.25);
    assert.equal(body.purchase_price_currency, 'USD');
    assert.equal(body.total_price, 1.25);
    assert.equal(body.sku, 'DK-123');
    assert.equal(body.mpn, 'RC0603');
    assert.equal(body.ipn, 'R-10K');
    assert.equal(body.internal_part, part);
    assert.equal(body.internal_part_name, 'Resistor');
    assert.equal(body.auto_pricing, true);
    assert.equal(body.destination, null);
    // No destination and no received stock: the part's default location.
    assert.deepEqual(body.destination_detail, { pk: shelf, name: 'Shelf', pathstring: 'Shelf' });
    assert.equal(body.overdue, false);
  });

  it('gives part_detail (the base part) and supplier_part_detail with ?part_detail=true', async () => {
    const line = await h.fx.poLine({ order_id: po, part_id: sp, quantity: 1 });
    const body = (await h.request({ method: 'GET', url: `/api/order/po-line/${line}/?part_detail=true&order_detail=false`, headers: buyer.auth })).json();
    assert.equal(body.part_detail.pk, part);
    assert.equal(body.part_detail.IPN, 'R-10K');
    assert.equal(body.supplier_part_detail.pk, sp);
    assert.equal(body.supplier_part_detail.SKU, 'DK-123');
    assert.equal(body.supplier_part_detail.MPN, 'RC0603');
    assert.equal('order_detail' in body, false);
    // The embedded supplier part is the SupplierPart object itself, every detail off.
    const own = (await h.request({ method: 'GET', url: `/api/company/part/${sp}/?supplier_detail=false`, headers: root.auth })).json();
    delete own.notes;
    assert.deepEqual(body.supplier_part_detail, own);
  });

  it('validates quantity, part and the supplier match', async () => {
    const zero = await create({ order: po, part: sp, quantity: 0 });
    assert.deepEqual(zero.json(), { quantity: ['Quantity must be greater than zero'] });
    const negative = await create({ order: po, part: sp, quantity: -1 });
    assert.deepEqual(negative.json(), { quantity: ['Ensure this value is greater than or equal to 0.'] });
    const missing = await create({});
    assert.deepEqual(missing.json(), { order: ['This field is required.'], part: ['This field is required.'], quantity: ['This field is required.'] });
    const nullPart = await create({ order: po, part: null, quantity: 1 });
    assert.deepEqual(nullPart.json(), { part: ['Supplier part must be specified'] });
    const mismatch = await create({ order: po, part: foreignSp, quantity: 1 });
    assert.equal(mismatch.statusCode, 400);
    assert.deepEqual(mismatch.json(), { part: ['Supplier must match purchase order'], order: ['Purchase order must match supplier'] });
    const badOrder = await create({ order: 9999, part: sp, quantity: 1 });
    assert.deepEqual(badOrder.json(), { order: ['Invalid pk "9999" - object does not exist.'] });
  });

  it('merges into an existing line with the same part, order, target date and destination', async () => {
    const order = await h.fx.purchaseOrder({ supplier_id: supplier });
    const first = (await create({ order, part: sp, quantity: 2 })).json();
    const merged = await create({ order, part: sp, quantity: 3, auto_pricing: true });
    assert.equal(merged.statusCode, 201);
    assert.equal(merged.json().pk, first.pk);
    assert.equal(merged.json().quantity, 5);
    const separate = await create({ order, part: sp, quantity: 1, merge_items: false });
    assert.notEqual(separate.json().pk, first.pk);
    const otherDate = await create({ order, part: sp, quantity: 1, target_date: '2031-01-01' });
    assert.notEqual(otherDate.json().pk, first.pk);
    const otherPlace = await create({ order, part: sp, quantity: 1, destination: shelf });
    assert.notEqual(otherPlace.json().pk, first.pk);
    const count = await h.fx.db.selectFrom('purchase_order_line').select('id').where('order_id', '=', order).execute();
    assert.equal(count.length, 4);
  });

  it('refuses to add, change or delete lines of a completed order unless edits are allowed', async () => {
    const done = await h.fx.purchaseOrder({ supplier_id: supplier, status: 30 });
    const line = await h.fx.poLine({ order_id: done, part_id: sp, quantity: 1 });
    const locked = { non_field_errors: ['The order is locked and cannot be modified'] };
    const add = await create({ order: done, part: sp, quantity: 1 });
    assert.equal(add.statusCode, 400);
    assert.deepEqual(add.json(), locked);
    const change = await h.request({ method: 'PATCH', url: `/api/order/po-line/${line}/`, headers: buyer.auth, payload: { quantity: 4 } });
    assert.deepEqual(change.json(), locked);
    const remove = await h.request({ method: 'DELETE', url: `/api/order/po-line/${line}/`, headers: buyer.auth });
    assert.equal(remove.statusCode, 400);
    assert.deepEqual(remove.json(), locked);
    await setSetting(h, root, 'PURCHASEORDER_EDIT_COMPLETED_ORDERS', true);
    try {
      assert.equal((await h.request({ method: 'PATCH', url: `/api/order/po-line/${line}/`, headers: buyer.auth, payload: { quantity: 4 } })).statusCode, 200);
    } finally {
      await setSetting(h, root, 'PURCHASEORDER_EDIT_COMPLETED_ORDERS', false);
    }
  });

  it('updates a line (received stays read-only) and deletes it', async () => {
    const line = (await create({ order: po, part: sp, quantity: 2, merge_items: false })).json();
    const patched = await h.request({
      method: 'PATCH',
      url: `/api/order/po-line/${line.pk}/?format=json`,
      headers: buyer.auth,
      payload: { ...line, quantity: 7, received: 7, destination: shelf, target_date: addDays(today(), -2) },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().quantity, 7);
    assert.equal(patched.json().received, 0);
    assert.equal(patched.json().destination, shelf);
    assert.equal(patched.json().overdue, true);
    const swap = await h.request({ method: 'PATCH', url: `/api/order/po-line/${line.pk}/`, headers: buyer.auth, payload: { part: foreignSp } });
    assert.deepEqual(swap.json(), { part: ['Supplier must match purchase order'], order: ['Purchase order must match supplier'] });
    const removed = await h.request({ method: 'DELETE', url: `/api/order/po-line/${line.pk}/`, headers: buyer.auth });
    assert.equal(removed.statusCode, 204);
    const gone = await h.request({ method: 'GET', url: `/api/order/po-line/${line.pk}/`, headers: buyer.auth });
    assert.deepEqual(gone.json(), { detail: 'No PurchaseOrderLineItem matches the given query.' });
  });

  it('resolves the destination: received stock first, then the line, then the part default', async () => {
    const order = await h.fx.purchaseOrder({ supplier_id: supplier });
    const bin = await h.fx.location({ name: 'Bin' });
    const dock = await h.fx.location({ name: 'Dock' });
    const line = await h.fx.poLine({ order_id: order, part_id: sp, quantity: 3 });
    assert.equal(await lineDestination(h.fx.db, line), shelf);
    await h.fx.db.updateTable('purchase_order_line').set({ destination_id: dock }).where('id', '=', line).execute();
    assert.equal(await lineDestination(h.fx.db, line), dock);
    await h.fx.stockItem({ part_id: part, supplier_part_id: sp, purchase_order_id: order, location_id: bin });
    assert.equal(await lineDestination(h.fx.db, line), bin);
    const body = (await h.request({ method: 'GET', url: `/api/order/po-line/${line}/`, headers: buyer.auth })).json();
    assert.equal(body.destination, dock);
    assert.deepEqual(body.destination_detail, { pk: bin, name: 'Bin', pathstring: 'Bin' });
    const bare = await h.fx.part();
    const bareSp = await h.fx.supplierPart({ part_id: bare, supplier_id: supplier });
    const nowhere = await h.fx.poLine({ order_id: order, part_id: bareSp });
    assert.equal(await lineDestination(h.fx.db, nowhere), null);
    assert.equal(await lineDestination(h.fx.db, 999999), undefined);
  });

  it('needs a ruleset covering order_purchaseorderlineitem', async () => {
    const line = await h.fx.poLine({ order_id: po, part_id: sp });
    for (const [method, url] of [
      ['GET', '/api/order/po-line/'],
      ['GET', `/api/order/po-line/${line}/`],
      ['POST', '/api/order/po-line/'],
      ['PATCH', `/api/order/po-line/${line}/`],
      ['DELETE', `/api/order/po-line/${line}/`],
    ] as const) {
      assert.equal((await h.request({ method, url, headers: partOnly.auth, payload: {} })).statusCode, 403, `${method} ${url}`);
    }
  });
});

describe('purchase order line list filters', () => {
  let h: Harness;
  let viewer: TestUser;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    viewer = await h.user('viewer', { roles: { purchase_order: { can_view: true } } });
    const supplier = await h.fx.company();
    const template = await h.fx.part({ name: 'Chair', is_template: true });
    const variant = await h.fx.part({ name: 'Red chair', variant_of_id: template });
    const other = await h.fx.part({ name: 'Table', description: 'Oak' });
    ids.template = template;
    ids.spT = await h.fx.supplierPart({ part_id: template, supplier_id: supplier, sku: 'CH-1' });
    ids.spV = await h.fx.supplierPart({ part_id: variant, supplier_id: supplier, sku: 'CH-RED' });
    ids.spO = await h.fx.supplierPart({ part_id: other, supplier_id: supplier, sku: 'TB-1' });
    ids.open = await h.fx.purchaseOrder({ supplier_id: supplier, status: 20 });
    ids.done = await h.fx.purchaseOrder({ supplier_id: supplier, status: 30 });
    ids.l1 = await h.fx.poLine({ order_id: ids.open, part_id: ids.spT, quantity: 5, received: 5, purchase_price: 3, reference: 'alpha' });
    ids.l2 = await h.fx.poLine({ order_id: ids.open, part_id: ids.spV, quantity: 5, received: 1 });
    ids.l3 = await h.fx.poLine({ order_id: ids.done, part_id: ids.spO, quantity: 2, received: 0, purchase_price: 10 });
  });
  after(() => h.close());

  async function list(qs: string): Promise<number[]> {
    const res = await h.request({ method: 'GET', url: `/api/order/po-line/${qs}`, headers: viewer.auth });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().map((o: { pk: number }) => o.pk);
  }

  it('filters by order, supplier part and base part (with variants)', async () => {
    assert.deepEqual(await list(`?order=${ids.open}`), [ids.l1, ids.l2]);
    assert.deepEqual(await list(`?part=${ids.spO}`), [ids.l3]);
    assert.deepEqual(await list(`?base_part=${ids.template}`), [ids.l1]);
    assert.deepEqual(await list(`?base_part=${ids.template}&include_variants=true`), [ids.l1, ids.l2]);
    const bad = await h.request({ method: 'GET', url: '/api/order/po-line/?order=424242', headers: viewer.auth });
    assert.deepEqual(bad.json(), { order: ['Select a valid choice. That choice is not one of the available choices.'] });
  });

  it('filters pending, received, order_complete, order_status, has_pricing', async () => {
    assert.deepEqual(await list('?pending=True'), [ids.l1, ids.l2]);
    assert.deepEqual(await list('?pending=False'), [ids.l3]);
    assert.deepEqual(await list('?received=true'), [ids.l1]);
    assert.deepEqual(await list('?received=false'), [ids.l2]);
    assert.deepEqual(await list('?order_complete=1'), [ids.l3]);
    assert.deepEqual(await list('?order_complete=0'), [ids.l1, ids.l2]);
    assert.deepEqual(await list('?order_status=20'), [ids.l1, ids.l2]);
    assert.deepEqual(await list('?has_pricing=true'), [ids.l1, ids.l3]);
    assert.deepEqual(await list('?has_pricing=false'), [ids.l2]);
  });

  it('searches and orders', async () => {
    assert.deepEqual(await list('?search=oak'), [ids.l3]);
    assert.deepEqual(await list('?search=ch-red'), [ids.l2]);
    assert.deepEqual(await list('?search=alpha'), [ids.l1]);
    assert.deepEqual(await list('?ordering=-SKU'), [ids.l3, ids.l2, ids.l1]);
    assert.deepEqual(await list('?has_pricing=true&ordering=-total_price'), [ids.l3, ids.l1]);
    assert.deepEqual(await list('?has_pricing=true&ordering=total_price'), [ids.l1, ids.l3]);
    assert.deepEqual(await list('?ordering=part_name'), [ids.l1, ids.l2, ids.l3]);
  });

  it('pages and keeps the Python client shape (order filter, count)', async () => {
    const res = await h.request({ method: 'GET', url: `/api/order/po-line/?order=${ids.open}&limit=1`, headers: viewer.auth, payload: {} });
    const body = res.json();
    assert.equal(body.count, 2);
    assert.equal(body.results.length, 1);
  });
});
