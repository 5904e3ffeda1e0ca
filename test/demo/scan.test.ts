/**
 * After the demo is loaded, its barcodes work through the API: internal short barcodes (given
 * and generated), linked custom labels, and the distributor sample labels of
 * supplier-barcodes.md §3, scanned and received by the supplier plugins the demo activated.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadDemo, type DemoResult } from '../../src/demo/loader.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { DIGIKEY_7637, DIGIKEY_BARCODE, LCSC_BARCODE, MOUSER_BARCODE, MOUSER_BARCODE_OLD, TME_DATAMATRIX_CODE, TME_QRCODE } from '../barcode/samples.js';

describe('scanning the demo data', () => {
  let h: Harness;
  let admin: TestUser;
  let demo: DemoResult;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    demo = await loadDemo(h.db.database);
    // The demo normally runs before `serve`; this app was started first, so drop what it cached.
    h.app.ctx.plugins.invalidate();
    h.app.ctx.settings.invalidate();
  });
  after(() => h.close());

  const post = (url: string, payload: Record<string, unknown>, who: TestUser = admin) => h.request({ method: 'POST', url, headers: who.auth, payload });
  const scan = (barcode: string) => post('/api/barcode/', { barcode });

  it('scans INV-SL<pk> of a bin to that stock location', async () => {
    const pk = demo.locations['bin-a1'];
    const res = await scan(`INV-SL${pk}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().plugin, 'InvenTreeBarcode');
    assert.equal(res.json().stocklocation.pk, pk);
    assert.equal(res.json().stocklocation.instance.name, 'Bin A1');
  });

  it('generates a stock item barcode that scans back to the item', async () => {
    const item = demo.stockItems.find((i) => i.part === 'ASM-SENSOR' && i.serial === '1003');
    assert.ok(item);
    const generated = await post('/api/barcode/generate/', { model: 'stockitem', pk: item.id });
    assert.equal(generated.statusCode, 200);
    assert.equal(generated.json().barcode, `INV-SI${item.id}`);
    const res = await scan(generated.json().barcode);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().stockitem.pk, item.id);
    assert.equal(res.json().stockitem.instance.serial, '1003');
  });

  it('scans the barcodes the summary prints', async () => {
    const location = await scan(demo.generated.location.barcode);
    assert.equal(location.json().stocklocation.pk, demo.locations['bin-a3']);
    const item = await scan(demo.generated.stockItem.barcode);
    assert.equal(item.json().stockitem.instance.serial, '1002');
  });

  it('scans the linked custom labels to their objects', async () => {
    const bin = await scan('BIN-A1');
    assert.equal(bin.statusCode, 200);
    assert.equal(bin.json().stocklocation.pk, demo.locations['bin-a1']);
    const asset = await scan('ASSET-0042');
    assert.equal(asset.json().stockitem.pk, demo.stockItems.find((i) => i.part === 'TOOL-DMM')?.id);
  });

  for (const [name, label, plugin, sku, supplier] of [
    ['DigiKey', DIGIKEY_BARCODE, 'DigiKeyPlugin', '296-LM358BIDDFRCT-ND', 'digikey'],
    ['DigiKey (issue #7637)', DIGIKEY_7637, 'DigiKeyPlugin', '455-1720-ND', 'digikey'],
    ['Mouser', MOUSER_BARCODE, 'MouserPlugin', '595-MC34063ADR', 'mouser'],
    ['Mouser (old header)', MOUSER_BARCODE_OLD, 'MouserPlugin', '511-LDK320ADU33R', 'mouser'],
    ['LCSC', LCSC_BARCODE, 'LCSCPlugin', 'C312270', 'lcsc'],
    ['TME QR', TME_QRCODE, 'TMEPlugin', 'WBP-302', 'tme'],
    ['TME DataMatrix', TME_DATAMATRIX_CODE, 'TMEPlugin', 'WBP-302', 'tme'],
  ] as const) {
    it(`scans the ${name} sample label to supplier part ${sku}`, async () => {
      const res = await scan(label);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().plugin, plugin);
      assert.equal(res.json().supplierpart.pk, demo.supplierParts[sku]);
      assert.equal(res.json().supplierpart.instance.SKU, sku);
      // Each plugin found its supplier by the company's name.
      assert.deepEqual(res.json().company, { pk: demo.companies[supplier] });
    });
  }

  it('finds the purchase orders the labels belong to', async () => {
    const order = (label: string) => scan(label).then((r) => r.json().purchaseorder?.pk);
    assert.equal(await order(DIGIKEY_BARCODE), demo.purchaseOrders[0]?.id);
    assert.equal(await order(MOUSER_BARCODE), demo.purchaseOrders[1]?.id);
    assert.equal(await order(LCSC_BARCODE), demo.purchaseOrders[2]?.id);
    assert.equal(await order(TME_QRCODE), demo.purchaseOrders[3]?.id);
  });
});

describe('receiving the sample labels against the demo orders', () => {
  let h: Harness;
  let admin: TestUser;
  let demo: DemoResult;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    demo = await loadDemo(h.db.database);
    h.app.ctx.plugins.invalidate();
    h.app.ctx.settings.invalidate();
  });
  after(() => h.close());

  const receive = (barcode: string, who: TestUser = admin) => h.request({ method: 'POST', url: '/api/barcode/po-receive/', headers: who.auth, payload: { barcode } });
  const item = (pk: number) => h.request({ method: 'GET', url: `/api/stock/${pk}/`, headers: admin.auth }).then((r) => r.json());

  it('receives the DigiKey sample label into the line destination, once', async () => {
    const res = await receive(DIGIKEY_BARCODE);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().success, 'Received purchase order line item');
    assert.equal(res.json().plugin, 'DigiKeyPlugin');
    assert.equal(res.json().lineitem.purchase_order, demo.purchaseOrders[0]?.id);
    assert.equal(res.json().lineitem.location, demo.locations['bin-a3']);
    assert.equal(res.json().lineitem.quantity, 10);

    const scanned = await h.request({ method: 'POST', url: '/api/barcode/', headers: admin.auth, payload: { barcode: DIGIKEY_BARCODE } });
    const received = await item(scanned.json().stockitem.pk);
    assert.equal(received.quantity, 10);
    assert.equal(received.location, demo.locations['bin-a3']);
    assert.equal(received.supplier_part, demo.supplierParts['296-LM358BIDDFRCT-ND']);
    assert.equal(received.purchase_order, demo.purchaseOrders[0]?.id);

    const again = await receive(DIGIKEY_BARCODE);
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().error, 'Item has already been received');
  });

  it('receives the Mouser label: its K (P0-1337) finds the order through the supplier reference', async () => {
    const res = await receive(MOUSER_BARCODE);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().plugin, 'MouserPlugin');
    assert.equal(res.json().lineitem.purchase_order, demo.purchaseOrders[1]?.id);
    assert.equal(res.json().lineitem.quantity, 3);
  });

  it('receives the LCSC and TME labels into the order destination (Goods In)', async () => {
    for (const [label, index] of [
      [LCSC_BARCODE, 2],
      [TME_QRCODE, 3],
    ] as const) {
      const res = await receive(label);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().lineitem.purchase_order, demo.purchaseOrders[index]?.id);
      assert.equal(res.json().lineitem.location, demo.locations['goods-in']);
    }
  });
});
