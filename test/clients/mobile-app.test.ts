/**
 * The InvenTree mobile app (0.24.4) against a running server, over a real socket: its connect
 * sequence, its reply classification and the requests of its barcode handlers (clients.md §2),
 * including the app test data flows of §2.3.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness } from '../helpers/app.js';

type Json = Record<string, any>;

/** Requests as the app sends them: token, Accept and Content-Type JSON, status not pre-checked. */
class MobileApp {
  token = '';
  constructor(readonly base: string) {}

  async send(method: string, path: string, body?: unknown, auth?: string): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${this.base}/api/${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        'Accept-Language': 'en-GB',
        ...(auth !== undefined ? { Authorization: auth } : this.token ? { Authorization: `Token ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Json) };
  }

  /** BarcodeHandler.processBarcode: success precedes status; then error or ≥400; else unhandled. */
  static classify(reply: { status: number; body: Json }): 'server-error' | 'matched' | 'unknown' | 'unhandled' {
    if (reply.status >= 500 || typeof reply.body !== 'object') return 'server-error';
    if ('success' in reply.body) return 'matched';
    if (reply.status >= 400 || 'error' in reply.body) return 'unknown';
    return 'unhandled';
  }
}

describe('the InvenTree mobile app', () => {
  let h: Harness;
  let app: MobileApp;
  let loc1: number;
  let loc4: number;
  let loc7: number;
  let item1: number;
  let part2: number;
  before(async () => {
    h = await createHarness();
    await h.user('testuser', { password: 'testpassword', is_superuser: true, is_staff: true });
    const fx = h.fx;
    loc1 = await fx.location({ name: 'Home' });
    loc4 = await fx.location({ name: 'Garage' });
    loc7 = await fx.location({ name: 'Shelf', parent_id: loc4 });
    const part1 = await fx.part({ name: 'Widget', salable: true });
    part2 = await fx.part({ name: 'Gizmo' });
    item1 = await fx.stockItem({ part_id: part1, quantity: 10, location_id: loc1 });
    const base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    app = new MobileApp(base);
  });
  after(() => h.close());

  it('connects: /api/, token with Basic, user/me/, roles, plugins, status tables, notifications', async () => {
    const info = await app.send('GET', '');
    assert.equal(info.status, 200);
    assert.equal(typeof info.body.version, 'string');
    assert.ok(info.body.version.length > 0);
    assert.ok(Number.isInteger(info.body.apiVersion) && info.body.apiVersion >= 100);
    // apiVersion 435 < 490: the legacy token and roles paths.
    const basic = `Basic ${Buffer.from('testuser:testpassword').toString('base64')}`;
    const token = await app.send('GET', 'user/token/?name=inventree-mobile-app-android-Pixel%207-Pixel%207-14', undefined, basic);
    assert.equal(token.status, 200);
    app.token = token.body.token;
    const me = await app.send('GET', 'user/me/');
    assert.equal(me.status, 200);
    for (const key of ['username', 'email', 'first_name', 'last_name', 'pk']) assert.ok(key in me.body, key);
    const roles = await app.send('GET', 'user/roles/');
    assert.equal(roles.status, 200);
    assert.equal(typeof roles.body.roles, 'object');
    assert.ok(roles.body.permissions);
    const plugins = await app.send('GET', 'plugins/');
    const active = (plugins.body as unknown as Json[]).filter((p) => p.active);
    assert.ok(active.every((p) => typeof p.key === 'string' && typeof p.meta.human_name === 'string' && typeof p.mixins === 'object'));
    for (const path of ['stock/track/status/', 'stock/status/', 'order/po/status/', 'order/so/status/']) {
      assert.equal((await app.send('GET', path)).status, 200, path);
    }
    const notifications = await app.send('GET', 'notifications/?read=false&limit=1');
    assert.equal(notifications.status, 200);
    assert.equal(notifications.body.count, 0);
  });

  it('§2.3: unknown barcodes are "unknown"; error replies never carry success', async () => {
    for (const barcode of ['abcdefg', '{"stocklocation": 999999}']) {
      const reply = await app.send('POST', 'barcode/', { barcode });
      assert.equal(MobileApp.classify(reply), 'unknown');
      assert.equal(reply.body.success, undefined);
    }
  });

  it('UniqueBarcodeHandler: a no-match reply carries barcode_hash and a non-empty barcode_data', async () => {
    const reply = await app.send('POST', 'barcode/', { barcode: 'new-label-77' });
    assert.ok(reply.body.barcode_hash);
    assert.equal(reply.body.barcode_data, 'new-label-77');
  });

  it('§2.3: moves stock item 1 to a location by scanning it, then back (StockItemScanIntoLocationHandler)', async () => {
    for (const target of [loc7, loc1]) {
      const reply = await app.send('POST', 'barcode/', { barcode: `{"stocklocation": ${target}}` });
      assert.equal(MobileApp.classify(reply), 'matched');
      const pk = reply.body.stocklocation.pk;
      assert.ok(Number.isInteger(pk) && pk > 0);
      const move = await app.send('POST', 'stock/transfer/', { items: [{ pk: item1, quantity: 10 }], location: pk, notes: 'Moved by barcode' });
      assert.ok(move.status < 300, JSON.stringify(move.body));
      assert.equal((await app.send('GET', `stock/${item1}/`)).body.location, target);
    }
  });

  it('§2.3: scans items into a location (StockLocationScanInItemsHandler)', async () => {
    const reply = await app.send('POST', 'barcode/', { barcode: `INV-SI${item1}` });
    const pk = reply.body.stockitem.pk;
    const item = await app.send('GET', `stock/${pk}/`);
    assert.ok('location' in item.body);
    const move = await app.send('POST', 'stock/transfer/', { items: [{ pk, quantity: item.body.quantity }], location: loc4 });
    assert.ok(move.status < 300);
  });

  it('§2.3: re-parents a location with a string pk and back (ScanParentLocationHandler)', async () => {
    let res = await app.send('PATCH', `stock/location/${loc7}/`, { parent: String(loc1) });
    assert.ok(res.status === 200 || res.status === 201);
    assert.equal(res.body.parent, loc1);
    res = await app.send('PATCH', `stock/location/${loc7}/`, { parent: String(loc4) });
    assert.equal(res.body.parent, loc4);
  });

  it('§2.3: part 2 — unlink, link xyz-123, customBarcode, unlink — with string pks and exactly 200', async () => {
    let res = await app.send('POST', 'barcode/unlink/', { part: String(part2) });
    assert.equal(res.status, 200);
    let part = await app.send('GET', `part/${part2}/`);
    assert.equal(part.body.barcode_hash, '');
    assert.equal('uid' in part.body, false);
    res = await app.send('POST', 'barcode/link/', { part: String(part2), barcode: 'xyz-123' });
    assert.equal(res.status, 200);
    part = await app.send('GET', `part/${part2}/`);
    assert.equal(part.body.barcode_hash, 'bc39d07e9a395c7b5658c231bf910fae');
    res = await app.send('POST', 'barcode/unlink/', { part: String(part2) });
    assert.equal(res.status, 200);
  });

  it('BarcodeScanHandler: every object a scan can open has an integer pk and a readable page', async () => {
    for (const [key, path] of [
      ['stockitem', `stock/${item1}/`],
      ['part', `part/${part2}/`],
      ['stocklocation', `stock/location/${loc4}/`],
    ] as const) {
      const code = { stockitem: 'SI', part: 'PA', stocklocation: 'SL' }[key];
      const pk = Number(path.split('/').at(-2));
      const reply = await app.send('POST', 'barcode/', { barcode: `INV-${code}${pk}` });
      assert.equal(reply.body[key].pk, pk);
      assert.equal((await app.send('GET', path)).status, 200);
    }
  });

  it('POReceiveBarcodeHandler: the unhandled path, then the receive form', async () => {
    const supplier = await h.fx.company({ name: 'TME Electronics', is_supplier: true });
    const sp = await h.fx.supplierPart({ part_id: part2, supplier_id: supplier, sku: 'WBP-302' });
    const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: 20, supplier_reference: '19361337' });
    const line = await h.fx.poLine({ order_id: po, part_id: sp, quantity: 4, destination_id: loc4 });
    await app.send('POST', 'plugins/tmeplugin/activate/', { active: true });
    const label = 'QTY:1 PN:WBP-302 PO:19361337/1 MPN:WBP-302';
    const reply = await app.send('POST', 'barcode/po-receive/', { barcode: label, purchase_order: po, location: null, line_item: null, auto_allocate: false });
    assert.equal(MobileApp.classify(reply), 'unhandled');
    assert.ok(reply.body.action_required);
    assert.equal(reply.body.lineitem.pk, line);
    assert.equal(reply.body.lineitem.purchase_order, po);
    assert.ok(reply.body.barcode_data);
    assert.equal((await app.send('GET', `order/po-line/${line}/`)).status, 200);
    const received = await app.send('POST', `order/po/${po}/receive/`, {
      items: [{ line_item: line, quantity: reply.body.lineitem.quantity, status: 10, batch_code: '', barcode: reply.body.barcode_data }],
      location: reply.body.lineitem.location,
    });
    assert.equal(received.status, 201);
    const again = await app.send('POST', 'barcode/', { barcode: label });
    assert.equal(again.body.stockitem.pk, (received.body as unknown as Json[])[0]!.pk);
  });

  it('POAllocateBarcodeHandler: success with a supplierpart pk', async () => {
    const supplier = await h.fx.company({ is_supplier: true });
    const sp = await h.fx.supplierPart({ part_id: part2, supplier_id: supplier });
    const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: 10 });
    const reply = await app.send('POST', 'barcode/po-allocate/', { barcode: `INV-SP${sp}`, purchase_order: po });
    assert.equal(MobileApp.classify(reply), 'matched');
    assert.equal(reply.body.supplierpart.pk, sp);
  });

  it('SOAllocateStockHandler: with no shipment, the unhandled path with plain values (D8)', async () => {
    const customer = await h.fx.company({ is_customer: true });
    const so = await h.fx.salesOrder({ customer_id: customer });
    const part = (await app.send('GET', `stock/${item1}/`)).body.part as number;
    const line = await h.fx.soLine({ order_id: so, part_id: part, quantity: 2 });
    const reply = await app.send('POST', 'barcode/so-allocate/', { barcode: `INV-SI${item1}`, sales_order: so, shipment: null, line: null });
    assert.equal(MobileApp.classify(reply), 'unhandled');
    assert.ok(reply.body.action_required);
    for (const key of ['line_item', 'part', 'stock_item', 'quantity', 'shipment']) assert.ok(key in reply.body, key);
    assert.equal(reply.body.line_item, line);
    assert.equal(reply.body.stock_item, item1);
    assert.equal(reply.body.quantity, 2);
    // The app's form then allocates through the order's allocate endpoint.
    const shipment = await h.fx.shipment({ order_id: so });
    const allocated = await app.send('POST', `order/so/${so}/allocate/`, {
      items: [{ line_item: reply.body.line_item, stock_item: reply.body.stock_item, quantity: reply.body.quantity }],
      shipment,
    });
    assert.equal(allocated.status, 201);
    assert.equal((await app.send('GET', `order/so-line/${line}/`)).body.allocated, 2);
  });
});
