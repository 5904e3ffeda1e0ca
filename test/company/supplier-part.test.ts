import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness } from '../helpers/app.js';
import { api, INVALID_CHOICE, pks, type Api } from '../part/catalog-helpers.js';

const URL = '/api/company/part/';
const SP_KEYS = [
  'pk',
  'part',
  'supplier',
  'supplier_detail',
  'SKU',
  'MPN',
  'manufacturer_part',
  'description',
  'link',
  'active',
  'primary',
  'note',
  'packaging',
  'pack_quantity',
  'pack_quantity_native',
  'available',
  'availability_updated',
  'in_stock',
  'on_order',
  'barcode_hash',
  'updated',
  'tags',
].sort();

describe('supplier parts: create, read, detail flags', () => {
  let h: Harness;
  let a: Api;
  let part: number;
  let supplier: number;
  let maker: number;
  let mp: number;
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
    part = await h.fx.part({ name: 'Diode', ipn: 'D-1' });
    supplier = await h.fx.company({ name: 'Mouser' });
    maker = await h.fx.company({ name: 'Vishay', is_manufacturer: true, is_supplier: false });
    mp = await h.fx.manufacturerPart({ part_id: part, manufacturer_id: maker, mpn: '1N4148' });
  });
  after(() => h.close());

  it('creates (201) with the keys of §7.7; supplier_detail is on by default, the rest off', async () => {
    const res = await a.post(`${URL}?format=json`, { part, supplier, SKU: '78-1N4148', manufacturer_part: mp, description: 'signal diode', primary: true });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), [...SP_KEYS, 'notes'].sort());
    assert.equal(body.SKU, '78-1N4148');
    assert.equal(body.MPN, '1N4148');
    assert.equal(body.primary, true);
    assert.equal(body.pack_quantity, '1');
    assert.equal(body.pack_quantity_native, 1);
    assert.equal(body.supplier_detail.name, 'Mouser');
    assert.match(body.updated, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    assert.equal(body.availability_updated, null);
    const list = (await a.get(URL)).json();
    assert.deepEqual(Object.keys(list[0]).sort(), SP_KEYS);

    const full = (await a.get(`${URL}${body.pk}/?part_detail=true&manufacturer_detail=true&manufacturer_part_detail=true&pretty=true&supplier_detail=false`)).json();
    assert.equal(full.supplier_detail, undefined);
    assert.equal(full.part_detail.full_name, 'D-1 | Diode');
    assert.equal(full.manufacturer_detail.name, 'Vishay');
    assert.equal(full.manufacturer_part_detail.pk, mp);
    assert.equal(full.manufacturer_part_detail.MPN, '1N4148');
    assert.equal(full.pretty_name, 'D-1 | Mouser | 78-1N4148 | Vishay | 1N4148');
  });

  it('validates part, supplier and manufacturer part', async () => {
    const unbuyable = await h.fx.part({ purchaseable: false });
    const customer = await h.fx.company({ is_supplier: false, is_customer: true });
    const res = await a.post(URL, { part: unbuyable, supplier: customer, SKU: 'X' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      part: [`Invalid pk "${unbuyable}" - object does not exist.`],
      supplier: [`Invalid pk "${customer}" - object does not exist.`],
    });
    assert.deepEqual((await a.post(URL, {})).json(), {
      part: ['This field is required.'],
      supplier: ['This field is required.'],
      SKU: ['This field is required.'],
    });
    const otherPart = await h.fx.part({ name: 'Other' });
    const mismatch = await a.post(URL, { part: otherPart, supplier, SKU: 'MISMATCH', manufacturer_part: mp });
    assert.equal(mismatch.statusCode, 400);
    assert.deepEqual(mismatch.json(), { manufacturer_part: ['Linked manufacturer part must reference the same base part'] });
  });

  it('keeps (part, supplier, SKU) unique as DRF reports it', async () => {
    assert.equal((await a.post(URL, { part, supplier, SKU: 'UNIQ' })).statusCode, 201);
    const dup = await a.post(URL, { part, supplier, SKU: 'UNIQ' });
    assert.equal(dup.statusCode, 400);
    assert.deepEqual(dup.json(), { non_field_errors: ['The fields part, supplier, SKU must make a unique set.'] });
    const second = (await a.post(URL, { part, supplier, SKU: 'UNIQ-2' })).json().pk;
    assert.deepEqual((await a.patch(`${URL}${second}/`, { SKU: 'UNIQ' })).json(), { non_field_errors: ['The fields part, supplier, SKU must make a unique set.'] });
  });

  it('keeps one primary supplier part per part', async () => {
    const p = await h.fx.part({ name: 'Primary test' });
    const first = (await a.post(URL, { part: p, supplier, SKU: 'P-1', primary: true })).json().pk;
    const second = (await a.post(URL, { part: p, supplier, SKU: 'P-2', primary: true })).json().pk;
    assert.equal((await a.get(`${URL}${first}/`)).json().primary, false);
    assert.equal((await a.get(`${URL}${second}/`)).json().primary, true);
    await a.patch(`${URL}${first}/`, { primary: true });
    assert.equal((await a.get(`${URL}${second}/`)).json().primary, false);
    assert.deepEqual(pks(await a.get(`${URL}?part=${p}&primary=true`)), [first]);
  });

  it('reports in_stock and on_order', async () => {
    const p = await h.fx.part({ name: 'Counted SP' });
    const sp = (await a.post(URL, { part: p, supplier, SKU: 'CNT', pack_quantity: '10' })).json().pk;
    await h.fx.stockItem({ part_id: p, supplier_part_id: sp, quantity: 30 });
    await h.fx.stockItem({ part_id: p, supplier_part_id: sp, quantity: 5, status: 70 });
    await h.fx.stockItem({ part_id: p, quantity: 100 });
    const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: 20 });
    await h.fx.poLine({ order_id: po, part_id: sp, quantity: 4, received: 1 });
    await h.fx.poLine({ order_id: po, part_id: sp, quantity: 2 });
    const cancelled = await h.fx.purchaseOrder({ supplier_id: supplier, status: 40 });
    await h.fx.poLine({ order_id: cancelled, part_id: sp, quantity: 50 });
    const body = (await a.get(`${URL}${sp}/`)).json();
    assert.equal(body.in_stock, 30);
    assert.equal(body.on_order, 5);
    assert.deepEqual(pks(await a.get(`${URL}?part=${p}&has_stock=true`)), [sp]);
    assert.deepEqual(pks(await a.get(`${URL}?part=${p}&has_stock=false`)), []);
  });

  it('sets availability_updated when available changes', async () => {
    const pk = (await a.post(URL, { part, supplier, SKU: 'AVAIL', available: 250 })).json();
    assert.equal(pk.available, 250);
    assert.match(pk.availability_updated, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  it('shows the barcode hash; deleting removes its links and unlinks stock', async () => {
    const pk = (await a.post(URL, { part, supplier, SKU: 'BAR' })).json().pk;
    const hash = await h.fx.link('supplierpart', pk, 'SP-BARCODE');
    assert.equal((await a.get(`${URL}${pk}/`)).json().barcode_hash, hash);
    const item = await h.fx.stockItem({ part_id: part, supplier_part_id: pk });
    assert.equal((await a.del(`${URL}${pk}/`)).statusCode, 204);
    assert.deepEqual((await a.get(`${URL}${pk}/`)).json(), { detail: 'No SupplierPart matches the given query.' });
    const links = await h.db.database.kysely.selectFrom('barcode_link').select('id').where('data', '=', 'SP-BARCODE').execute();
    assert.deepEqual(links, []);
    const row = await h.db.database.kysely.selectFrom('stock_item').select('supplier_part_id').where('id', '=', item).executeTakeFirstOrThrow();
    assert.equal(row.supplier_part_id, null);
  });
});

describe('supplier parts: pack quantity', () => {
  let h: Harness;
  let a: Api;
  let supplier: number;
  let plain: number;
  let wire: number;
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
    supplier = await h.fx.company();
    plain = await h.fx.part({ name: 'Counted' });
    wire = await h.fx.part({ name: 'Wire', units: 'm' });
  });
  after(() => h.close());

  let n = 0;
  const create = (part: number, pack_quantity: unknown) => a.post(URL, { part, supplier, SKU: `PQ-${++n}`, pack_quantity });

  it('treats blank as one and plain numbers as part units', async () => {
    const blank = (await create(plain, '  ')).json();
    assert.equal(blank.pack_quantity, '1');
    assert.equal(blank.pack_quantity_native, 1);
    const hundred = (await create(plain, '100')).json();
    assert.equal(hundred.pack_quantity, '100');
    assert.equal(hundred.pack_quantity_native, 100);
    assert.equal((await create(plain, '1 dozen')).json().pack_quantity_native, 12);
    assert.equal((await create(wire, '25')).json().pack_quantity_native, 25);
  });

  it('converts quantities with units into the part units', async () => {
    const cm = (await create(wire, '50 cm')).json();
    assert.equal(cm.pack_quantity, '50 cm');
    assert.equal(cm.pack_quantity_native, 0.5);
    assert.equal((await create(wire, '2.5km')).json().pack_quantity_native, 2500);
    assert.equal((await create(wire, "3'")).json().pack_quantity_native, 0.9144);
  });

  it('refuses incompatible, invalid or non-positive pack quantities', async () => {
    assert.deepEqual((await create(wire, '2 kg')).json(), { pack_quantity: ['Could not convert 2 kg to m'] });
    assert.deepEqual((await create(wire, 'lots')).json(), { pack_quantity: ['Could not convert lots to m'] });
    assert.deepEqual((await create(plain, '2.5 m')).json(), { pack_quantity: ['Pack units must be compatible with the base part units'] });
    assert.deepEqual((await create(plain, 'lots')).json(), { pack_quantity: ['Invalid quantity provided'] });
    assert.deepEqual((await create(plain, '0')).json(), { pack_quantity: ['Pack units must be greater than zero'] });
    assert.deepEqual((await create(wire, '-5 m')).json(), { pack_quantity: ['Pack units must be greater than zero'] });
    assert.deepEqual((await create(plain, '1'.repeat(26))).json(), { pack_quantity: ['Ensure this field has no more than 25 characters.'] });
  });

  it('recomputes the native pack size on update', async () => {
    const pk = (await create(wire, '100 cm')).json().pk;
    const res = await a.patch(`${URL}${pk}/`, { pack_quantity: '2 m' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().pack_quantity_native, 2);
    assert.deepEqual((await a.patch(`${URL}${pk}/`, { pack_quantity: '1 s' })).json(), { pack_quantity: ['Could not convert 1 s to m'] });
    assert.equal((await a.get(`${URL}${pk}/`)).json().pack_quantity, '2 m');
  });
});

describe('supplier parts: filters, search, ordering', () => {
  let h: Harness;
  let a: Api;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
    ids.p1 = await h.fx.part({ name: 'LED red', ipn: 'LED-R', keywords: 'indicator' });
    ids.p2 = await h.fx.part({ name: 'LED green', active: false });
    ids.digi = await h.fx.company({ name: 'DigiKey' });
    ids.mouser = await h.fx.company({ name: 'Mouser', active: false });
    ids.osram = await h.fx.company({ name: 'Osram', is_manufacturer: true });
    ids.mp = await h.fx.manufacturerPart({ part_id: ids.p1, manufacturer_id: ids.osram, mpn: 'LR-T67' });
    ids.a = await h.fx.supplierPart({ part_id: ids.p1, supplier_id: ids.digi, sku: 'DK-100', manufacturer_part_id: ids.mp, packaging: 'reel' });
    ids.b = await h.fx.supplierPart({ part_id: ids.p1, supplier_id: ids.mouser, sku: 'MO-200', description: 'cut tape', active: false });
    ids.c = await h.fx.supplierPart({ part_id: ids.p2, supplier_id: ids.digi, sku: 'DK-300' });
    ids.d = await h.fx.supplierPart({ part_id: ids.p2, supplier_id: ids.osram, sku: 'OS-1' });
    await h.fx.stockItem({ part_id: ids.p2, supplier_part_id: ids.c, quantity: 3 });
  });
  after(() => h.close());

  it('filters by supplier, part, manufacturer part, manufacturer and company', async () => {
    assert.deepEqual(pks(await a.get(`${URL}?supplier=${ids.digi}`)), [ids.a, ids.c]);
    assert.deepEqual(pks(await a.get(`${URL}?part=${ids.p1}`)), [ids.a, ids.b]);
    assert.deepEqual(pks(await a.get(`${URL}?manufacturer_part=${ids.mp}`)), [ids.a]);
    assert.deepEqual(pks(await a.get(`${URL}?manufacturer=${ids.osram}`)), [ids.a]);
    assert.deepEqual(pks(await a.get(`${URL}?company=${ids.osram}`)), [ids.a, ids.d]);
  });

  it('matches SKU and MPN case-insensitively', async () => {
    assert.deepEqual(pks(await a.get(`${URL}?SKU=dk-100`)), [ids.a]);
    assert.deepEqual(pks(await a.get(`${URL}?SKU=DK-10`)), []);
    assert.deepEqual(pks(await a.get(`${URL}?MPN=lr-t67`)), [ids.a]);
  });

  it('filters by active flags and stock', async () => {
    assert.deepEqual(pks(await a.get(`${URL}?active=False`)), [ids.b]);
    assert.deepEqual(pks(await a.get(`${URL}?part_active=false`)), [ids.c, ids.d]);
    assert.deepEqual(pks(await a.get(`${URL}?supplier_active=false`)), [ids.b]);
    assert.deepEqual(pks(await a.get(`${URL}?has_stock=True`)), [ids.c]);
  });

  it('answers 400 for unknown model-choice filters', async () => {
    const res = await a.get(`${URL}?supplier=99999&manufacturer_part=99999&company=x`);
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { supplier: [INVALID_CHOICE], manufacturer_part: [INVALID_CHOICE], company: [INVALID_CHOICE] });
  });

  it('searches SKU, supplier, manufacturer, description, MPN and part fields', async () => {
    assert.deepEqual(pks(await a.get(`${URL}?search=mo-2`)), [ids.b]);
    assert.deepEqual(pks(await a.get(`${URL}?search=digikey`)), [ids.a, ids.c]);
    assert.deepEqual(pks(await a.get(`${URL}?search=osram`)), [ids.a, ids.d]);
    assert.deepEqual(pks(await a.get(`${URL}?search=cut%20tape`)), [ids.b]);
    assert.deepEqual(pks(await a.get(`${URL}?search=t67`)), [ids.a]);
    assert.deepEqual(pks(await a.get(`${URL}?search=led-r`)), [ids.a, ids.b]);
    assert.deepEqual(pks(await a.get(`${URL}?search=green`)), [ids.c, ids.d]);
    assert.deepEqual(pks(await a.get(`${URL}?search=indicator`)), [ids.a, ids.b]);
  });

  it('orders by SKU, supplier and part', async () => {
    assert.deepEqual(pks(await a.get(`${URL}?ordering=SKU`)), [ids.a, ids.c, ids.b, ids.d]);
    assert.deepEqual(pks(await a.get(`${URL}?ordering=-supplier`)), [ids.d, ids.b, ids.a, ids.c]);
    assert.deepEqual(pks(await a.get(`${URL}?ordering=part`)), [ids.c, ids.d, ids.a, ids.b]);
    const page = (await a.get(`${URL}?limit=3&offset=3`)).json();
    assert.equal(page.count, 4);
    assert.equal(page.next, null);
  });
});

describe('supplier parts: permissions (company_supplierpart)', () => {
  let h: Harness;
  let part: number;
  let supplier: number;
  before(async () => {
    h = await createHarness();
    part = await h.fx.part();
    supplier = await h.fx.company();
  });
  after(() => h.close());

  it('part and purchase_order rulesets grant access, stock and return_order do not', async () => {
    const poAdder = api(h, await h.user('po-adder', { roles: { purchase_order: { can_add: true } } }));
    assert.equal((await poAdder.get(URL)).statusCode, 200);
    assert.equal((await poAdder.post(URL, { part, supplier, SKU: 'PO-1' })).statusCode, 201);
    const partViewer = api(h, await h.user('part-viewer', { roles: { part: { can_view: true } } }));
    assert.equal((await partViewer.get(URL)).statusCode, 200);
    assert.equal((await partViewer.post(URL, { part, supplier, SKU: 'PV-1' })).statusCode, 403);
    for (const role of ['stock', 'return_order'] as const) {
      const u = api(h, await h.user(`only-${role}`, { roles: { [role]: { can_view: true } } }));
      assert.equal((await u.get(URL)).statusCode, 403);
    }
  });
});
