import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { today } from '../../src/util/time.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { client, salesWorld, SALES_ORDER_KEYS, sorted, type Client, type SalesWorld } from './sales-helpers.js';

describe('sales orders: create, read, update, delete', () => {
  let h: Harness;
  let root: TestUser;
  let api: Client;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    root = await h.user('root', { is_superuser: true, first_name: 'Ro', email: 'root@example.com' });
    api = client(h, root);
    w = await salesWorld(h);
  });
  after(() => h.close());

  it('creates an order with the next reference, the creating user and today as creation date', async () => {
    const res = await api.post('/api/order/so/', { customer: w.customer, description: 'First', status: 30 });
    assert.equal(res.statusCode, 201);
    const so = res.json();
    assert.equal(so.reference, 'SO-0001');
    assert.equal(so.status, 10, 'status is read-only');
    assert.equal(so.status_text, 'Pending');
    assert.equal(so.status_custom_key, 10);
    assert.equal(so.creation_date, today());
    assert.deepEqual(so.created_by, { pk: root.user.id, username: 'root', first_name: 'Ro', last_name: '', email: 'root@example.com' });
    assert.equal(so.customer, w.customer);
    assert.equal(so.description, 'First');
    assert.equal(so.notes, '');
    assert.equal(so.barcode_hash, '');
    const second = await api.post('/api/order/so/', { customer: w.customer });
    assert.equal(second.json().reference, 'SO-0002');
  });

  it('lists the keys of §7.8 and §7.11, without notes; detail adds notes', async () => {
    const id = await h.fx.salesOrder({ customer_id: w.customer, notes: 'secret' });
    const list = (await api.get('/api/order/so/')).json();
    const row = list.find((o: { pk: number }) => o.pk === id);
    assert.deepEqual(sorted(Object.keys(row)), sorted(SALES_ORDER_KEYS));
    const detail = (await api.get(`/api/order/so/${id}/`)).json();
    assert.deepEqual(sorted(Object.keys(detail)), sorted([...SALES_ORDER_KEYS, 'notes']));
    assert.equal(detail.notes, 'secret');
  });

  it('adds customer_detail only with ?customer_detail=true', async () => {
    const id = await h.fx.salesOrder({ customer_id: w.customer });
    const plain = (await api.get(`/api/order/so/${id}/`)).json();
    assert.equal('customer_detail' in plain, false);
    const detail = (await api.get(`/api/order/so/${id}/?customer_detail=true`)).json();
    assert.deepEqual(detail.customer_detail, {
      pk: w.customer,
      active: true,
      name: 'ACME Retail',
      description: '',
      image: null,
      thumbnail: null,
      currency: 'USD',
      tax_id: '',
    });
    const list = (await api.get('/api/order/so/?customer_detail=True')).json();
    assert.ok(list.every((o: Record<string, unknown>) => 'customer_detail' in o));
  });

  it('accepts a reference that matches the pattern and refuses others', async () => {
    const ok = await api.post('/api/order/so/', { customer: w.customer, reference: 'SO-77' });
    assert.equal(ok.statusCode, 201);
    assert.equal(ok.json().reference, 'SO-77');
    const next = await api.post('/api/order/so/', { customer: w.customer });
    assert.equal(next.json().reference, 'SO-0078');
    const dup = await api.post('/api/order/so/', { customer: w.customer, reference: 'SO-77' });
    assert.equal(dup.statusCode, 400);
    assert.deepEqual(dup.json(), { reference: ['Sales Order with this Reference already exists.'] });
    const bad = await api.post('/api/order/so/', { customer: w.customer, reference: 'PO-1' });
    assert.deepEqual(bad.json(), { reference: ['Reference must match required pattern: SO-{ref:04d}'] });
    const blank = await api.post('/api/order/so/', { customer: w.customer, reference: '' });
    assert.deepEqual(blank.json(), { reference: ['This field may not be blank.'] });
  });

  it('needs a customer that is a customer', async () => {
    const missing = await api.post('/api/order/so/', { description: 'no customer' });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(missing.json(), { customer: ['This field cannot be blank.'] });
    const nulled = await api.post('/api/order/so/', { customer: null });
    assert.deepEqual(nulled.json(), { customer: ['This field cannot be blank.'] });
    const supplier = await api.post('/api/order/so/', { customer: w.supplier });
    assert.deepEqual(supplier.json(), { customer: [`Invalid pk "${w.supplier}" - object does not exist.`] });
    const unknown = await api.post('/api/order/so/', { customer: 99999 });
    assert.deepEqual(unknown.json(), { customer: ['Invalid pk "99999" - object does not exist.'] });
    const wrongType = await api.post('/api/order/so/', { customer: 'abc' });
    assert.deepEqual(wrongType.json(), { customer: ['Incorrect type. Expected pk value, received str.'] });
  });

  it('checks field values and the start/target dates', async () => {
    const res = await api.post('/api/order/so/', { customer: w.customer, target_date: 'tomorrow', customer_reference: 'x'.repeat(65) });
    assert.deepEqual(res.json(), {
      customer_reference: ['Ensure this field has no more than 64 characters.'],
      target_date: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
    });
    const dates = await api.post('/api/order/so/', { customer: w.customer, start_date: '2030-05-02', target_date: '2030-05-01' });
    assert.deepEqual(dates.json(), { target_date: ['Target date must be after start date'], start_date: ['Start date must be before target date'] });
    const currency = await api.post('/api/order/so/', { customer: w.customer, order_currency: 'euro' });
    assert.deepEqual(currency.json(), { order_currency: ['"euro" is not a valid choice.'] });
    const project = await api.post('/api/order/so/', { customer: w.customer, project_code: 3 });
    assert.deepEqual(project.json(), { project_code: ['Invalid pk "3" - object does not exist.'] });
  });

  it('updates with PATCH and PUT, ignoring read-only keys', async () => {
    const id = await h.fx.salesOrder({ customer_id: w.customer });
    const patched = await api.patch(`/api/order/so/${id}/`, { description: 'Changed', customer: w.otherCustomer, status: 30, shipment_date: '2020-01-01' });
    assert.equal(patched.statusCode, 200);
    const body = patched.json();
    assert.equal(body.description, 'Changed');
    assert.equal(body.customer, w.otherCustomer);
    assert.equal(body.status, 10);
    assert.equal(body.shipment_date, null);
    const put = await api.put(`/api/order/so/${id}/`, { ...body, customer_reference: 'PO 12', target_date: '2031-01-31' });
    assert.equal(put.statusCode, 200);
    assert.equal(put.json().customer_reference, 'PO 12');
    assert.equal(put.json().target_date, '2031-01-31');
    const renamed = await api.patch(`/api/order/so/${id}/`, { reference: 'SO-0500' });
    assert.equal(renamed.json().reference, 'SO-0500');
    const cleared = await api.patch(`/api/order/so/${id}/`, { customer: null });
    assert.deepEqual(cleared.json(), { customer: ['This field cannot be blank.'] });
  });

  it('answers 404 for unknown orders and the catch-all for non-numeric pks', async () => {
    const res = await api.get('/api/order/so/99999/');
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { detail: 'No SalesOrder matches the given query.' });
    const patch = await api.patch('/api/order/so/99999/', { description: 'x' });
    assert.equal(patch.statusCode, 404);
    const abc = await api.get('/api/order/so/abc/');
    assert.equal(abc.statusCode, 404);
    assert.equal(abc.json().detail, 'API endpoint not found');
  });

  it('deletes an order with its lines, shipments and allocations, and their barcode links', async () => {
    const id = await h.fx.salesOrder({ customer_id: w.customer });
    const line = await h.fx.soLine({ order_id: id, part_id: w.part, quantity: 2 });
    const shipment = await h.fx.shipment({ order_id: id });
    const item = await h.fx.stockItem({ part_id: w.part, quantity: 5 });
    await h.fx.allocation({ line_id: line, item_id: item, shipment_id: shipment, quantity: 1 });
    await h.fx.link('salesorder', id, 'SO-BARCODE-DELETE');
    await h.fx.link('salesordershipment', shipment, 'SHIPMENT-BARCODE-DELETE');
    const res = await api.delete(`/api/order/so/${id}/`);
    assert.equal(res.statusCode, 204);
    assert.equal((await api.get(`/api/order/so/${id}/`)).statusCode, 404);
    const links = await h.db.database.kysely.selectFrom('barcode_link').select('id').where('model_type', 'in', ['salesorder', 'salesordershipment']).execute();
    assert.equal(links.length, 0);
    const lines = await h.db.database.kysely.selectFrom('sales_order_line').select('id').where('order_id', '=', id).execute();
    assert.equal(lines.length, 0);
    const stock = await h.db.database.kysely.selectFrom('stock_item').select('id').where('id', '=', item).execute();
    assert.equal(stock.length, 1, 'the stock item stays');
  });

  it('shows barcode_hash from the barcode links', async () => {
    const id = await h.fx.salesOrder({ customer_id: w.customer });
    const hash = await h.fx.link('salesorder', id, 'SO-LINKED-BARCODE');
    assert.equal((await api.get(`/api/order/so/${id}/`)).json().barcode_hash, hash);
  });
});

describe('sales orders: computed values', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    api = client(h, await h.user('root', { is_superuser: true }));
    w = await salesWorld(h);
  });
  after(() => h.close());

  it('counts lines, completed, allocated lines and shipments, and sums the total price', async () => {
    const so = await h.fx.salesOrder({ customer_id: w.customer, order_currency: 'EUR' });
    const done = await h.fx.soLine({ order_id: so, part_id: w.part, quantity: 2, shipped: 2, sale_price: 1.5 });
    const open = await h.fx.soLine({ order_id: so, part_id: w.part, quantity: 4, sale_price: 2.25 });
    await h.fx.soLine({ order_id: so, part_id: w.part, quantity: 1 });
    const virtual = await h.fx.part({ salable: true, virtual: true });
    await h.fx.soLine({ order_id: so, part_id: virtual, quantity: 3 });
    const item = await h.fx.stockItem({ part_id: w.part, quantity: 10 });
    await h.fx.allocation({ line_id: done, item_id: item, quantity: 1 });
    await h.fx.allocation({ line_id: done, item_id: item, quantity: 1 });
    await h.fx.allocation({ line_id: open, item_id: item, quantity: 3 });
    await h.fx.shipment({ order_id: so, shipment_date: '2026-01-01' });
    await h.fx.shipment({ order_id: so });
    const body = (await api.get(`/api/order/so/${so}/`)).json();
    assert.equal(body.line_items, 4);
    assert.equal(body.completed_lines, 1);
    assert.equal(body.allocated_lines, 2, 'the fully allocated line and the virtual line');
    assert.equal(body.shipments_count, 2);
    assert.equal(body.completed_shipments_count, 1);
    assert.equal(body.total_price, 12);
    assert.equal(body.order_currency, 'EUR');
  });

  it('is overdue when open with a past target date', async () => {
    const late = await h.fx.salesOrder({ customer_id: w.customer, target_date: '2000-01-01' });
    const lateDone = await h.fx.salesOrder({ customer_id: w.customer, target_date: '2000-01-01', status: 20 });
    const future = await h.fx.salesOrder({ customer_id: w.customer, target_date: '2999-01-01' });
    const get = async (id: number) => (await api.get(`/api/order/so/${id}/`)).json().overdue;
    assert.equal(await get(late), true);
    assert.equal(await get(lateDone), false);
    assert.equal(await get(future), false);
  });
});

describe('sales orders: filters, search, ordering, pages', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    const root = await h.user('root', { is_superuser: true });
    api = client(h, root);
    w = await salesWorld(h);
    ids.a = await h.fx.salesOrder({ reference: 'SO-0003', reference_int: 3, customer_id: w.customer, status: 10, description: 'Blue widgets', target_date: '2000-01-01', created_by_id: root.user.id });
    ids.b = await h.fx.salesOrder({ reference: 'SO-0010', reference_int: 10, customer_id: w.otherCustomer, status: 15, customer_reference: 'ORDER-77', start_date: '2026-03-01' });
    ids.c = await h.fx.salesOrder({ reference: 'SO-0002', reference_int: 2, customer_id: w.customer, status: 30, target_date: '2000-01-01', shipment_date: '2026-02-01' });
    ids.d = await h.fx.salesOrder({ reference: 'SO-0020', reference_int: 20, customer_id: w.otherCustomer, status: 40, creation_date: '2020-06-01' });
    const variantTemplate = await h.fx.part({ salable: true, is_template: true });
    const variant = await h.fx.part({ salable: true, variant_of_id: variantTemplate });
    await h.fx.soLine({ order_id: ids.a, part_id: w.part, quantity: 1, sale_price: 100 });
    await h.fx.soLine({ order_id: ids.b, part_id: variant, quantity: 1, sale_price: 1 });
    await h.fx.soLine({ order_id: ids.b, part_id: variant, quantity: 1 });
    ids.template = variantTemplate;
    ids.variant = variant;
  });
  after(() => h.close());

  const pks = async (url: string) => (await api.get(url)).json().map((o: { pk: number }) => o.pk);

  it('orders by -reference by default, numerically', async () => {
    assert.deepEqual(await pks('/api/order/so/'), [ids.d, ids.b, ids.a, ids.c]);
    assert.deepEqual(await pks('/api/order/so/?ordering=reference'), [ids.c, ids.a, ids.b, ids.d]);
  });

  it('orders by other fields, ignoring unknown ones', async () => {
    assert.deepEqual(await pks('/api/order/so/?ordering=status'), [ids.a, ids.b, ids.c, ids.d]);
    assert.deepEqual(await pks('/api/order/so/?ordering=-customer__name,reference'), [ids.b, ids.d, ids.c, ids.a]);
    assert.deepEqual(await pks('/api/order/so/?ordering=-line_items,reference'), [ids.b, ids.a, ids.c, ids.d]);
    assert.deepEqual(await pks('/api/order/so/?ordering=-total_price,reference'), [ids.a, ids.b, ids.c, ids.d]);
    assert.deepEqual(await pks('/api/order/so/?ordering=target_date,reference'), [ids.c, ids.a, ids.b, ids.d], 'nulls last');
    assert.deepEqual(await pks('/api/order/so/?ordering=nonsense'), [ids.d, ids.b, ids.a, ids.c]);
  });

  it('filters by customer, status, reference, outstanding and overdue', async () => {
    assert.deepEqual(await pks(`/api/order/so/?customer=${w.customer}&ordering=reference`), [ids.c, ids.a]);
    assert.deepEqual(await pks('/api/order/so/?status=15'), [ids.b]);
    assert.deepEqual(await pks('/api/order/so/?reference=so-0010'), [ids.b]);
    assert.deepEqual(await pks('/api/order/so/?outstanding=True&ordering=reference'), [ids.a, ids.b]);
    assert.deepEqual(await pks('/api/order/so/?outstanding=False&ordering=reference'), [ids.c, ids.d]);
    assert.deepEqual(await pks('/api/order/so/?overdue=true'), [ids.a]);
    assert.deepEqual(await pks('/api/order/so/?overdue=false&ordering=reference'), [ids.c, ids.b, ids.d]);
  });

  it('filters by part (with variants), dates and creator', async () => {
    assert.deepEqual(await pks(`/api/order/so/?part=${w.part}`), [ids.a]);
    assert.deepEqual(await pks(`/api/order/so/?part=${ids.template}`), []);
    assert.deepEqual(await pks(`/api/order/so/?part=${ids.template}&include_variants=true`), [ids.b]);
    assert.deepEqual(await pks('/api/order/so/?has_target_date=true&ordering=reference'), [ids.c, ids.a]);
    assert.deepEqual(await pks('/api/order/so/?has_start_date=true'), [ids.b]);
    assert.deepEqual(await pks('/api/order/so/?created_before=2021-01-01'), [ids.d]);
    assert.deepEqual(await pks('/api/order/so/?completed_after=2026-01-15'), [ids.c]);
    const creator = (await api.get(`/api/order/so/${ids.a}/`)).json().created_by.pk;
    assert.deepEqual(await pks(`/api/order/so/?created_by=${creator}`), [ids.a]);
  });

  it('answers 400 for bad filter values', async () => {
    const unknown = await api.get('/api/order/so/?customer=99999');
    assert.equal(unknown.statusCode, 400);
    assert.deepEqual(unknown.json(), { customer: ['Select a valid choice. That choice is not one of the available choices.'] });
    const notCustomer = await api.get(`/api/order/so/?customer=${w.supplier}`);
    assert.equal(notCustomer.statusCode, 400);
    assert.deepEqual((await api.get('/api/order/so/?status=abc')).json(), { status: ['Enter a number.'] });
    assert.deepEqual((await api.get('/api/order/so/?created_before=yesterday')).json(), { created_before: ['Enter a valid date.'] });
    assert.deepEqual((await api.get('/api/order/so/?part=x')).json(), { part: ['Select a valid choice. That choice is not one of the available choices.'] });
    assert.deepEqual((await api.get('/api/order/so/?part=x&status=abc&customer=0')).json(), {
      status: ['Enter a number.'],
      customer: ['Select a valid choice. That choice is not one of the available choices.'],
      part: ['Select a valid choice. That choice is not one of the available choices.'],
    });
    // Numbers no status column can hold match nothing; fractions are truncated as Django does.
    assert.deepEqual(await pks('/api/order/so/?status=99999999999'), []);
    assert.deepEqual(await pks('/api/order/so/?status=15.7'), [ids.b]);
  });

  it('searches customer name, reference, description and customer reference', async () => {
    assert.deepEqual(await pks('/api/order/so/?search=bolt&ordering=reference'), [ids.b, ids.d]);
    assert.deepEqual(await pks('/api/order/so/?search=BLUE'), [ids.a]);
    assert.deepEqual(await pks('/api/order/so/?search=order-77'), [ids.b]);
    assert.deepEqual(await pks('/api/order/so/?search=SO-0002'), [ids.c]);
    assert.deepEqual(await pks('/api/order/so/?search=acme%20blue'), [ids.a], 'every term must match');
    assert.deepEqual(await pks('/api/order/so/?search=%25'), [], 'wildcards are literal');
  });

  it('pages with limit and offset', async () => {
    const page = (await api.get('/api/order/so/?limit=2&offset=1')).json();
    assert.equal(page.count, 4);
    assert.deepEqual(
      page.results.map((o: { pk: number }) => o.pk),
      [ids.b, ids.a],
    );
    assert.match(page.next, /limit=2&offset=3/);
    assert.match(page.previous, /limit=2/);
    const count = (await api.get('/api/order/so/?limit=1&outstanding=true')).json();
    assert.equal(count.count, 2);
  });
});

describe('sales orders: default shipment and locking', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    api = client(h, await h.user('root', { is_superuser: true }));
    w = await salesWorld(h);
  });
  after(() => h.close());

  it('creates shipment "1" with a new order when SALESORDER_DEFAULT_SHIPMENT is on', async () => {
    const without = (await api.post('/api/order/so/', { customer: w.customer })).json();
    assert.equal(without.shipments_count, 0);
    await h.app.ctx.settings.setGlobal('SALESORDER_DEFAULT_SHIPMENT', true);
    const withShipment = (await api.post('/api/order/so/', { customer: w.customer })).json();
    assert.equal(withShipment.shipments_count, 1);
    const shipments = (await api.get(`/api/order/so/shipment/?order=${withShipment.pk}`)).json();
    assert.equal(shipments.length, 1);
    assert.equal(shipments[0].reference, '1');
    await h.app.ctx.settings.setGlobal('SALESORDER_DEFAULT_SHIPMENT', false);
  });

  it('locks shipped and complete orders unless SALESORDER_EDIT_COMPLETED_ORDERS is on', async () => {
    for (const status of [20, 30]) {
      const id = await h.fx.salesOrder({ customer_id: w.customer, status });
      const res = await api.patch(`/api/order/so/${id}/`, { description: 'edit' });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), { reference: ['This order is locked and cannot be modified'] });
    }
    const open = await h.fx.salesOrder({ customer_id: w.customer, status: 15 });
    assert.equal((await api.patch(`/api/order/so/${open}/`, { description: 'edit' })).statusCode, 200);
    await h.app.ctx.settings.setGlobal('SALESORDER_EDIT_COMPLETED_ORDERS', true);
    const done = await h.fx.salesOrder({ customer_id: w.customer, status: 30 });
    assert.equal((await api.patch(`/api/order/so/${done}/`, { description: 'edit' })).statusCode, 200);
    await h.app.ctx.settings.setGlobal('SALESORDER_EDIT_COMPLETED_ORDERS', false);
  });
});

describe('sales orders: status actions', () => {
  let h: Harness;
  let root: TestUser;
  let api: Client;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    root = await h.user('root', { is_superuser: true });
    api = client(h, root);
    w = await salesWorld(h);
  });
  after(() => h.close());

  const status = async (id: number) => (await api.get(`/api/order/so/${id}/`)).json().status;

  it('issue/ moves PENDING and ON_HOLD to IN_PROGRESS with the issue date, and ignores other states', async () => {
    const pending = await h.fx.salesOrder({ customer_id: w.customer });
    const res = await api.post(`/api/order/so/${pending}/issue/`, {});
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json(), {});
    const body = (await api.get(`/api/order/so/${pending}/`)).json();
    assert.equal(body.status, 15);
    assert.equal(body.status_text, 'In Progress');
    assert.equal(body.issue_date, today());
    const held = await h.fx.salesOrder({ customer_id: w.customer, status: 25 });
    await api.post(`/api/order/so/${held}/issue/`);
    assert.equal(await status(held), 15);
    const cancelled = await h.fx.salesOrder({ customer_id: w.customer, status: 40 });
    assert.equal((await api.post(`/api/order/so/${cancelled}/issue/`, {})).statusCode, 201);
    assert.equal(await status(cancelled), 40);
  });

  it('hold/ moves PENDING and IN_PROGRESS to ON_HOLD only', async () => {
    const a = await h.fx.salesOrder({ customer_id: w.customer, status: 10 });
    const b = await h.fx.salesOrder({ customer_id: w.customer, status: 15 });
    const c = await h.fx.salesOrder({ customer_id: w.customer, status: 20 });
    for (const id of [a, b, c]) assert.equal((await api.post(`/api/order/so/${id}/hold/`, {})).statusCode, 201);
    assert.equal(await status(a), 25);
    assert.equal(await status(b), 25);
    assert.equal(await status(c), 20);
  });

  it('cancel/ cancels an open order and deletes its allocations; closed orders stay', async () => {
    const so = await h.fx.salesOrder({ customer_id: w.customer, status: 15 });
    const line = await h.fx.soLine({ order_id: so, part_id: w.part, quantity: 5 });
    const item = await h.fx.stockItem({ part_id: w.part, quantity: 5 });
    await h.fx.allocation({ line_id: line, item_id: item, quantity: 2 });
    await h.fx.allocation({ line_id: line, item_id: item, quantity: 1 });
    const other = await h.fx.salesOrder({ customer_id: w.customer, status: 15 });
    const otherLine = await h.fx.soLine({ order_id: other, part_id: w.part, quantity: 5 });
    await h.fx.allocation({ line_id: otherLine, item_id: item, quantity: 1 });
    const res = await api.post(`/api/order/so/${so}/cancel/`, {});
    assert.equal(res.statusCode, 201);
    assert.equal(await status(so), 40);
    assert.deepEqual((await api.get(`/api/order/so-allocation/?order=${so}`)).json(), []);
    assert.equal((await api.get(`/api/order/so-allocation/?order=${other}`)).json().length, 1);
    const shipped = await h.fx.salesOrder({ customer_id: w.customer, status: 20 });
    await api.post(`/api/order/so/${shipped}/cancel/`, {});
    assert.equal(await status(shipped), 20);
  });

  it('complete/ refuses incomplete lines unless accept_incomplete, then ships', async () => {
    const so = await h.fx.salesOrder({ customer_id: w.customer, status: 15 });
    await h.fx.soLine({ order_id: so, part_id: w.part, quantity: 5, shipped: 2 });
    const refused = await api.post(`/api/order/so/${so}/complete/`, {});
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(refused.json(), { accept_incomplete: ['Order has incomplete line items'] });
    const ok = await api.post(`/api/order/so/${so}/complete/`, { accept_incomplete: true });
    assert.equal(ok.statusCode, 201);
    assert.deepEqual(ok.json(), { accept_incomplete: true });
    const body = (await api.get(`/api/order/so/${so}/`)).json();
    assert.equal(body.status, 20);
    assert.equal(body.status_text, 'Shipped');
    assert.equal(body.shipment_date, today());
    const row = await h.db.database.kysely.selectFrom('sales_order').select('shipped_by_id').where('id', '=', so).executeTakeFirstOrThrow();
    assert.equal(row.shipped_by_id, root.user.id);
    // A second completion moves SHIPPED on to COMPLETE.
    assert.equal((await api.post(`/api/order/so/${so}/complete/`, { accept_incomplete: 'true' })).statusCode, 201);
    assert.equal(await status(so), 30);
    const again = await api.post(`/api/order/so/${so}/complete/`, { accept_incomplete: true });
    assert.deepEqual(again.json(), { non_field_errors: ['Order is already complete'] });
  });

  it('complete/ reports the completion errors in order', async () => {
    const cancelled = await h.fx.salesOrder({ customer_id: w.customer, status: 40 });
    assert.deepEqual((await api.post(`/api/order/so/${cancelled}/complete/`, {})).json(), { non_field_errors: ['Order is already cancelled'] });
    const so = await h.fx.salesOrder({ customer_id: w.customer, status: 15 });
    const line = await h.fx.soLine({ order_id: so, part_id: w.part, quantity: 1, shipped: 1 });
    const shipment = await h.fx.shipment({ order_id: so });
    assert.deepEqual((await api.post(`/api/order/so/${so}/complete/`, {})).json(), {
      non_field_errors: ['Order cannot be completed as there are incomplete shipments'],
    });
    await h.db.database.kysely.updateTable('sales_order_shipment').set({ shipment_date: '2026-01-01' }).where('id', '=', shipment).execute();
    const item = await h.fx.stockItem({ part_id: w.part, quantity: 3 });
    const pending = await h.fx.allocation({ line_id: line, item_id: item, quantity: 1 });
    assert.deepEqual((await api.post(`/api/order/so/${so}/complete/`, {})).json(), {
      non_field_errors: ['Order cannot be completed as there are incomplete allocations'],
    });
    await h.db.database.kysely.updateTable('sales_order_allocation').set({ shipment_id: shipment }).where('id', '=', pending).execute();
    assert.equal((await api.post(`/api/order/so/${so}/complete/`, {})).statusCode, 201);
    assert.equal(await status(so), 20);
  });

  it('complete/ goes straight to COMPLETE with SALESORDER_SHIP_COMPLETE', async () => {
    await h.app.ctx.settings.setGlobal('SALESORDER_SHIP_COMPLETE', true);
    const so = await h.fx.salesOrder({ customer_id: w.customer, status: 15, shipment_date: '2025-12-31' });
    assert.equal((await api.post(`/api/order/so/${so}/complete/`, {})).statusCode, 201);
    const body = (await api.get(`/api/order/so/${so}/`)).json();
    assert.equal(body.status, 30);
    assert.equal(body.shipment_date, '2025-12-31', 'an existing shipment date stays');
    await h.app.ctx.settings.setGlobal('SALESORDER_SHIP_COMPLETE', false);
  });

  it('answers 404 for actions on unknown orders and 405 for GET', async () => {
    const res = await api.post('/api/order/so/99999/issue/', {});
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { detail: 'No SalesOrder matches the given query.' });
    const so = await h.fx.salesOrder({ customer_id: w.customer });
    assert.equal((await api.get(`/api/order/so/${so}/issue/`)).statusCode, 405);
  });
});

describe('sales orders: permissions', () => {
  let h: Harness;
  let w: SalesWorld;
  let order: number;
  before(async () => {
    h = await createHarness();
    w = await salesWorld(h);
    order = await h.fx.salesOrder({ customer_id: w.customer });
  });
  after(() => h.close());

  it('needs authentication', async () => {
    const res = await h.request({ method: 'GET', url: '/api/order/so/' });
    assert.equal(res.statusCode, 401);
  });

  it('maps methods to verbs on order_salesorder', async () => {
    const viewer = client(h, await h.user('viewer', { roles: { sales_order: { can_view: true } } }));
    assert.equal((await viewer.get('/api/order/so/')).statusCode, 200);
    assert.equal((await viewer.get(`/api/order/so/${order}/`)).statusCode, 200);
    const denied = await viewer.post('/api/order/so/', { customer: w.customer });
    assert.equal(denied.statusCode, 403);
    assert.deepEqual(denied.json(), { detail: 'You do not have permission to perform this action.' });
    assert.equal((await viewer.patch(`/api/order/so/${order}/`, { description: 'x' })).statusCode, 403);
    assert.equal((await viewer.delete(`/api/order/so/${order}/`)).statusCode, 403);
    const adder = client(h, await h.user('adder', { roles: { sales_order: { can_add: true } } }));
    assert.equal((await adder.post('/api/order/so/', { customer: w.customer })).statusCode, 201);
    assert.equal((await adder.patch(`/api/order/so/${order}/`, { description: 'x' })).statusCode, 200);
    assert.equal((await adder.delete(`/api/order/so/${order}/`)).statusCode, 403);
    const other = client(h, await h.user('purchaser', { roles: { purchase_order: { can_view: true, can_add: true, can_change: true, can_delete: true } } }));
    assert.equal((await other.get('/api/order/so/')).statusCode, 403);
  });

  it('needs sales_order.add for the status actions', async () => {
    const so = await h.fx.salesOrder({ customer_id: w.customer, reference: 'SO-9001', reference_int: 9001 });
    const changer = client(h, await h.user('changer', { roles: { sales_order: { can_change: true, can_delete: true } } }));
    for (const action of ['issue', 'hold', 'cancel', 'complete']) {
      assert.equal((await changer.post(`/api/order/so/${so}/${action}/`, {})).statusCode, 403, action);
    }
    const adder = client(h, await h.user('adder2', { roles: { sales_order: { can_add: true } } }));
    assert.equal((await adder.post(`/api/order/so/${so}/issue/`, {})).statusCode, 201);
  });
});
