/** POST /api/barcode/po-receive/ — supplier-barcodes.md §9.3 and §9.4 (D5, D14, D16). */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { DIGIKEY_BARCODE, LCSC_BARCODE, MOUSER_BARCODE, TME_QRCODE } from './samples.js';

interface World {
  h: Harness;
  admin: TestUser;
  loc1: number;
  loc2: number;
  po1: number;
  po2: number;
  po1Lines: Record<string, number>;
  po2Lines: Record<string, number>;
  sp: Record<string, number>;
  part: number;
}

async function world(): Promise<World> {
  const h = await createHarness();
  const admin = await h.user('admin', { is_superuser: true, is_staff: true });
  const fx = h.fx;
  const loc1 = await fx.location({ name: 'loc_1' });
  const loc2 = await fx.location({ name: 'loc_2' });
  const part = await fx.part({ name: 'Op-amp' });
  const supplier = await fx.company({ name: 'Supplier', is_supplier: true });
  const mouser = await fx.company({ name: 'Mouser Test', is_supplier: true });
  const mpn = await fx.manufacturerPart({ part_id: part, mpn: 'MC34063ADR' });
  const sp: Record<string, number> = {};
  const po1 = await fx.purchaseOrder({ supplier_id: supplier, supplier_reference: '72991337', destination_id: loc1, status: 10 });
  const po1Lines: Record<string, number> = {};
  for (const sku of ['1_0', '1_1', '296-LM358BIDDFRCT-ND', '1_2', '1_3', '1_4', '1_5']) {
    sp[sku] = await fx.supplierPart({ part_id: part, supplier_id: supplier, sku });
    po1Lines[sku] = await fx.poLine({ order_id: po1, part_id: sp[sku], quantity: 8, destination_id: loc2 });
  }
  const po2 = await fx.purchaseOrder({ supplier_id: mouser, reference: 'P0-1337', destination_id: loc1, status: 20 });
  const po2Lines: Record<string, number> = {};
  for (const sku of ['2_0', '2_1', '2_2', '42', '2_3', '2_4', '2_5']) {
    sp[sku] = await fx.supplierPart({ part_id: part, supplier_id: mouser, sku, ...(sku === '42' ? { manufacturer_part_id: mpn } : {}) });
    po2Lines[sku] = await fx.poLine({ order_id: po2, part_id: sp[sku], quantity: 5, destination_id: loc2 });
  }
  for (const [slug, id] of [
    ['digikeyplugin', supplier],
    ['mouserplugin', mouser],
  ] as const) {
    await h.request({ method: 'POST', url: `/api/plugins/${slug}/activate/`, headers: admin.auth, payload: { active: true } });
    await h.request({ method: 'PATCH', url: `/api/plugins/${slug}/settings/SUPPLIER_ID/`, headers: admin.auth, payload: { value: String(id) } });
  }
  for (const slug of ['lcscplugin', 'tmeplugin']) await h.request({ method: 'POST', url: `/api/plugins/${slug}/activate/`, headers: admin.auth, payload: { active: true } });
  return { h, admin, loc1, loc2, po1, po2, po1Lines, po2Lines, sp, part };
}

describe('po-receive (§9.3)', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.h.close());

  const receive = (payload: Record<string, unknown>, who?: TestUser) =>
    w.h.request({ method: 'POST', url: '/api/barcode/po-receive/', headers: (who ?? w.admin).auth, payload });
  const place = (po: number) => w.h.db.database.kysely.updateTable('purchase_order').set({ status: 20 }).where('id', '=', po).execute();
  const itemByLabel = async (label: string) => {
    const scan = await w.h.request({ method: 'POST', url: '/api/barcode/', headers: w.admin.auth, payload: { barcode: label } });
    assert.equal(scan.statusCode, 200);
    const pk = scan.json().stockitem.pk as number;
    return (await w.h.request({ method: 'GET', url: `/api/stock/${pk}/`, headers: w.admin.auth })).json();
  };

  it('27–30. a pending order refuses; once placed the label is received once and then finds its item', async () => {
    const pending = await receive({ barcode: DIGIKEY_BARCODE });
    assert.equal(pending.statusCode, 400);
    assert.match(pending.json().error, /received against an order marked as/);
    assert.equal(pending.json().error, "Lines can only be received against an order marked as 'PLACED'");
    assert.equal(pending.json().plugin, 'DigiKeyPlugin');

    await place(w.po1);
    const ok = await receive({ barcode: DIGIKEY_BARCODE });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().success, 'Received purchase order line item');
    assert.equal(ok.json().plugin, 'DigiKeyPlugin');
    assert.deepEqual(ok.json().lineitem, {
      pk: w.po1Lines['296-LM358BIDDFRCT-ND'],
      quantity: 10,
      supplier_part: w.sp['296-LM358BIDDFRCT-ND'],
      purchase_order: w.po1,
      location: w.loc2,
    });

    const again = await receive({ barcode: DIGIKEY_BARCODE });
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().error, 'Item has already been received');

    const item = await itemByLabel(DIGIKEY_BARCODE);
    assert.equal(item.quantity, 10);
    assert.equal(item.location, w.loc2);
    assert.equal(item.supplier_part, w.sp['296-LM358BIDDFRCT-ND']);

    // 38. Same fields, new hash: the line is complete now.
    const trimmed = await receive({ barcode: DIGIKEY_BARCODE.slice(0, -1) });
    assert.equal(trimmed.statusCode, 400);
    assert.equal(trimmed.json().error, 'Line item is already completed');
  });

  it('31. auto_allocate false answers the line to receive and writes nothing', async () => {
    await place(w.po1);
    const res = await receive({ barcode: DIGIKEY_BARCODE, auto_allocate: false });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().plugin, 'DigiKeyPlugin');
    assert.equal(res.json().action_required, 'Further information required to receive line item');
    assert.equal(res.json().success, undefined);
    const { lineitem } = res.json();
    assert.deepEqual([lineitem.quantity, lineitem.purchase_order, lineitem.location], [10, w.po1, w.loc2]);
    const stock = await w.h.db.database.kysely.selectFrom('stock_item').select('id').execute();
    assert.equal(stock.length, 0);
  });

  it('32. a Mouser label is matched by K = order reference; the label is kept in full', async () => {
    const res = await receive({ barcode: MOUSER_BARCODE });
    assert.equal(res.statusCode, 200);
    assert.ok(res.json().success);
    const item = await itemByLabel(MOUSER_BARCODE);
    assert.equal(item.SKU, '42');
    assert.equal(item.MPN, 'MC34063ADR');
    assert.equal(item.quantity, 3);
    assert.equal(item.location, w.loc2);
    const link = await w.h.db.database.kysely.selectFrom('barcode_link').selectAll().where('model_type', '=', 'stockitem').where('object_id', '=', item.pk).executeTakeFirstOrThrow();
    assert.equal(link.data, MOUSER_BARCODE);
    assert.ok(link.data.endsWith('\x1e\x04'));
  });

  it('33–35. location precedence: request, line, order, then the part\'s default', async () => {
    const custom = await w.h.fx.location({ name: 'Test Location' });
    assert.equal((await receive({ barcode: MOUSER_BARCODE, location: custom })).statusCode, 200);
    assert.equal((await itemByLabel(MOUSER_BARCODE)).location, custom);

    const db = w.h.db.database.kysely;
    const second = await w.h.fx.location({ name: 'Test Location 2' });
    await db.updateTable('purchase_order_line').set({ destination_id: second }).where('id', '=', w.po2Lines['42']!).execute();
    const label2 = MOUSER_BARCODE.replace('Q3', 'Q1');
    assert.equal((await receive({ barcode: label2 })).statusCode, 200);
    assert.equal((await itemByLabel(label2)).location, second);

    await db.updateTable('purchase_order').set({ destination_id: null }).where('id', '=', w.po2).execute();
    await db.updateTable('purchase_order_line').set({ destination_id: null }).where('order_id', '=', w.po2).execute();
    await db.updateTable('part').set({ default_location_id: second }).where('id', '=', w.part).execute();
    // get_destination would prefer where earlier receipts went: receive a fresh line.
    const label3 = MOUSER_BARCODE.replace('Q3', 'Q1').replace('14K011', '14K012');
    const res = await receive({ barcode: label3 });
    assert.equal(res.statusCode, 200);
    assert.equal((await itemByLabel(label3)).location, second);
  });

  it('36. a label without K is received with the order and location given', async () => {
    const label = MOUSER_BARCODE.replace('\x1dKP0-1337', '');
    const second = await w.h.fx.location({ name: 'Test Location 2' });
    const res = await receive({ barcode: label, purchase_order: w.po2, location: second });
    assert.equal(res.statusCode, 200);
    assert.ok(res.json().success);
    assert.equal((await itemByLabel(label)).location, second);
  });

  it('37. a label without a quantity asks for more information, offering the remaining quantity', async () => {
    const res = await receive({ barcode: MOUSER_BARCODE.replace('\x1dQ3', '') });
    assert.equal(res.statusCode, 200);
    assert.ok(res.json().action_required);
    assert.equal(res.json().lineitem.quantity, 5);
  });

  it('39. no supplier plugin with a supplier → no plugin match', async () => {
    for (const slug of ['digikeyplugin', 'mouserplugin']) {
      await w.h.request({ method: 'POST', url: `/api/plugins/${slug}/activate/`, headers: w.admin.auth, payload: { active: false } });
    }
    const res = await receive({ barcode: MOUSER_BARCODE });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { barcode_data: MOUSER_BARCODE, barcode_hash: res.json().barcode_hash, plugin: null, error: 'No plugin match for supplier barcode' });
  });

  it('40, 41. field errors: unplaced order, structural location', async () => {
    const pending = await receive({ barcode: MOUSER_BARCODE, purchase_order: w.po1 });
    assert.deepEqual([pending.statusCode, pending.json()], [400, { purchase_order: ['Purchase order has not been placed'] }]);
    const structural = await w.h.fx.location({ structural: true });
    const st = await receive({ barcode: MOUSER_BARCODE, location: structural });
    assert.deepEqual([st.statusCode, st.json()], [400, { location: ['Cannot select a structural location'] }]);
    const missing = await receive({});
    assert.deepEqual(missing.json(), { barcode: ['This field is required.'] });
  });

  it('42. several lines for one supplier part: pending ones are preferred (D14), or name the line', async () => {
    const extra = await w.h.fx.poLine({ order_id: w.po2, part_id: w.sp['42']!, quantity: 5 });
    const ambiguous = await receive({ barcode: MOUSER_BARCODE });
    assert.equal(ambiguous.json().error, 'No plugin match for supplier barcode');
    const named = await receive({ barcode: MOUSER_BARCODE, line_item: extra });
    assert.equal(named.statusCode, 200);
    assert.equal(named.json().lineitem.pk, extra);
    // Complete the first line: the remaining pending one is chosen.
    await w.h.db.database.kysely.updateTable('purchase_order_line').set({ received: 5 }).where('id', '=', w.po2Lines['42']!).execute();
    const label = MOUSER_BARCODE.replace('Q3', 'Q1');
    const res = await receive({ barcode: label });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().lineitem.pk, extra);
  });

  it('43. an explicit line of another supplier part is refused', async () => {
    const res = await receive({ barcode: MOUSER_BARCODE, line_item: w.po2Lines['2_0'] });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'Supplier part does not match line item');
  });

  it('44. more than remaining is received; the order completes when nothing is pending', async () => {
    const db = w.h.db.database.kysely;
    await db.updateTable('purchase_order_line').set({ received: 5 }).where('order_id', '=', w.po2).where('id', '!=', w.po2Lines['42']!).execute();
    const res = await receive({ barcode: MOUSER_BARCODE.replace('Q3', 'Q9') });
    assert.equal(res.statusCode, 200);
    const line = await db.selectFrom('purchase_order_line').selectAll().where('id', '=', w.po2Lines['42']!).executeTakeFirstOrThrow();
    assert.equal(Number(line.received), 9);
    const po = await db.selectFrom('purchase_order').selectAll().where('id', '=', w.po2).executeTakeFirstOrThrow();
    assert.equal(Number(po.status), 30);
  });

  it('a plugin that cannot read the label resolves no supplier (the LCSC plugin, given a TME label)', async () => {
    const fx = w.h.fx;
    const lcsc = await fx.company({ name: 'LCSC Electronics', is_supplier: true });
    const tme = await fx.company({ name: 'TME', is_supplier: true });
    const order = await fx.purchaseOrder({ supplier_id: tme, supplier_reference: '19361337', destination_id: w.loc1, status: 20 });
    await fx.poLine({ order_id: order, part_id: await fx.supplierPart({ part_id: w.part, supplier_id: tme, sku: 'WBP-302' }), quantity: 4 });
    const supplierId = async () =>
      (await w.h.request({ method: 'GET', url: '/api/plugins/lcscplugin/settings/SUPPLIER_ID/', headers: w.admin.auth })).json().value as string;
    const res = await receive({ barcode: TME_QRCODE });
    assert.deepEqual([res.statusCode, res.json().plugin, res.json().success], [200, 'TMEPlugin', 'Received purchase order line item']);
    assert.equal(await supplierId(), '', 'the LCSC plugin, asked before TME, did not look for (and store) its supplier');
    await w.h.request({ method: 'POST', url: '/api/barcode/', headers: w.admin.auth, payload: { barcode: LCSC_BARCODE } });
    assert.equal(await supplierId(), String(lcsc), 'its own label does (§3.0)');
  });

  it('45. a non-numeric quantity makes the plugin skip the label', async () => {
    const res = await receive({ barcode: MOUSER_BARCODE.replace('Q3', 'Qabc') });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'No plugin match for supplier barcode');
  });

  it('needs purchase_order.add (D5) and logs every attempt', async () => {
    const viewer = await w.h.user('viewer', { roles: { purchase_order: { can_view: true } } });
    const denied = await receive({ barcode: MOUSER_BARCODE }, viewer);
    assert.equal(denied.statusCode, 403);
    assert.match(denied.json().error, /do not have the required permissions/);
    await receive({ barcode: MOUSER_BARCODE });
    const rows = await w.h.db.database.kysely.selectFrom('barcode_scan').selectAll().where('endpoint', '=', '/api/barcode/po-receive/').orderBy('id').execute();
    assert.equal(rows.length, 1);
    assert.equal(Boolean(rows[0]!.result), true);
    assert.equal(rows[0]!.plugin, 'MouserPlugin');
  });

  it('D16: ten concurrent receipts of one label create exactly one stock item', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => receive({ barcode: MOUSER_BARCODE })));
    assert.equal(results.filter((r) => r.statusCode === 200).length, 1);
    for (const r of results.filter((x) => x.statusCode !== 200)) {
      assert.equal(r.statusCode, 400);
      assert.equal(r.json().error, 'Item has already been received');
    }
    const db = w.h.db.database.kysely;
    assert.equal((await db.selectFrom('stock_item').select('id').execute()).length, 1);
    const line = await db.selectFrom('purchase_order_line').selectAll().where('id', '=', w.po2Lines['42']!).executeTakeFirstOrThrow();
    assert.equal(Number(line.received), 3);
  });
});
