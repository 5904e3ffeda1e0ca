import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

const LINE_KEYS = ['pk', 'order', 'item', 'item_detail', 'quantity', 'received_date', 'outcome', 'price', 'price_currency', 'link', 'reference', 'notes', 'target_date'];

describe('return order lines', () => {
  let h: Harness;
  let clerk: TestUser;
  let stockOnly: TestUser;
  let customer: number;
  let part: number;
  let ro: number;
  let bulk: number;
  let serial: number;
  before(async () => {
    h = await createHarness();
    clerk = await h.user('clerk', { roles: { return_order: { can_view: true, can_add: true, can_change: true, can_delete: true } } });
    stockOnly = await h.user('stocky', { roles: { stock: { can_view: true, can_add: true, can_change: true, can_delete: true } } });
    customer = await h.fx.company({ is_customer: true });
    part = await h.fx.part({ name: 'Drill', ipn: 'DR-1' });
    ro = await h.fx.returnOrder({ customer_id: customer });
    bulk = await h.fx.stockItem({ part_id: part, quantity: 10, customer_id: customer, batch: 'B-7' });
    serial = await h.fx.stockItem({ part_id: part, quantity: 1, serial: '1001' });
  });
  after(() => h.close());

  const create = (payload: object) => h.request({ method: 'POST', url: '/api/order/ro-line/?format=json', headers: clerk.auth, payload });

  it('creates a line with item_detail by default, outcome PENDING and quantity 1', async () => {
    const res = await create({ order: ro, item: serial, price: 12.5, reference: 'warranty' });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    for (const key of LINE_KEYS) assert.ok(key in body, `missing ${key}`);
    assert.equal('order_detail' in body, false);
    assert.equal('part_detail' in body, false);
    assert.equal(body.quantity, 1);
    assert.equal(body.outcome, 10);
    assert.equal(body.price, 12.5);
    assert.equal(body.item_detail.pk, serial);
    assert.equal(body.item_detail.serial, '1001');
    assert.equal(body.item_detail.part, part);
    // The embedded item is the StockItem object itself, without details or notes.
    const root = await h.user('root', { is_superuser: true });
    const own = (await h.request({ method: 'GET', url: `/api/stock/${serial}/?part_detail=false`, headers: root.auth })).json();
    delete own.notes;
    assert.deepEqual(body.item_detail, own);
    const order = (await h.request({ method: 'GET', url: `/api/order/ro/${ro}/`, headers: clerk.auth })).json();
    assert.equal(order.line_items, 1);
    assert.equal(order.completed_lines, 0);
    assert.equal(order.total_price, 12.5);
  });

  it('gives order_detail and part_detail on request and drops item_detail with item_detail=false', async () => {
    const line = await h.fx.db.selectFrom('return_order_line').select('id').where('item_id', '=', serial).executeTakeFirstOrThrow();
    const body = (await h.request({ method: 'GET', url: `/api/order/ro-line/${line.id}/?order_detail=true&part_detail=true&item_detail=false`, headers: clerk.auth })).json();
    assert.equal(body.order_detail.pk, ro);
    assert.equal(body.part_detail.IPN, 'DR-1');
    assert.equal('item_detail' in body, false);
  });

  it('validates quantities, the outcome and (order, item) uniqueness', async () => {
    const dup = await create({ order: ro, item: serial });
    assert.deepEqual(dup.json(), { non_field_errors: ['The fields order, item must make a unique set.'] });
    const tooMany = await create({ order: ro, item: bulk, quantity: 11 });
    assert.deepEqual(tooMany.json(), { quantity: ['Return quantity exceeds stock quantity'] });
    const zero = await create({ order: ro, item: bulk, quantity: 0 });
    assert.deepEqual(zero.json(), { quantity: ['Return quantity must be greater than zero'] });
    const other = await h.fx.returnOrder({ customer_id: customer });
    const half = await create({ order: other, item: serial, quantity: 0.5 });
    assert.deepEqual(half.json(), { quantity: ['Invalid quantity for serialized stock item'] });
    const outcome = await create({ order: ro, item: bulk, outcome: 7 });
    assert.deepEqual(outcome.json(), { outcome: ['"7" is not a valid choice.'] });
    const missing = await create({});
    assert.deepEqual(missing.json(), { order: ['This field is required.'], item: ['This field is required.'] });
    const badItem = await create({ order: ro, item: 99999 });
    assert.deepEqual(badItem.json(), { item: ['Invalid pk "99999" - object does not exist.'] });
  });

  it('updates the outcome (counted as a completed line) and deletes', async () => {
    const line = (await create({ order: ro, item: bulk, quantity: 4 })).json();
    const patched = await h.request({ method: 'PATCH', url: `/api/order/ro-line/${line.pk}/`, headers: clerk.auth, payload: { ...line, outcome: 30 } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().outcome, 30);
    const order = (await h.request({ method: 'GET', url: `/api/order/ro/${ro}/`, headers: clerk.auth })).json();
    assert.equal(order.completed_lines, 1);
    const list = (await h.request({ method: 'GET', url: `/api/order/ro-line/?order=${ro}&outcome=30`, headers: clerk.auth })).json();
    assert.deepEqual(
      list.map((l: { pk: number }) => l.pk),
      [line.pk],
    );
    const searched = (await h.request({ method: 'GET', url: '/api/order/ro-line/?search=1001', headers: clerk.auth })).json();
    assert.equal(searched.length, 1);
    assert.equal(searched[0].item, serial);
    const removed = await h.request({ method: 'DELETE', url: `/api/order/ro-line/${line.pk}/`, headers: clerk.auth });
    assert.equal(removed.statusCode, 204);
  });

  it('filters received lines and rejects unknown orders', async () => {
    const other = await h.fx.returnOrder({ customer_id: customer });
    const item = await h.fx.stockItem({ part_id: part, quantity: 2 });
    const got = (await create({ order: other, item, quantity: 2, received_date: '2030-01-01' })).json();
    const received = (await h.request({ method: 'GET', url: `/api/order/ro-line/?order=${other}&received=true`, headers: clerk.auth })).json();
    assert.deepEqual(
      received.map((l: { pk: number }) => l.pk),
      [got.pk],
    );
    const pending = (await h.request({ method: 'GET', url: `/api/order/ro-line/?order=${other}&received=false`, headers: clerk.auth })).json();
    assert.deepEqual(pending, []);
    const bad = await h.request({ method: 'GET', url: '/api/order/ro-line/?order=99999', headers: clerk.auth });
    assert.deepEqual(bad.json(), { order: ['Select a valid choice. That choice is not one of the available choices.'] });
  });

  it('locks lines of a completed order', async () => {
    const done = await h.fx.returnOrder({ customer_id: customer, status: 30 });
    const item = await h.fx.stockItem({ part_id: part, quantity: 1 });
    const res = await create({ order: done, item });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { non_field_errors: ['The order is locked and cannot be modified'] });
  });

  it('needs a ruleset covering order_returnorderlineitem', async () => {
    for (const [method, url] of [
      ['GET', '/api/order/ro-line/'],
      ['POST', '/api/order/ro-line/'],
    ] as const) {
      assert.equal((await h.request({ method, url, headers: stockOnly.auth, payload: {} })).statusCode, 403, `${method} ${url}`);
    }
  });
});
