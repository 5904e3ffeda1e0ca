import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { addDays, today } from '../../src/util/time.js';

const ITEM_KEYS = [
  'pk',
  'part',
  'quantity',
  'serial',
  'batch',
  'location',
  'belongs_to',
  'build',
  'consumed_by',
  'customer',
  'delete_on_deplete',
  'expiry_date',
  'in_stock',
  'is_building',
  'link',
  'notes',
  'owner',
  'packaging',
  'parent',
  'purchase_order',
  'purchase_order_reference',
  'sales_order',
  'sales_order_reference',
  'status',
  'status_text',
  'status_custom_key',
  'supplier_part',
  'SKU',
  'MPN',
  'barcode_hash',
  'creation_date',
  'stocktake_date',
  'updated',
  'purchase_price',
  'purchase_price_currency',
  'serialized',
  'allocated',
  'expired',
  'installed_items',
  'child_items',
  'stale',
  'tracking_items',
  'tags',
  'part_detail',
];

describe('stock item serialisation', () => {
  let h: Harness;
  let admin: TestUser;
  let part: number;
  let loc: number;
  let item: number;
  let sp: number;
  let po: number;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true });
    const supplier = await h.fx.company({ name: 'Acme', is_supplier: true });
    const maker = await h.fx.company({ name: 'Maker', is_manufacturer: true });
    part = await h.fx.part({ name: 'Resistor', ipn: 'R-10K', description: 'A resistor' });
    const mp = await h.fx.manufacturerPart({ part_id: part, manufacturer_id: maker, mpn: 'MPN-77' });
    sp = await h.fx.supplierPart({ part_id: part, supplier_id: supplier, sku: 'SKU-1', manufacturer_part_id: mp });
    po = await h.fx.purchaseOrder({ supplier_id: supplier, reference: 'PO-0042' });
    const top = await h.fx.location({ name: 'Top' });
    loc = await h.fx.location({ name: 'Drawer', parent_id: top });
    item = await h.fx.stockItem({ part_id: part, location_id: loc, quantity: 10, supplier_part_id: sp, purchase_order_id: po, batch: 'B1', notes: 'secret' });
    await h.fx.stockItem({ part_id: part, parent_id: item, quantity: 1 });
    await h.fx.stockItem({ part_id: part, belongs_to_id: item, quantity: 1 });
    const so = await h.fx.salesOrder({ status: 40 });
    const line = await h.fx.soLine({ order_id: so, part_id: part });
    await h.fx.allocation({ line_id: line, item_id: item, quantity: 2.5 });
    await h.fx.link('stockitem', item, 'ITEM-BARCODE');
  });
  after(() => h.close());

  const get = (url: string) => h.request({ method: 'GET', url, headers: admin.auth });

  it('answers every §7.5 key on the detail, with computed values', async () => {
    const res = await get(`/api/stock/${item}/`);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), [...ITEM_KEYS].sort());
    assert.equal(body.quantity, 10);
    assert.equal(body.SKU, 'SKU-1');
    assert.equal(body.MPN, 'MPN-77');
    assert.equal(body.purchase_order_reference, 'PO-0042');
    assert.equal(body.sales_order_reference, null);
    assert.equal(body.allocated, 2.5);
    assert.equal(body.child_items, 1);
    assert.equal(body.installed_items, 1);
    assert.equal(body.in_stock, true);
    assert.equal(body.serialized, false);
    assert.equal(body.status_text, 'OK');
    assert.equal(body.status_custom_key, 10);
    assert.match(body.barcode_hash, /^[0-9a-f]{32}$/);
    assert.equal(body.notes, 'secret');
    assert.equal(body.part_detail.pk, part);
    assert.equal(body.part_detail.full_name, 'R-10K | Resistor');
    assert.match(body.updated, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  it('part_detail: the part barcode hash and the default location inherited through the category tree', async () => {
    const store = await h.fx.location({ name: 'Store' });
    const shelf = await h.fx.location({ name: 'Shelf' });
    const top = await h.fx.category({ name: 'Passives', default_location_id: store });
    const middle = await h.fx.category({ name: 'Resistive', parent_id: top });
    const leaf = await h.fx.category({ name: 'Thick film', parent_id: middle });
    const own = await h.fx.category({ name: 'Own place', parent_id: top, default_location_id: shelf });
    const inherited = await h.fx.part({ name: 'Deep', category_id: leaf });
    const placed = await h.fx.part({ name: 'Placed', category_id: own });
    const bare = await h.fx.part({ name: 'Uncategorised' });
    await h.fx.link('part', inherited, 'DEEP-PART-LABEL');
    const [a, b, c] = await Promise.all(
      [inherited, placed, bare].map(async (p) => (await get(`/api/stock/${await h.fx.stockItem({ part_id: p, quantity: 1 })}/`)).json().part_detail),
    );
    assert.equal(a.category_default_location, store);
    assert.match(a.barcode_hash, /^[0-9a-f]{32}$/);
    assert.equal(b.category_default_location, shelf);
    assert.equal(b.barcode_hash, '');
    assert.equal(c.category_default_location, null);
  });

  it('computed values of each item in a list are its own', async () => {
    const rows = (await get(`/api/stock/?part=${part}`)).json() as { pk: number; child_items: number; installed_items: number; allocated: number; barcode_hash: string }[];
    const main = rows.find((r) => r.pk === item);
    assert.deepEqual([main?.child_items, main?.installed_items, main?.allocated], [1, 1, 2.5]);
    assert.match(main?.barcode_hash ?? '', /^[0-9a-f]{32}$/);
    for (const other of rows.filter((r) => r.pk !== item)) {
      assert.deepEqual([other.child_items, other.installed_items, other.allocated, other.barcode_hash], [0, 0, 0, '']);
    }
  });

  it('leaves notes out of lists and adds optional details on request', async () => {
    const list = (await get(`/api/stock/?location_detail=true&supplier_part_detail=true&path_detail=true&part_detail=false`)).json();
    const row = list.find((r: { pk: number }) => r.pk === item);
    assert.equal('notes' in row, false);
    assert.equal('part_detail' in row, false);
    assert.deepEqual(row.location_detail, { pk: loc, name: 'Drawer', pathstring: 'Top/Drawer' });
    assert.equal(row.supplier_part_detail.SKU, 'SKU-1');
    // The embedded supplier part is the SupplierPart object itself, every detail off.
    const own = (await get(`/api/company/part/${sp}/?supplier_detail=false`)).json();
    delete own.notes;
    assert.deepEqual(row.supplier_part_detail, own);
    // A value that is not a truthy spelling turns a detail off, even one on by default (str2bool).
    const plain = (await get(`/api/stock/${item}/?part_detail=maybe`)).json();
    assert.equal('part_detail' in plain, false);
    assert.equal('part_detail' in (await get(`/api/stock/${item}/?part_detail=`)).json(), false);
    assert.equal((await get(`/api/stock/${item}/?part_detail=Yes`)).json().part_detail.pk, part);
    assert.deepEqual(
      row.location_path.map((p: { name: string }) => p.name),
      ['Top', 'Drawer'],
    );
  });

  it('computes serialized, expired and in_stock', async () => {
    const serialPart = await h.fx.part({ name: 'Tracked', trackable: true });
    const s = await h.fx.stockItem({ part_id: serialPart, serial: '12', quantity: 1, expiry_date: addDays(today(), -1) });
    const body = (await get(`/api/stock/${s}/`)).json();
    assert.equal(body.serialized, true);
    assert.equal(body.expired, true);
    const lost = await h.fx.stockItem({ part_id: serialPart, status: 70, expiry_date: addDays(today(), -1) });
    const lostBody = (await get(`/api/stock/${lost}/`)).json();
    assert.equal(lostBody.in_stock, false);
    assert.equal(lostBody.expired, false);
    assert.equal(lostBody.status_text, 'Lost');
  });

  it('answers 404 for a missing item', async () => {
    const res = await get('/api/stock/99999/');
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { detail: 'No StockItem matches the given query.' });
  });
});

describe('stock item filters', () => {
  let h: Harness;
  let admin: TestUser;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true });
    const cat = await h.fx.category({ name: 'Cat' });
    const sub = await h.fx.category({ name: 'Sub', parent_id: cat });
    const template = await h.fx.part({ name: 'Template', is_template: true, category_id: sub, ipn: 'TPL-1' });
    const variant = await h.fx.part({ name: 'Variant', variant_of_id: template });
    const other = await h.fx.part({ name: 'Other' });
    const supplier = await h.fx.company({ name: 'Supplier', is_supplier: true });
    const notSupplier = await h.fx.company({ name: 'Customer', is_supplier: false, is_customer: true });
    const maker = await h.fx.company({ name: 'Maker', is_manufacturer: true });
    const mp = await h.fx.manufacturerPart({ part_id: other, manufacturer_id: maker, mpn: 'M-1' });
    const sp = await h.fx.supplierPart({ part_id: other, supplier_id: supplier, manufacturer_part_id: mp, sku: 'ZZZ-SKU' });
    const top = await h.fx.location({ name: 'Top' });
    const child = await h.fx.location({ name: 'Child', parent_id: top });
    ids.template = template;
    ids.variant = variant;
    ids.other = other;
    ids.supplier = supplier;
    ids.notSupplier = notSupplier;
    ids.maker = maker;
    ids.top = top;
    ids.child = child;
    ids.cat = cat;
    ids.itTemplate = await h.fx.stockItem({ part_id: template, location_id: top, quantity: 5, batch: 'ABC' });
    ids.itVariant = await h.fx.stockItem({ part_id: variant, location_id: child, quantity: 6, serial: 'S1' });
    ids.itOther = await h.fx.stockItem({ part_id: other, quantity: 7, supplier_part_id: sp, status: 70 });
    ids.itAllocated = await h.fx.stockItem({ part_id: other, location_id: top, quantity: 2 });
    const so = await h.fx.salesOrder({ customer_id: notSupplier });
    const line = await h.fx.soLine({ order_id: so, part_id: other });
    await h.fx.allocation({ line_id: line, item_id: ids.itAllocated, quantity: 2 });
    ids.sp = sp;
  });
  after(() => h.close());

  const list = async (qs: string) => {
    const res = await h.request({ method: 'GET', url: `/api/stock/?${qs}`, headers: admin.auth });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { pk: number }[]).map((r) => r.pk).sort((a, b) => a - b);
  };
  const sorted = (...values: (number | undefined)[]) => (values as number[]).sort((a, b) => a - b);

  it('filters by part including variants unless include_variants=False', async () => {
    assert.deepEqual(await list(`part=${ids.template}`), sorted(ids.itTemplate, ids.itVariant));
    assert.deepEqual(await list(`part=${ids.template}&include_variants=False`), [ids.itTemplate]);
  });

  it('filters by location with cascade, and by no location', async () => {
    assert.deepEqual(await list(`location=${ids.top}`), sorted(ids.itTemplate, ids.itVariant, ids.itAllocated));
    assert.deepEqual(await list(`location=${ids.top}&cascade=False`), sorted(ids.itTemplate, ids.itAllocated));
    assert.deepEqual(await list('location=null&cascade=false'), [ids.itOther]);
    // Quirks: with cascade on, null and unknown locations leave the list unfiltered.
    assert.equal((await list('location=null')).length, 4);
    assert.equal((await list('location=9999')).length, 4);
  });

  it('filters by in_stock, available, allocated, serialized and status', async () => {
    assert.deepEqual(await list('in_stock=False'), [ids.itOther]);
    assert.deepEqual(await list('in_stock=True'), sorted(ids.itTemplate, ids.itVariant, ids.itAllocated));
    assert.deepEqual(await list('available=True'), sorted(ids.itTemplate, ids.itVariant));
    assert.deepEqual(await list('allocated=true'), [ids.itAllocated]);
    assert.deepEqual(await list('serialized=true'), [ids.itVariant]);
    assert.deepEqual(await list('status=70'), [ids.itOther]);
    const bad = await h.request({ method: 'GET', url: '/api/stock/?status=abc', headers: admin.auth });
    assert.deepEqual(bad.json(), { status: ['Enter a number.'] });
  });

  it('filters by batch, serial, IPN, category, supplier, manufacturer and supplier_part', async () => {
    assert.deepEqual(await list('batch=abc'), [ids.itTemplate]);
    assert.deepEqual(await list('serial=S1'), [ids.itVariant]);
    assert.deepEqual(await list('IPN=tpl-1'), [ids.itTemplate]);
    assert.deepEqual(await list(`category=${ids.cat}`), [ids.itTemplate]);
    assert.deepEqual(await list(`supplier=${ids.supplier}`), [ids.itOther]);
    assert.deepEqual(await list(`manufacturer=${ids.maker}`), [ids.itOther]);
    assert.deepEqual(await list(`supplier_part=${ids.sp}`), [ids.itOther]);
  });

  it('answers 400 for unknown objects in model-choice filters', async () => {
    for (const [name, value] of [
      ['part', '9999'],
      ['supplier', String(ids.notSupplier)],
      ['category', 'abc'],
      ['purchase_order', '9999'],
    ] as const) {
      const res = await h.request({ method: 'GET', url: `/api/stock/?${name}=${value}`, headers: admin.auth });
      assert.equal(res.statusCode, 400, name);
      assert.deepEqual(res.json(), { [name]: ['Select a valid choice. That choice is not one of the available choices.'] });
    }
  });

  it('searches part, batch, serial, SKU and MPN', async () => {
    assert.deepEqual(await list('search=variant'), [ids.itVariant]);
    assert.deepEqual(await list('search=zzz-sku'), [ids.itOther]);
    assert.deepEqual(await list('search=m-1'), [ids.itOther]);
  });

  it('searches term by term: every term must match some field (DRF SearchFilter)', async () => {
    // "variant" matches the part name, "s1" the serial: no single field holds both.
    assert.deepEqual(await list('search=variant%20s1'), [ids.itVariant]);
    assert.deepEqual(await list('search=variant,S1'), [ids.itVariant]);
    assert.deepEqual(await list('search=variant%20zzz-sku'), []);
  });

  it('reports every bad filter in one 400', async () => {
    const res = await h.request({ method: 'GET', url: '/api/stock/?part=9999&status=abc&supplier_part=x', headers: admin.auth });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      part: ['Select a valid choice. That choice is not one of the available choices.'],
      supplier_part: ['Select a valid choice. That choice is not one of the available choices.'],
      status: ['Enter a number.'],
    });
  });

  it('orders by quantity and -quantity, and pages', async () => {
    const res = await h.request({ method: 'GET', url: '/api/stock/?ordering=-quantity', headers: admin.auth });
    assert.deepEqual(
      res.json().map((r: { quantity: number }) => r.quantity),
      [7, 6, 5, 2],
    );
    const page = (await h.request({ method: 'GET', url: '/api/stock/?ordering=quantity&limit=2&offset=1', headers: admin.auth })).json();
    assert.equal(page.count, 4);
    assert.deepEqual(
      page.results.map((r: { quantity: number }) => r.quantity),
      [5, 6],
    );
  });

  it('orders by several fields, ignoring unknown ones', async () => {
    const pks = async (qs: string) => (await h.request({ method: 'GET', url: `/api/stock/?${qs}`, headers: admin.auth })).json().map((r: { pk: number }) => r.pk);
    // in_stock=true leaves quantities 5 (Top), 6 (Top/Child) and 2 (Top): by location, then quantity down.
    assert.deepEqual(await pks('in_stock=true&ordering=nonsense,location,-quantity'), [ids.itTemplate, ids.itAllocated, ids.itVariant]);
    assert.deepEqual(await pks('in_stock=true&ordering=location,quantity'), [ids.itAllocated, ids.itTemplate, ids.itVariant]);
  });
});

describe('stock item create', () => {
  let h: Harness;
  let admin: TestUser;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true });
  });
  after(() => h.close());

  const post = (payload: unknown) => h.request({ method: 'POST', url: '/api/stock/', headers: admin.auth, payload: payload as object });

  it('answers 201 with a list and writes a CREATED tracking entry', async () => {
    const part = await h.fx.part();
    const loc = await h.fx.location();
    const res = await post({ part, quantity: '12.5', location: loc, batch: 'B-7' });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.ok(Array.isArray(body));
    assert.equal(body.length, 1);
    assert.equal(body[0].quantity, 12.5);
    assert.equal(body[0].location, loc);
    assert.equal(body[0].batch, 'B-7');
    assert.equal(body[0].tracking_items, 1);
    const track = (await h.request({ method: 'GET', url: `/api/stock/track/?item=${body[0].pk}`, headers: admin.auth })).json();
    assert.equal(track[0].tracking_type, 1);
    assert.equal(track[0].label, 'Stock item created');
    assert.deepEqual(track[0].deltas, { status: 10, location: loc, quantity: 12.5 });
    assert.equal(track[0].user, admin.user.id);
  });

  it('requires quantity and a valid part', async () => {
    const part = await h.fx.part();
    assert.deepEqual((await post({ part })).json(), { quantity: ['Quantity is required'] });
    assert.deepEqual((await post({ quantity: 1 })).json(), { part: ['Valid part must be supplied'] });
    assert.deepEqual((await post({ quantity: 1, part: 9999 })).json(), { part: ['Valid part must be supplied'] });
    assert.deepEqual((await post({ quantity: 'lots', part })).json(), { quantity: ['Invalid value'] });
  });

  it('refuses virtual parts and structural locations', async () => {
    const virtual = await h.fx.part({ virtual: true });
    assert.deepEqual((await post({ part: virtual, quantity: 1 })).json(), { part: ['Stock item cannot be created for virtual parts'] });
    const structural = await h.fx.location({ structural: true });
    const res = await post({ part: await h.fx.part(), quantity: 1, location: structural });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { location: ['Stock items cannot be located into structural stock locations!'] });
  });

  it('takes the default location from the part, then its category chain, and the default expiry', async () => {
    const own = await h.fx.location();
    const catLoc = await h.fx.location();
    const cat = await h.fx.category({ default_location_id: catLoc });
    const sub = await h.fx.category({ parent_id: cat });
    const withOwn = await h.fx.part({ default_location_id: own, default_expiry: 10 });
    const viaCategory = await h.fx.part({ category_id: sub });
    const a = (await post({ part: withOwn, quantity: 1 })).json()[0];
    assert.equal(a.location, own);
    assert.equal(a.expiry_date, addDays(today(), 10));
    const b = (await post({ part: viaCategory, quantity: 1 })).json()[0];
    assert.equal(b.location, catLoc);
    assert.equal(b.expiry_date, null);
  });

  it('expands serial numbers for trackable parts, unique in the part tree', async () => {
    const template = await h.fx.part({ trackable: true, is_template: true });
    const variant = await h.fx.part({ trackable: true, variant_of_id: template });
    const res = await post({ part: template, quantity: 6, serial_numbers: '1-5, 7' });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(
      res.json().map((i: { serial: string; quantity: number }) => [i.serial, i.quantity]),
      [
        ['1', 1],
        ['2', 1],
        ['3', 1],
        ['4', 1],
        ['5', 1],
        ['7', 1],
      ],
    );
    assert.equal(res.json()[0].serialized, true);
    assert.equal(res.json()[0].delete_on_deplete, false);
    const dup = await post({ part: variant, quantity: 2, serial_numbers: '7, 8' });
    assert.equal(dup.statusCode, 400);
    assert.deepEqual(dup.json(), { serial_numbers: ['The following serial numbers already exist or are invalid : 7'] });
    const other = await h.fx.part({ trackable: true });
    assert.equal((await post({ part: other, quantity: 1, serial_numbers: '7' })).statusCode, 201);
    const next = await post({ part: variant, quantity: 2, serial_numbers: '~, ~' });
    assert.deepEqual(
      next.json().map((i: { serial: string }) => i.serial),
      ['8', '9'],
    );
  });

  it('makes serials globally unique with SERIAL_NUMBER_GLOBALLY_UNIQUE', async () => {
    const a = await h.fx.part({ trackable: true });
    const b = await h.fx.part({ trackable: true });
    assert.equal((await post({ part: a, quantity: 1, serial_numbers: 'G-1' })).statusCode, 201);
    await h.db.database.kysely.insertInto('setting_global').values({ key: 'SERIAL_NUMBER_GLOBALLY_UNIQUE', value: 'True' }).execute();
    h.app.ctx.settings.invalidate();
    try {
      const res = await post({ part: b, quantity: 1, serial_numbers: 'G-1' });
      assert.deepEqual(res.json(), { serial_numbers: ['The following serial numbers already exist or are invalid : G-1'] });
    } finally {
      await h.db.database.kysely.deleteFrom('setting_global').where('key', '=', 'SERIAL_NUMBER_GLOBALLY_UNIQUE').execute();
      h.app.ctx.settings.invalidate();
    }
  });

  it('takes delete_on_deplete from STOCK_DELETE_DEPLETED_DEFAULT unless given', async () => {
    const part = await h.fx.part();
    assert.equal((await post({ part, quantity: 1 })).json()[0].delete_on_deplete, true);
    await h.db.database.kysely.insertInto('setting_global').values({ key: 'STOCK_DELETE_DEPLETED_DEFAULT', value: 'False' }).execute();
    h.app.ctx.settings.invalidate();
    try {
      assert.equal((await post({ part, quantity: 1 })).json()[0].delete_on_deplete, false);
      assert.equal((await post({ part, quantity: 1, delete_on_deplete: true })).json()[0].delete_on_deplete, true);
    } finally {
      await h.db.database.kysely.deleteFrom('setting_global').where('key', '=', 'STOCK_DELETE_DEPLETED_DEFAULT').execute();
      h.app.ctx.settings.invalidate();
    }
  });

  it('reports serial number errors as InvenTree does', async () => {
    const tracked = await h.fx.part({ trackable: true });
    const plain = await h.fx.part();
    assert.deepEqual((await post({ part: plain, quantity: 2, serial_numbers: '1,2' })).json(), {
      serial_numbers: ['Serial numbers cannot be supplied for a non-trackable part'],
    });
    const count = ['Number of unique serial numbers (2) must match quantity (3)'];
    assert.deepEqual((await post({ part: tracked, quantity: 3, serial_numbers: '1-2' })).json(), { quantity: count, serial_numbers: count });
    const dup = ['Duplicate serial: 5'];
    assert.deepEqual((await post({ part: tracked, quantity: 2, serial_numbers: '5,5' })).json(), { quantity: dup, serial_numbers: dup });
    const range = ['Group range 1-9 exceeds allowed quantity (3)'];
    assert.deepEqual((await post({ part: tracked, quantity: 3, serial_numbers: '1-9' })).json(), { quantity: range, serial_numbers: range });
    assert.equal((await post({ part: tracked, quantity: 3, serial_numbers: '100+2' })).statusCode, 201);
  });

  it('needs use_pack_size for supplier parts with a pack size, multiplying when true', async () => {
    const part = await h.fx.part();
    const supplier = await h.fx.company();
    const sp = await h.fx.supplierPart({ part_id: part, supplier_id: supplier, pack_quantity: '10', pack_quantity_native: 10 });
    assert.deepEqual((await post({ part, supplier_part: sp, quantity: 2 })).json(), {
      use_pack_size: ['The supplier part has a pack size defined, but flag use_pack_size not set'],
    });
    const packs = (await post({ part, supplier_part: sp, quantity: 2, use_pack_size: true, purchase_price: 50 })).json()[0];
    assert.equal(packs.quantity, 20);
    assert.equal(packs.purchase_price, 5);
    const units = (await post({ part, supplier_part: sp, quantity: 2, use_pack_size: false })).json()[0];
    assert.equal(units.quantity, 2);
    assert.deepEqual((await post({ part, supplier_part: 9999, quantity: 2 })).json(), { supplier_part: ['The given supplier part does not exist'] });
    const otherPart = await h.fx.part({ name: 'Other', description: '' });
    const spOther = await h.fx.supplierPart({ part_id: otherPart, supplier_id: supplier });
    const mismatch = await post({ part, supplier_part: spOther, quantity: 1 });
    assert.equal(mismatch.statusCode, 400);
    assert.ok(mismatch.json().supplier_part[0].startsWith("Part type ('Other') must be"));
  });

  it('requires whole quantities for trackable parts', async () => {
    const tracked = await h.fx.part({ trackable: true });
    assert.deepEqual((await post({ part: tracked, quantity: 1.5 })).json(), { quantity: ['Quantity must be integer value for trackable parts'] });
    const part = await h.fx.part();
    assert.deepEqual((await post({ part, quantity: '1.123456' })).json(), { quantity: ['Ensure that there are no more than 5 decimal places.'] });
  });
});

describe('stock item update and delete', () => {
  let h: Harness;
  let admin: TestUser;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true });
  });
  after(() => h.close());

  const patch = (id: number, payload: unknown) => h.request({ method: 'PATCH', url: `/api/stock/${id}/`, headers: admin.auth, payload: payload as object });

  it('changes fields and records EDITED when the status changes', async () => {
    const item = await h.fx.stockItem({ part_id: await h.fx.part(), quantity: 5 });
    const res = await patch(item, { status: 55, batch: 'NEW', quantity: 4 });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 55);
    assert.equal(res.json().status_text, 'Damaged');
    assert.equal(res.json().batch, 'NEW');
    assert.equal(res.json().quantity, 4);
    const track = (await h.request({ method: 'GET', url: `/api/stock/track/?item=${item}`, headers: admin.auth })).json();
    assert.equal(track[0].tracking_type, 5);
    assert.deepEqual(track[0].deltas, { status: 55 });
    assert.deepEqual((await patch(item, { status: 7 })).json(), { status: ['"7" is not a valid choice.'] });
  });

  it('enforces serial and quantity rules', async () => {
    const part = await h.fx.part({ trackable: true });
    await h.fx.stockItem({ part_id: part, serial: '5' });
    const item = await h.fx.stockItem({ part_id: part, quantity: 3 });
    assert.deepEqual((await patch(item, { serial: '9' })).json(), {
      quantity: ['Quantity must be 1 for item with a serial number'],
      serial: ['Serial number cannot be set if quantity greater than 1'],
    });
    assert.deepEqual((await patch(item, { serial: '5', quantity: 1 })).json(), { serial: ['Stock item with this serial number already exists: 5'] });
    const ok = await patch(item, { serial: '6', quantity: 1 });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().serialized, true);
    assert.equal(ok.json().delete_on_deplete, false);
    assert.deepEqual((await patch(item, { location: await h.fx.location({ structural: true }) })).json(), {
      location: ['Stock items cannot be located into structural stock locations!'],
    });
  });

  it('PUT requires the part', async () => {
    const item = await h.fx.stockItem({ part_id: await h.fx.part() });
    const res = await h.request({ method: 'PUT', url: `/api/stock/${item}/`, headers: admin.auth, payload: { quantity: 2 } });
    assert.deepEqual(res.json(), { part: ['This field is required.'] });
  });

  it('deletes an item with its barcode links, re-parenting its split children', async () => {
    const part = await h.fx.part();
    const parent = await h.fx.stockItem({ part_id: part });
    const item = await h.fx.stockItem({ part_id: part, parent_id: parent });
    const child = await h.fx.stockItem({ part_id: part, parent_id: item });
    await h.fx.link('stockitem', item, 'DELETE-ME');
    const res = await h.request({ method: 'DELETE', url: `/api/stock/${item}/`, headers: admin.auth });
    assert.equal(res.statusCode, 204);
    const db = h.db.database.kysely;
    assert.equal((await db.selectFrom('stock_item').select('parent_id').where('id', '=', child).executeTakeFirstOrThrow()).parent_id, parent);
    assert.equal((await db.selectFrom('barcode_link').select('id').where('data', '=', 'DELETE-ME').execute()).length, 0);
  });

  it('bulk deletes with {"items": [...]}', async () => {
    const part = await h.fx.part();
    const a = await h.fx.stockItem({ part_id: part });
    const b = await h.fx.stockItem({ part_id: part });
    const keep = await h.fx.stockItem({ part_id: part });
    await h.fx.link('stockitem', a, 'BULK-A');
    const res = await h.request({ method: 'DELETE', url: '/api/stock/', headers: admin.auth, payload: { items: [a, String(b)] } });
    assert.equal(res.statusCode, 204);
    const left = await h.db.database.kysely.selectFrom('stock_item').select('id').where('id', 'in', [a, b, keep]).execute();
    assert.deepEqual(
      left.map((r) => r.id),
      [keep],
    );
    const empty = await h.request({ method: 'DELETE', url: '/api/stock/', headers: admin.auth, payload: {} });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(empty.json(), { non_field_errors: ['List of items or filters must be provided for bulk operation'] });
    const notList = await h.request({ method: 'DELETE', url: '/api/stock/', headers: admin.auth, payload: { items: 5 } });
    assert.deepEqual(notList.json(), { non_field_errors: ['Items must be provided as a list'] });
  });
});

describe('stock item permissions', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('uses stock_stockitem: the stock ruleset (or build) grants it', async () => {
    const part = await h.fx.part();
    const item = await h.fx.stockItem({ part_id: part });
    const viewer = await h.user('viewer', { roles: { stock: { can_view: true } } });
    const builder = await h.user('builder', { roles: { build: { can_view: true } } });
    const partOnly = await h.user('partonly', { roles: { part: { can_view: true, can_add: true, can_change: true, can_delete: true } } });
    assert.equal((await h.request({ method: 'GET', url: `/api/stock/${item}/`, headers: viewer.auth })).statusCode, 200);
    assert.equal((await h.request({ method: 'GET', url: '/api/stock/', headers: builder.auth })).statusCode, 200);
    assert.equal((await h.request({ method: 'GET', url: '/api/stock/', headers: partOnly.auth })).statusCode, 403);
    assert.equal((await h.request({ method: 'PATCH', url: `/api/stock/${item}/`, headers: viewer.auth, payload: { batch: 'x' } })).statusCode, 403);
    assert.equal((await h.request({ method: 'DELETE', url: `/api/stock/${item}/`, headers: viewer.auth })).statusCode, 403);
    const adder = await h.user('adder', { roles: { stock: { can_add: true } } });
    assert.equal((await h.request({ method: 'POST', url: '/api/stock/', headers: adder.auth, payload: { part, quantity: 1 } })).statusCode, 201);
    const tracker = await h.request({ method: 'GET', url: '/api/stock/track/', headers: partOnly.auth });
    assert.equal(tracker.statusCode, 403);
  });
});
