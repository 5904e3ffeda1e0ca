/**
 * Scan repair through the API (standards.md §3 item 1, §4.5, §4.7): symbology identifiers,
 * control pictures, the ISO/IEC 15434 header without RS, keyboard layouts, bursts — reported
 * under `normalization`, hashed and stored as repaired, each family switched by its setting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { barcodeHash } from '../../src/barcode/formats/hash.js';
import { backfillNormalized } from '../../src/db/migrations/0004-barcode-extras.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { DIGIKEY_7637, DIGIKEY_BARCODE } from './samples.js';

const GS = '\x1d';

export function asControlPictures(text: string): string {
  return text.replace(/\x1d/g, '\u241d').replace(/\x1e/g, '\u241e').replace(/\x04/g, '\u2404');
}

describe('scan repair through the API', () => {
  let h: Harness;
  let admin: TestUser;
  let viewer: TestUser;
  let part1: number;
  let item: number;
  let location: number;
  let digikeyPart: number;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    viewer = await h.user('viewer', { roles: { part: { can_view: true }, stock: { can_view: true }, stock_location: { can_view: true } } });
    part1 = await h.fx.part({ name: 'Resistor' });
    location = await h.fx.location({ name: 'Shelf' });
    item = await h.fx.stockItem({ part_id: part1, quantity: 5, location_id: location });
    await h.fx.link('stockitem', item, DIGIKEY_7637);
    const digikey = await h.fx.company({ name: 'DigiKey' });
    digikeyPart = await h.fx.supplierPart({ part_id: part1, supplier_id: digikey, sku: '296-LM358BIDDFRCT-ND' });
    await h.request({ method: 'POST', url: '/api/plugins/digikeyplugin/activate/', headers: admin.auth, payload: { active: true } });
  });
  after(() => h.close());

  const scan = (barcode: string, who: TestUser = viewer) => h.request({ method: 'POST', url: '/api/barcode/', headers: who.auth, payload: { barcode } });
  const setting = async (key: string, value: boolean) => {
    const res = await h.request({ method: 'PATCH', url: `/api/settings/global/${key}/`, headers: admin.auth, payload: { value } });
    assert.equal(res.statusCode, 200);
  };

  it('answers an untouched scan exactly as before: no normalization key', async () => {
    const res = await scan(`INV-PA${part1}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(Object.keys(res.json()).sort(), ['barcode_data', 'barcode_hash', 'part', 'plugin', 'success']);
    const miss = await scan('nothing-here');
    assert.deepEqual(Object.keys(miss.json()).sort(), ['barcode_data', 'barcode_hash', 'error', 'plugin']);
  });

  it('strips and reports an AIM symbology identifier; the hash is of the repaired data', async () => {
    const res = await scan(`]Q1INV-PA${part1}`);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.part.pk, part1);
    assert.equal(body.barcode_data, `INV-PA${part1}`);
    assert.equal(body.barcode_hash, barcodeHash(`INV-PA${part1}`));
    assert.deepEqual(body.normalization, {
      input: `]Q1INV-PA${part1}`,
      normalized: `INV-PA${part1}`,
      symbology: { id: ']Q1', name: 'QR Code', gs1: false },
      repairs: [{ kind: 'symbology-identifier', detail: ']Q1 (QR Code) removed' }],
      rest: [],
    });
  });

  it('finds the item linked with real control characters from the control-picture DigiKey label (#7637)', async () => {
    const pictures = asControlPictures(DIGIKEY_7637);
    assert.ok(!pictures.includes(GS));
    const res = await scan(pictures);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.plugin, 'InvenTreeBarcode');
    assert.equal(body.stockitem.pk, item);
    assert.equal(body.barcode_data, DIGIKEY_7637);
    assert.equal(body.barcode_hash, '41426d2aeca6432f71b14960f7a9fee5');
    assert.equal(body.normalization.input, pictures);
    assert.equal(body.normalization.normalized, DIGIKEY_7637);
    assert.deepEqual(body.normalization.repairs.map((r: { kind: string }) => r.kind), ['control-pictures']);
    assert.match(body.normalization.repairs[0].detail, /␝ → GS ×15, ␞ → RS ×2, ␄ → EOT ×1/);
  });

  it('accepts [)>06 without RS: the DigiKey plugin reads the repaired label', async () => {
    const noRs = DIGIKEY_BARCODE.replace('[)>\x1e06', '[)>06');
    const res = await scan(noRs);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().plugin, 'DigiKeyPlugin');
    assert.equal(res.json().supplierpart.pk, digikeyPart);
    assert.equal(res.json().barcode_data, DIGIKEY_BARCODE);
    assert.deepEqual(res.json().normalization.repairs.map((r: { kind: string }) => r.kind), ['iso15434-header']);
  });

  it('§4.7: the DigiKey label as zxing HRI text reads like the control-character form', async () => {
    const res = await scan(asControlPictures(DIGIKEY_BARCODE));
    assert.equal(res.statusCode, 200);
    assert.deepEqual([res.json().plugin, res.json().supplierpart.pk, res.json().barcode_data], ['DigiKeyPlugin', digikeyPart, DIGIKEY_BARCODE]);
    const real = await scan(DIGIKEY_BARCODE);
    assert.equal(real.json().barcode_hash, res.json().barcode_hash);
    assert.equal(real.json().normalization, undefined);
  });

  it('keeps a pretty-printed internal JSON barcode whole (not a burst)', async () => {
    const res = await scan(`{\n  "part": ${part1}\n}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().part.pk, part1);
    assert.equal(res.json().normalization, undefined);
  });

  it('repairs keyboard layouts only into internal barcodes: UK @, smart quotes, German ß', async () => {
    const uk = await scan(`{@part@: ${part1}}`);
    assert.equal(uk.statusCode, 200);
    assert.equal(uk.json().part.pk, part1);
    assert.equal(uk.json().barcode_data, `{"part": ${part1}}`);
    assert.deepEqual(uk.json().normalization.repairs, [{ kind: 'uk-layout', detail: 'UK keyboard layout: @ ↔ "' }]);
    const quotes = await scan(`{“stocklocation”: ${location}}`);
    assert.equal(quotes.json().stocklocation.pk, location);
    assert.deepEqual(quotes.json().normalization.repairs.map((r: { kind: string }) => r.kind), ['smart-quotes']);
    const german = await scan(`INVßPA${part1}`);
    assert.equal(german.json().part.pk, part1);
    assert.deepEqual(german.json().normalization.repairs.map((r: { kind: string }) => r.kind), ['german-layout']);
    // Not an internal barcode after the swap: left alone.
    const email = await scan('someone@example.com');
    assert.equal(email.statusCode, 400);
    assert.equal(email.json().barcode_data, 'someone@example.com');
    assert.equal(email.json().normalization, undefined);
  });

  it('uses the first code of a burst and reports the rest', async () => {
    const res = await scan(`INV-PA${part1}\r\nINV-SL${location}\nINV-SI${item}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().part.pk, part1);
    assert.equal(res.json().stocklocation, undefined);
    assert.deepEqual(res.json().normalization.rest, [`INV-SL${location}`, `INV-SI${item}`]);
    assert.equal(res.json().normalization.repairs[0].kind, 'burst');
  });

  it('never takes a barcode from its object: a linked text is used as received', async () => {
    const odd = await h.fx.part({ name: 'Odd labels' });
    await h.fx.link('part', odd, ']C1ODD-LABEL');
    const res = await scan(']C1ODD-LABEL');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().part.pk, odd);
    assert.equal(res.json().barcode_data, ']C1ODD-LABEL');
    assert.equal(res.json().normalization, undefined);
  });

  it('stores the normalised barcode with the history row, and the repairs with its response', async () => {
    await scan(`]d1INV-SL${location}`);
    const row = await h.db.database.kysely.selectFrom('barcode_scan').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(row.data, `]d1INV-SL${location}`);
    assert.equal(row.normalized, `INV-SL${location}`);
    assert.equal(row.normalized_hash, barcodeHash(`INV-SL${location}`));
    assert.equal(JSON.parse(row.response as string).normalization.symbology.id, ']d1');
    const api = await h.request({ method: 'GET', url: `/api/barcode/history/${row.id}/`, headers: admin.auth });
    assert.equal(api.json().normalized, `INV-SL${location}`);
    assert.equal(api.json().data, `]d1INV-SL${location}`);
    // An invalid barcode has no normalised form.
    await scan('');
    const blank = await h.db.database.kysely.selectFrom('barcode_scan').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(blank.normalized, null);
  });

  it('links the repaired barcode: the scan without the identifier finds it', async () => {
    const spot = await h.fx.location({ name: 'Spot' });
    const res = await h.request({ method: 'POST', url: '/api/barcode/link/', headers: admin.auth, payload: { barcode: ']C0SPOT-17', stocklocation: spot } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().barcode_data, 'SPOT-17');
    assert.equal(res.json().barcode_hash, barcodeHash('SPOT-17'));
    assert.equal(res.json().normalization.symbology.id, ']C0');
    assert.equal((await scan('SPOT-17')).json().stocklocation.pk, spot);
  });

  it('each repair family is switched off by its own setting', async () => {
    try {
      await setting('BARCODE_REPAIR_SYMBOLOGY', false);
      assert.equal((await scan(`]Q1INV-PA${part1}`)).statusCode, 400);
      await setting('BARCODE_REPAIR_CONTROL_PICTURES', false);
      const pictures = await scan(asControlPictures(DIGIKEY_7637));
      assert.equal(pictures.statusCode, 400);
      assert.equal(pictures.json().normalization, undefined);
      await setting('BARCODE_REPAIR_KEYBOARD', false);
      assert.equal((await scan(`{@part@: ${part1}}`)).statusCode, 400);
      await setting('BARCODE_REPAIR_BURST', false);
      assert.equal((await scan(`INV-PA${part1}\nINV-SL${location}`)).statusCode, 400);
    } finally {
      for (const key of ['BARCODE_REPAIR_SYMBOLOGY', 'BARCODE_REPAIR_CONTROL_PICTURES', 'BARCODE_REPAIR_KEYBOARD', 'BARCODE_REPAIR_BURST']) await setting(key, true);
    }
    assert.equal((await scan(`]Q1INV-PA${part1}`)).statusCode, 200);
  });

  it('the repair settings are global booleans, on by default', async () => {
    for (const key of ['BARCODE_REPAIR_SYMBOLOGY', 'BARCODE_REPAIR_CONTROL_PICTURES', 'BARCODE_REPAIR_KEYBOARD', 'BARCODE_REPAIR_BURST']) {
      const res = await h.request({ method: 'GET', url: `/api/settings/global/${key}/`, headers: viewer.auth });
      assert.deepEqual([res.json().value, res.json().type], ['True', 'boolean'], key);
    }
  });

  it('migration 0004 gives older history rows their trimmed data as normalised barcode', async () => {
    const kysely = h.db.database.kysely;
    const older = await kysely
      .insertInto('barcode_scan')
      .values({ data: '  OLD-SCAN\n', timestamp: new Date().toISOString(), endpoint: '/api/barcode/', result: false })
      .returning('id')
      .executeTakeFirstOrThrow();
    const blank = await kysely.insertInto('barcode_scan').values({ data: '', timestamp: new Date().toISOString(), result: false }).returning('id').executeTakeFirstOrThrow();
    assert.ok((await backfillNormalized(kysely as never)) >= 1);
    const row = await kysely.selectFrom('barcode_scan').select(['normalized', 'normalized_hash']).where('id', '=', older.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { normalized: 'OLD-SCAN', normalized_hash: barcodeHash('OLD-SCAN') });
    const empty = await kysely.selectFrom('barcode_scan').select(['normalized']).where('id', '=', blank.id).executeTakeFirstOrThrow();
    assert.equal(empty.normalized, null);
  });
});

describe('scan repair on the order endpoints', () => {
  let h: Harness;
  let admin: TestUser;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
  });
  after(() => h.close());

  it('po-receive books a control-picture DigiKey label and links the real label to the new item', async () => {
    const fx = h.fx;
    const loc = await fx.location();
    const part = await fx.part({ name: 'Op-amp' });
    const digikey = await fx.company({ name: 'DigiKey' });
    const sp = await fx.supplierPart({ part_id: part, supplier_id: digikey, sku: '296-LM358BIDDFRCT-ND' });
    const po = await fx.purchaseOrder({ supplier_id: digikey, supplier_reference: '72991337', destination_id: loc, status: 20 });
    await fx.poLine({ order_id: po, part_id: sp, quantity: 10 });
    await h.request({ method: 'POST', url: '/api/plugins/digikeyplugin/activate/', headers: admin.auth, payload: { active: true } });
    const res = await h.request({ method: 'POST', url: '/api/barcode/po-receive/', headers: admin.auth, payload: { barcode: asControlPictures(DIGIKEY_BARCODE) } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().success, 'Received purchase order line item');
    assert.equal(res.json().barcode_data, DIGIKEY_BARCODE);
    assert.equal(res.json().normalization.repairs[0].kind, 'control-pictures');
    const again = await h.request({ method: 'POST', url: '/api/barcode/', headers: admin.auth, payload: { barcode: DIGIKEY_BARCODE } });
    assert.ok(again.json().stockitem, 'the real label finds the received item');
    const link = await h.db.database.kysely.selectFrom('barcode_link').select('data').where('model_type', '=', 'stockitem').executeTakeFirstOrThrow();
    assert.equal(link.data, DIGIKEY_BARCODE);
  });

  it('so-allocate and po-allocate read the repaired barcode and report the repair', async () => {
    const fx = h.fx;
    const part = await fx.part({ name: 'Gadget', salable: true });
    const loc = await fx.location();
    const item = await fx.stockItem({ part_id: part, quantity: 20, location_id: loc });
    const customer = await fx.company({ name: 'Customer', is_customer: true, is_supplier: false });
    const so = await fx.salesOrder({ customer_id: customer, status: 10 });
    await fx.shipment({ order_id: so });
    await fx.soLine({ order_id: so, part_id: part, quantity: 4 });
    const allocated = await h.request({ method: 'POST', url: '/api/barcode/so-allocate/', headers: admin.auth, payload: { barcode: `]d1INV-SI${item}`, sales_order: so } });
    assert.equal(allocated.statusCode, 200);
    assert.equal(allocated.json().success, 'Stock item allocated to sales order');
    assert.equal(allocated.json().normalization.symbology.id, ']d1');

    const supplier = await fx.company({ name: 'Parts Inc' });
    const sp = await fx.supplierPart({ part_id: part, supplier_id: supplier });
    const po = await fx.purchaseOrder({ supplier_id: supplier, status: 10 });
    const matched = await h.request({ method: 'POST', url: '/api/barcode/po-allocate/', headers: admin.auth, payload: { barcode: `]Q1INV-SP${sp}`, purchase_order: po } });
    assert.equal(matched.statusCode, 200);
    assert.equal(matched.json().supplierpart.pk, sp);
    assert.equal(matched.json().barcode_data, `INV-SP${sp}`);
    assert.equal(matched.json().normalization.symbology.id, ']Q1');
  });
});
