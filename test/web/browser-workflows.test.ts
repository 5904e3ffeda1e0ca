/**
 * Scanning workflows in a real browser against the real server: moving stock (item first and
 * location first), receiving a purchase order by scanning a DigiKey label (and the form for
 * `action_required`), and allocating stock to a sales order by scanning items (and the form
 * when the shipment is unknown).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { barcodeHash } from '../../src/barcode/formats/hash.js';
import { DIGIKEY_LABEL, MOUSER_LABEL } from '../../src/demo/labels.js';
import { launchBrowser, screenshot, signIn, startWebServer, type BrowserSession, type WebServer } from './helpers/server.js';

describe('web app: workflows by scanning', () => {
  let s: WebServer;
  let b: BrowserSession;
  const item = (part: string, serial?: string) => {
    const found = s.demo.stockItems.find((i) => i.part === part && (serial === undefined || i.serial === serial));
    assert.ok(found, `demo stock item ${part} ${serial ?? ''}`);
    return found.id;
  };
  const locationOf = async (id: number) =>
    (await s.database.kysely.selectFrom('stock_item').select('location_id').where('id', '=', id).executeTakeFirstOrThrow()).location_id;
  const scanInto = async (label: string, text: string) => {
    await b.page.getByLabel(label).click();
    await b.page.keyboard.type(text);
  };

  before(async () => {
    s = await startWebServer();
    b = await launchBrowser(s.url);
    await signIn(b.page, s.url, 'admin', s.admin.password);
  });
  after(async () => {
    await b?.close();
    await s?.stop();
  });

  it('moves a stock item to a scanned location, and scans items into a location', async () => {
    const { page } = b;
    const board = item('DEV-ESP32', '3001');
    const binB4 = s.demo.locations['bin-b4']!;
    await page.goto(`${s.url}/web/move`);
    await scanInto('Scan a stock item or a location', `INV-SI${board}\n`);
    await page.locator('li.entry[data-state="warn"]').getByText('ESP32 development board #3001 is ready to move. Scan the location it goes to.').waitFor();
    await page.getByRole('heading', { name: 'Waiting for a location' }).waitFor();
    await page.keyboard.type(`INV-SL${binB4}\n`);
    await page.getByText('Moved ESP32 development board #3001 to Warehouse/Shelf B/Bin B4.').waitFor();
    assert.equal(await locationOf(board), binB4);

    // A structural location holds no stock.
    await page.keyboard.type(`INV-SL${s.demo.locations['shelf-a']}\n`);
    await page.locator('li.entry[data-state="error"]').first().getByText(/Warehouse\/Shelf A is a structural location/).waitFor();

    // Location first, from the location's page.
    const goodsIn = s.demo.locations['goods-in']!;
    await page.goto(`${s.url}/web/stock/location/${goodsIn}`);
    await page.getByRole('link', { name: 'Scan items into this location' }).click();
    await page.getByText('Destination: ').getByRole('link', { name: 'Warehouse/Goods In' }).waitFor();
    for (const serial of ['3002', '3003']) {
      await scanInto('Scan a stock item or a location', `INV-SI${item('DEV-ESP32', serial)}\n`);
      await page.locator('li.entry[data-state="ok"]').getByText(`Moved ESP32 development board #${serial} (1) to Warehouse/Goods In.`).waitFor();
      assert.equal(await locationOf(item('DEV-ESP32', serial)), goodsIn);
    }
  });

  it('receives a purchase order line by scanning the DigiKey label', async () => {
    const { page } = b;
    const po = s.demo.purchaseOrders.find((p) => p.supplier === 'DigiKey')!;
    await page.goto(`${s.url}/web/purchasing/purchase-order/${po.id}`);
    await page.getByRole('link', { name: 'Receive by scanning' }).click();
    await page.waitForURL(`${s.url}/web/receive?order=${po.id}`);
    await page.getByRole('heading', { name: /^Lines of PO-0001/ }).waitFor();
    await scanInto('Scan a supplier label', `${DIGIKEY_LABEL}\n`);
    await page.locator('li.entry[data-state="ok"]').getByText(/^Received purchase order line item: 10 into /).waitFor();
    const line = await s.database.kysely
      .selectFrom('purchase_order_line')
      .innerJoin('supplier_part', 'supplier_part.id', 'purchase_order_line.part_id')
      .select(['purchase_order_line.received'])
      .where('purchase_order_line.order_id', '=', po.id)
      .where('supplier_part.sku', '=', '296-LM358BIDDFRCT-ND')
      .executeTakeFirstOrThrow();
    assert.equal(Number(line.received), 10);
    const link = await s.database.kysely.selectFrom('barcode_link').select(['model_type']).where('hash', '=', barcodeHash(DIGIKEY_LABEL)).executeTakeFirst();
    assert.deepEqual(link, { model_type: 'stockitem' }, 'the label now belongs to the new stock item');
    await page.locator('tr', { hasText: '296-LM358BIDDFRCT-ND' }).locator('td.num').first().getByText('10').waitFor();

    await page.keyboard.type(`${DIGIKEY_LABEL}\n`);
    await page.locator('li.entry[data-state="error"]').first().getByText('Item has already been received. This label has been received before', { exact: false }).waitFor();
  });

  it('asks for the missing information of a supplier label in a form (action_required), then books it', async () => {
    const { page } = b;
    await page.goto(`${s.url}/web/receive`);
    await page.getByLabel('Check each label before booking it').check();
    await scanInto('Scan a supplier label', MOUSER_LABEL);
    const form = page.locator('form.action-form');
    await form.getByRole('heading', { name: 'Receive this label' }).waitFor();
    await form.getByText('Further information required to receive line item', { exact: false }).waitFor();
    assert.equal(await form.getByLabel('Quantity (in supplier packs)').inputValue(), '3');
    const location = form.getByLabel('Location');
    if ((await location.inputValue()) === '') await location.selectOption({ label: 'Warehouse/Goods In' });
    await form.getByLabel('Batch code (optional)').fill('MX-2411');
    await screenshot(page, 'web-receive');
    await form.getByRole('button', { name: 'Receive', exact: true }).click();
    await page.locator('li.entry[data-state="ok"]').getByText(/^Received 3 × .* as stock item \d+\.$/).waitFor();
    assert.equal(await form.count(), 0);
    const created = await s.database.kysely
      .selectFrom('barcode_link')
      .innerJoin('stock_item', 'stock_item.id', 'barcode_link.object_id')
      .select(['stock_item.quantity', 'stock_item.batch'])
      .where('barcode_link.hash', '=', barcodeHash(MOUSER_LABEL))
      .where('barcode_link.model_type', '=', 'stockitem')
      .executeTakeFirstOrThrow();
    assert.equal(Number(created.quantity), 3);
    assert.equal(created.batch, 'MX-2411');
  });

  it('allocates stock to a sales order by scanning items, asking for the shipment when it is not clear', async () => {
    const { page } = b;
    const so = s.demo.salesOrders.find((o) => o.issued)!;
    const cable = item('CBL-USBC-1M');
    await page.goto(`${s.url}/web/sales/sales-order/${so.id}`);
    await page.getByRole('link', { name: 'Allocate by scanning' }).click();
    await page.waitForURL(`${s.url}/web/allocate?order=${so.id}`);
    await scanInto('Scan a stock item', `INV-SI${cable}\n`);
    await page.locator('li.entry[data-state="ok"]').getByText(`Stock item allocated to sales order: 2 from stock item ${cable} to shipment 1.`).waitFor();
    const allocation = await s.database.kysely.selectFrom('sales_order_allocation').select(['quantity', 'shipment_id']).where('item_id', '=', cable).executeTakeFirstOrThrow();
    assert.deepEqual({ quantity: Number(allocation.quantity), shipment: allocation.shipment_id }, { quantity: 2, shipment: so.shipment });

    // A second open shipment: Stockscan cannot choose, so the app asks.
    const second = await s.fx.shipment({ order_id: so.id, reference: '2' });
    await page.reload();
    const sensor = item('ASM-SENSOR', '1002');
    await scanInto('Scan a stock item', `INV-SI${sensor}\n`);
    const form = page.locator('form.action-form');
    await form.getByRole('heading', { name: 'Allocate this stock item' }).waitFor();
    await form.getByLabel('Shipment').selectOption({ label: 'Shipment 2 (0 items)' });
    await form.getByRole('button', { name: 'Allocate', exact: true }).click();
    await page.locator('li.entry[data-state="ok"]').first().getByText(`Stock item allocated to sales order: 1 from stock item ${sensor}.`).waitFor();
    const placed = await s.database.kysely.selectFrom('sales_order_allocation').select(['quantity', 'shipment_id']).where('item_id', '=', sensor).executeTakeFirstOrThrow();
    assert.deepEqual({ quantity: Number(placed.quantity), shipment: placed.shipment_id }, { quantity: 1, shipment: second });
    await page.getByRole('region', { name: 'Allocated stock' }).getByRole('link', { name: `stock item ${sensor}` }).waitFor();
    await screenshot(page, 'web-allocate');

    // The scan field has the cursor again after the form: the next scan is typed straight in.
    await page.keyboard.type(`INV-SL${s.demo.locations['bin-a1']}\n`);
    await page.locator('li.entry[data-state="error"]').first().getByText('Barcode does not match an existing stock item', { exact: false }).waitFor();
  });

  it('sent no request to any other origin and raised no page or console error (no CSP violation)', () => {
    assert.deepEqual(b.outside, []);
    assert.deepEqual(b.pageErrors, []);
    assert.deepEqual(b.consoleErrors, []);
  });
});
