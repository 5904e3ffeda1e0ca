import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, today } from '../../src/util/time.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

async function setSetting(h: Harness, admin: TestUser, key: string, value: unknown): Promise<void> {
  const res = await h.request({ method: 'PATCH', url: `/api/settings/global/${key}/`, headers: admin.auth, payload: { value } });
  assert.equal(res.statusCode, 200, res.body);
}

const RO_KEYS = [
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
  'reference',
  'responsible',
  'contact',
  'address',
  'status',
  'status_text',
  'status_custom_key',
  'barcode_hash',
  'overdue',
  'complete_date',
  'customer',
  'customer_reference',
  'order_currency',
  'total_price',
];

describe('return orders', () => {
  let h: Harness;
  let root: TestUser;
  let clerk: TestUser;
  let viewer: TestUser;
  let poOnly: TestUser;
  let customer: number;
  let supplierOnly: number;
  before(async () => {
    h = await createHarness();
    root = await h.user('root', { is_superuser: true });
    clerk = await h.user('clerk', { roles: { return_order: { can_view: true, can_add: true, can_change: true, can_delete: true } } });
    viewer = await h.user('viewer', { roles: { return_order: { can_view: true, can_change: true, can_delete: true } } });
    poOnly = await h.user('buyer', { roles: { purchase_order: { can_view: true, can_add: true, can_change: true, can_delete: true } } });
    customer = await h.fx.company({ name: 'Happy Customer', is_customer: true, is_supplier: false, currency: 'AUD' });
    supplierOnly = await h.fx.company({ name: 'Just Supplier' });
  });
  after(() => h.close());

  const post = (url: string, payload: object, user: TestUser = clerk) => h.request({ method: 'POST', url, headers: user.auth, payload });
  const get = async (pk: number) => (await h.request({ method: 'GET', url: `/api/order/ro/${pk}/`, headers: clerk.auth })).json();

  it('creates a return order: RMA reference, creator, customer checks', async () => {
    const res = await post('/api/order/ro/?format=json', { customer, description: 'Broken', customer_reference: 'CR-1', status: 30 });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    for (const key of RO_KEYS) assert.ok(key in body, `missing ${key}`);
    assert.equal(body.reference, 'RMA-0001');
    assert.equal(body.status, 10);
    assert.equal(body.status_text, 'Pending');
    assert.equal(body.created_by.username, 'clerk');
    assert.equal(body.creation_date, today());
    assert.equal(body.customer_reference, 'CR-1');
    assert.equal(body.notes, '');
    assert.equal('customer_detail' in body, false);
    const bad = await post('/api/order/ro/', { customer: supplierOnly });
    assert.deepEqual(bad.json(), { customer: [`Invalid pk "${supplierOnly}" - object does not exist.`] });
    const pattern = await post('/api/order/ro/', { customer, reference: 'PO-0001' });
    assert.deepEqual(pattern.json(), { reference: ['Reference must match required pattern: RMA-{ref:04d}'] });
    const explicit = await post('/api/order/ro/', { customer, reference: 'RMA-9' });
    assert.equal(explicit.json().reference, 'RMA-9');
    const dup = await post('/api/order/ro/', { customer, reference: 'RMA-9' });
    assert.deepEqual(dup.json(), { reference: ['Return Order with this Reference already exists.'] });
    const dates = await post('/api/order/ro/', { customer, start_date: '2030-01-02', target_date: '2030-01-01' });
    assert.deepEqual(dates.json(), { target_date: ['Target date must be after start date'], start_date: ['Start date must be before target date'] });
  });

  it('reads with customer_detail on request, barcode_hash, overdue', async () => {
    const ro = await h.fx.returnOrder({ customer_id: customer, status: 20, target_date: addDays(today(), -1) });
    const hash = await h.fx.link('returnorder', ro, 'RMA-LABEL-1');
    const body = (await h.request({ method: 'GET', url: `/api/order/ro/${ro}/?customer_detail=true`, headers: clerk.auth })).json();
    assert.equal(body.barcode_hash, hash);
    assert.equal(body.overdue, true);
    assert.equal(body.customer_detail.name, 'Happy Customer');
    assert.equal(body.customer_detail.currency, 'AUD');
    const missing = await h.request({ method: 'GET', url: '/api/order/ro/424242/', headers: clerk.auth });
    assert.deepEqual(missing.json(), { detail: 'No ReturnOrder matches the given query.' });
  });

  it("prices an order without a currency of its own in its customer's currency, with or without customer_detail", async () => {
    const db = h.db.database.kysely;
    const item = await h.fx.stockItem({ part_id: await h.fx.part() });
    const total = async (ro: number, detail: boolean) =>
      (await h.request({ method: 'GET', url: `/api/order/ro/${ro}/${detail ? '?customer_detail=true' : ''}`, headers: clerk.auth })).json().total_price;
    // The customer's currency is AUD: AUD lines add up, a line in another currency cannot.
    const ro = await h.fx.returnOrder({ customer_id: customer, order_currency: null, reference: 'RMA-7001', reference_int: 7001 });
    await db.insertInto('return_order_line').values({ order_id: ro, item_id: item, quantity: 2, price: 3.5, price_currency: 'AUD' }).execute();
    assert.equal(await total(ro, false), 7);
    assert.equal(await total(ro, true), 7);
    const mixed = await h.fx.returnOrder({ customer_id: customer, order_currency: null, reference: 'RMA-7002', reference_int: 7002 });
    await db.insertInto('return_order_line').values({ order_id: mixed, item_id: item, quantity: 1, price: 2, price_currency: 'USD' }).execute();
    assert.equal(await total(mixed, false), null);
    assert.equal(await total(mixed, true), null);
  });

  it('updates and locks completed orders', async () => {
    const created = (await post('/api/order/ro/', { customer })).json();
    const patched = await h.request({ method: 'PATCH', url: `/api/order/ro/${created.pk}/`, headers: clerk.auth, payload: { ...created, description: 'Fixed', status: 40 } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().description, 'Fixed');
    assert.equal(patched.json().status, 10);
    // InvenTree leaves a return order's issue and completion dates writable.
    const dated = await h.request({ method: 'PATCH', url: `/api/order/ro/${created.pk}/`, headers: clerk.auth, payload: { issue_date: '2030-03-03' } });
    assert.equal(dated.json().issue_date, '2030-03-03');
    const done = await h.fx.returnOrder({ customer_id: customer, status: 30 });
    const locked = await h.request({ method: 'PATCH', url: `/api/order/ro/${done}/`, headers: clerk.auth, payload: { description: 'x' } });
    assert.deepEqual(locked.json(), { reference: ['This order is locked and cannot be modified'] });
    await setSetting(h, root, 'RETURNORDER_EDIT_COMPLETED_ORDERS', true);
    try {
      assert.equal((await h.request({ method: 'PATCH', url: `/api/order/ro/${done}/`, headers: clerk.auth, payload: { description: 'x' } })).statusCode, 200);
    } finally {
      await setSetting(h, root, 'RETURNORDER_EDIT_COMPLETED_ORDERS', false);
    }
  });

  it('issue, hold, cancel, complete follow the status rules; other moves are ignored', async () => {
    const ro = (await post('/api/order/ro/', { customer })).json().pk;
    const act = (action: string, user: TestUser = clerk) => post(`/api/order/ro/${ro}/${action}/?format=json`, {}, user);
    let res = await act('complete');
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json(), {});
    assert.equal((await get(ro)).status, 10);
    assert.equal((await act('hold')).statusCode, 201);
    assert.equal((await get(ro)).status, 25);
    assert.equal((await act('issue')).statusCode, 201);
    let body = await get(ro);
    assert.equal(body.status, 20);
    assert.equal(body.status_text, 'In Progress');
    assert.equal(body.issue_date, today());
    res = await act('complete');
    assert.equal(res.statusCode, 201);
    body = await get(ro);
    assert.equal(body.status, 30);
    assert.equal(body.complete_date, today());
    res = await act('cancel');
    assert.equal(res.statusCode, 201);
    assert.equal((await get(ro)).status, 30);

    const other = (await post('/api/order/ro/', { customer })).json().pk;
    assert.equal((await post(`/api/order/ro/${other}/cancel/`, {})).statusCode, 201);
    assert.equal((await get(other)).status, 40);
    for (const action of ['issue', 'hold', 'cancel', 'complete']) {
      assert.equal((await post(`/api/order/ro/${other}/${action}/`, {}, viewer)).statusCode, 403, action);
      assert.equal((await post(`/api/order/ro/${other}/${action}/`, {}, poOnly)).statusCode, 403, action);
    }
    assert.equal((await post('/api/order/ro/999999/issue/', {})).statusCode, 404);
  });

  it('deletes an order with its lines and barcode links', async () => {
    const ro = await h.fx.returnOrder({ customer_id: customer, status: 30 });
    const item = await h.fx.stockItem({ part_id: await h.fx.part(), quantity: 3 });
    await h.fx.db.insertInto('return_order_line').values({ order_id: ro, item_id: item, quantity: 1 }).execute();
    await h.fx.link('returnorder', ro, 'RMA-DELETE');
    const res = await h.request({ method: 'DELETE', url: `/api/order/ro/${ro}/`, headers: clerk.auth });
    assert.equal(res.statusCode, 204);
    assert.equal((await h.fx.db.selectFrom('return_order_line').select('id').where('order_id', '=', ro).execute()).length, 0);
    assert.equal((await h.fx.db.selectFrom('barcode_link').select('id').where('object_id', '=', ro).where('model_type', '=', 'returnorder').execute()).length, 0);
  });

  it('needs a ruleset covering order_returnorder', async () => {
    const ro = await h.fx.returnOrder({ customer_id: customer });
    for (const [method, url] of [
      ['GET', '/api/order/ro/'],
      ['GET', `/api/order/ro/${ro}/`],
      ['POST', '/api/order/ro/'],
      ['PATCH', `/api/order/ro/${ro}/`],
      ['DELETE', `/api/order/ro/${ro}/`],
    ] as const) {
      assert.equal((await h.request({ method, url, headers: poOnly.auth, payload: {} })).statusCode, 403, `${method} ${url}`);
    }
  });
});

describe('return order list filters', () => {
  let h: Harness;
  let viewer: TestUser;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    viewer = await h.user('viewer', { roles: { return_order: { can_view: true } } });
    const c1 = await h.fx.company({ name: 'Customer One', is_customer: true });
    const c2 = await h.fx.company({ name: 'Customer Two', is_customer: true });
    ids.c1 = c1;
    const template = await h.fx.part({ name: 'Lamp', is_template: true });
    const variant = await h.fx.part({ name: 'Blue lamp', variant_of_id: template });
    ids.template = template;
    ids.a = await h.fx.returnOrder({ customer_id: c1, reference: 'RMA-0002', reference_int: 2, status: 10, customer_reference: 'THEIRS-5' });
    ids.b = await h.fx.returnOrder({ customer_id: c2, reference: 'RMA-0010', reference_int: 10, status: 30 });
    ids.c = await h.fx.returnOrder({ customer_id: c2, reference: 'RMA-0005', reference_int: 5, status: 20, description: 'Flicker' });
    const item = await h.fx.stockItem({ part_id: variant });
    await h.fx.db.insertInto('return_order_line').values({ order_id: ids.c, item_id: item, quantity: 1 }).execute();
  });
  after(() => h.close());

  async function list(qs: string): Promise<number[]> {
    const res = await h.request({ method: 'GET', url: `/api/order/ro/${qs}`, headers: viewer.auth });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().map((o: { pk: number }) => o.pk);
  }

  it('orders by -reference by default and filters', async () => {
    assert.deepEqual(await list(''), [ids.b, ids.c, ids.a]);
    assert.deepEqual(await list(`?customer=${ids.c1}`), [ids.a]);
    assert.deepEqual(await list('?outstanding=true'), [ids.c, ids.a]);
    assert.deepEqual(await list('?status=30'), [ids.b]);
    assert.deepEqual(await list('?reference=rma-0005'), [ids.c]);
    assert.deepEqual(await list(`?part=${ids.template}`), []);
    assert.deepEqual(await list(`?part=${ids.template}&include_variants=true`), [ids.c]);
    const bad = await h.request({ method: 'GET', url: '/api/order/ro/?customer=77777', headers: viewer.auth });
    assert.deepEqual(bad.json(), { customer: ['Select a valid choice. That choice is not one of the available choices.'] });
    const several = await h.request({ method: 'GET', url: '/api/order/ro/?customer=77777&part=0&target_date_after=never', headers: viewer.auth });
    assert.deepEqual(several.json(), {
      target_date_after: ['Enter a valid date.'],
      customer: ['Select a valid choice. That choice is not one of the available choices.'],
      part: ['Select a valid choice. That choice is not one of the available choices.'],
    });
  });

  it('searches customer name, reference, description, customer reference', async () => {
    assert.deepEqual(await list('?search=two'), [ids.b, ids.c]);
    assert.deepEqual(await list('?search=flicker'), [ids.c]);
    assert.deepEqual(await list('?search=theirs'), [ids.a]);
    assert.deepEqual(await list('?search=0010&ordering=status'), [ids.b]);
  });
});
