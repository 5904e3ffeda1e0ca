/**
 * Barcode aliases (`/api/barcode/alias/`) and `POST /api/barcode/whois/`: several barcodes
 * per object, one object per barcode (D13), permissions per model (D5), the primary link
 * still being what `barcode_hash` shows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { barcodeHash } from '../../src/barcode/formats/hash.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { DIGIKEY_BARCODE } from './samples.js';

describe('barcode aliases', () => {
  let h: Harness;
  let admin: TestUser;
  let partEditor: TestUser;
  let partViewer: TestUser;
  let stockViewer: TestUser;
  let part: number;
  let other: number;
  let item: number;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    partEditor = await h.user('part-editor', { roles: { part: { can_view: true, can_change: true } } });
    partViewer = await h.user('part-viewer', { roles: { part: { can_view: true } } });
    stockViewer = await h.user('stock-viewer', { roles: { stock: { can_view: true } } });
    part = await h.fx.part({ name: 'Capacitor' });
    other = await h.fx.part({ name: 'Inductor' });
    item = await h.fx.stockItem({ part_id: part, quantity: 3 });
  });
  after(() => h.close());

  const add = (payload: Record<string, unknown>, who: TestUser = partEditor) => h.request({ method: 'POST', url: '/api/barcode/alias/', headers: who.auth, payload });
  const list = (query = '', who: TestUser = partViewer) => h.request({ method: 'GET', url: `/api/barcode/alias/${query}`, headers: who.auth });
  const scan = (barcode: string, who: TestUser = partViewer) => h.request({ method: 'POST', url: '/api/barcode/', headers: who.auth, payload: { barcode } });

  it('adds an alias (201) with kind and note; scans find the object through it', async () => {
    const res = await add({ barcode: 'MFR-LABEL-1', model: 'part', pk: part, kind: 'manufacturer', note: 'Reel label' });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['barcode', 'barcode_hash', 'created', 'created_by', 'kind', 'model', 'note', 'object_pk', 'pk']);
    assert.deepEqual(
      [body.barcode, body.barcode_hash, body.model, body.object_pk, body.kind, body.note, body.created_by],
      ['MFR-LABEL-1', barcodeHash('MFR-LABEL-1'), 'part', part, 'manufacturer', 'Reel label', partEditor.user.id],
    );
    assert.match(body.created, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const found = await scan('MFR-LABEL-1');
    assert.equal(found.statusCode, 200);
    assert.equal(found.json().part.pk, part);
    assert.equal(found.json().plugin, 'InvenTreeBarcode');
  });

  it('kind defaults to custom and note to ""; several aliases per object', async () => {
    const res = await add({ barcode: 'BIN-CAP-2', model: 'part', pk: part });
    assert.deepEqual([res.statusCode, res.json().kind, res.json().note], [201, 'custom', '']);
    assert.equal((await add({ barcode: 'SUP-CAP-3', model: 'part', pk: part, kind: 'supplier' })).statusCode, 201);
    assert.equal((await scan('SUP-CAP-3')).json().part.pk, part);
  });

  it('keeps barcode_hash meaning the primary link; link and unlink leave the aliases alone', async () => {
    const detail = async () => (await h.request({ method: 'GET', url: `/api/part/${part}/`, headers: admin.auth })).json();
    assert.equal((await detail()).barcode_hash, '');
    const link = await h.request({ method: 'POST', url: '/api/barcode/link/', headers: admin.auth, payload: { barcode: 'PRIMARY-CAP', part } });
    assert.equal(link.statusCode, 200);
    assert.equal((await detail()).barcode_hash, barcodeHash('PRIMARY-CAP'));
    assert.equal((await h.request({ method: 'POST', url: '/api/barcode/unlink/', headers: admin.auth, payload: { part } })).statusCode, 200);
    assert.equal((await detail()).barcode_hash, '');
    assert.equal((await scan('MFR-LABEL-1')).json().part.pk, part);
    // The primary link is not an alias: it is not listed.
    await h.request({ method: 'POST', url: '/api/barcode/link/', headers: admin.auth, payload: { barcode: 'PRIMARY-CAP', part } });
    const listed = (await list(`?model=part&pk=${part}`)).json() as { barcode: string }[];
    assert.deepEqual(listed.map((a) => a.barcode), ['MFR-LABEL-1', 'BIN-CAP-2', 'SUP-CAP-3']);
  });

  it('refuses a barcode that belongs to anything, like link (400 "Barcode matches existing item")', async () => {
    for (const barcode of ['MFR-LABEL-1', 'PRIMARY-CAP', `INV-PA${part}`, `{"part": ${other}}`]) {
      const res = await add({ barcode, model: 'part', pk: other });
      assert.equal(res.statusCode, 400, barcode);
      assert.equal(res.json().error, 'Barcode matches existing item');
      assert.equal(res.json().plugin, 'InvenTreeBarcode');
      assert.ok(res.json().part, barcode);
    }
    // Link refuses an alias of another object too.
    const link = await h.request({ method: 'POST', url: '/api/barcode/link/', headers: admin.auth, payload: { barcode: 'BIN-CAP-2', part: other } });
    assert.equal(link.statusCode, 400);
    assert.equal(link.json().part.pk, part);
  });

  it('validates the body with DRF messages', async () => {
    const missing = await add({});
    assert.deepEqual(missing.json(), { barcode: ['This field is required.'], model: ['This field is required.'], pk: ['This field is required.'] });
    const bad = await add({ barcode: 'X', model: 'widget', pk: 1, kind: 'mystery' });
    assert.deepEqual(bad.json(), { model: ['Model is not supported'], kind: ['"mystery" is not a valid choice.'] });
    const absent = await add({ barcode: 'X', model: 'part', pk: 999999 });
    assert.deepEqual([absent.statusCode, absent.json()], [400, { pk: ['Invalid pk "999999" - object does not exist.'] }]);
    const long = await add({ barcode: 'X', model: 'part', pk: part, note: 'n'.repeat(251) });
    assert.deepEqual(long.json(), { note: ['Ensure this field has no more than 250 characters.'] });
  });

  it('needs change permission on the model to add and delete (D5)', async () => {
    const denied = await add({ barcode: 'NOPE-1', model: 'part', pk: part }, partViewer);
    assert.deepEqual([denied.statusCode, denied.json()], [403, { detail: 'You do not have permission to perform this action.' }]);
    const stock = await add({ barcode: 'NOPE-2', model: 'stockitem', pk: item }, partEditor);
    assert.equal(stock.statusCode, 403);
    const created = (await add({ barcode: 'TO-DELETE', model: 'part', pk: part })).json();
    assert.equal((await h.request({ method: 'DELETE', url: `/api/barcode/alias/${created.pk}/`, headers: partViewer.auth })).statusCode, 403);
    assert.equal((await h.request({ method: 'DELETE', url: `/api/barcode/alias/${created.pk}/`, headers: stockViewer.auth })).statusCode, 404);
    const gone = await h.request({ method: 'DELETE', url: `/api/barcode/alias/${created.pk}/`, headers: partEditor.auth });
    assert.equal(gone.statusCode, 204);
    assert.equal((await scan('TO-DELETE')).statusCode, 400);
    const again = await h.request({ method: 'DELETE', url: `/api/barcode/alias/${created.pk}/`, headers: partEditor.auth });
    assert.deepEqual([again.statusCode, again.json()], [404, { detail: 'No BarcodeAlias matches the given query.' }]);
  });

  it('does not delete a primary link through the alias endpoint', async () => {
    const primary = await h.db.database.kysely.selectFrom('barcode_link').select('id').where('hash', '=', barcodeHash('PRIMARY-CAP')).executeTakeFirstOrThrow();
    assert.equal((await h.request({ method: 'DELETE', url: `/api/barcode/alias/${primary.id}/`, headers: admin.auth })).statusCode, 404);
  });

  it('lists only the models the user may view; filters by model, pk and kind; searches; pages', async () => {
    await add({ barcode: 'ITEM-ALIAS', model: 'stockitem', pk: item }, admin);
    await add({ barcode: 'OTHER-ALIAS', model: 'part', pk: other, note: 'second shelf' });
    const viewer = (await list()).json() as { model: string }[];
    assert.ok(viewer.length > 0 && viewer.every((a) => a.model === 'part'));
    const all = (await list('', admin)).json() as { model: string }[];
    assert.ok(all.some((a) => a.model === 'stockitem'));
    const stock = (await list('', stockViewer)).json() as { barcode: string }[];
    assert.deepEqual(stock.map((a) => a.barcode), ['ITEM-ALIAS']);
    assert.deepEqual((await list('?model=stockitem')).json(), { detail: 'You do not have permission to perform this action.' });
    assert.deepEqual(((await list(`?model=part&pk=${other}`)).json() as { barcode: string }[]).map((a) => a.barcode), ['OTHER-ALIAS']);
    assert.deepEqual(((await list('?kind=manufacturer')).json() as { barcode: string }[]).map((a) => a.barcode), ['MFR-LABEL-1']);
    assert.deepEqual(((await list('?search=shelf')).json() as { barcode: string }[]).map((a) => a.barcode), ['OTHER-ALIAS']);
    const page = (await list('?limit=2&offset=1')).json();
    assert.equal(page.results.length, 2);
    assert.ok(page.count >= 4);
    const bad = await list('?model=widget&pk=x&kind=odd');
    assert.deepEqual([bad.statusCode, bad.json()], [
      400,
      {
        model: ['Select a valid choice. widget is not one of the available choices.'],
        pk: ['Enter a number.'],
        kind: ['Select a valid choice. odd is not one of the available choices.'],
      },
    ]);
  });

  it('deleting the object deletes its aliases', async () => {
    const doomed = await h.fx.part({ name: 'Doomed' });
    await add({ barcode: 'DOOMED-1', model: 'part', pk: doomed }, admin);
    await h.request({ method: 'PATCH', url: `/api/part/${doomed}/`, headers: admin.auth, payload: { active: false } });
    const del = await h.request({ method: 'DELETE', url: `/api/part/${doomed}/`, headers: admin.auth });
    assert.equal(del.statusCode, 204);
    assert.equal((await scan('DOOMED-1', admin)).statusCode, 400);
  });
});

describe('POST /api/barcode/whois/', () => {
  let h: Harness;
  let admin: TestUser;
  let viewer: TestUser;
  let part: number;
  let location: number;
  let sp: number;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    viewer = await h.user('viewer', { roles: { part: { can_view: true }, stock_location: { can_view: true } } });
    part = await h.fx.part({ name: 'Diode' });
    location = await h.fx.location({ name: 'Rack' });
    await h.fx.link('part', part, 'DIODE-PRIMARY');
    await h.request({ method: 'POST', url: '/api/barcode/alias/', headers: admin.auth, payload: { barcode: '4006381333931', model: 'part', pk: part, kind: 'gtin', note: 'retail box' } });
    await h.request({ method: 'POST', url: '/api/barcode/alias/', headers: admin.auth, payload: { barcode: 'RACK-SIDE', model: 'stocklocation', pk: location } });
    const digikey = await h.fx.company({ name: 'DigiKey' });
    sp = await h.fx.supplierPart({ part_id: part, supplier_id: digikey, sku: '296-LM358BIDDFRCT-ND' });
    await h.request({ method: 'POST', url: '/api/plugins/digikeyplugin/activate/', headers: admin.auth, payload: { active: true } });
  });
  after(() => h.close());

  const whois = (barcode: unknown, who: TestUser = viewer) => h.request({ method: 'POST', url: '/api/barcode/whois/', headers: who.auth, payload: { barcode } });
  const historyCount = async () => Number((await h.db.database.kysely.selectFrom('barcode_scan').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('tells the owner through its primary link, and writes no history', async () => {
    const before = await historyCount();
    const res = await whois('DIODE-PRIMARY');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual([body.format, body.plugin, body.barcode_data, body.barcode_hash], ['text', 'InvenTreeBarcode', 'DIODE-PRIMARY', barcodeHash('DIODE-PRIMARY')]);
    assert.equal(body.matches.length, 1);
    const m = body.matches[0];
    assert.deepEqual([m.model, m.pk, m.api_url, m.web_url, m.via], ['part', part, `/api/part/${part}/`, `/web/part/${part}`, 'link']);
    assert.deepEqual([m.link.barcode, m.link.kind, m.link.primary], ['DIODE-PRIMARY', 'custom', true]);
    assert.equal(await historyCount(), before);
  });

  it('tells an alias apart from the primary link, with its kind and note', async () => {
    const m = (await whois('RACK-SIDE')).json().matches[0];
    assert.deepEqual([m.model, m.pk, m.via, m.link.primary, m.link.kind], ['stocklocation', location, 'alias', false, 'custom']);
  });

  it('reports internal formats', async () => {
    const short = (await whois(`INV-PA${part}`)).json();
    assert.deepEqual([short.format, short.matches[0].via, short.matches[0].link], ['internal-short', 'internal-short', undefined]);
    const json = (await whois(`{"part": ${part}}`)).json();
    assert.deepEqual([json.format, json.matches[0].via], ['internal-json', 'internal-json']);
  });

  it('reports a GTIN with its GS1 reading and packaging level', async () => {
    const body = (await whois('(01)14006381333938(10)L1')).json();
    assert.equal(body.format, 'gs1');
    assert.equal(body.plugin, 'GS1Plugin');
    assert.deepEqual([body.matches[0].model, body.matches[0].via, body.matches[0].link.kind, body.matches[0].link.note], ['part', 'gtin', 'gtin', 'retail box']);
    assert.deepEqual([body.gs1.gtin, body.gs1.batch, body.gs1.packaging, body.gs1.linked_gtin], ['14006381333938', 'L1', 'base', '04006381333931']);
    const plain = (await whois('4006381333931')).json();
    assert.deepEqual([plain.format, plain.gs1.form, plain.matches[0].pk], ['gtin', 'gtin', part]);
  });

  it('explains invalid GS1 data', async () => {
    const body = (await whois(']C10112345678901234')).json();
    assert.deepEqual([body.format, body.plugin, body.matches], ['gs1', null, []]);
    assert.equal(body.gs1.valid, false);
    assert.match(body.gs1.error, /check digit/);
    assert.equal(body.normalization.symbology.id, ']C1');
  });

  it('reports supplier labels (format iso15434, via supplier-label)', async () => {
    const body = (await whois(DIGIKEY_BARCODE, admin)).json();
    assert.deepEqual([body.format, body.plugin], ['iso15434', 'DigiKeyPlugin']);
    const m = body.matches.find((x: { model: string }) => x.model === 'supplierpart');
    assert.deepEqual([m.pk, m.via], [sp, 'supplier-label']);
  });

  it('answers unknown barcodes with no matches (200)', async () => {
    const body = (await whois('who-knows')).json();
    assert.deepEqual([body.format, body.plugin, body.matches], ['text', null, []]);
    assert.deepEqual((await whois('{pc:C1,qty:2}')).json().format, 'lcsc');
    assert.deepEqual((await whois('QTY:1 PN:X')).json().format, 'tme');
  });

  it('refuses to reveal an object of a model the user may not view (403, D5); validates like a scan', async () => {
    const stockOnly = await h.user('stock-only', { roles: { stock: { can_view: true } } });
    const res = await whois('DIODE-PRIMARY', stockOnly);
    assert.deepEqual([res.statusCode, res.json()], [403, { detail: 'User does not have permission to view this model' }]);
    assert.deepEqual((await whois('')).json(), { barcode: ['This field may not be blank.'] });
    assert.equal((await h.request({ method: 'POST', url: '/api/barcode/whois/', payload: { barcode: 'x' } })).statusCode, 401);
  });
});
