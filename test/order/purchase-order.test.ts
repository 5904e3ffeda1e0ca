import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, today } from '../../src/util/time.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

async function setSetting(h: Harness, admin: TestUser, key: string, value: unknown): Promise<void> {
  const res = await h.request({ method: 'PATCH', url: `/api/settings/global/${key}/`, headers: admin.auth, payload: { value } });
  assert.equal(res.statusCode, 200, res.body);
}

const PO_KEYS = [
  'pk',
  'created_by',
  'creation_date',
  'issue_date',
  'start_date',
  'target_date',
  'description',
  'line_items',
  'completed_lines',
  'link',
  'project_code',
  'project_code_label',
  'project_code_detail',
  'reference',
  'responsible',
  'responsible_detail',
  'contact',
  'contact_detail',
  'address',
  'address_detail',
  'status',
  'status_text',
  'status_custom_key',
  'barcode_hash',
  'overdue',
  'order_currency',
  'total_price',
  'updated_at',
  'parameters',
  'tags',
  'complete_date',
  'supplier',
  'supplier_reference',
  'supplier_name',
  'destination',
];

describe('purchase orders: create, read, update', () => {
  let h: Harness;
  let root: TestUser;
  let supplier: number;
  let customer: number;
  let location: number;
  before(async () => {
    h = await createHarness();
    root = await h.user('root', { is_superuser: true, first_name: 'Ro', last_name: 'Ot', email: 'root@example.com' });
    supplier = await h.fx.company({ name: 'Acme Supplies', is_supplier: true, currency: 'EUR', tax_id: 'T1' });
    customer = await h.fx.company({ name: 'Only Customer', is_supplier: false, is_customer: true });
    location = await h.fx.location({ name: 'Goods In' });
  });
  after(() => h.close());

  it('creates an order with an auto-numbered reference, the creator and today as creation date', async () => {
    const res = await h.request({
      method: 'POST',
      url: '/api/order/po/?format=json',
      headers: root.auth,
      payload: { supplier, description: 'First order', status: 30, issue_date: '2020-01-01' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    for (const key of PO_KEYS) assert.ok(key in body, `missing ${key}`);
    assert.equal(body.notes, '');
    assert.equal('supplier_detail' in body, false);
    assert.equal(body.reference, 'PO-0001');
    assert.equal(body.status, 10);
    assert.equal(body.status_text, 'Pending');
    assert.equal(body.status_custom_key, 10);
    assert.equal(body.issue_date, null);
    assert.equal(body.creation_date, today());
    assert.deepEqual(body.created_by, { pk: root.user.id, username: 'root', first_name: 'Ro', last_name: 'Ot', email: 'root@example.com' });
    assert.equal(body.supplier, supplier);
    assert.equal(body.supplier_name, 'Acme Supplies');
    assert.equal(body.line_items, 0);
    assert.equal(body.completed_lines, 0);
    assert.equal(body.total_price, 0);
    assert.equal(body.barcode_hash, '');
    assert.equal(body.overdue, false);
    assert.equal(body.order_currency, null);
    assert.match(body.updated_at, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    const second = await h.request({ method: 'POST', url: '/api/order/po/', headers: root.auth, payload: { supplier } });
    assert.equal(second.json().reference, 'PO-0002');
  });

  it('validates the reference against the pattern and for uniqueness', async () => {
    const bad = await h.request({ method: 'POST', url: '/api/order/po/', headers: root.auth, payload: { supplier, reference: 'XY-12' } });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json(), { reference: ['Reference must match required pattern: PO-{ref:04d}'] });
    const ok = await h.request({ method: 'POST', url: '/api/order/po/', headers: root.auth, payload: { supplier, reference: 'PO-77' } });
    assert.equal(ok.statusCode, 201);
    assert.equal(ok.json().reference, 'PO-77');
    const dup = await h.request({ method: 'POST', url: '/api/order/po/', headers: root.auth, payload: { supplier, reference: 'PO-77' } });
    assert.deepEqual(dup.json(), { reference: ['Purchase Order with this Reference already exists.'] });
    const blank = await h.request({ method: 'POST', url: '/api/order/po/', headers: root.auth, payload: { supplier, reference: '' } });
    assert.deepEqual(blank.json(), { reference: ['This field may not be blank.'] });
    // The next automatic reference follows the highest number.
    const next = await h.request({ method: 'POST', url: '/api/order/po/', headers: root.auth, payload: { supplier } });
    assert.equal(next.json().reference, 'PO-0078');
  });

  it('requires a supplier that is a supplier company', async () => {
    const missing = await h.request({ method: 'POST', url: '/api/order/po/', headers: root.auth, payload: { description: 'x' } });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(missing.json(), { supplier: ['This field is required.'] });
    const notSupplier = await h.request({ method: 'POST', url: '/api/order/po/', headers: root.auth, payload: { supplier: customer } });
    assert.deepEqual(notSupplier.json(), { supplier: [`Invalid pk "${customer}" - object does not exist.`] });
    const nullSupplier = await h.request({ method: 'POST', url: '/api/order/po/', headers: root.auth, payload: { supplier: null } });
    assert.deepEqual(nullSupplier.json(), { supplier: ['This field may not be null.'] });
  });

  it('refuses a start date after the target date, with both messages', async () => {
    const res = await h.request({
      method: 'POST',
      url: '/api/order/po/',
      headers: root.auth,
      payload: { supplier, start_date: '2030-02-01', target_date: '2030-01-01' },
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { target_date: ['Target date must be after start date'], start_date: ['Start date must be before target date'] });
  });

  it('reads an order, with supplier_detail only on request and notes only in detail views', async () => {
    const po = await h.fx.purchaseOrder({ supplier_id: supplier, destination_id: location, notes: 'secret', supplier_reference: 'SUP-9' });
    const detail = (await h.request({ method: 'GET', url: `/api/order/po/${po}/?supplier_detail=true`, headers: root.auth })).json();
    assert.equal(detail.notes, 'secret');
    assert.equal(detail.destination, location);
    assert.deepEqual(detail.supplier_detail, {
      pk: supplier,
      active: true,
      name: 'Acme Supplies',
      description: '',
      image: null,
      thumbnail: null,
      currency: 'EUR',
      tax_id: 'T1',
    });
    const list = (await h.request({ method: 'GET', url: '/api/order/po/', headers: root.auth })).json();
    const row = list.find((o: { pk: number }) => o.pk === po);
    assert.equal('notes' in row, false);
    assert.equal('supplier_detail' in row, false);
    const missing = await h.request({ method: 'GET', url: '/api/order/po/99999/', headers: root.auth });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { detail: 'No PurchaseOrder matches the given query.' });
  });

  it('updates with PATCH (status stays read-only) and PUT (supplier and reference required)', async () => {
    const created = (await h.request({ method: 'POST', url: '/api/order/po/', headers: root.auth, payload: { supplier } })).json();
    const patched = await h.request({
      method: 'PATCH',
      url: `/api/order/po/${created.pk}/`,
      headers: root.auth,
      payload: { ...created, description: 'Changed', status: 30, order_currency: 'GBP', destination: location },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().description, 'Changed');
    assert.equal(patched.json().status, 10);
    assert.equal(patched.json().order_currency, 'GBP');
    assert.equal(patched.json().destination, location);
    const put = await h.request({ method: 'PUT', url: `/api/order/po/${created.pk}/`, headers: root.auth, payload: { description: 'x' } });
    assert.equal(put.statusCode, 400);
    assert.deepEqual(put.json(), { reference: ['This field is required.'], supplier: ['This field is required.'] });
    const badCurrency = await h.request({ method: 'PATCH', url: `/api/order/po/${created.pk}/`, headers: root.auth, payload: { order_currency: 'euro' } });
    assert.deepEqual(badCurrency.json(), { order_currency: ['"euro" is not a valid choice.'] });
    const dates = await h.request({
      method: 'PATCH',
      url: `/api/order/po/${created.pk}/`,
      headers: root.auth,
      payload: { start_date: '2031-05-01' },
    });
    assert.equal(dates.statusCode, 200);
    const badDates = await h.request({ method: 'PATCH', url: `/api/order/po/${created.pk}/`, headers: root.auth, payload: { target_date: '2031-04-01' } });
    assert.equal(badDates.statusCode, 400);
    assert.deepEqual(Object.keys(badDates.json()).sort(), ['start_date', 'target_date']);
  });

  it('locks completed orders unless PURCHASEORDER_EDIT_COMPLETED_ORDERS is on', async () => {
    const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: 30 });
    const res = await h.request({ method: 'PATCH', url: `/api/order/po/${po}/`, headers: root.auth, payload: { description: 'late edit' } });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { reference: ['This order is locked and cannot be modified'] });
    await setSetting(h, root, 'PURCHASEORDER_EDIT_COMPLETED_ORDERS', true);
    try {
      const allowed = await h.request({ method: 'PATCH', url: `/api/order/po/${po}/`, headers: root.auth, payload: { description: 'late edit' } });
      assert.equal(allowed.statusCode, 200);
    } finally {
      await setSetting(h, root, 'PURCHASEORDER_EDIT_COMPLETED_ORDERS', false);
    }
  });

  it('counts lines, completed lines and the total price; reports overdue orders', async () => {
    const part = await h.fx.part();
    const sp = await h.fx.supplierPart({ part_id: part, supplier_id: supplier });
    const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: 20, target_date: addDays(today(), -1), order_currency: 'EUR' });
    await h.fx.poLine({ order_id: po, part_id: sp, quantity: 4, received: 4, purchase_price: 2.5, purchase_price_currency: 'EUR' });
    await h.fx.poLine({ order_id: po, part_id: sp, quantity: 3, received: 1, purchase_price: 1, purchase_price_currency: 'EUR' });
    await h.fx.poLine({ order_id: po, part_id: sp, quantity: 3 });
    const body = (await h.request({ method: 'GET', url: `/api/order/po/${po}/`, headers: root.auth })).json();
    assert.equal(body.line_items, 3);
    assert.equal(body.completed_lines, 1);
    assert.equal(body.total_price, 13);
    assert.equal(body.overdue, true);
    // A priced line in another currency cannot be converted: the total is unknown.
    await h.fx.poLine({ order_id: po, part_id: sp, quantity: 1, purchase_price: 1, purchase_price_currency: 'USD' });
    assert.equal((await h.request({ method: 'GET', url: `/api/order/po/${po}/`, headers: root.auth })).json().total_price, null);
  });

  it('prices an order without a currency of its own in its supplier\'s currency, else the default', async () => {
    const part = await h.fx.part();
    const sp = await h.fx.supplierPart({ part_id: part, supplier_id: supplier });
    // The supplier's currency is EUR: EUR lines add up, a USD (default currency) line cannot.
    const po = await h.fx.purchaseOrder({ supplier_id: supplier });
    await h.fx.poLine({ order_id: po, part_id: sp, quantity: 2, purchase_price: 1.5, purchase_price_currency: 'EUR' });
    const total = async (order: number) => (await h.request({ method: 'GET', url: `/api/order/po/${order}/`, headers: root.auth })).json().total_price;
    assert.equal(await total(po), 3);
    const plainSupplier = await h.fx.company({ name: 'No Currency Supplies', is_supplier: true, currency: '' });
    const plainSp = await h.fx.supplierPart({ part_id: part, supplier_id: plainSupplier });
    const plain = await h.fx.purchaseOrder({ supplier_id: plainSupplier });
    await h.fx.poLine({ order_id: plain, part_id: plainSp, quantity: 2, purchase_price: 1.5, purchase_price_currency: 'USD' });
    assert.equal(await total(plain), 3);
    await h.fx.poLine({ order_id: plain, part_id: plainSp, quantity: 1, purchase_price: 1, purchase_price_currency: 'EUR' });
    assert.equal(await total(plain), null);
  });

  it('fills barcode_hash from the linked barcode', async () => {
    const po = await h.fx.purchaseOrder({ supplier_id: supplier });
    const hash = await h.fx.link('purchaseorder', po, 'PO-BARCODE-1');
    const body = (await h.request({ method: 'GET', url: `/api/order/po/${po}/`, headers: root.auth })).json();
    assert.equal(body.barcode_hash, hash);
  });

  it('deletes an order with its lines and barcode links in any status', async () => {
    const part = await h.fx.part();
    const sp = await h.fx.supplierPart({ part_id: part, supplier_id: supplier });
    const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: 30 });
    const line = await h.fx.poLine({ order_id: po, part_id: sp, quantity: 1 });
    const item = await h.fx.stockItem({ part_id: part, purchase_order_id: po, supplier_part_id: sp });
    await h.fx.link('purchaseorder', po, 'PO-BARCODE-DELETE');
    const res = await h.request({ method: 'DELETE', url: `/api/order/po/${po}/`, headers: root.auth });
    assert.equal(res.statusCode, 204);
    assert.equal(await h.fx.db.selectFrom('purchase_order_line').select('id').where('id', '=', line).executeTakeFirst(), undefined);
    assert.equal(
      await h.fx.db.selectFrom('barcode_link').select('id').where('model_type', '=', 'purchaseorder').where('object_id', '=', po).executeTakeFirst(),
      undefined,
    );
    const stock = await h.fx.db.selectFrom('stock_item').select('purchase_order_id').where('id', '=', item).executeTakeFirstOrThrow();
    assert.equal(stock.purchase_order_id, null);
    assert.equal((await h.request({ method: 'GET', url: `/api/order/po/${po}/`, headers: root.auth })).statusCode, 404);
  });
});
