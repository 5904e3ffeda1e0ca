/** Scan API cases of supplier-barcodes.md §9.2 (plugin names per D19, matching per D14). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { DIGIKEY_BARCODE, DIGIKEY_BARCODE_2, DIGIKEY_BARCODE_3, LCSC_BARCODE, MOUSER_BARCODE, MOUSER_BARCODE_OLD, TME_DATAMATRIX_CODE, TME_QRCODE } from './samples.js';

describe('supplier labels through POST /api/barcode/ (§9.2)', () => {
  let h: Harness;
  let admin: TestUser;
  const sp: Record<string, number> = {};
  let mouser: number;
  let mp1: number;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    const fx = h.fx;
    const part = await fx.part({ name: 'Widget' });
    const supplier = await fx.company({ name: 'Supplier', is_supplier: true });
    mouser = await fx.company({ name: 'Mouser Test', is_supplier: true });
    for (const sku of ['296-LM358BIDDFRCT-ND', 'C312270', 'WBP-302']) sp[sku] = await fx.supplierPart({ part_id: part, supplier_id: supplier, sku });
    mp1 = await fx.manufacturerPart({ part_id: part, mpn: 'MC34063ADR' });
    const mp2 = await fx.manufacturerPart({ part_id: part, mpn: 'LDK320ADU33R' });
    sp['1'] = await fx.supplierPart({ part_id: part, supplier_id: mouser, sku: '1', manufacturer_part_id: mp1 });
    sp['2'] = await fx.supplierPart({ part_id: part, supplier_id: mouser, sku: '2', manufacturer_part_id: mp2 });
    for (const slug of ['digikeyplugin', 'mouserplugin', 'lcscplugin', 'tmeplugin']) {
      const res = await h.request({ method: 'POST', url: `/api/plugins/${slug}/activate/`, headers: admin.auth, payload: { active: true } });
      assert.equal(res.statusCode, 200);
    }
    const set = (slug: string, value: number) =>
      h.request({ method: 'PATCH', url: `/api/plugins/${slug}/settings/SUPPLIER_ID/`, headers: admin.auth, payload: { value: String(value) } });
    assert.equal((await set('digikeyplugin', supplier)).statusCode, 200);
    assert.equal((await set('mouserplugin', mouser)).statusCode, 200);
  });
  after(() => h.close());

  const scan = (barcode: string) => h.request({ method: 'POST', url: '/api/barcode/', headers: admin.auth, payload: { barcode } });

  it('19. DigiKey label → DigiKeyPlugin, supplier part by SKU', async () => {
    const res = await scan(DIGIKEY_BARCODE);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().plugin, 'DigiKeyPlugin');
    assert.equal(res.json().supplierpart.pk, sp['296-LM358BIDDFRCT-ND']);
    assert.equal(res.json().supplierpart.api_url, `/api/company/part/${sp['296-LM358BIDDFRCT-ND']}/`);
    assert.equal(res.json().success, 'Match found for barcode data');
    assert.deepEqual(res.json().company, { pk: (await h.db.database.kysely.selectFrom('company').select('id').where('name', '=', 'Supplier').executeTakeFirstOrThrow()).id });
  });

  it('20. DigiKey 30P label → the same supplier part', async () => {
    const res = await scan(DIGIKEY_BARCODE_2);
    assert.equal(res.json().plugin, 'DigiKeyPlugin');
    assert.equal(res.json().supplierpart.pk, sp['296-LM358BIDDFRCT-ND']);
  });

  it('21. a DigiKey label with unknown numbers → no match', async () => {
    const res = await scan(DIGIKEY_BARCODE_3);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'No match found for barcode data');
  });

  it('22. Mouser label → supplier part by MPN within the Mouser supplier, plus manufacturer part and company', async () => {
    const res = await scan(MOUSER_BARCODE);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().plugin, 'MouserPlugin');
    assert.equal(res.json().supplierpart.pk, sp['1']);
    assert.equal(res.json().manufacturerpart.pk, mp1);
    assert.equal(res.json().manufacturerpart.web_url, undefined);
    assert.deepEqual(res.json().company, { pk: mouser });
  });

  it('23. old Mouser label → SKU 2', async () => {
    assert.equal((await scan(MOUSER_BARCODE_OLD)).json().supplierpart.pk, sp['2']);
  });

  it('24. LCSC label → LCSCPlugin (no supplier: matches across suppliers)', async () => {
    const res = await scan(LCSC_BARCODE);
    assert.equal(res.json().plugin, 'LCSCPlugin');
    assert.equal(res.json().supplierpart.pk, sp.C312270);
    assert.equal(res.json().company, undefined);
  });

  it('25, 26. TME QR and 2D labels → TMEPlugin', async () => {
    for (const barcode of [TME_QRCODE, TME_DATAMATRIX_CODE]) {
      const res = await scan(barcode);
      assert.equal(res.json().plugin, 'TMEPlugin', barcode);
      assert.equal(res.json().supplierpart.pk, sp['WBP-302']);
    }
  });

  it('without a supplier of its own, a label finds any supplier\'s order: by reference from the customer order number, else by supplier reference (§4.4, D14)', async () => {
    // TME has no SUPPLIER_ID here and no supplier named like it; LCSC neither.
    const byReference = await h.fx.purchaseOrder({ reference: 'PO-2023-06-08-001337', supplier_id: mouser });
    const tme = await scan(TME_QRCODE);
    assert.equal(tme.json().plugin, 'TMEPlugin');
    assert.equal(tme.json().purchaseorder?.pk, byReference);
    assert.equal(tme.json().company, undefined);
    const bySupplierReference = await h.fx.purchaseOrder({ supplier_reference: 'SO2009291337', supplier_id: mouser });
    const lcsc = await scan(LCSC_BARCODE);
    assert.equal(lcsc.json().plugin, 'LCSCPlugin');
    assert.equal(lcsc.json().purchaseorder?.pk, bySupplierReference);
  });

  it('without a supplier of its own, a label finds the manufacturer part by MPN among all manufacturers\' (§4.3)', async () => {
    const mp = await h.fx.manufacturerPart({ part_id: await h.fx.part({ name: 'Terminal block' }), mpn: 'WBP-302' });
    const res = await scan(TME_QRCODE);
    assert.equal(res.json().plugin, 'TMEPlugin');
    assert.equal(res.json().manufacturerpart?.pk, mp);
  });

  it('resolves SUPPLIER_ID on every request (D14)', async () => {
    const other = await h.fx.company({ name: 'Elsewhere', is_supplier: true });
    await h.request({ method: 'PATCH', url: '/api/plugins/digikeyplugin/settings/SUPPLIER_ID/', headers: admin.auth, payload: { value: String(other) } });
    const res = await scan(DIGIKEY_BARCODE);
    assert.notEqual(res.json().plugin, 'DigiKeyPlugin');
    const supplier = (await h.db.database.kysely.selectFrom('company').select('id').where('name', '=', 'Supplier').executeTakeFirstOrThrow()).id;
    await h.request({ method: 'PATCH', url: '/api/plugins/digikeyplugin/settings/SUPPLIER_ID/', headers: admin.auth, payload: { value: String(supplier) } });
    assert.equal((await scan(DIGIKEY_BARCODE)).json().plugin, 'DigiKeyPlugin');
  });

  it('refuses a SUPPLIER_ID that is not a supplier', async () => {
    const customer = await h.fx.company({ name: 'Customer only', is_supplier: false, is_customer: true });
    const res = await h.request({ method: 'PATCH', url: '/api/plugins/lcscplugin/settings/SUPPLIER_ID/', headers: admin.auth, payload: { value: String(customer) } });
    assert.deepEqual([res.statusCode, res.json()], [400, { value: [`Invalid pk "${customer}" - object does not exist.`] }]);
  });

  it('finds the supplier by its default name and stores it', async () => {
    const h2 = await createHarness();
    try {
      const root = await h2.user('root', { is_superuser: true });
      const part = await h2.fx.part();
      const lcsc = await h2.fx.company({ name: 'LCSC Electronics', is_supplier: true });
      await h2.fx.supplierPart({ part_id: part, supplier_id: lcsc, sku: 'C312270' });
      await h2.request({ method: 'POST', url: '/api/plugins/lcscplugin/activate/', headers: root.auth, payload: {} });
      const res = await h2.request({ method: 'POST', url: '/api/barcode/', headers: root.auth, payload: { barcode: LCSC_BARCODE } });
      assert.deepEqual(res.json().company, { pk: lcsc });
      const setting = await h2.request({ method: 'GET', url: '/api/plugins/lcscplugin/settings/SUPPLIER_ID/', headers: root.auth });
      assert.equal(setting.json().value, String(lcsc));
      assert.equal(setting.json().model_name, 'company.company');
    } finally {
      await h2.close();
    }
  });

  it('keeps the internal plugin first: a linked label finds its object, not the supplier part', async () => {
    const loc = await h.fx.location();
    await h.fx.link('stocklocation', loc, DIGIKEY_BARCODE_2);
    const res = await scan(DIGIKEY_BARCODE_2);
    assert.equal(res.json().plugin, 'InvenTreeBarcode');
    assert.equal(res.json().stocklocation.pk, loc);
  });

  it('lists the plugins in registry order (D19: the built-in five, then the further plugins)', async () => {
    const list = (await h.request({ method: 'GET', url: '/api/plugins/', headers: admin.auth })).json() as { key: string }[];
    assert.deepEqual(list.map((p) => p.key), ['inventreebarcode', 'digikeyplugin', 'mouserplugin', 'lcscplugin', 'tmeplugin', 'eciaplugin', 'gs1plugin']);
  });
});
