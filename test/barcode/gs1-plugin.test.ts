/**
 * The GS1 plugin through the API: the standards.md §4.7 GS1 vectors (valid ones find the
 * linked GTIN, rejected ones match nothing), GTIN written forms and packaging levels, AI 400,
 * registry order against the supplier plugins, and po-receive writing batch, expiry, serial
 * and quantity to the received stock item (InvenTree #5950).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { gs1CheckDigit } from '../../src/barcode/formats/gs1.js';
import { parseEcia } from '../../src/barcode/formats/iso15434.js';
import { parseLcsc } from '../../src/barcode/formats/lcsc.js';
import { parseTme } from '../../src/barcode/formats/tme.js';
import { mouserFields } from '../../src/barcode/plugins/suppliers.js';
import { gtinForms, plainGtin, withIndicator } from '../../src/barcode/gtin.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

const GS = '\x1d';

/** The §4.7 vectors carrying GTIN 12312312312333, batch ABC123 and 99=TESTING. */
const VALID_12312312312333 = [
  `]d2011231231231233310ABC123${GS}99TESTING`,
  `]C1011231231231233310ABC123${GS}99TESTING`,
  `]Q3011231231231233310ABC123${GS}99TESTING`,
  `]e0011231231231233310ABC123${GS}99TESTING`,
  `]J1011231231231233310ABC123${GS}99TESTING`,
  `011231231231233310ABC123${GS}99TESTING`,
  '(01)12312312312333(10)ABC123(99)TESTING',
  `]d2011231231231233310ABC123${GS}99TESTING${GS}`,
];

describe('GS1 plugin: scanning', () => {
  let h: Harness;
  let admin: TestUser;
  let viewer: TestUser;
  let widget: number;
  let gadget: number;
  let supplierPart: number;
  let order: number;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    viewer = await h.user('viewer', {
      roles: { part: { can_view: true }, stock: { can_view: true }, purchase_order: { can_view: true }, stock_location: { can_view: true } },
    });
    widget = await h.fx.part({ name: 'Widget' });
    gadget = await h.fx.part({ name: 'Gadget' });
    await h.fx.link('part', widget, '12312312312333');
    // Linked as GTIN-13 (without the leading zero of its GTIN-14).
    await h.fx.link('part', gadget, '9501101530003');
    const supplier = await h.fx.company({ name: 'Wholesale' });
    supplierPart = await h.fx.supplierPart({ part_id: gadget, supplier_id: supplier, sku: 'W-1' });
    await h.fx.link('supplierpart', supplierPart, '12345678901231');
    order = await h.fx.purchaseOrder({ supplier_id: supplier, reference: 'PO-4711' });
  });
  after(() => h.close());

  const scan = (barcode: string, who: TestUser = viewer) => h.request({ method: 'POST', url: '/api/barcode/', headers: who.auth, payload: { barcode } });

  it('is listed after the supplier plugins and active by default', async () => {
    const list = (await h.request({ method: 'GET', url: '/api/plugins/', headers: viewer.auth })).json() as { key: string; name: string; active: boolean }[];
    const gs1 = list.find((p) => p.key === 'gs1plugin')!;
    assert.deepEqual([gs1.name, gs1.active], ['GS1Plugin', true]);
    assert.ok(list.findIndex((p) => p.key === 'gs1plugin') > list.findIndex((p) => p.key === 'tmeplugin'));
  });

  for (const vector of VALID_12312312312333) {
    it(`§4.7 valid: ${JSON.stringify(vector)} finds the part of GTIN 12312312312333`, async () => {
      const res = await scan(vector);
      assert.equal(res.statusCode, 200, JSON.stringify(res.json()));
      const body = res.json();
      assert.equal(body.plugin, 'GS1Plugin');
      assert.equal(body.part.pk, widget);
      assert.equal(body.success, 'Match found for barcode data');
      assert.equal(body.gs1.gtin, '12312312312333');
      assert.equal(body.gs1.batch, 'ABC123');
      assert.deepEqual(
        body.gs1.elements.map((e: { ai: string; value: unknown }) => [e.ai, e.value]),
        [
          ['01', '12312312312333'],
          ['10', 'ABC123'],
          ['99', 'TESTING'],
        ],
      );
      assert.equal(body.gs1.packaging, 'exact');
    });
  }

  it('§4.7 valid: the symbology names the GS1 variant', async () => {
    const symbologies: Record<string, string> = { ']d2': 'GS1 DataMatrix', ']C1': 'GS1-128', ']Q3': 'GS1 QR Code', ']e0': 'GS1 DataBar', ']J1': 'GS1 DotCode' };
    for (const [id, name] of Object.entries(symbologies)) {
      const body = (await scan(`${id}011231231231233310ABC123${GS}99TESTING`)).json();
      assert.deepEqual(body.normalization.symbology, { id, name, gs1: true });
      assert.equal(body.gs1.symbology, id);
    }
  });

  it('§4.7 valid: a Digital Link URI in a plain QR code', async () => {
    const body = (await scan(']Q1https://example.com/01/12312312312333?99=TEST')).json();
    assert.equal(body.plugin, 'GS1Plugin');
    assert.equal(body.part.pk, widget);
    assert.equal(body.gs1.form, 'digital-link');
    assert.deepEqual(
      body.gs1.elements.map((e: { ai: string; value: unknown }) => [e.ai, e.value]),
      [
        ['01', '12312312312333'],
        ['99', 'TEST'],
      ],
    );
  });

  it('§4.7 valid: 01 + 17 + 10 finds the GTIN linked as GTIN-13, with the expiry date', async () => {
    const body = (await scan(']d201095011015300031714070410AB-123')).json();
    assert.equal(body.part.pk, gadget);
    assert.equal(body.gs1.expiry, '2014-07-04');
    assert.equal(body.gs1.batch, 'AB-123');
    const count = (await scan(`01095011015300031714070410AB-123${GS}3712`)).json();
    assert.equal(count.gs1.quantity, 12);
  });

  it('§4.7 valid: 400 finds the purchase order, 01 the supplier part; 11 day 00 is the last day', async () => {
    const res = await scan(`01123456789012311125120010LOT${GS}400PO-4711${GS}241CPN-9${GS}3025`);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.supplierpart.pk, supplierPart);
    assert.equal(body.purchaseorder.pk, order);
    assert.deepEqual(Object.keys(body).filter((k) => k === 'supplierpart' || k === 'purchaseorder'), ['supplierpart', 'purchaseorder']);
    assert.equal(body.gs1.production_date, '2025-12-31');
    assert.equal(body.gs1.po_number, 'PO-4711');
    assert.equal(body.gs1.customer_part_number, 'CPN-9');
    assert.equal(body.gs1.quantity, 25);
  });

  it('§4.7 valid: a net weight after the GTIN', async () => {
    const body = (await scan('011231231231233331030007 50'.replace(' ', ''))).json();
    const weight = body.gs1.elements.find((e: { ai: string }) => e.ai === '3103');
    assert.deepEqual([weight.value, weight.unit], [0.75, 'kg']);
  });

  const REJECTED: [string, string][] = [
    [']C10112345678901234', 'GTIN check digit wrong (the supplier part has 12345678901231: same digits but the check digit)'],
    [']d2011234567890123117251300', 'month 13'],
    ['(01)123456789012312(10)12345', 'fixed-length AI too long'],
    ['(17)9(90)217', 'not 17 990217'],
    ['(235)ABCDEFGHIJKLMNOPQRSTUVWXYZ123', 'exceeds X..28'],
    ['(10)(11)98765', 'empty value'],
    ['(10)12345(11)', 'empty value'],
    [']C1^99~ABC', 'character outside CSET 82'],
  ];
  for (const [vector, why] of REJECTED) {
    it(`§4.7 rejected: ${JSON.stringify(vector)} (${why}) matches nothing`, async () => {
      const res = await scan(vector);
      assert.equal(res.statusCode, 400, JSON.stringify(res.json()));
      assert.equal(res.json().error, 'No match found for barcode data');
      assert.equal(res.json().plugin, null);
    });
  }

  it('§4.7: GS as the control picture ␝ is normalised first (batch ABC123, not "ABC123␝99TESTING")', async () => {
    const res = await scan('011231231231233310ABC123\u241d99TESTING');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().gs1.batch, 'ABC123');
    assert.equal(res.json().barcode_data, `011231231231233310ABC123${GS}99TESTING`);
    await h.request({ method: 'PATCH', url: '/api/settings/global/BARCODE_REPAIR_CONTROL_PICTURES/', headers: admin.auth, payload: { value: false } });
    try {
      assert.equal((await scan('011231231231233310ABC123\u241d99TESTING')).statusCode, 400);
    } finally {
      await h.request({ method: 'PATCH', url: '/api/settings/global/BARCODE_REPAIR_CONTROL_PICTURES/', headers: admin.auth, payload: { value: true } });
    }
  });

  it('an unlinked GTIN and plain numbers are no match, as before', async () => {
    for (const text of ['(01)09506000134352', '4006381333931', '123456789']) {
      const res = await scan(text);
      assert.equal(res.statusCode, 400, text);
      assert.equal(res.json().error, 'No match found for barcode data');
    }
  });

  it('a match on a model the user may not view is refused (D5)', async () => {
    const partsOnly = await h.user('parts-only', { roles: { part: { can_view: true } } });
    const res = await scan(`01123456789012311125120010LOT${GS}400PO-4711`, partsOnly);
    assert.equal(res.statusCode, 403);
    assert.deepEqual(res.json(), { detail: 'User does not have permission to view this model' });
  });

  it('ISO/IEC 15434 format 05 carries GS1 data', async () => {
    const res = await scan(`[)>\x1e05${GS}011231231231233310ABC123\x1e\x04`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().plugin, 'GS1Plugin');
    assert.equal(res.json().part.pk, widget);
  });
});

describe('GS1 plugin: GTIN written forms and packaging levels', () => {
  let h: Harness;
  let admin: TestUser;
  let each: number;
  let carton: number;
  const EAN13 = '4006381333931';
  const base = plainGtin(EAN13)!;
  const level = (i: number) => withIndicator(base, i);
  beforeEach(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    each = await h.fx.part({ name: 'Pen' });
    const supplier = await h.fx.company({ name: 'Stationer' });
    carton = await h.fx.supplierPart({ part_id: each, supplier_id: supplier, sku: 'PEN-12' });
  });
  afterEach(() => h.close());

  const scan = (barcode: string) => h.request({ method: 'POST', url: '/api/barcode/', headers: admin.auth, payload: { barcode } });
  const alias = (payload: Record<string, unknown>) => h.request({ method: 'POST', url: '/api/barcode/alias/', headers: admin.auth, payload });

  it('computes GTIN-14 forms and indicator variants', () => {
    assert.equal(base, '04006381333931');
    assert.deepEqual(gtinForms(base), ['04006381333931', '4006381333931']);
    assert.deepEqual(gtinForms('00000096385074'), ['00000096385074', '0000096385074', '000096385074', '96385074']);
    assert.equal(level(1), `1400638133393${gs1CheckDigit('1400638133393')}`);
    assert.equal(plainGtin('4006381333932'), undefined);
    assert.equal(plainGtin('12345'), undefined);
  });

  it('a GTIN alias is stored as GTIN-14 and found from EAN-13, GTIN-14 and AI 01', async () => {
    const res = await alias({ barcode: EAN13, model: 'part', pk: each, kind: 'gtin' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().barcode, base);
    const plain = (await scan(EAN13)).json();
    assert.deepEqual([plain.plugin, plain.part.pk, plain.gs1.form, plain.gs1.packaging], ['GS1Plugin', each, 'gtin', 'exact']);
    const fourteen = (await scan(base)).json();
    assert.deepEqual([fourteen.plugin, fourteen.part.pk], ['InvenTreeBarcode', each]);
    const ai = (await scan(`(01)${base}`)).json();
    assert.deepEqual([ai.plugin, ai.part.pk, ai.gs1.linked_gtin], ['GS1Plugin', each, base]);
  });

  it('a carton (indicator 1–8) finds the product linked at indicator 0; its own link wins', async () => {
    await h.fx.link('part', each, EAN13);
    const viaBase = (await scan(`(01)${level(1)}`)).json();
    assert.deepEqual([viaBase.part?.pk, viaBase.gs1.packaging, viaBase.gs1.linked_gtin], [each, 'base', base]);
    await alias({ barcode: level(1), model: 'supplierpart', pk: carton, kind: 'gtin' });
    const own = (await scan(`(01)${level(1)}`)).json();
    assert.deepEqual([own.supplierpart?.pk, own.gs1.packaging], [carton, 'exact']);
    // Another level (3): the trade item itself (indicator 0) comes before other packaging levels.
    const pallet = (await scan(`(01)${level(3)}`)).json();
    assert.deepEqual([pallet.part?.pk, pallet.gs1.packaging], [each, 'base']);
    // The base unit itself: exact (as AI 01; the EAN-13 text itself is the linked barcode).
    assert.equal((await scan(`(01)${base}`)).json().gs1.packaging, 'exact');
    assert.equal((await scan(EAN13)).json().plugin, 'InvenTreeBarcode');
  });

  it('without a base link, another packaging level is found (lowest indicator first)', async () => {
    await h.fx.link('supplierpart', carton, level(2));
    const other = await h.fx.part({ name: 'Pen box' });
    await h.fx.link('part', other, level(5));
    const scanned = (await scan(`(01)${level(3)}`)).json();
    assert.deepEqual([scanned.supplierpart?.pk, scanned.gs1.packaging, scanned.gs1.linked_gtin], [carton, 'packaging', level(2)]);
    const each0 = (await scan(EAN13)).json();
    assert.deepEqual([each0.supplierpart?.pk, each0.gs1.packaging], [carton, 'packaging']);
  });

  it('a UPC-A (GTIN-12) link is found from its EAN-13 and GTIN-14 forms', async () => {
    await h.fx.link('part', each, '036000291452');
    for (const text of ['0036000291452', '00036000291452', '(01)00036000291452']) {
      const body = (await scan(text)).json();
      assert.equal(body.part?.pk, each, text);
    }
  });

  it('one GTIN belongs to one object in any written form (D13): link and alias refuse it', async () => {
    await alias({ barcode: EAN13, model: 'part', pk: each, kind: 'gtin' });
    const other = await h.fx.part({ name: 'Other' });
    const link = await h.request({ method: 'POST', url: '/api/barcode/link/', headers: admin.auth, payload: { barcode: EAN13, part: other } });
    assert.equal(link.statusCode, 400);
    assert.equal(link.json().error, 'Barcode matches existing item');
    assert.equal(link.json().part.pk, each);
    const again = await alias({ barcode: `(01)${base}`, model: 'part', pk: other, kind: 'gtin' });
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().error, 'Barcode matches existing item');
    // Another packaging level of the same product is a different GTIN: allowed.
    assert.equal((await alias({ barcode: level(1), model: 'part', pk: other, kind: 'gtin' })).statusCode, 201);
  });

  it('kind gtin refuses what is not a GTIN', async () => {
    for (const barcode of ['4006381333932', 'ABC', '(10)LOT']) {
      const res = await alias({ barcode, model: 'part', pk: each, kind: 'gtin' });
      assert.equal(res.statusCode, 400, barcode);
      assert.deepEqual(res.json(), { barcode: ['Enter a valid GTIN: 8, 12, 13 or 14 digits with a correct check digit, or GS1 data with AI (01)'] });
    }
  });
});

describe('GS1 plugin: registry order against the supplier plugins (D19)', () => {
  const VECTORS = [...VALID_12312312312333, ']d201095011015300031714070410AB-123', `01123456789012311125120010LOT${GS}400PO-4711${GS}241CPN-9${GS}3025`, 'https://example.com/01/12312312312333?99=TEST'];

  it('no supplier parser reads GS1 data', () => {
    for (const vector of VECTORS) {
      const text = vector.replace(/^\][A-Za-z][0-9A-Za-z]/, '');
      for (const [name, fields] of [
        ['ECIA', parseEcia(text)],
        ['Mouser', mouserFields(text)],
        ['LCSC', parseLcsc(text)],
        ['TME', parseTme(text)],
      ] as const) {
        const usable = ['supplier_part_number', 'manufacturer_part_number', 'customer_order_number', 'supplier_order_number'].filter((k) => (fields as Record<string, string>)[k]);
        assert.deepEqual(usable, [], `${name} read ${JSON.stringify(fields)} from ${JSON.stringify(vector)}`);
      }
    }
  });

  it('with every supplier plugin active and configured, GS1 labels are answered by GS1Plugin', async () => {
    const h = await createHarness();
    try {
      const admin = await h.user('admin', { is_superuser: true, is_staff: true });
      const part = await h.fx.part({ name: 'Widget' });
      await h.fx.link('part', part, '12312312312333');
      const supplier = await h.fx.company({ name: 'DigiKey' });
      // Supplier parts whose SKUs look like pieces of the GS1 data.
      for (const sku of ['12312312312333', 'ABC123', 'TESTING', '011231231231233310ABC123']) await h.fx.supplierPart({ part_id: part, supplier_id: supplier, sku });
      for (const slug of ['digikeyplugin', 'mouserplugin', 'lcscplugin', 'tmeplugin']) {
        await h.request({ method: 'POST', url: `/api/plugins/${slug}/activate/`, headers: admin.auth, payload: { active: true } });
        await h.request({ method: 'PATCH', url: `/api/plugins/${slug}/settings/SUPPLIER_ID/`, headers: admin.auth, payload: { value: String(supplier) } });
      }
      for (const vector of VALID_12312312312333) {
        const res = await h.request({ method: 'POST', url: '/api/barcode/', headers: admin.auth, payload: { barcode: vector } });
        assert.equal(res.json().plugin, 'GS1Plugin', vector);
      }
    } finally {
      await h.close();
    }
  });
});

describe('GS1 plugin: po-receive writes batch, expiry, serial and quantity (#5950)', () => {
  let h: Harness;
  let admin: TestUser;
  let part: number;
  let sp: number;
  let po: number;
  let line: number;
  let loc: number;
  const GTIN = '09501101530003';
  beforeEach(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    loc = await h.fx.location({ name: 'Cold store' });
    part = await h.fx.part({ name: 'Vaccine', trackable: true });
    await h.fx.link('part', part, GTIN);
    const supplier = await h.fx.company({ name: 'Pharma' });
    sp = await h.fx.supplierPart({ part_id: part, supplier_id: supplier, sku: 'VAC-1' });
    po = await h.fx.purchaseOrder({ supplier_id: supplier, reference: 'PO-0042', destination_id: loc, status: 20 });
    line = await h.fx.poLine({ order_id: po, part_id: sp, quantity: 100 });
  });
  afterEach(() => h.close());

  const receive = (payload: Record<string, unknown>) => h.request({ method: 'POST', url: '/api/barcode/po-receive/', headers: admin.auth, payload });
  const items = () => h.db.database.kysely.selectFrom('stock_item').select(['id', 'batch', 'expiry_date', 'serial', 'quantity', 'location_id', 'supplier_part_id']).orderBy('id').execute();

  it('receives 01 + 17 + 10 + 30 + 400 into the order line with batch and expiry', async () => {
    const label = `]d201${GTIN}17271231${'10'}LOT-7${GS}3025${GS}400PO-0042`;
    const res = await receive({ barcode: label });
    assert.equal(res.statusCode, 200, JSON.stringify(res.json()));
    const body = res.json();
    assert.equal(body.plugin, 'GS1Plugin');
    assert.equal(body.success, 'Received purchase order line item');
    assert.deepEqual(body.lineitem, { pk: line, quantity: 25, supplier_part: sp, purchase_order: po, location: loc, batch_code: 'LOT-7', expiry_date: '2027-12-31' });
    const [item] = await items();
    assert.deepEqual(
      { batch: item!.batch, expiry: item!.expiry_date, quantity: Number(item!.quantity), location: item!.location_id, sp: item!.supplier_part_id },
      { batch: 'LOT-7', expiry: '2027-12-31', quantity: 25, location: loc, sp },
    );
    const again = await receive({ barcode: label });
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().error, 'Item has already been received');
    const found = (await h.request({ method: 'POST', url: '/api/barcode/', headers: admin.auth, payload: { barcode: label } })).json();
    assert.equal(found.stockitem.pk, item!.id);
  });

  it('takes the best-before date (15) without an expiry date, the count (37) without 30, and a named order', async () => {
    const res = await receive({ barcode: `01${GTIN}15260630${'37'}8${GS}10B-2`, purchase_order: po });
    assert.equal(res.statusCode, 200, JSON.stringify(res.json()));
    const [item] = await items();
    assert.deepEqual([item!.expiry_date, Number(item!.quantity), item!.batch], ['2026-06-30', 8, 'B-2']);
  });

  it('a serial number (21) receives one serialised unit', async () => {
    const res = await receive({ barcode: `(01)${GTIN}(21)SN4711(17)270101(400)PO-0042` });
    assert.equal(res.statusCode, 200, JSON.stringify(res.json()));
    assert.equal(res.json().lineitem.serial_numbers, 'SN4711');
    assert.equal(res.json().lineitem.quantity, 1);
    const [item] = await items();
    assert.deepEqual([item!.serial, Number(item!.quantity), item!.expiry_date], ['SN4711', 1, '2027-01-01']);
  });

  it('without a quantity: action_required with the prefilled line; nothing received', async () => {
    const res = await receive({ barcode: `(01)${GTIN}(10)LOT-9(17)280229(400)PO-0042` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().action_required, 'Further information required to receive line item');
    assert.deepEqual(res.json().lineitem, { pk: line, quantity: 100, supplier_part: sp, purchase_order: po, location: loc, batch_code: 'LOT-9', expiry_date: '2028-02-29' });
    assert.equal((await items()).length, 0);
  });

  it('a Digital Link label with batch and quantity, the order named in the request', async () => {
    const res = await receive({ barcode: `https://id.example.com/01/${GTIN}/10/DL-1?17=271130&30=3`, purchase_order: po });
    assert.equal(res.statusCode, 200, JSON.stringify(res.json()));
    const [item] = await items();
    assert.deepEqual([item!.batch, item!.expiry_date, Number(item!.quantity)], ['DL-1', '2027-11-30', 3]);
  });

  it('no order, an unlinked GTIN or invalid GS1 data: no plugin match', async () => {
    for (const barcode of [`01${GTIN}3025`, `01095060001343523025${GS}400PO-0042`, `01${GTIN.slice(0, 13)}93025${GS}400PO-0042`]) {
      const res = await receive({ barcode });
      assert.equal(res.statusCode, 400, barcode);
      assert.equal(res.json().error, 'No plugin match for supplier barcode');
    }
    assert.equal((await items()).length, 0);
  });

  it('a named line for another part is refused; a completed line too', async () => {
    const otherPart = await h.fx.part({ name: 'Syringe' });
    const otherSp = await h.fx.supplierPart({ part_id: otherPart, supplier_id: (await h.db.database.kysely.selectFrom('purchase_order').select('supplier_id').where('id', '=', po).executeTakeFirstOrThrow()).supplier_id });
    const otherLine = await h.fx.poLine({ order_id: po, part_id: otherSp, quantity: 5 });
    const wrong = await receive({ barcode: `01${GTIN}3025${GS}400PO-0042`, line_item: otherLine });
    assert.deepEqual([wrong.statusCode, wrong.json().error], [400, 'Supplier part does not match line item']);
    await h.db.database.kysely.updateTable('purchase_order_line').set({ received: 100 }).where('id', '=', line).execute();
    const done = await receive({ barcode: `01${GTIN}3025${GS}400PO-0042`, line_item: line });
    assert.deepEqual([done.statusCode, done.json().error], [400, 'Line item is already completed']);
  });
});
