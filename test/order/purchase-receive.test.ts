/** POST /api/order/po/{pk}/receive/ (core-api.md §8; decision D16). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

describe('purchase order receive', () => {
  let h: Harness;
  let buyer: TestUser;
  let viewer: TestUser;
  let supplier: number;
  let part: number;
  let sp: number;
  let shelf: number;
  let bin: number;
  before(async () => {
    h = await createHarness();
    buyer = await h.user('buyer', { roles: { purchase_order: { can_view: true, can_add: true }, stock: { can_view: true }, part: { can_view: true } } });
    viewer = await h.user('viewer', { roles: { purchase_order: { can_view: true } } });
    supplier = await h.fx.company({ name: 'Acme', is_supplier: true });
    part = await h.fx.part({ name: 'Resistor 10k' });
    sp = await h.fx.supplierPart({ part_id: part, supplier_id: supplier, sku: 'R10K-100', pack_quantity: '100', pack_quantity_native: 100, packaging: 'reel' });
    shelf = await h.fx.location({ name: 'Shelf' });
    bin = await h.fx.location({ name: 'Bin', parent_id: shelf });
  });
  after(() => h.close());

  async function placedOrder(lines: { quantity: number; destination_id?: number; purchase_price?: number; part_id?: number }[], extra: Record<string, unknown> = {}) {
    const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: 20, ...extra });
    const ids: number[] = [];
    for (const l of lines) ids.push(await h.fx.poLine({ order_id: po, part_id: l.part_id ?? sp, ...l }));
    return { po, lines: ids };
  }

  const receive = (po: number, payload: unknown, who: TestUser = buyer) =>
    h.request({ method: 'POST', url: `/api/order/po/${po}/receive/`, headers: who.auth, payload: payload as object });
  const line = (id: number) => h.db.database.kysely.selectFrom('purchase_order_line').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const order = (id: number) => h.db.database.kysely.selectFrom('purchase_order').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('receives packs as base units, counts packs on the line, and answers the created items (201 list)', async () => {
    const { po, lines } = await placedOrder([{ quantity: 5, purchase_price: 2.5 }]);
    const res = await receive(po, { items: [{ line_item: lines[0], quantity: 2, location: bin, batch_code: 'B-1', expiry_date: '2030-01-31' }] });
    assert.equal(res.statusCode, 201);
    const items = res.json() as Record<string, any>[];
    assert.equal(items.length, 1);
    const item = items[0]!;
    assert.equal(item.quantity, 200);
    assert.equal(item.part, part);
    assert.equal(item.supplier_part, sp);
    assert.equal(item.purchase_order, po);
    assert.equal(item.location, bin);
    assert.equal(item.batch, 'B-1');
    assert.equal(item.expiry_date, '2030-01-31');
    assert.equal(item.packaging, 'reel');
    assert.equal(item.purchase_price, 0.025);
    assert.equal(item.status, 10);
    assert.equal(item.part_detail.pk, part);
    assert.equal(Number((await line(lines[0]!)).received), 2);
    const tracking = await h.db.database.kysely.selectFrom('stock_tracking').selectAll().where('item_id', '=', item.pk).execute();
    assert.equal(tracking.length, 1);
    assert.equal(tracking[0]!.tracking_type, 70);
    assert.deepEqual(JSON.parse(tracking[0]!.deltas), { location: bin, purchaseorder: po, quantity: 200 });
  });

  it('resolves the location: item, request, order destination, then the line\'s destination', async () => {
    const { po, lines } = await placedOrder([{ quantity: 5, destination_id: bin }], { destination_id: shelf });
    const locOf = async (payload: unknown) => ((await receive(po, payload)).json() as { location: number }[])[0]!.location;
    const other = await h.fx.location({ name: 'Other' });
    assert.equal(await locOf({ items: [{ line_item: lines[0], quantity: 1, location: other }], location: shelf }), other);
    assert.equal(await locOf({ items: [{ line_item: lines[0], quantity: 1 }], location: other }), other);
    assert.equal(await locOf({ items: [{ line_item: lines[0], quantity: 1 }] }), shelf);
    const noDest = await placedOrder([{ quantity: 5, destination_id: bin }]);
    assert.equal(((await receive(noDest.po, { items: [{ line_item: noDest.lines[0], quantity: 1 }] })).json() as { location: number }[])[0]!.location, bin);
  });

  it('refuses a receipt without any destination', async () => {
    const { po, lines } = await placedOrder([{ quantity: 5 }]);
    const res = await receive(po, { items: [{ line_item: lines[0], quantity: 1 }] });
    assert.deepEqual([res.statusCode, res.json()], [400, { location: ['Destination location must be specified'] }]);
  });

  it('receives only against a placed order', async () => {
    const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: 10, destination_id: shelf });
    const l = await h.fx.poLine({ order_id: po, part_id: sp, quantity: 1 });
    const res = await receive(po, { items: [{ line_item: l, quantity: 1 }] });
    assert.deepEqual([res.statusCode, res.json()], [400, { non_field_errors: ["Lines can only be received against an order marked as 'PLACED'"] }]);
    assert.equal(Number((await line(l)).received), 0);
  });

  it('validates the items with DRF\'s shapes', async () => {
    const { po, lines } = await placedOrder([{ quantity: 5 }], { destination_id: shelf });
    const other = await placedOrder([{ quantity: 1 }]);
    assert.deepEqual((await receive(po, { items: [] })).json(), { non_field_errors: ['Line items must be provided'] });
    assert.deepEqual((await receive(po, {})).json(), { items: ['This field is required.'] });
    const bad = await receive(po, { items: [{ line_item: lines[0], quantity: 1 }, { line_item: other.lines[0], quantity: 0 }] });
    assert.deepEqual(bad.json(), { items: [{}, { line_item: ['Line item does not match purchase order'], quantity: ['Quantity must be greater than zero'] }] });
    const missing = await receive(po, { items: [{ quantity: 1 }] });
    assert.deepEqual(missing.json(), { items: [{ line_item: ['This field is required.'] }] });
    const structural = await h.fx.location({ structural: true });
    const st = await receive(po, { items: [{ line_item: lines[0], quantity: 1, location: structural }] });
    assert.deepEqual(st.json(), { items: [{ location: [`Invalid pk "${structural}" - object does not exist.`] }] });
  });

  it('links each item\'s barcode to the new stock item; a used or repeated barcode is refused', async () => {
    const { po, lines } = await placedOrder([{ quantity: 5 }, { quantity: 5 }], { destination_id: shelf });
    const ok = await receive(po, { items: [{ line_item: lines[0], quantity: 1, barcode: 'LABEL-0001' }] });
    assert.equal(ok.statusCode, 201);
    const item = (ok.json() as { pk: number; barcode_hash: string }[])[0]!;
    assert.notEqual(item.barcode_hash, '');
    const admin = await h.user('scanadmin', { is_superuser: true });
    const scan = await h.request({ method: 'POST', url: '/api/barcode/', headers: admin.auth, payload: { barcode: 'LABEL-0001' } });
    assert.equal(scan.json().stockitem.pk, item.pk);
    const used = await receive(po, { items: [{ line_item: lines[1], quantity: 1, barcode: 'LABEL-0001' }] });
    assert.deepEqual([used.statusCode, used.json()], [400, { items: [{ barcode: ['Barcode is already in use'] }] }]);
    const twice = await receive(po, { items: [{ line_item: lines[0], quantity: 1, barcode: 'X-2' }, { line_item: lines[1], quantity: 1, barcode: 'X-2' }] });
    assert.deepEqual(twice.json(), { non_field_errors: ['Supplied barcode values must be unique'] });
  });

  it('creates one item per serial number for trackable parts', async () => {
    const trackable = await h.fx.part({ name: 'Scope', trackable: true });
    const tsp = await h.fx.supplierPart({ part_id: trackable, supplier_id: supplier });
    const { po, lines } = await placedOrder([{ quantity: 3, part_id: tsp }], { destination_id: shelf });
    const mismatch = await receive(po, { items: [{ line_item: lines[0], quantity: 3, serial_numbers: '1-2' }] });
    assert.equal(mismatch.statusCode, 400);
    assert.ok(mismatch.json().items[0].serial_numbers.length > 0);
    const res = await receive(po, { items: [{ line_item: lines[0], quantity: 3, serial_numbers: '101-103' }] });
    assert.equal(res.statusCode, 201);
    const serials = (res.json() as { serial: string; quantity: number }[]).map((i) => [i.serial, i.quantity]);
    assert.deepEqual(serials, [
      ['101', 1],
      ['102', 1],
      ['103', 1],
    ]);
    const again = await receive(po, { items: [{ line_item: lines[0], quantity: 1, serial_numbers: '102' }] });
    assert.match(again.json().items[0].serial_numbers[0], /already exist/);
  });

  it('completes the order automatically once nothing is pending, unless the setting is off', async () => {
    const { po, lines } = await placedOrder([{ quantity: 2 }, { quantity: 1 }], { destination_id: shelf });
    await receive(po, { items: [{ line_item: lines[0], quantity: 2 }] });
    assert.equal(Number((await order(po)).status), 20);
    await receive(po, { items: [{ line_item: lines[1], quantity: 1 }] });
    const done = await order(po);
    assert.equal(Number(done.status), 30);
    assert.equal(done.received_by_id, buyer.user.id);
    assert.equal(done.complete_date, new Date().toISOString().slice(0, 10));

    await h.db.database.kysely.insertInto('setting_global').values({ key: 'PURCHASEORDER_AUTO_COMPLETE', value: 'False' }).execute();
    h.app.ctx.settings.invalidate();
    const second = await placedOrder([{ quantity: 1 }], { destination_id: shelf });
    await receive(second.po, { items: [{ line_item: second.lines[0], quantity: 1 }] });
    assert.equal(Number((await order(second.po)).status), 20);
    await h.db.database.kysely.deleteFrom('setting_global').where('key', '=', 'PURCHASEORDER_AUTO_COMPLETE').execute();
    h.app.ctx.settings.invalidate();
  });

  it('allows over-receipt', async () => {
    const { po, lines } = await placedOrder([{ quantity: 1 }], { destination_id: shelf });
    assert.equal((await receive(po, { items: [{ line_item: lines[0], quantity: 4 }] })).statusCode, 201);
    assert.equal(Number((await line(lines[0]!)).received), 4);
  });

  it('books virtual parts as received without creating stock', async () => {
    const service = await h.fx.part({ name: 'Calibration', virtual: true });
    const vsp = await h.fx.supplierPart({ part_id: service, supplier_id: supplier });
    const { po, lines } = await placedOrder([{ quantity: 1, part_id: vsp }]);
    const res = await receive(po, { items: [{ line_item: lines[0], quantity: 1 }] });
    assert.deepEqual([res.statusCode, res.json()], [201, []]);
    assert.equal(Number((await line(lines[0]!)).received), 1);
  });

  it('accepts the Python client\'s receiveAll body', async () => {
    const { po, lines } = await placedOrder([{ quantity: 2 }]);
    const res = await h.request({
      method: 'POST',
      url: `/api/order/po/${po}/receive/?format=json`,
      headers: buyer.auth,
      payload: { items: [{ line_item: lines[0], supplier_part: sp, quantity: 2, status: 10, location: shelf }], location: shelf },
    });
    assert.equal(res.statusCode, 201);
    assert.ok(Array.isArray(res.json()));
  });

  it('needs purchase_order.add', async () => {
    const { po, lines } = await placedOrder([{ quantity: 1 }], { destination_id: shelf });
    assert.equal((await receive(po, { items: [{ line_item: lines[0], quantity: 1 }] }, viewer)).statusCode, 403);
    assert.equal((await receive(999999, { items: [] })).statusCode, 404);
  });

  it('D16: concurrent receipts of one line lose nothing, and one label is received once', async () => {
    const { po, lines } = await placedOrder([{ quantity: 100 }], { destination_id: shelf });
    const results = await Promise.all(Array.from({ length: 10 }, () => receive(po, { items: [{ line_item: lines[0], quantity: 1 }] })));
    assert.ok(results.every((r) => r.statusCode === 201));
    assert.equal(Number((await line(lines[0]!)).received), 10);
    const stock = await h.db.database.kysely.selectFrom('stock_item').select('id').where('purchase_order_id', '=', po).execute();
    assert.equal(stock.length, 10);

    const labelled = await Promise.all(Array.from({ length: 10 }, () => receive(po, { items: [{ line_item: lines[0], quantity: 1, barcode: 'ONE-LABEL' }] })));
    assert.equal(labelled.filter((r) => r.statusCode === 201).length, 1);
    assert.ok(labelled.every((r) => r.statusCode === 201 || r.statusCode === 400));
    assert.equal(Number((await line(lines[0]!)).received), 11);
  });
});
