/**
 * The request sequences inventree-python's SalesOrder, SalesOrderLineItem, SalesOrderShipment,
 * SalesOrderAllocation and Build classes make (clients.md §1.2, §1.4): `list()` without
 * `limit`, `count()` with `limit=1`, `create()` as a POST with `?format=json`, `reload()` as a
 * GET of `<URL>/<pk>/`, and `save()` as a PATCH (or PUT) sending back every key it read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { salesWorld, type SalesWorld } from './sales-helpers.js';

/** A stand-in for inventree-python's InventreeObject: the same requests and checks. */
class PyObject {
  constructor(
    private readonly h: Harness,
    private readonly user: TestUser,
    readonly url: string,
    public data: Record<string, unknown>,
  ) {}

  get pk(): number {
    return Number(this.data.pk);
  }

  static async request(h: Harness, user: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, data: unknown = {}) {
    const url = method === 'GET' ? path : `${path}${path.includes('?') ? '&' : '?'}format=json`;
    const res = await h.request({ method, url, headers: { ...user.auth, 'content-type': 'application/json' }, payload: JSON.stringify(data) });
    assert.ok(res.statusCode < 300, `${method} ${url} answered ${res.statusCode}: ${res.body}`);
    assert.equal(res.headers['content-type'], 'application/json');
    return res.json();
  }

  static async list(h: Harness, user: TestUser, base: string, params = ''): Promise<PyObject[]> {
    const body = await PyObject.request(h, user, 'GET', `/api/${base}/${params ? `?${params}` : ''}`);
    const rows = Array.isArray(body) ? body : body.results;
    return rows.filter((r: Record<string, unknown>) => 'pk' in r).map((r: Record<string, unknown>) => new PyObject(h, user, `/api/${base}/${r.pk}/`, r));
  }

  static async count(h: Harness, user: TestUser, base: string, params = ''): Promise<number> {
    const body = await PyObject.request(h, user, 'GET', `/api/${base}/?${params ? `${params}&` : ''}limit=1`);
    return body.count;
  }

  static async create(h: Harness, user: TestUser, base: string, data: Record<string, unknown>): Promise<PyObject> {
    const body = await PyObject.request(h, user, 'POST', `/api/${base}/`, data);
    return new PyObject(h, user, `/api/${base}/${body.pk}/`, body);
  }

  async reload(): Promise<void> {
    const body = await PyObject.request(this.h, this.user, 'GET', this.url);
    assert.ok(Number.isInteger(body.pk) && body.pk > 0);
    this.data = body;
  }

  async save(method: 'PATCH' | 'PUT' = 'PATCH'): Promise<void> {
    this.data = await PyObject.request(this.h, this.user, method, this.url, this.data);
  }
}

describe('inventree-python sequences', () => {
  let h: Harness;
  let user: TestUser;
  let w: SalesWorld;
  before(async () => {
    h = await createHarness();
    user = await h.user('testuser', { roles: { sales_order: { can_view: true, can_add: true, can_change: true, can_delete: true }, build: { can_view: true, can_add: true, can_change: true, can_delete: true } } });
    w = await salesWorld(h);
  });
  after(() => h.close());

  it('SalesOrder: create, list, count, reload, save', async () => {
    const so = await PyObject.create(h, user, 'order/so', { customer: w.customer, description: 'From Python' });
    assert.equal(so.data.status, 10);
    assert.equal((await PyObject.list(h, user, 'order/so')).length, 1);
    assert.equal(await PyObject.count(h, user, 'order/so', 'outstanding=True'), 1);
    assert.equal(await PyObject.count(h, user, 'order/so', 'outstanding=False'), 0);
    so.data.description = 'Changed in Python';
    so.data.target_date = '2031-02-03';
    await so.save();
    assert.equal(so.data.description, 'Changed in Python');
    await so.reload();
    assert.equal(so.data.target_date, '2031-02-03');
    await so.save('PUT');
    assert.equal(so.data.description, 'Changed in Python');
    // StatusMixin: POST <URL>/<pk>/issue/, then reload.
    await PyObject.request(h, user, 'POST', `/api/order/so/${so.pk}/issue/`, {});
    await so.reload();
    assert.equal(so.data.status, 15);
  });

  it('SalesOrderLineItem: addLineItem, list by order, reload, save', async () => {
    const [so] = await PyObject.list(h, user, 'order/so');
    const line = await PyObject.create(h, user, 'order/so-line', { order: so!.pk, part: w.part, quantity: 3, sale_price: 9.5 });
    assert.equal(line.data.allocated, 0);
    assert.equal(line.data.available_stock, 0);
    const lines = await PyObject.list(h, user, 'order/so-line', `order=${so!.pk}`);
    assert.deepEqual(
      lines.map((l) => l.pk),
      [line.pk],
    );
    line.data.quantity = 5;
    await line.save();
    assert.equal(line.data.quantity, 5);
    await line.reload();
    assert.equal(line.data.sale_price, 9.5);
    await line.save('PUT');
    assert.equal(line.data.quantity, 5);
  });

  it('SalesOrderShipment: addShipment, list, reload, save', async () => {
    const [so] = await PyObject.list(h, user, 'order/so');
    const shipment = await PyObject.create(h, user, 'order/so/shipment', { order: so!.pk, reference: 'Python-1' });
    assert.equal(shipment.data.reference, 'Python-1');
    const listed = await PyObject.list(h, user, 'order/so/shipment', `order=${so!.pk}`);
    assert.equal(listed.length, 1);
    shipment.data.tracking_number = 'TRACK-PY';
    await shipment.save();
    await shipment.reload();
    assert.equal(shipment.data.tracking_number, 'TRACK-PY');
    await shipment.save('PUT');
    assert.equal(shipment.data.reference, 'Python-1');
  });

  it('SalesOrderAllocation: list by shipment, reload, save (no create)', async () => {
    const [so] = await PyObject.list(h, user, 'order/so');
    const [line] = await PyObject.list(h, user, 'order/so-line', `order=${so!.pk}`);
    const [shipment] = await PyObject.list(h, user, 'order/so/shipment', `order=${so!.pk}`);
    const item = await h.fx.stockItem({ part_id: w.part, quantity: 10 });
    await h.fx.allocation({ line_id: line!.pk, item_id: item, shipment_id: shipment!.pk, quantity: 2 });
    const allocations = await PyObject.list(h, user, 'order/so-allocation', `shipment=${shipment!.pk}`);
    assert.equal(allocations.length, 1);
    const allocation = allocations[0]!;
    allocation.data.quantity = 3;
    await allocation.save();
    assert.equal(allocation.data.quantity, 3);
    await allocation.reload();
    assert.equal(allocation.data.quantity, 3);
    await allocation.save('PUT');
    await line!.reload();
    assert.equal(line!.data.allocated, 3);
    assert.equal(line!.data.available_stock, 7);
  });

  it('Build: create, list, count, reload, save', async () => {
    const assembly = await h.fx.part({ assembly: true, name: 'Robot' });
    const build = await PyObject.create(h, user, 'build', { part: assembly, quantity: 2, title: 'First robots' });
    assert.equal(build.data.reference, 'BO-0001');
    assert.equal(build.data.part_name, 'Robot');
    assert.equal((await PyObject.list(h, user, 'build', 'active=True')).length, 1);
    assert.equal(await PyObject.count(h, user, 'build'), 1);
    build.data.quantity = 4;
    await build.save();
    assert.equal(build.data.quantity, 4);
    await build.reload();
    assert.equal(build.data.title, 'First robots');
    await build.save('PUT');
    assert.equal(build.data.quantity, 4);
  });
});
