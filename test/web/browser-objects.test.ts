/**
 * The web app's object pages, labels, scan history and unmatched-scans inbox in a real
 * browser against the real server: every barcodable model's page answers at its InvenTree web
 * route (D15), a barcode is linked and unlinked by scanning, a label sheet for a selection
 * prints (print CSS, checked in a PDF), history is filtered, searched, sorted and pruned.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { barcodeModel, webUrlOf, type BarcodeModelType } from '../../src/barcode/model-types.js';
import { barcodeHash } from '../../src/barcode/formats/hash.js';
import { launchBrowser, screenshot, signIn, signOut, unlabelledControls, startWebServer, writeArtifact, type BrowserSession, type WebServer } from './helpers/server.js';
import { testDialect } from '../helpers/database.js';
import type { Locator } from 'playwright-core';

/** The InvenTree web route of every barcodable model (InvenTree's UI routes for the two without a web_url). */
function pagePath(type: BarcodeModelType, pk: number): string {
  if (type === 'manufacturerpart') return `/web/purchasing/manufacturer-part/${pk}`;
  if (type === 'salesordershipment') return `/web/sales/shipment/${pk}`;
  return webUrlOf(barcodeModel(type)!, pk)!;
}

/** Waits for an image to load and answers its natural width. */
function imageWidth(img: Locator): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return img.evaluate((el: any) => el.decode().then(() => el.naturalWidth as number));
}

function pdfPages(pdf: Buffer): { count: number; boxes: number[][] } {
  const text = pdf.toString('latin1');
  const count = (text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
  const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
  return { count, boxes };
}

describe('web app: objects, links, labels, history', () => {
  let s: WebServer;
  let b: BrowserSession;
  let returnOrder: number;
  let binA3: number;

  before(async () => {
    s = await startWebServer();
    returnOrder = await s.fx.returnOrder({ customer_id: s.demo.companies.northwind, description: 'Faulty sensor node' });
    binA3 = s.demo.locations['bin-a3']!;
    b = await launchBrowser(s.url);
    await signIn(b.page, s.url, 'admin', s.admin.password);
  });
  after(async () => {
    await b?.close();
    await s?.stop();
  });

  it('opens the page of every kind of barcodable object at its web route, with its Stockscan barcode', async () => {
    const { page } = b;
    const d = s.demo;
    const cases: [BarcodeModelType, number, RegExp, string][] = [
      ['build', d.builds[0]!.id, /^Build order: BO-0001$/, 'BO'],
      ['manufacturerpart', d.manufacturerParts.LM358BIDDFR!, /^Manufacturer part: LM358BIDDFR$/, 'MP'],
      ['supplierpart', d.supplierParts['296-LM358BIDDFRCT-ND']!, /^Supplier part: 296-LM358BIDDFRCT-ND$/, 'SP'],
      ['purchaseorder', d.purchaseOrders[0]!.id, /^Purchase order: PO-0001$/, 'PO'],
      ['salesorder', d.salesOrders[0]!.id, /^Sales order: SO-0001$/, 'SO'],
      ['salesordershipment', d.salesOrders[0]!.shipment, /^Shipment: Shipment 1$/, 'SS'],
      ['returnorder', returnOrder, /^Return order: RMA-/, 'RO'],
      ['part', d.parts['IC-LM358']!, /^Part: LM358B$/, 'PA'],
      ['stocklocation', binA3, /^Stock location: Bin A3$/, 'SL'],
      ['stockitem', d.stockItems[0]!.id, /^Stock item: /, 'SI'],
    ];
    for (const [type, pk, heading, code] of cases) {
      await page.goto(`${s.url}${pagePath(type, pk)}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      const figure = page.locator('figure.internal-barcode');
      await figure.getByText(`INV-${code}${pk}`).waitFor();
      assert.ok((await imageWidth(figure.locator('img'))) > 0, `${type}: the barcode image loads`);
      assert.deepEqual(await unlabelledControls(page), [], `${type}: every control has a name`);
    }
    // The web_url of a scan answer opens the object's page (D15).
    const csrf = (await b.context.cookies(s.url)).find((c) => c.name === 'csrftoken')!.value;
    const scan = await page.request.post(`${s.url}/api/barcode/`, { data: { barcode: `INV-SL${binA3}` }, headers: { 'X-CSRFToken': csrf } });
    assert.equal(scan.status(), 200);
    const answer = (await scan.json()) as { stocklocation: { web_url: string } };
    await page.goto(`${s.url}${answer.stocklocation.web_url}`);
    await page.getByRole('heading', { level: 1, name: 'Stock location: Bin A3' }).waitFor();
    await page.getByRole('table').getByRole('link').first().waitFor();
    await screenshot(page, 'web-location');
    // The same page on a desktop screen: the navigation is a bar, not a menu.
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scan' }).waitFor();
    await screenshot(page, 'web-location-desktop');
    await page.setViewportSize({ width: 412, height: 915 });
  });

  it('labels every control of every page, on a phone and on a desktop screen', async () => {
    const { page } = b;
    const pages: [string, string][] = [
      ['/web/', 'Stockscan'],
      ['/web/scan', 'Scan'],
      ['/web/move', 'Move stock'],
      ['/web/receive', 'Receive goods'],
      ['/web/allocate', 'Allocate to a sales order'],
      ['/web/labels', 'Labels'],
      ['/web/history', 'Scan history'],
      ['/web/unmatched', 'Unmatched scans'],
    ];
    for (const width of [412, 1100]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [path, title] of pages) {
        await page.goto(`${s.url}${path}`);
        await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
        await page.waitForLoadState('networkidle');
        assert.deepEqual(await unlabelledControls(page), [], `${path} at ${width}px`);
        const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        assert.ok(Number(overflow) <= 0, `${path} fits a ${width}px screen (overflow ${overflow}px)`);
      }
      // The camera controls too.
      await page.goto(`${s.url}/web/scan`);
      await page.getByRole('button', { name: 'Camera', exact: true }).click();
      assert.deepEqual(await unlabelledControls(page), [], 'camera controls');
      await page.getByRole('button', { name: 'Scanner / keyboard' }).click();
    }
    await page.setViewportSize({ width: 412, height: 915 });
  });

  it('links a scanned barcode to a part and unlinks it again', async () => {
    const { page } = b;
    const part = s.demo.parts['IC-LM358']!;
    const label = 'MFR-LABEL-7731';
    await page.goto(`${s.url}/web/part/${part}`);
    await page.getByRole('button', { name: 'Link a barcode' }).click();
    await page.getByLabel('Scan the barcode to link').click();
    await page.keyboard.type(`${label}\n`);
    await page.getByText(`Linked “${label}”. Scanning it now finds this part.`).waitFor();
    await page.getByTestId('linked-state').getByText(barcodeHash(label)).waitFor();
    const link = await s.database.kysely.selectFrom('barcode_link').select(['model_type', 'object_id']).where('hash', '=', barcodeHash(label)).executeTakeFirst();
    assert.deepEqual(link, { model_type: 'part', object_id: part });

    // A barcode that already belongs to something is refused, in plain words.
    await page.getByRole('button', { name: 'Link a different barcode' }).click();
    await page.getByLabel('Scan the barcode to link').click();
    await page.keyboard.type(`INV-SL${binA3}\n`);
    await page.getByRole('alert').getByText('Barcode matches existing item. This barcode already belongs to something else.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Cancel linking' }).click();

    // Scanning the linked label finds the part.
    await page.goto(`${s.url}/web/scan`);
    await page.getByLabel('Scan or type a barcode').click();
    await page.keyboard.type(`${label}\n`);
    await page.locator('li.entry').first().getByRole('link', { name: /^LM358B/ }).waitFor();

    await page.goto(`${s.url}/web/part/${part}`);
    await page.getByRole('button', { name: 'Unlink barcode' }).click();
    await page.getByRole('button', { name: 'Unlink', exact: true }).click();
    await page.getByText('The linked barcode was removed.').waitFor();
    await page.getByTestId('linked-state').getByText('No other barcode is linked.').waitFor();
    assert.equal(await s.database.kysely.selectFrom('barcode_link').select('id').where('hash', '=', barcodeHash(label)).executeTakeFirst(), undefined);
  });

  it('does not offer linking to a user who may only look', async () => {
    const { page } = b;
    const viewer = await s.user('viewer', { part: { can_view: true }, part_category: { can_view: true } });
    await signOut(page);
    await signIn(page, s.url, viewer.username, viewer.password, `/web/part/${s.demo.parts['IC-LM358']}`);
    await page.getByText('You may not change this part, so you cannot link barcodes to it.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Link a barcode' }).count(), 0);
    await signOut(page);
    await signIn(page, s.url, 'admin', s.admin.password);
  });

  it('prints a label sheet for a selection of stock items, laid out by the print CSS', async () => {
    const { page } = b;
    await page.goto(`${s.url}/web/stock/location/${binA3}`);
    await page.getByRole('checkbox', { name: 'Select all stock items' }).check();
    const count = await page.locator('table tbody tr').count();
    assert.ok(count >= 2, 'Bin A3 holds several stock items');
    await page.getByRole('button', { name: `Labels for the selected (${count})` }).click();
    await page.waitForURL(/\/web\/labels\?items=stockitem%3A\d+/);
    const labels = page.locator('.sheet .label');
    await page.getByRole('button', { name: `Print ${count} labels` }).waitFor();
    assert.equal(await labels.count(), count);
    for (const img of await page.locator('.sheet img.label-code').all()) assert.ok((await imageWidth(img)) > 0);

    await page.setViewportSize({ width: 800, height: 1130 });
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.app-header').isVisible(), false, 'no navigation on paper');
    assert.equal(await page.getByRole('button', { name: /^Print/ }).isVisible(), false);
    assert.equal(await page.locator('.sheet button').first().isVisible(), false);
    assert.ok(await labels.first().isVisible());
    const box = await labels.first().boundingBox();
    assert.ok(box !== null && Math.abs(box.width - (70 * 96) / 25.4) < 2 && Math.abs(box.height - (37 * 96) / 25.4) < 2, `a label is 70 × 37 mm: ${JSON.stringify(box)}`);
    await screenshot(page, 'web-label-sheet-print', false);
    const sheet = pdfPages(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    writeArtifact(`web-label-sheet-${testDialect()}.pdf`, await page.pdf({ preferCSSPageSize: true }));
    assert.equal(sheet.count, 1, `${count} labels fit on one A4 page`);
    assert.ok(sheet.boxes.every(([w, h]) => Math.abs(w! - 595.3) < 1 && Math.abs(h! - 841.9) < 1), `A4 pages: ${JSON.stringify(sheet.boxes)}`);
    await page.emulateMedia({ media: 'screen' });

    // One label per page on a label printer.
    await page.getByLabel('Layout').selectOption('single');
    await page.emulateMedia({ media: 'print' });
    const single = pdfPages(await page.pdf({ preferCSSPageSize: true }));
    assert.equal(single.count, count, 'one page per label');
    assert.ok(single.boxes.every(([w, h]) => Math.abs(w! - (62 * 72) / 25.4) < 1 && Math.abs(h! - (29 * 72) / 25.4) < 1), `62 × 29 mm pages: ${JSON.stringify(single.boxes)}`);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 412, height: 915 });
  });

  it('keeps a label sheet built from object pages', async () => {
    const { page } = b;
    const part = s.demo.parts['IC-LM358']!;
    await page.goto(`${s.url}/web/part/${part}`);
    await page.getByRole('button', { name: 'Add to label sheet' }).click();
    await page.getByText('Added. The label sheet now has 1 label.').waitFor();
    await page.goto(`${s.url}/web/stock/location/${binA3}`);
    await page.getByRole('button', { name: 'Add to label sheet' }).click();
    await page.getByText('Added. The label sheet now has 2 labels.').waitFor();
    await page.getByRole('link', { name: 'Open the label sheet' }).click();
    await page.getByRole('heading', { name: 'Labels', level: 1 }).waitFor();
    await page.locator('.sheet .label[data-barcode="INV-PA' + part + '"]').waitFor();
    await page.locator('.sheet .label[data-barcode="INV-SL' + binA3 + '"]').waitFor();
    await page.getByLabel('Barcode').selectOption('datamatrix');
    assert.match((await page.locator('.sheet img.label-code').first().getAttribute('src')) ?? '', /symbology=datamatrix/);
  });

  it('lists scan history for staff: filter, search, sort and delete', async () => {
    const { page } = b;
    await page.goto(`${s.url}/web/scan`);
    await page.getByLabel('Scan or type a barcode').click();
    for (const text of ['HISTORY-UNKNOWN-1', 'HISTORY-UNKNOWN-2', 'HISTORY-UNKNOWN-3', 'OTHER-UNKNOWN']) {
      await page.keyboard.type(`${text}\n`);
      await page.locator('li.entry[data-state="error"]').getByText(text).waitFor();
    }
    const kysely = s.database.kysely;
    const successes = (await kysely.selectFrom('barcode_scan').select('id').where('result', '=', true as never).execute()).length;
    assert.ok(successes > 0, 'earlier tests scanned successfully');

    await page.goto(`${s.url}/web/history`);
    await page.getByLabel('Result').selectOption('false');
    await page.locator('table.history tbody tr[data-pk]').first().waitFor();
    for (const cell of await page.locator('table.history tbody tr[data-pk] td.result').allTextContents()) assert.match(cell, /^Failed/);
    await page.getByLabel('Search').fill('HISTORY-UNKNOWN');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('3 scans.').waitFor();
    const barcodes = () => page.locator('table.history tbody tr[data-pk] td[data-label="Barcode"]').allTextContents();
    assert.deepEqual(await barcodes(), ['HISTORY-UNKNOWN-3', 'HISTORY-UNKNOWN-2', 'HISTORY-UNKNOWN-1'], 'newest first');
    await page.getByLabel('Sort').selectOption('timestamp');
    await page.locator('table.history tbody tr[data-pk]').first().getByText('HISTORY-UNKNOWN-1').waitFor();
    assert.deepEqual(await barcodes(), ['HISTORY-UNKNOWN-1', 'HISTORY-UNKNOWN-2', 'HISTORY-UNKNOWN-3'], 'oldest first');

    const row = page.locator('table.history tbody tr[data-pk]').first();
    const pk = Number(await row.getAttribute('data-pk'));
    await row.getByRole('button', { name: `Details of scan ${pk}` }).click();
    await page.locator('tr.details pre').getByText('No match found for barcode data').waitFor();
    await screenshot(page, 'web-history');
    await row.getByRole('button', { name: `Delete scan ${pk}` }).click();
    await page.getByRole('group', { name: `Delete scan ${pk}?` }).getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText(`Scan ${pk} was deleted.`).waitFor();
    await page.getByText('2 scans.').waitFor();
    assert.equal(await kysely.selectFrom('barcode_scan').select('id').where('id', '=', pk).executeTakeFirst(), undefined);

    await page.getByRole('checkbox', { name: 'Select every scan on this page' }).check();
    await page.getByRole('button', { name: 'Delete the selected (2)' }).click();
    await page.getByRole('group', { name: 'Delete 2 scans?' }).getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('Deleted 2 items').waitFor();
    await page.getByText('No scans match.').waitFor();
    assert.equal((await kysely.selectFrom('barcode_scan').select('id').where('data', 'like', 'HISTORY-UNKNOWN%').execute()).length, 0);

    await page.getByRole('button', { name: 'Delete every failed scan' }).click();
    await page.getByRole('group', { name: 'Delete every failed scan of every user?' }).getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText(/^Deleted \d+ items$/).waitFor();
    assert.equal((await kysely.selectFrom('barcode_scan').select('id').where('result', '=', false as never).execute()).length, 0, 'no failed scan left');
    assert.equal((await kysely.selectFrom('barcode_scan').select('id').where('result', '=', true as never).execute()).length, successes, 'successful scans kept');
  });

  it('shows the unmatched-scans inbox, links one barcode from it and dismisses another', async () => {
    const { page } = b;
    const csrf = (await b.context.cookies(s.url)).find((c) => c.name === 'csrftoken')!.value;
    const scan = async (url: string, data: Record<string, unknown>) => {
      const res = await page.request.post(`${s.url}${url}`, { data, headers: { 'X-CSRFToken': csrf } });
      assert.equal(res.status(), 400, `${url} fails for ${JSON.stringify(data)}`);
    };
    // Scanned with a symbology identifier in front: the inbox groups it with the repaired text.
    const widget = 'ACME\x1dWIDGET-99';
    await scan('/api/barcode/', { barcode: widget });
    await scan('/api/barcode/', { barcode: `]Q1${widget}` });
    await scan('/api/barcode/', { barcode: widget });
    const other = 'CRATE-OF-UNKNOWNS-17';
    await scan('/api/barcode/', { barcode: other });

    await page.goto(`${s.url}/web/unmatched`);
    const item = page.locator('li.inbox-item', { hasText: 'WIDGET-99' });
    await item.getByText('3 times').waitFor();
    await item.getByText('admin', { exact: true }).waitFor();
    await item.getByText('/api/barcode/', { exact: true }).waitFor();
    await item.getByText('No match found for barcode data').waitFor();
    await item.locator('abbr.ctl', { hasText: 'GS' }).waitFor();
    await page.locator('li.inbox-item', { hasText: other }).getByText('once').waitFor();

    await item.getByRole('button', { name: /^Link barcode ACME/ }).click();
    await item.getByLabel('Kind').selectOption('part');
    await item.getByLabel('Number').fill(String(s.demo.parts['IC-LM358']));
    await item.getByRole('button', { name: 'Link', exact: true }).click();
    await page.getByText(/^Linked ACME/).waitFor();
    const link = await s.database.kysely.selectFrom('barcode_link').select(['model_type', 'object_id', 'data']).where('hash', '=', barcodeHash(widget)).executeTakeFirst();
    assert.deepEqual(link, { model_type: 'part', object_id: s.demo.parts['IC-LM358'], data: widget });
    await page.locator('li.inbox-item', { hasText: 'WIDGET-99' }).waitFor({ state: 'detached' });

    const crate = page.locator('li.inbox-item', { hasText: other });
    await crate.getByRole('button', { name: 'Dismiss' }).click();
    await crate.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await page.getByText(`Dismissed ${other}.`).waitFor();
    await page.getByText('Nothing waiting: every scanned barcode was found.').waitFor();
    const dismissal = await s.database.kysely.selectFrom('barcode_unmatched_dismissal').select('normalized').where('normalized_hash', '=', barcodeHash(other)).executeTakeFirst();
    assert.deepEqual(dismissal, { normalized: other });
  });

  it('says so when the server has no unmatched-scans inbox', async () => {
    const { page } = b;
    await page.route(/\/api\/barcode\/unmatched\//, (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ detail: 'Not found.' }) }),
    );
    await page.goto(`${s.url}/web/unmatched`);
    await page.getByTestId('unmatched-missing').getByText('The unmatched-scans inbox is not available on this server.').waitFor();
    await page.unrouteAll();
  });

  it('sent no request to any other origin and raised no page or console error (no CSP violation)', () => {
    assert.deepEqual(b.outside, []);
    assert.deepEqual(b.pageErrors, []);
    assert.deepEqual(b.consoleErrors, []);
  });
});
