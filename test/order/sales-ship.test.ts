/** POST /api/order/so/shipment/{pk}/ship/ (core-api.md §7.13, §7.5, §9.3, §4.3; decision D16). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { today } from '../../src/util/time.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { client, salesWorld, type Client, type SalesWorld } from './sales-helpers.js';

interface Setup {
  part: number;
  order: number;
  line: number;
  shipment: number;
  item: number;
}

/**
 * An open order with one line, one shipment and one stock item of `stock` at the world's
 * location, all of a part of its own (so part-wide figures such as `available_stock` count
 * this stock only).
 */
async function setup(h: Harness, w: SalesWorld, stock = 10, lineQuantity = 10): Promise<Setup> {
  const part = await h.fx.part({ salable: true });
  const order = await h.fx.salesOrder({ customer_id: w.customer, status: 15 });
  const line = await h.fx.soLine({ order_id: order, part_id: part, quantity: lineQuantity });
  const shipment = await h.fx.shipment({ order_id: order });
  const item = await h.fx.stockItem({ part_id: part, quantity: stock, location_id: w.location, batch: 'B-7' });
  return { part, order, line, shipment, item };
}

const tracking = async (api: Client, item: number) =>
  ((await api.get(`/api/stock/track/?item=${item}&ordering=date`)).json() as { tracking_type: number; deltas: Record<string, unknown> }[]).sort(
    (a, b) => a.tracking_type - b.tracking_type,
  );

describe('sales order shipment ship: effects', () => {
  let h: Harness;
  let api: Client;
  let root: TestUser;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    root = await h.user('root', { is_superuser: true });
    api = client(h, root);
    w = await salesWorld(h);
  });
  after(() => h.close());

  const allocate = async (s: Setup, quantity: number, item = s.item, line = s.line) => {
    const res = await api.post(`/api/order/so/${s.order}/allocate/`, { items: [{ line_item: line, stock_item: item, quantity }], shipment: s.shipment });
    assert.equal(res.statusCode, 201, res.body);
  };

  it('ships a wholly allocated item: it goes to the customer, the line counts it, answer 201 with the echo', async () => {
    const s = await setup(h, w);
    await allocate(s, 10);
    const res = await api.post(`/api/order/so/shipment/${s.shipment}/ship/`, {});
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.deepEqual(res.json(), { shipment_date: null, delivery_date: null });
    const shipment = (await api.get(`/api/order/so/shipment/${s.shipment}/`)).json();
    assert.equal(shipment.shipment_date, today());
    assert.equal(shipment.delivery_date, null);
    const item = (await api.get(`/api/stock/${s.item}/`)).json();
    assert.equal(item.quantity, 10);
    assert.equal(item.sales_order, s.order);
    assert.equal(item.customer, w.customer);
    assert.equal(item.location, null);
    assert.equal(item.in_stock, false);
    assert.equal(item.batch, 'B-7');
    const entries = await tracking(api, s.item);
    assert.deepEqual(
      entries.map((e) => e.tracking_type),
      [60],
    );
    assert.deepEqual(entries[0]!.deltas, { customer: w.customer, customer_name: 'ACME Retail', salesorder: s.order, quantity: 10 });
    const line = (await api.get(`/api/order/so-line/${s.line}/`)).json();
    assert.equal(line.shipped, 10);
    assert.equal(line.allocated, 10);
    const [allocation] = (await api.get(`/api/order/so-allocation/?shipment=${s.shipment}`)).json();
    assert.equal(allocation.item, s.item);
    const order = (await api.get(`/api/order/so/${s.order}/`)).json();
    assert.equal(order.completed_lines, 1);
    assert.equal(order.completed_shipments_count, 1);
    assert.equal(order.status, 15, 'shipping a shipment leaves the order status alone');
  });

  it('splits a partly allocated item and ships the split-off part; sets the given fields', async () => {
    const s = await setup(h, w);
    await allocate(s, 4);
    const payload = { shipment_date: '2026-03-04', delivery_date: '2026-03-06', tracking_number: 'TRK-1', invoice_number: 'INV-9', link: 'https://carrier.example/TRK-1' };
    const res = await api.post(`/api/order/so/shipment/${s.shipment}/ship/`, payload);
    assert.deepEqual([res.statusCode, res.json()], [201, payload]);
    const shipment = (await api.get(`/api/order/so/shipment/${s.shipment}/`)).json();
    assert.deepEqual(
      [shipment.shipment_date, shipment.delivery_date, shipment.tracking_number, shipment.invoice_number, shipment.link],
      ['2026-03-04', '2026-03-06', 'TRK-1', 'INV-9', 'https://carrier.example/TRK-1'],
    );
    const original = (await api.get(`/api/stock/${s.item}/`)).json();
    assert.equal(original.quantity, 6);
    assert.equal(original.location, w.location);
    assert.equal(original.sales_order, null);
    assert.equal(original.customer, null);
    assert.equal(original.in_stock, true);
    const [allocation] = (await api.get(`/api/order/so-allocation/?shipment=${s.shipment}`)).json();
    assert.notEqual(allocation.item, s.item, 'the allocation follows the shipped part');
    const shipped = (await api.get(`/api/stock/${allocation.item}/`)).json();
    assert.equal(shipped.quantity, 4);
    assert.equal(shipped.parent, s.item);
    assert.equal(shipped.batch, 'B-7');
    assert.equal(shipped.sales_order, s.order);
    assert.equal(shipped.customer, w.customer);
    assert.equal(shipped.location, null);
    assert.equal(shipped.in_stock, false);
    assert.deepEqual(
      (await tracking(api, allocation.item)).map((e) => [e.tracking_type, e.deltas]),
      [
        [40, { stockitem: s.item, quantity: 4 }],
        [60, { customer: w.customer, customer_name: 'ACME Retail', salesorder: s.order, quantity: 4 }],
      ],
    );
    assert.deepEqual(
      (await tracking(api, s.item)).map((e) => e.tracking_type),
      [42],
    );
    assert.equal((await api.get(`/api/order/so-line/${s.line}/`)).json().shipped, 4);
  });

  it('ships several allocations of one item and of several lines in one go', async () => {
    const s = await setup(h, w, 10, 3);
    const second = await h.fx.soLine({ order_id: s.order, part_id: s.part, quantity: 7 });
    await allocate(s, 3);
    await allocate(s, 7, s.item, second);
    assert.equal((await api.post(`/api/order/so/shipment/${s.shipment}/ship/`, { shipment_date: null })).statusCode, 201);
    const allocations = (await api.get(`/api/order/so-allocation/?shipment=${s.shipment}`)).json() as { item: number; quantity: number; line: number }[];
    const items = await Promise.all(allocations.map(async (a) => (await api.get(`/api/stock/${a.item}/`)).json()));
    assert.deepEqual(
      items.map((i) => [i.quantity, i.sales_order, i.customer, i.location]).sort(),
      [
        [3, s.order, w.customer, null],
        [7, s.order, w.customer, null],
      ],
    );
    // The first allocation split 3 off; the second took what was left, the item itself.
    assert.ok(allocations.some((a) => a.item === s.item && a.quantity === 7));
    assert.equal((await api.get(`/api/order/so-line/${s.line}/`)).json().shipped, 3);
    assert.equal((await api.get(`/api/order/so-line/${second}/`)).json().shipped, 7);
    assert.equal((await api.get(`/api/order/so/shipment/${s.shipment}/`)).json().shipment_date, today(), 'a null shipment_date means today');
  });

  it('keeps an existing delivery date when none is sent, and keeps texts that are not sent', async () => {
    const s = await setup(h, w);
    await h.db.database.kysely.updateTable('sales_order_shipment').set({ delivery_date: '2026-05-01', tracking_number: 'OLD', invoice_number: 'INV-OLD' }).where('id', '=', s.shipment).execute();
    await allocate(s, 1);
    const res = await api.post(`/api/order/so/shipment/${s.shipment}/ship/`, { delivery_date: null, invoice_number: 'INV-NEW' });
    assert.deepEqual([res.statusCode, res.json()], [201, { shipment_date: null, delivery_date: null, invoice_number: 'INV-NEW' }]);
    const shipment = (await api.get(`/api/order/so/shipment/${s.shipment}/`)).json();
    assert.deepEqual([shipment.delivery_date, shipment.tracking_number, shipment.invoice_number], ['2026-05-01', 'OLD', 'INV-NEW']);
  });

  it('keeps unallocated quantity and line figures consistent before and after shipping (§9.3)', async () => {
    const s = await setup(h, w, 10, 20);
    const later = await h.fx.shipment({ order_id: s.order });
    await allocate(s, 3);
    const other = { ...s, shipment: later };
    await allocate(other, 5);
    const over = (quantity: number) => api.post(`/api/order/so/${s.order}/allocate/`, { items: [{ line_item: s.line, stock_item: s.item, quantity }] });
    // Before: 8 of 10 held by two open shipments.
    assert.equal((await api.get(`/api/stock/${s.item}/`)).json().allocated, 8);
    let line = (await api.get(`/api/order/so-line/${s.line}/`)).json();
    assert.deepEqual([line.allocated, line.shipped, line.available_stock], [8, 0, 2]);
    assert.deepEqual((await over(3)).json(), { items: [{ quantity: ['Available quantity (2) exceeded'] }] });

    assert.equal((await api.post(`/api/order/so/shipment/${s.shipment}/ship/`, {})).statusCode, 201);
    // After: the 3 shipped left the item (split off); the other shipment still holds 5 of the 7 left.
    const item = (await api.get(`/api/stock/${s.item}/`)).json();
    assert.deepEqual([item.quantity, item.allocated, item.in_stock], [7, 5, true]);
    line = (await api.get(`/api/order/so-line/${s.line}/`)).json();
    assert.deepEqual([line.allocated, line.shipped, line.available_stock], [8, 3, 2]);
    assert.deepEqual((await over(3)).json(), { items: [{ quantity: ['Available quantity (2) exceeded'] }] });
    const [shippedAllocation] = (await api.get(`/api/order/so-allocation/?shipment=${s.shipment}`)).json();
    const shippedItem = (await api.get(`/api/stock/${shippedAllocation.item}/`)).json();
    assert.deepEqual([shippedItem.quantity, shippedItem.allocated, shippedItem.in_stock], [3, 3, false]);
    // A shipped allocation no longer holds its item: allocating the shipped item is refused by its limits, not its quantity.
    const again = await api.post(`/api/order/so/${s.order}/allocate/`, { items: [{ line_item: s.line, stock_item: shippedAllocation.item, quantity: 3 }] });
    assert.deepEqual([again.statusCode, again.json()], [400, { item: [`Stock Item instance with id ${shippedAllocation.item} does not exist.`] }]);

    assert.equal((await api.post(`/api/order/so/shipment/${later}/ship/`, {})).statusCode, 201);
    const rest = (await api.get(`/api/stock/${s.item}/`)).json();
    assert.deepEqual([rest.quantity, rest.in_stock], [2, true]);
    line = (await api.get(`/api/order/so-line/${s.line}/`)).json();
    assert.deepEqual([line.allocated, line.shipped, line.available_stock], [8, 8, 2]);
    assert.equal((await over(2)).statusCode, 201, 'the remaining 2 are free again');
  });

  it('allocations on a shipped shipment stop holding stock even when the item itself stays (fixture)', async () => {
    const s = await setup(h, w);
    await allocate(s, 10);
    assert.deepEqual(
      (await api.post(`/api/order/so/${s.order}/allocate/`, { items: [{ line_item: s.line, stock_item: s.item, quantity: 1 }] })).json(),
      { items: [{ quantity: ['Available quantity (0) exceeded'] }] },
    );
    await h.db.database.kysely.updateTable('sales_order_shipment').set({ shipment_date: '2026-01-01' }).where('id', '=', s.shipment).execute();
    assert.equal((await api.get(`/api/order/so-line/${s.line}/`)).json().available_stock, 10);
    assert.equal((await api.post(`/api/order/so/${s.order}/allocate/`, { items: [{ line_item: s.line, stock_item: s.item, quantity: 10 }] })).statusCode, 201);
  });
});

describe('sales order shipment ship: refusals', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    const root = await h.user('root', { is_superuser: true });
    api = client(h, root);
    w = await salesWorld(h);
  });
  after(() => h.close());

  const snapshot = async (s: Setup) => ({
    shipment: await h.db.database.kysely.selectFrom('sales_order_shipment').selectAll().where('id', '=', s.shipment).executeTakeFirstOrThrow(),
    item: await h.db.database.kysely.selectFrom('stock_item').selectAll().where('id', '=', s.item).executeTakeFirstOrThrow(),
    line: await h.db.database.kysely.selectFrom('sales_order_line').selectAll().where('id', '=', s.line).executeTakeFirstOrThrow(),
  });

  it('refuses a shipment that was already sent, and changes nothing', async () => {
    const s = await setup(h, w);
    await h.fx.allocation({ line_id: s.line, item_id: s.item, shipment_id: s.shipment, quantity: 2 });
    assert.equal((await api.post(`/api/order/so/shipment/${s.shipment}/ship/`, {})).statusCode, 201);
    const before = await snapshot(s);
    const res = await api.post(`/api/order/so/shipment/${s.shipment}/ship/`, { shipment_date: '2030-01-01' });
    assert.deepEqual([res.statusCode, res.json()], [400, { non_field_errors: ['Shipment has already been sent'] }]);
    assert.deepEqual(await snapshot(s), before);
    assert.equal(Number(before.line.shipped), 2, 'shipped once only');
  });

  it('refuses a shipment without allocations', async () => {
    const s = await setup(h, w);
    const res = await api.post(`/api/order/so/shipment/${s.shipment}/ship/`, {});
    assert.deepEqual([res.statusCode, res.json()], [400, { non_field_errors: ['Shipment has no allocated stock items'] }]);
    assert.equal((await snapshot(s)).shipment.shipment_date, null);
  });

  it('needs a check only while SALESORDER_SHIPMENT_REQUIRES_CHECK is on', async () => {
    const s = await setup(h, w);
    await h.fx.allocation({ line_id: s.line, item_id: s.item, shipment_id: s.shipment, quantity: 2 });
    await h.app.ctx.settings.setGlobal('SALESORDER_SHIPMENT_REQUIRES_CHECK', true);
    try {
      const before = await snapshot(s);
      const res = await api.post(`/api/order/so/shipment/${s.shipment}/ship/`, {});
      assert.deepEqual([res.statusCode, res.json()], [400, { non_field_errors: ['Shipment must be checked before it can be completed'] }]);
      assert.deepEqual(await snapshot(s), before);
      const checker = await h.user('checker');
      assert.equal((await api.patch(`/api/order/so/shipment/${s.shipment}/`, { checked_by: checker.user.id })).statusCode, 200);
      assert.equal((await api.post(`/api/order/so/shipment/${s.shipment}/ship/`, {})).statusCode, 201);
    } finally {
      await h.app.ctx.settings.setGlobal('SALESORDER_SHIPMENT_REQUIRES_CHECK', false);
    }
    const unchecked = await setup(h, w);
    await h.fx.allocation({ line_id: unchecked.line, item_id: unchecked.item, shipment_id: unchecked.shipment, quantity: 1 });
    assert.equal((await api.post(`/api/order/so/shipment/${unchecked.shipment}/ship/`, {})).statusCode, 201, 'no check needed with the setting off');
  });

  it('validates the body first, with DRF messages', async () => {
    const s = await setup(h, w);
    await h.fx.allocation({ line_id: s.line, item_id: s.item, shipment_id: s.shipment, quantity: 2 });
    const bad = async (payload: unknown, expected: unknown) => {
      const res = await api.post(`/api/order/so/shipment/${s.shipment}/ship/`, payload);
      assert.deepEqual([res.statusCode, res.json()], [400, expected]);
    };
    await bad({ shipment_date: '04/03/2026' }, { shipment_date: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'] });
    await bad({ delivery_date: '2026-02-30' }, { delivery_date: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'] });
    await bad({ tracking_number: 'x'.repeat(101) }, { tracking_number: ['Ensure this field has no more than 100 characters.'] });
    await bad({ invoice_number: null }, { invoice_number: ['This field may not be null.'] });
    await bad({ link: ['a'] }, { link: ['Not a valid string.'] });
    assert.equal((await snapshot(s)).shipment.shipment_date, null);
  });

  it('answers 400 "No shipment details provided" for an unknown shipment, as InvenTree', async () => {
    const res = await api.post('/api/order/so/shipment/99999/ship/', {});
    assert.deepEqual([res.statusCode, res.json()], [400, { non_field_errors: ['No shipment details provided'] }]);
    assert.equal((await api.post('/api/order/so/shipment/99999/ship', {})).statusCode, 404);
    const s = await setup(h, w);
    assert.equal((await api.get(`/api/order/so/shipment/${s.shipment}/ship/`)).statusCode, 405);
  });
});

describe('sales order shipment ship: permissions (sales_order.add)', () => {
  let h: Harness;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    w = await salesWorld(h);
  });
  after(() => h.close());

  it('needs the sales_order add role', async () => {
    const s = await setup(h, w);
    await h.fx.allocation({ line_id: s.line, item_id: s.item, shipment_id: s.shipment, quantity: 2 });
    const post = (who: TestUser | null) => h.request({ method: 'POST', url: `/api/order/so/shipment/${s.shipment}/ship/`, headers: who === null ? {} : who.auth, payload: {} });
    assert.equal((await post(null)).statusCode, 401);
    for (const [name, roles] of [
      ['viewer', { sales_order: { can_view: true } }],
      ['changer', { sales_order: { can_view: true, can_change: true, can_delete: true } }],
      ['stocker', { stock: { can_view: true, can_add: true, can_change: true } }],
      ['builder', { build: { can_view: true, can_add: true, can_change: true } }],
    ] as const) {
      const res = await post(await h.user(name, { roles }));
      assert.deepEqual([res.statusCode, res.json()], [403, { detail: 'You do not have permission to perform this action.' }], name);
    }
    const shipment = await h.db.database.kysely.selectFrom('sales_order_shipment').select('shipment_date').where('id', '=', s.shipment).executeTakeFirstOrThrow();
    assert.equal(shipment.shipment_date, null);
    const seller = await h.user('seller', { roles: { sales_order: { can_view: true, can_add: true } } });
    assert.equal((await post(seller)).statusCode, 201);
  });
});

describe('sales order shipment ship: inventree-python SalesOrderShipment.complete() / ship()', () => {
  let h: Harness;
  let w: SalesWorld;
  let user: TestUser;
  before(async () => {
    h = await createHarness();
    w = await salesWorld(h);
    user = await h.user('testuser', { roles: { sales_order: { can_view: true, can_add: true, can_change: true }, stock: { can_view: true } } });
  });
  after(() => h.close());

  async function py(method: 'GET' | 'POST', path: string, data: unknown = {}) {
    const url = `/api/${path}${method === 'POST' ? '?format=json' : ''}`;
    const res = await h.request({ method, url, headers: { ...user.auth, 'content-type': 'application/json' }, payload: JSON.stringify(data) });
    assert.ok(res.statusCode < 300, `${method} ${path} answered ${res.statusCode}: ${res.body}`);
    assert.equal(res.headers['content-type'], 'application/json');
    if (method === 'POST') assert.ok([200, 201].includes(res.statusCode));
    return res.json();
  }

  it('complete(): POST ship/ with the default body, then reload', async () => {
    const s = await setup(h, w);
    await py('POST', `order/so/${s.order}/allocate/`, { items: [{ line_item: s.line, quantity: 10, stock_item: s.item }], shipment: s.shipment });
    const response = await py('POST', `order/so/shipment/${s.shipment}/ship/`, { shipment_date: null, tracking_number: '', invoice_number: '', link: '' });
    assert.deepEqual(response, { shipment_date: null, delivery_date: null, tracking_number: '', invoice_number: '', link: '' });
    const reloaded = await py('GET', `order/so/shipment/${s.shipment}/`);
    assert.equal(reloaded.shipment_date, today());
    const line = await py('GET', `order/so-line/${s.line}/`);
    assert.equal(line.shipped, 10);
    const stock = await py('GET', `stock/?sales_order=${s.order}`);
    assert.deepEqual(
      stock.map((i: { pk: number; customer: number }) => [i.pk, i.customer]),
      [[s.item, w.customer]],
    );
  });

  it('ship(date, tracking_number=…): the alias sends the same keys', async () => {
    const s = await setup(h, w);
    await py('POST', `order/so/${s.order}/allocate/`, { items: [{ line_item: s.line, quantity: 2, stock_item: s.item }], shipment: s.shipment });
    const body = { shipment_date: '2026-02-01', tracking_number: 'PY-TRACK', invoice_number: '', link: '' };
    assert.deepEqual(await py('POST', `order/so/shipment/${s.shipment}/ship/`, body), { ...body, delivery_date: null });
    const reloaded = await py('GET', `order/so/shipment/${s.shipment}/`);
    assert.deepEqual([reloaded.shipment_date, reloaded.tracking_number], ['2026-02-01', 'PY-TRACK']);
  });
});

describe('sales order shipment ship: concurrent requests (D16)', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    api = client(h, await h.user('root', { is_superuser: true }));
    w = await salesWorld(h);
  });
  after(() => h.close());

  it('ships a shipment once when several requests race', async () => {
    const s = await setup(h, w);
    await h.fx.allocation({ line_id: s.line, item_id: s.item, shipment_id: s.shipment, quantity: 4 });
    const results = await Promise.all(Array.from({ length: 8 }, () => api.post(`/api/order/so/shipment/${s.shipment}/ship/`, {})));
    assert.deepEqual(
      results.map((r) => r.statusCode).sort(),
      [201, ...Array(7).fill(400)],
    );
    for (const r of results.filter((x) => x.statusCode === 400)) assert.deepEqual(r.json(), { non_field_errors: ['Shipment has already been sent'] });
    assert.equal((await api.get(`/api/order/so-line/${s.line}/`)).json().shipped, 4);
    assert.equal((await api.get(`/api/stock/${s.item}/`)).json().quantity, 6);
    const shippedItems = (await api.get(`/api/stock/?sales_order=${s.order}`)).json();
    assert.equal(shippedItems.length, 1);
  });

  it('never leaves an allocation unshipped on a shipped shipment when allocate and ship race', async () => {
    const s = await setup(h, w, 20, 20);
    await h.fx.allocation({ line_id: s.line, item_id: s.item, shipment_id: s.shipment, quantity: 1 });
    const requests = Array.from({ length: 10 }, (_, i) =>
      i === 4
        ? api.post(`/api/order/so/shipment/${s.shipment}/ship/`, {})
        : api.post(`/api/order/so/${s.order}/allocate/`, { items: [{ line_item: s.line, stock_item: s.item, quantity: 1 }], shipment: s.shipment }),
    );
    const results = await Promise.all(requests);
    assert.equal(results[4]!.statusCode, 201);
    for (const r of results.filter((_, i) => i !== 4)) {
      if (r.statusCode !== 201) assert.deepEqual([r.statusCode, r.json()], [400, { shipment: ['Shipment has already been shipped'] }]);
    }
    const allocations = (await api.get(`/api/order/so-allocation/?shipment=${s.shipment}`)).json() as { item: number; quantity: number }[];
    const line = (await api.get(`/api/order/so-line/${s.line}/`)).json();
    assert.equal(line.shipped, allocations.reduce((sum, a) => sum + a.quantity, 0), 'every allocation of the shipment was shipped');
    for (const a of allocations) assert.equal((await api.get(`/api/stock/${a.item}/`)).json().sales_order, s.order);
  });
});
