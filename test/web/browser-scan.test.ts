/**
 * The web app in a real browser (Debian's Chromium through playwright-core) against the real
 * server on a real port: signing in and out with the session cookie, a keyboard-wedge scan
 * typed as keystrokes with its GS and RS characters, a camera scan fed by Chromium's fake
 * capture device playing a QR code rendered here, repairs and errors in plain words — and no
 * request ever leaves the server's origin.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIGIKEY_LABEL, MOUSER_LABEL } from '../../src/demo/labels.js';
import { launchBrowser, artifactPath, screenshot, signIn, startWebServer, type BrowserSession, type WebServer } from './helpers/server.js';
import { moduleMatrix, writeBarcodeVideo } from './helpers/y4m.js';
import { testDialect } from '../helpers/database.js';

describe('web app: signing in and scanning', () => {
  let s: WebServer;
  let b: BrowserSession;
  let bin: { barcode: string; name: string };

  before(async () => {
    s = await startWebServer();
    const barcode = s.demo.generated.location.barcode;
    const row = await s.database.kysely.selectFrom('stock_location').select('name').where('id', '=', Number(/\d+$/.exec(barcode)?.[0])).executeTakeFirstOrThrow();
    bin = { barcode, name: row.name };
    const video = artifactPath(`fake-camera-${testDialect()}.y4m`);
    writeBarcodeVideo(video, moduleMatrix('qrcode', bin.barcode));
    b = await launchBrowser(s.url, { fakeVideo: video });
  });
  after(async () => {
    await b?.close();
    await s?.stop();
  });

  it('refuses a wrong password in plain words, signs in with a session cookie and signs out', async () => {
    const { page } = b;
    await page.goto(`${s.url}/web/scan`);
    await page.waitForURL(/\/web\/login\?next=%2Fweb%2Fscan/);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The username and/or password you specified are not correct.' }).waitFor();

    await page.getByLabel('Password').fill(s.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${s.url}/web/scan`);
    await page.getByRole('heading', { name: 'Scan', level: 1 }).waitFor();
    const cookies = await b.context.cookies(s.url);
    const session = cookies.find((c) => c.name === 'sessionid');
    const csrf = cookies.find((c) => c.name === 'csrftoken');
    assert.ok(session?.httpOnly, 'the session cookie is httpOnly');
    assert.equal(csrf?.httpOnly, false, 'the CSRF cookie is readable by the page');
    assert.equal((await s.database.kysely.selectFrom('session').select('id').execute()).length, 1);

    // On a phone the navigation sits behind the menu button.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/web\/login/);
    assert.equal((await s.database.kysely.selectFrom('session').select('id').execute()).length, 0, 'signing out ends the session');
    const check = await page.request.get(`${s.url}/api/auth/v1/auth/session`);
    assert.equal(check.status(), 401);

    await signIn(page, s.url, 'admin', s.admin.password, '/web/scan');
    await page.getByRole('heading', { name: 'Scan', level: 1 }).waitFor();
  });

  it('sends a keyboard-wedge scan typed as keystrokes, keeping its RS, GS and EOT characters', async () => {
    const { page } = b;
    const field = page.getByLabel('Scan or type a barcode');
    await field.click();
    // The Mouser label ends with RS EOT: the EOT ends the scan, no Enter needed.
    await page.keyboard.type(MOUSER_LABEL);
    const entry = page.locator('li.entry').first();
    await entry.locator('[data-state="ok"], .badge.ok').first().waitFor();
    await entry.getByRole('link', { name: /595-MC34063ADR/ }).waitFor();
    assert.equal(await field.inputValue(), '', 'the field is empty again for the next scan');

    const row = await s.database.kysely.selectFrom('barcode_scan').select(['data', 'result', 'plugin']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(row.data, MOUSER_LABEL, 'the server received the label with every control character');
    assert.equal(Boolean(row.result), true);
    assert.equal(row.plugin, 'MouserPlugin');
  });

  it('takes GS and RS from the Ctrl chords a scanner sends, and Enter ends the scan', async () => {
    const { page } = b;
    await page.getByLabel('Scan or type a barcode').click();
    for (const piece of DIGIKEY_LABEL.split(/([\x1d\x1e])/)) {
      if (piece === '\x1d') await page.keyboard.press('Control+BracketRight');
      else if (piece === '\x1e') await page.keyboard.press('Control+Shift+Digit6');
      else if (piece !== '') await page.keyboard.type(piece);
    }
    await page.getByText('Typed so far:').waitFor();
    await page.keyboard.press('Enter');
    const entry = page.locator('li.entry').first();
    await entry.getByRole('link', { name: /296-LM358BIDDFRCT-ND/ }).waitFor();
    const row = await s.database.kysely.selectFrom('barcode_scan').select(['data', 'plugin']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(row.data, DIGIKEY_LABEL);
    assert.equal(row.plugin, 'DigiKeyPlugin');
  });

  it('says in plain words what it repaired and what failed', async () => {
    const { page } = b;
    await page.getByLabel('Scan or type a barcode').click();
    await page.keyboard.type(`]Q1${bin.barcode}\n`);
    let entry = page.locator('li.entry').first();
    await entry.getByRole('link', { name: new RegExp(bin.name) }).waitFor();
    await entry.getByText(/\]Q1 \(QR Code\) removed/).waitFor();

    await page.keyboard.type('NO-SUCH-LABEL-42\n');
    entry = page.locator('li.entry').first();
    await entry.getByText('No match found for barcode data. Stockscan does not know this barcode.', { exact: false }).waitFor();
    assert.equal(await entry.getAttribute('data-state'), 'error');
  });

  it('scans with the camera: zxing-wasm, served by Stockscan, reads the fake capture device', async () => {
    const { page } = b;
    await page.getByRole('button', { name: 'Camera', exact: true }).click();
    await page.getByLabel('Single scan').check();
    await page.getByRole('button', { name: 'Start camera' }).click();
    const entry = page.locator('li.entry').first();
    await entry.getByRole('link', { name: new RegExp(`${bin.name} ·`) }).waitFor({ timeout: 30_000 });
    assert.equal(await entry.locator('.entry-data code').textContent(), bin.barcode);
    // Single mode stops the camera after the first code.
    await page.getByRole('button', { name: 'Start camera' }).waitFor();
    assert.ok(b.requested.some((u) => /^\/web\/zxing\/[\d.]+\/zxing_reader\.wasm$/.test(u)), `the wasm came from Stockscan: ${b.requested.join(' ')}`);
    await screenshot(page, 'web-scan');
    // Back to the wedge for whoever uses this browser next.
    await page.getByRole('button', { name: 'Scanner / keyboard' }).click();
  });

  it('goes back to the sign-in page when the session ends, and signs in with the keyboard alone', async () => {
    const { page } = b;
    await page.goto(`${s.url}/web/scan`);
    await page.getByLabel('Scan or type a barcode').click();
    await s.database.kysely.deleteFrom('session').execute();
    await page.keyboard.type(`${bin.barcode}\n`);
    await page.waitForURL(/\/web\/login\?next=%2Fweb%2Fscan/);
    // The username field has the focus; Tab moves on, Enter submits.
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type(s.admin.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${s.url}/web/scan`);
    await page.getByLabel('Scan or type a barcode').waitFor();
  });

  it('sent no request to any other origin and raised no page or console error (no CSP violation)', () => {
    assert.deepEqual(b.outside, []);
    assert.deepEqual(b.pageErrors, []);
    assert.deepEqual(b.consoleErrors, []);
  });
});
