/** POST /api/order/so/{pk}/allocate/ (core-api.md §9.1, §9.3, §4.3; decisions D5, D16). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { client, salesWorld, type Client, type SalesWorld } from './sales-helpers.js';

interface Order {
  order: number;
  line: number;
  shipment: number;
}

async function openOrder(h: Harness, w: SalesWorld, lineQuantity = 20): Promise<Order> {
  const order = await h.fx.salesOrder({ customer_id: w.customer, status: 15 });
  const line = await h.fx.soLine({ order_id: order, part_id: w.part, quantity: lineQuantity });
  const shipment = await h.fx.shipment({ order_id: order });
  return { order, line, shipment };
}

const allocationsOf = (h: Harness, itemId: number) =>
  h.db.database.kysely.selectFrom('sales_order_allocation').selectAll().where('item_id', '=', itemId).orderBy('id').execute();

describe('sales order allocate: success', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    api = client(h, await h.user('root', { is_superuser: true }));
    w = await salesWorld(h);
  });
  after(() => h.close());

  it('creates one allocation per item and answers 201 with the request echoed', async () => {
    const o = await openOrder(h, w);
    const second = await h.fx.soLine({ order_id: o.order, part_id: w.part, quantity: 5 });
    const a = await h.fx.stockItem({ part_id: w.part, quantity: 10, location_id: w.location });
    const b = await h.fx.stockItem({ part_id: w.part, quantity: 8, location_id: w.location });
    const body = {
      items: [
        { line_item: o.line, stock_item: a, quantity: 6 },
        { line_item: second, stock_item: b, quantity: '2.5' },
      ],
      shipment: o.shipment,
    };
    const res = await api.post(`/api/order/so/${o.order}/allocate/`, body);
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.deepEqual(res.json(), {
      items: [
        { line_item: o.line, stock_item: a, quantity: 6 },
        { line_item: second, stock_item: b, quantity: 2.5 },
      ],
      shipment: o.shipment,
    });
    const listed = (await api.get(`/api/order/so-allocation/?order=${o.order}`)).json() as Record<string, any>[];
    assert.deepEqual(
      listed.map((r) => [r.line, r.item, r.quantity, r.shipment]).sort(),
      [
        [o.line, a, 6, o.shipment],
        [second, b, 2.5, o.shipment],
      ].sort(),
    );
    assert.equal((await api.get(`/api/order/so-line/${o.line}/`)).json().allocated, 6);
    assert.equal((await api.get(`/api/order/so-line/${second}/`)).json().allocated, 2.5);
    assert.equal((await api.get(`/api/stock/${a}/`)).json().allocated, 6);
    assert.equal((await api.get(`/api/order/so/shipment/${o.shipment}/`)).json().allocated_items, 2);
  });

  it('allocates without a shipment (echoed as null)', async () => {
    const o = await openOrder(h, w);
    const item = await h.fx.stockItem({ part_id: w.part, quantity: 10 });
    const res = await api.post(`/api/order/so/${o.order}/allocate/`, { items: [{ line_item: String(o.line), stock_item: item, quantity: 1 }] });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json(), { items: [{ line_item: o.line, stock_item: item, quantity: 1 }], shipment: null });
    const [row] = await allocationsOf(h, item);
    assert.equal(row!.shipment_id, null);
    assert.equal(
      (await api.post(`/api/order/so/${o.order}/allocate/`, { items: [{ line_item: o.line, stock_item: item, quantity: 1 }], shipment: null })).json().shipment,
      null,
    );
  });

  it('allocates a serialized item with quantity 1, and the whole unallocated quantity', async () => {
    const o = await openOrder(h, w);
    const serialized = await h.fx.stockItem({ part_id: w.part, quantity: 1, serial: '1001' });
    const bulk = await h.fx.stockItem({ part_id: w.part, quantity: 7.5 });
    await h.fx.allocation({ line_id: o.line, item_id: bulk, quantity: 2.5 });
    const res = await api.post(`/api/order/so/${o.order}/allocate/`, {
      items: [
        { line_item: o.line, stock_item: serialized, quantity: 1 },
        { line_item: o.line, stock_item: bulk, quantity: 5 },
      ],
      shipment: o.shipment,
    });
    assert.equal(res.statusCode, 201);
    assert.equal((await api.get(`/api/stock/${bulk}/`)).json().allocated, 7.5);
  });
});

describe('sales order allocate: request validation', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  let o: Order;
  let item: number;
  before(async () => {
    h = await createHarness();
    api = client(h, await h.user('root', { is_superuser: true }));
    w = await salesWorld(h);
    o = await openOrder(h, w);
    item = await h.fx.stockItem({ part_id: w.part, quantity: 10 });
  });
  after(() => h.close());

  const refuse = async (payload: unknown, expected: unknown, order = () => o.order) => {
    const res = await api.post(`/api/order/so/${order()}/allocate/`, payload);
    assert.deepEqual([res.statusCode, res.json()], [400, expected]);
    assert.equal((await allocationsOf(h, item)).length, 0, 'nothing is written');
  };

  it('needs allocation items', async () => {
    await refuse({ items: [] }, { non_field_errors: ['Allocation items must be provided'] });
    await refuse({ items: [], shipment: o.shipment }, { non_field_errors: ['Allocation items must be provided'] });
    await refuse({}, { items: ['This field is required.'] });
    await refuse({ items: null }, { items: ['This field may not be null.'] });
    await refuse({ items: 'all' }, { items: { non_field_errors: ['Expected a list of items but got type "str".'] } });
    await refuse({ items: ['x'] }, { items: [{ non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] }] });
  });

  it('checks the shipment: exists, not shipped, of this order', async () => {
    const line = { line_item: o.line, stock_item: item, quantity: 1 };
    await refuse({ items: [line], shipment: 99999 }, { shipment: ['Invalid pk "99999" - object does not exist.'] });
    await refuse({ items: [line], shipment: 'x' }, { shipment: ['Incorrect type. Expected pk value, received str.'] });
    const shipped = await h.fx.shipment({ order_id: o.order, shipment_date: '2026-01-02' });
    await refuse({ items: [line], shipment: shipped }, { shipment: ['Shipment has already been shipped'] });
    const other = await h.fx.salesOrder({ customer_id: w.customer, status: 15 });
    const foreign = await h.fx.shipment({ order_id: other });
    await refuse({ items: [line], shipment: foreign }, { shipment: ['Shipment is not associated with this order'] });
    const foreignShipped = await h.fx.shipment({ order_id: other, shipment_date: '2026-01-02' });
    await refuse({ items: [line], shipment: foreignShipped }, { shipment: ['Shipment has already been shipped'] });
    // Field errors of the items and of the shipment come together.
    await refuse(
      { items: [{ line_item: o.line, stock_item: item, quantity: 0 }], shipment: foreign },
      { items: [{ quantity: ['Quantity must be positive'] }], shipment: ['Shipment is not associated with this order'] },
    );
  });

  it('checks each item, reporting errors positionally', async () => {
    const other = await h.fx.salesOrder({ customer_id: w.customer, status: 15 });
    const foreignLine = await h.fx.soLine({ order_id: other, part_id: w.part, quantity: 5 });
    const ok = { line_item: o.line, stock_item: item, quantity: 1 };
    await refuse({ items: [ok, { line_item: foreignLine, stock_item: item, quantity: 1 }] }, { items: [{}, { line_item: ['Line item is not associated with this order'] }] });
    await refuse({ items: [{}] }, { items: [{ line_item: ['This field is required.'], stock_item: ['This field is required.'], quantity: ['This field is required.'] }] });
    await refuse(
      { items: [{ line_item: 99999, stock_item: 99998, quantity: 1 }] },
      { items: [{ line_item: ['Invalid pk "99999" - object does not exist.'], stock_item: ['Invalid pk "99998" - object does not exist.'] }] },
    );
    await refuse({ items: [{ ...ok, line_item: null }] }, { items: [{ line_item: ['This field may not be null.'] }] });
    await refuse({ items: [{ ...ok, quantity: 0 }] }, { items: [{ quantity: ['Quantity must be positive'] }] });
    await refuse({ items: [{ ...ok, quantity: '0.00' }] }, { items: [{ quantity: ['Quantity must be positive'] }] });
    await refuse({ items: [{ ...ok, quantity: -1 }] }, { items: [{ quantity: ['Ensure this value is greater than or equal to 0.'] }] });
    await refuse({ items: [{ ...ok, quantity: 'many' }] }, { items: [{ quantity: ['A valid number is required.'] }] });
    await refuse({ items: [{ ...ok, quantity: 0.123456 }] }, { items: [{ quantity: ['Ensure that there are no more than 5 decimal places.'] }] });
    await refuse({ items: [{ ...ok, quantity: '1.000000' }] }, { items: [{ quantity: ['Ensure that there are no more than 5 decimal places.'] }] });
    await refuse({ items: [{ ...ok, quantity: 12345678901 }] }, { items: [{ quantity: ['Ensure that there are no more than 10 digits before the decimal point.'] }] });
    await refuse({ items: [{ ...ok, quantity: '1234567890.123456' }] }, { items: [{ quantity: ['Ensure that there are no more than 15 digits in total.'] }] });
  });

  it('limits each item to its unallocated quantity and serialized items to 1', async () => {
    const ok = { line_item: o.line, stock_item: item, quantity: 1 };
    await refuse({ items: [{ ...ok, quantity: 10.5 }] }, { items: [{ quantity: ['Available quantity (10) exceeded'] }] });
    const held = await h.fx.stockItem({ part_id: w.part, quantity: 10 });
    await h.fx.allocation({ line_id: o.line, item_id: held, quantity: 3.5 });
    const res = await api.post(`/api/order/so/${o.order}/allocate/`, { items: [{ ...ok, stock_item: held, quantity: 7 }] });
    assert.deepEqual([res.statusCode, res.json()], [400, { items: [{ quantity: ['Available quantity (6.5) exceeded'] }] }]);
    const serialized = await h.fx.stockItem({ part_id: w.part, quantity: 1, serial: 'SN-7' });
    await refuse({ items: [ok, { ...ok, stock_item: serialized, quantity: 2 }] }, { items: [{}, { quantity: ['Quantity must be 1 for serialized stock item'] }] });
    await refuse({ items: [{ ...ok, stock_item: serialized, quantity: 0.5 }] }, { items: [{ quantity: ['Quantity must be 1 for serialized stock item'] }] });
    // A field error on one item and an availability error on another are reported together.
    await refuse(
      { items: [{ ...ok, quantity: 11 }, { ...ok, quantity: 'x' }] },
      { items: [{ quantity: ['Available quantity (10) exceeded'] }, { quantity: ['A valid number is required.'] }] },
    );
  });

  it('counts only active allocations: open order, shipment not shipped (§7.5, §9.3)', async () => {
    const target = await h.fx.stockItem({ part_id: w.part, quantity: 10 });
    const shipped = await h.fx.shipment({ order_id: o.order, shipment_date: '2026-01-02' });
    await h.fx.allocation({ line_id: o.line, item_id: target, shipment_id: shipped, quantity: 4 });
    const closed = await h.fx.salesOrder({ customer_id: w.customer, status: 20 });
    const closedLine = await h.fx.soLine({ order_id: closed, part_id: w.part, quantity: 3 });
    await h.fx.allocation({ line_id: closedLine, item_id: target, quantity: 3 });
    await h.fx.allocation({ line_id: o.line, item_id: target, shipment_id: o.shipment, quantity: 1 });
    const over = await api.post(`/api/order/so/${o.order}/allocate/`, { items: [{ line_item: o.line, stock_item: target, quantity: 9.5 }] });
    assert.deepEqual([over.statusCode, over.json()], [400, { items: [{ quantity: ['Available quantity (9) exceeded'] }] }]);
    const res = await api.post(`/api/order/so/${o.order}/allocate/`, { items: [{ line_item: o.line, stock_item: target, quantity: 9 }] });
    assert.equal(res.statusCode, 201);
  });

  it('runs the model checks while saving, and writes nothing when one fails', async () => {
    const fresh = await h.fx.stockItem({ part_id: w.part, quantity: 10 });
    // Each item alone passes the availability check; together they over-allocate the item.
    const res = await api.post(`/api/order/so/${o.order}/allocate/`, {
      items: [
        { line_item: o.line, stock_item: fresh, quantity: 6 },
        { line_item: o.line, stock_item: fresh, quantity: 6 },
      ],
    });
    assert.deepEqual([res.statusCode, res.json()], [400, { quantity: ['Stock item is over-allocated'] }]);
    assert.equal((await allocationsOf(h, fresh)).length, 0, 'the first allocation was rolled back');

    const noPart = await h.fx.soLine({ order_id: o.order, quantity: 2 });
    const partless = await api.post(`/api/order/so/${o.order}/allocate/`, {
      items: [
        { line_item: o.line, stock_item: fresh, quantity: 1 },
        { line_item: noPart, stock_item: fresh, quantity: 1 },
      ],
    });
    assert.deepEqual([partless.statusCode, partless.json()], [400, { line: ['Cannot allocate stock to a line without a part'] }]);
    assert.equal((await allocationsOf(h, fresh)).length, 0);

    const unsalable = await h.fx.part({ name: 'Internal', salable: false });
    const internal = await h.fx.stockItem({ part_id: unsalable, quantity: 5 });
    const limits = await api.post(`/api/order/so/${o.order}/allocate/`, { items: [{ line_item: o.line, stock_item: internal, quantity: 1 }] });
    assert.deepEqual([limits.statusCode, limits.json()], [400, { item: [`Stock Item instance with id ${internal} does not exist.`] }]);
    assert.equal((await allocationsOf(h, internal)).length, 0);
  });

  it('answers 404 for an unknown order or a path without its slash, 405 for GET', async () => {
    const res = await api.post('/api/order/so/99999/allocate/', { items: [] });
    assert.deepEqual([res.statusCode, res.json()], [404, { detail: 'No SalesOrder matches the given query.' }]);
    assert.equal((await api.post(`/api/order/so/${o.order}/allocate`, { items: [] })).statusCode, 404);
    assert.equal((await api.get(`/api/order/so/${o.order}/allocate/`)).statusCode, 405);
  });
});

describe('sales order allocate: permissions (sales_order.add)', () => {
  let h: Harness;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    w = await salesWorld(h);
  });
  after(() => h.close());

  it('needs the sales_order add role; other rulesets and other verbs do not grant it', async () => {
    const o = await openOrder(h, w);
    const item = await h.fx.stockItem({ part_id: w.part, quantity: 10 });
    const body = { items: [{ line_item: o.line, stock_item: item, quantity: 1 }], shipment: o.shipment };
    const post = (who: TestUser | null) =>
      h.request({ method: 'POST', url: `/api/order/so/${o.order}/allocate/`, headers: who === null ? {} : who.auth, payload: body });
    const anonymous = await post(null);
    assert.deepEqual([anonymous.statusCode, anonymous.json()], [401, { detail: 'Authentication credentials were not provided.' }]);
    const denied = { detail: 'You do not have permission to perform this action.' };
    for (const [name, roles] of [
      ['viewer', { sales_order: { can_view: true } }],
      ['changer', { sales_order: { can_view: true, can_change: true } }],
      ['deleter', { sales_order: { can_view: true, can_change: true, can_delete: true } }],
      ['stocker', { stock: { can_view: true, can_add: true, can_change: true, can_delete: true } }],
      ['buyer', { purchase_order: { can_view: true, can_add: true, can_change: true } }],
    ] as const) {
      const res = await post(await h.user(name, { roles }));
      assert.deepEqual([res.statusCode, res.json()], [403, denied], name);
    }
    assert.equal((await allocationsOf(h, item)).length, 0);
    const seller = await h.user('seller', { roles: { sales_order: { can_view: true, can_add: true } } });
    assert.equal((await post(seller)).statusCode, 201);
    assert.equal((await allocationsOf(h, item)).length, 1);
  });
});

describe('sales order allocate: inventree-python SalesOrderShipment.allocateItems', () => {
  let h: Harness;
  let w: SalesWorld;
  let user: TestUser;
  before(async () => {
    h = await createHarness();
    w = await salesWorld(h);
    user = await h.user('testuser', { roles: { sales_order: { can_view: true, can_add: true, can_change: true }, part: { can_view: true }, stock: { can_view: true } } });
  });
  after(() => h.close());

  /** api.request: JSON body always, `?format=json` on POST, any status ≥ 300 raises. */
  async function py(method: 'GET' | 'POST', path: string, params: string, data: unknown = {}) {
    const query = method === 'POST' ? `?format=json${params ? `&${params}` : ''}` : params ? `?${params}` : '';
    const res = await h.request({ method, url: `/api/${path}${query}`, headers: { ...user.auth, 'content-type': 'application/json' }, payload: JSON.stringify(data) });
    assert.ok(res.statusCode < 300, `${method} ${path} answered ${res.statusCode}: ${res.body}`);
    assert.equal(res.headers['content-type'], 'application/json');
    if (method === 'POST') assert.ok([200, 201].includes(res.statusCode), 'post() returns None for other 2xx codes');
    return res.json();
  }

  it('SalesOrderLineItem.allocateToShipment → SalesOrderShipment.allocateItems, then reload', async () => {
    const o = await openOrder(h, w, 12);
    const first = await h.fx.stockItem({ part_id: w.part, quantity: 5, location_id: w.location });
    const second = await h.fx.stockItem({ part_id: w.part, quantity: 10, location_id: w.location });
    // allocateToShipment: the line's quantity, allocated and available_stock ...
    const line = await py('GET', `order/so-line/${o.line}/`, '');
    let required = Math.min(line.quantity - line.allocated, line.available_stock);
    assert.equal(required, 12);
    // ... the part's available stock items (getPart().getStockItems), read for quantity and allocated ...
    const stock = (await py('GET', 'stock/', `part=${w.part}&include_variants=False&in_stock=True&available=True`)) as Record<string, any>[];
    const items: { line_item: number; quantity: number; stock_item: number }[] = [];
    for (const si of stock) {
      if (required <= 0) continue;
      if (si.quantity - si.allocated > 0) {
        const quantity = Math.min(required, si.quantity - si.allocated);
        items.push({ line_item: line.pk, quantity, stock_item: si.pk });
        required -= quantity;
      }
    }
    assert.deepEqual(
      items.map((i) => i.quantity).sort((a, b) => a - b),
      [5, 7],
    );
    // ... then shipment.allocateItems(items): getOrder() (a GET), the POST, a reload.
    const shipment = await py('GET', `order/so/shipment/${o.shipment}/`, '');
    const order = await py('GET', `order/so/${shipment.order}/`, '');
    const response = await py('POST', `order/so/${order.pk}/allocate/`, '', { items, shipment: shipment.pk });
    assert.deepEqual(response, { items, shipment: shipment.pk });
    const reloaded = await py('GET', `order/so/shipment/${o.shipment}/`, '');
    assert.equal(reloaded.allocated_items, 2);
    const after = await py('GET', `order/so-line/${o.line}/`, '');
    assert.equal(after.allocated, 12);
    assert.equal(after.available_stock, 3);
    assert.deepEqual(
      [(await py('GET', `stock/${first}/`, '')).allocated, (await py('GET', `stock/${second}/`, '')).allocated].sort((a, b) => a - b),
      [5, 7],
    );
  });
});

describe('sales order allocate: concurrent requests (D16)', () => {
  let h: Harness;
  let api: Client;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    api = client(h, await h.user('root', { is_superuser: true }));
    w = await salesWorld(h);
  });
  after(() => h.close());

  const total = async (item: number) => (await allocationsOf(h, item)).reduce((sum, r) => sum + Number(r.quantity), 0);

  it('never allocates more than a stock item holds when 20 requests race', async () => {
    const o = await openOrder(h, w, 100);
    const item = await h.fx.stockItem({ part_id: w.part, quantity: 10 });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => api.post(`/api/order/so/${o.order}/allocate/`, { items: [{ line_item: o.line, stock_item: item, quantity: 1 }], shipment: o.shipment })),
    );
    assert.deepEqual(
      results.map((r) => r.statusCode).sort(),
      [...Array(10).fill(201), ...Array(10).fill(400)],
    );
    for (const r of results.filter((x) => x.statusCode === 400)) assert.deepEqual(r.json(), { items: [{ quantity: ['Available quantity (0) exceeded'] }] });
    assert.equal(await total(item), 10);
    assert.equal((await api.get(`/api/stock/${item}/`)).json().allocated, 10);
    assert.equal((await api.get(`/api/order/so-line/${o.line}/`)).json().allocated, 10);
  });

  it('keeps the limit with uneven quantities and items named in either order', async () => {
    const o = await openOrder(h, w, 100);
    const a = await h.fx.stockItem({ part_id: w.part, quantity: 10 });
    const b = await h.fx.stockItem({ part_id: w.part, quantity: 10 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const pair = [
          { line_item: o.line, stock_item: a, quantity: 1 + (i % 3) },
          { line_item: o.line, stock_item: b, quantity: 3 - (i % 3) },
        ];
        return api.post(`/api/order/so/${o.order}/allocate/`, { items: i % 2 === 0 ? pair : pair.reverse() });
      }),
    );
    assert.ok(results.every((r) => r.statusCode === 201 || r.statusCode === 400));
    assert.ok(results.some((r) => r.statusCode === 201));
    assert.ok(results.some((r) => r.statusCode === 400));
    assert.ok((await total(a)) <= 10, `item a: ${await total(a)}`);
    assert.ok((await total(b)) <= 10, `item b: ${await total(b)}`);
    // Every successful request wrote both of its allocations, every refused one none.
    const rows = await h.db.database.kysely.selectFrom('sales_order_allocation').select('id').where('line_id', '=', o.line).execute();
    assert.equal(rows.length, 2 * results.filter((r) => r.statusCode === 201).length);
  });
});
