import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, today } from '../../src/util/time.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

describe('purchase order status actions', () => {
  let h: Harness;
  let buyer: TestUser;
  let viewer: TestUser;
  let supplier: number;
  let sp: number;
  before(async () => {
    h = await createHarness();
    buyer = await h.user('buyer', { roles: { purchase_order: { can_view: true, can_add: true } } });
    viewer = await h.user('viewer', { roles: { purchase_order: { can_view: true, can_change: true, can_delete: true } } });
    supplier = await h.fx.company();
    sp = await h.fx.supplierPart({ part_id: await h.fx.part(), supplier_id: supplier });
  });
  after(() => h.close());

  async function status(po: number) {
    return (await h.request({ method: 'GET', url: `/api/order/po/${po}/`, headers: buyer.auth })).json();
  }

  const post = (po: number, action: string, payload: object = {}, user: TestUser = buyer) =>
    h.request({ method: 'POST', url: `/api/order/po/${po}/${action}/?format=json`, headers: user.auth, payload });

  it('issue: PENDING or ON_HOLD → PLACED with an issue date; answers 201 {}', async () => {
    const po = await h.fx.purchaseOrder({ supplier_id: supplier });
    const res = await post(po, 'issue');
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json(), {});
    const body = await status(po);
    assert.equal(body.status, 20);
    assert.equal(body.status_text, 'Placed');
    assert.equal(body.issue_date, today());
    const held = await h.fx.purchaseOrder({ supplier_id: supplier, status: 25 });
    await post(held, 'issue');
    assert.equal((await status(held)).status, 20);
  });

  it('issue from another status is silently ignored', async () => {
    const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: 40 });
    const res = await post(po, 'issue');
    assert.equal(res.statusCode, 201);
    assert.equal((await status(po)).status, 40);
  });

  it('hold: PENDING or PLACED → ON_HOLD, otherwise ignored', async () => {
    for (const from of [10, 20]) {
      const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: from });
      assert.equal((await post(po, 'hold')).statusCode, 201);
      assert.equal((await status(po)).status, 25);
    }
    const done = await h.fx.purchaseOrder({ supplier_id: supplier, status: 30 });
    assert.equal((await post(done, 'hold')).statusCode, 201);
    assert.equal((await status(done)).status, 30);
  });

  it('cancel: any open status → CANCELLED; otherwise 400 ["Order cannot be cancelled"]', async () => {
    for (const from of [10, 20, 25]) {
      const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: from });
      assert.equal((await post(po, 'cancel')).statusCode, 201);
      assert.equal((await status(po)).status, 40);
    }
    for (const from of [30, 40]) {
      const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: from });
      const res = await post(po, 'cancel');
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), ['Order cannot be cancelled']);
      assert.equal((await status(po)).status, from);
    }
  });

  it('complete: pending lines need accept_incomplete; only PLACED moves to COMPLETE', async () => {
    const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: 20 });
    await h.fx.poLine({ order_id: po, part_id: sp, quantity: 10, received: 3 });
    const refused = await post(po, 'complete');
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(refused.json(), { accept_incomplete: ['Order has incomplete line items'] });
    assert.equal((await status(po)).status, 20);
    const bad = await post(po, 'complete', { accept_incomplete: 'maybe' });
    assert.deepEqual(bad.json(), { accept_incomplete: ['Must be a valid boolean.'] });
    const ok = await post(po, 'complete', { accept_incomplete: true });
    assert.equal(ok.statusCode, 201);
    assert.deepEqual(ok.json(), { accept_incomplete: true });
    const body = await status(po);
    assert.equal(body.status, 30);
    assert.equal(body.status_text, 'Complete');
    assert.equal(body.complete_date, today());

    const received = await h.fx.purchaseOrder({ supplier_id: supplier, status: 20 });
    await h.fx.poLine({ order_id: received, part_id: sp, quantity: 2, received: 2 });
    const plain = await post(received, 'complete');
    assert.equal(plain.statusCode, 201);
    assert.deepEqual(plain.json(), { accept_incomplete: false });
    assert.equal((await status(received)).status, 30);

    const pending = await h.fx.purchaseOrder({ supplier_id: supplier, status: 10 });
    assert.equal((await post(pending, 'complete')).statusCode, 201);
    assert.equal((await status(pending)).status, 10);
  });

  it('needs purchase_order.add; an unknown order is a 404', async () => {
    const po = await h.fx.purchaseOrder({ supplier_id: supplier });
    for (const action of ['issue', 'hold', 'cancel', 'complete']) {
      const res = await post(po, action, {}, viewer);
      assert.equal(res.statusCode, 403, action);
      assert.deepEqual(res.json(), { detail: 'You do not have permission to perform this action.' });
    }
    assert.equal((await status(po)).status, 10);
    const missing = await post(999999, 'issue');
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { detail: 'No PurchaseOrder matches the given query.' });
    const anonymous = await h.request({ method: 'POST', url: `/api/order/po/${po}/issue/`, payload: {} });
    assert.equal(anonymous.statusCode, 401);
  });

  it('the Python client sequence: create, reload, issue, complete, cancel', async () => {
    // PurchaseOrder.create → POST order/po/?format=json; reload → GET order/po/<pk>/ with a
    // JSON body {}; issue() → POST order/po/<pk>/issue/?format=json {} then reload.
    const created = await h.request({
      method: 'POST',
      url: '/api/order/po/?format=json',
      headers: { ...buyer.auth, 'content-type': 'application/json' },
      payload: { supplier, reference: 'PO-5001', description: 'From the Python client' },
    });
    assert.equal(created.statusCode, 201);
    assert.equal(created.headers['content-type'], 'application/json');
    const pk = created.json().pk;
    assert.equal(typeof pk, 'number');
    const reload = await h.request({ method: 'GET', url: `/api/order/po/${pk}/`, headers: { ...buyer.auth, 'content-type': 'application/json' }, payload: {} });
    assert.equal(reload.statusCode, 200);
    assert.equal(reload.json().pk, pk);
    const list = await h.request({ method: 'GET', url: '/api/order/po/?supplier=' + supplier, headers: buyer.auth, payload: {} });
    assert.ok(list.json().some((o: { pk: number }) => o.pk === pk));
    assert.equal((await post(pk, 'issue')).statusCode, 201);
    assert.equal((await status(pk)).status, 20);
    assert.equal((await post(pk, 'complete')).statusCode, 201);
    assert.equal((await status(pk)).status, 30);
    assert.equal((await post(pk, 'cancel')).statusCode, 400);

    const other = (await h.request({ method: 'POST', url: '/api/order/po/?format=json', headers: buyer.auth, payload: { supplier } })).json();
    assert.equal((await post(other.pk, 'cancel')).statusCode, 201);
    assert.equal((await status(other.pk)).status_text, 'Cancelled');
  });

  it('Python save(): PATCH with the whole object sent back', async () => {
    const po = (await h.request({ method: 'POST', url: '/api/order/po/', headers: buyer.auth, payload: { supplier, target_date: addDays(today(), 5) } })).json();
    const res = await h.request({
      method: 'PATCH',
      url: `/api/order/po/${po.pk}/?format=json`,
      headers: viewer.auth,
      payload: { ...po, supplier_reference: 'THEIR-1' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().supplier_reference, 'THEIR-1');
    assert.equal(res.json().reference, po.reference);
  });
});

describe('purchase order list: filters, search, ordering, paging, permissions', () => {
  let h: Harness;
  let root: TestUser;
  let viewer: TestUser;
  let stockOnly: TestUser;
  let s1: number;
  let s2: number;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    root = await h.user('root', { is_superuser: true });
    viewer = await h.user('viewer', { roles: { purchase_order: { can_view: true } } });
    stockOnly = await h.user('stocky', { roles: { stock: { can_view: true, can_add: true, can_change: true, can_delete: true } } });
    s1 = await h.fx.company({ name: 'Alpha Parts' });
    s2 = await h.fx.company({ name: 'Beta Components' });
    const p1 = await h.fx.part({ name: 'Widget' });
    const p2 = await h.fx.part({ name: 'Gadget' });
    const sp1 = await h.fx.supplierPart({ part_id: p1, supplier_id: s1 });
    const sp2 = await h.fx.supplierPart({ part_id: p2, supplier_id: s2 });
    ids.a = await h.fx.purchaseOrder({ supplier_id: s1, reference: 'PO-0003', reference_int: 3, status: 10, description: 'Screws and nuts' });
    ids.b = await h.fx.purchaseOrder({ supplier_id: s1, reference: 'PO-0020', reference_int: 20, status: 20, target_date: addDays(today(), -3), supplier_reference: 'ACME-77' });
    ids.c = await h.fx.purchaseOrder({ supplier_id: s2, reference: 'PO-0100', reference_int: 100, status: 30 });
    ids.d = await h.fx.purchaseOrder({ supplier_id: s2, reference: 'PO-0004', reference_int: 4, status: 40, target_date: addDays(today(), -3) });
    await h.fx.poLine({ order_id: ids.a, part_id: sp1 });
    await h.fx.poLine({ order_id: ids.a, part_id: sp1 });
    await h.fx.poLine({ order_id: ids.c, part_id: sp2 });
    ids.p1 = p1;
    ids.sp2 = sp2;
  });
  after(() => h.close());

  async function list(qs: string, user: TestUser = viewer): Promise<number[]> {
    const res = await h.request({ method: 'GET', url: `/api/order/po/${qs}`, headers: user.auth });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().map((o: { pk: number }) => o.pk);
  }

  it('orders by -reference (numeric part) by default', async () => {
    assert.deepEqual(await list(''), [ids.c, ids.b, ids.d, ids.a]);
    assert.deepEqual(await list('?ordering=reference'), [ids.a, ids.d, ids.b, ids.c]);
    assert.deepEqual(await list('?ordering=-line_items,reference'), [ids.a, ids.c, ids.d, ids.b]);
    assert.deepEqual(await list('?ordering=supplier__name,-status'), [ids.b, ids.a, ids.d, ids.c]);
    assert.deepEqual(await list('?ordering=nonsense'), [ids.c, ids.b, ids.d, ids.a]);
  });

  it('filters by supplier (400 for a missing one), status, reference, supplier_reference', async () => {
    assert.deepEqual((await list(`?supplier=${s1}`)).sort(), [ids.a, ids.b].sort());
    const bad = await h.request({ method: 'GET', url: '/api/order/po/?supplier=999', headers: viewer.auth });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json(), { supplier: ['Select a valid choice. That choice is not one of the available choices.'] });
    assert.deepEqual(await list('?status=30'), [ids.c]);
    const badStatus = await h.request({ method: 'GET', url: '/api/order/po/?status=abc', headers: viewer.auth });
    assert.deepEqual(badStatus.json(), { status: ['Enter a number.'] });
    assert.deepEqual(await list('?reference=po-0020'), [ids.b]);
    assert.deepEqual(await list('?reference=%20po-0020%20'), [ids.b], 'the reference filter is stripped as a CharFilter');
    assert.deepEqual(await list('?supplier_reference=ACME-77'), [ids.b]);
    // A fractional status is truncated as Django's IntegerField lookup does.
    assert.deepEqual(await list('?status=20.9'), [ids.b]);
  });

  it('names every bad filter in one 400, as a FilterSet form does', async () => {
    const res = await h.request({ method: 'GET', url: '/api/order/po/?supplier=999&status=abc&created_before=2020-99-99&part=x', headers: viewer.auth });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(Object.keys(res.json()).sort(), ['created_before', 'part', 'status', 'supplier']);
    assert.deepEqual(res.json().created_before, ['Enter a valid date.']);
    const lines = await h.request({ method: 'GET', url: '/api/order/po-line/?order=999&order_status=x', headers: viewer.auth });
    assert.deepEqual(lines.json(), { order: ['Select a valid choice. That choice is not one of the available choices.'], order_status: ['Enter a number.'] });
  });

  it('filters outstanding and overdue orders (booleans as the Python client sends them)', async () => {
    assert.deepEqual((await list('?outstanding=True')).sort(), [ids.a, ids.b].sort());
    assert.deepEqual((await list('?outstanding=False')).sort(), [ids.c, ids.d].sort());
    assert.deepEqual(await list('?overdue=true'), [ids.b]);
    assert.deepEqual((await list('?overdue=false')).sort(), [ids.a, ids.c, ids.d].sort());
  });

  it('filters by part and supplier part on the lines', async () => {
    assert.deepEqual(await list(`?part=${ids.p1}`), [ids.a]);
    assert.deepEqual(await list(`?supplier_part=${ids.sp2}`), [ids.c]);
    const bad = await h.request({ method: 'GET', url: '/api/order/po/?part=abc', headers: viewer.auth });
    assert.deepEqual(bad.json(), { part: ['Select a valid choice. That choice is not one of the available choices.'] });
  });

  it('searches reference, supplier name, supplier reference and description', async () => {
    assert.deepEqual(await list('?search=0100'), [ids.c]);
    assert.deepEqual((await list('?search=beta')).sort(), [ids.c, ids.d].sort());
    assert.deepEqual(await list('?search=acme-77'), [ids.b]);
    assert.deepEqual(await list('?search=screws'), [ids.a]);
    assert.deepEqual(await list('?search=screws%20alpha'), [ids.a]);
    assert.deepEqual(await list('?search=%25'), []);
  });

  it('pages with limit/offset', async () => {
    const res = await h.request({ method: 'GET', url: '/api/order/po/?limit=2&offset=1', headers: viewer.auth });
    const body = res.json();
    assert.equal(body.count, 4);
    assert.deepEqual(
      body.results.map((o: { pk: number }) => o.pk),
      [ids.b, ids.d],
    );
    assert.match(body.next, /limit=2&offset=3/);
  });

  it('needs a ruleset covering order_purchaseorder', async () => {
    for (const [method, url] of [
      ['GET', '/api/order/po/'],
      ['GET', `/api/order/po/${ids.a}/`],
      ['POST', '/api/order/po/'],
      ['PATCH', `/api/order/po/${ids.a}/`],
      ['DELETE', `/api/order/po/${ids.a}/`],
    ] as const) {
      const res = await h.request({ method, url, headers: stockOnly.auth, payload: {} });
      assert.equal(res.statusCode, 403, `${method} ${url}`);
    }
    for (const [method, url] of [
      ['POST', '/api/order/po/'],
      ['PATCH', `/api/order/po/${ids.a}/`],
      ['DELETE', `/api/order/po/${ids.a}/`],
    ] as const) {
      const res = await h.request({ method, url, headers: viewer.auth, payload: {} });
      assert.equal(res.statusCode, 403, `viewer ${method} ${url}`);
    }
    const salesViewer = await h.user('sales', { roles: { sales_order: { can_view: true } } });
    assert.equal((await h.request({ method: 'GET', url: '/api/order/po/', headers: salesViewer.auth })).statusCode, 403);
    assert.equal((await h.request({ method: 'GET', url: '/api/order/po/', headers: root.auth })).statusCode, 200);
  });
});
