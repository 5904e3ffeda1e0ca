import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness } from '../helpers/app.js';
import { api, INVALID_CHOICE, pks, type Api } from './catalog-helpers.js';

const MINIMAL_KEYS = [
  'pk',
  'name',
  'IPN',
  'revision',
  'description',
  'full_name',
  'category',
  'active',
  'purchaseable',
  'salable',
  'trackable',
  'virtual',
  'is_template',
  'variant_of',
  'units',
  'default_location',
  'barcode_hash',
  'in_stock',
];

const LIST_KEYS = [
  ...MINIMAL_KEYS,
  'keywords',
  'category_name',
  'assembly',
  'component',
  'locked',
  'testable',
  'revision_of',
  'revision_count',
  'default_expiry',
  'minimum_stock',
  'link',
  'image',
  'thumbnail',
  'creation_date',
  'creation_user',
  'responsible',
  'starred',
  'tags',
  'pricing_min',
  'pricing_max',
  'pricing_updated',
  'total_in_stock',
  'unallocated_stock',
  'external_stock',
  'variant_stock',
  'stock_item_count',
  'allocated_to_build_orders',
  'allocated_to_sales_orders',
  'building',
  'scheduled_to_build',
  'ordering',
  'required_for_build_orders',
  'required_for_sales_orders',
  'category_default_location',
].sort();

describe('parts: create, keys, defaults', () => {
  let h: Harness;
  let a: Api;
  let adminId: number;
  before(async () => {
    h = await createHarness();
    const admin = await h.user('admin', { is_superuser: true });
    adminId = admin.user.id;
    a = api(h, admin);
  });
  after(() => h.close());

  it('creates a part (201) with every key of §7.3 Stockscan serves', async () => {
    const res = await a.post('/api/part/?format=json', { name: 'Resistor 10k', IPN: '  R-10K ', revision: 'B', description: 'A resistor' });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.equal(body.IPN, 'R-10K');
    assert.equal(body.full_name, 'R-10K | Resistor 10k | B');
    assert.equal(body.creation_user, adminId);
    assert.match(body.creation_date, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(body.barcode_hash, '');
    assert.equal(body.in_stock, 0);
    assert.equal(body.pricing_min, null);
    const detail = (await a.get(`/api/part/${body.pk}/`)).json();
    assert.deepEqual(Object.keys(detail).sort(), [...LIST_KEYS, 'notes'].sort());
    const list = (await a.get('/api/part/')).json();
    assert.deepEqual(Object.keys(list[0]).sort(), LIST_KEYS);
  });

  it('defaults IPN and revision to "" and the flags to InvenTree defaults', async () => {
    const body = (await a.post('/api/part/', { name: 'Plain' })).json();
    assert.equal(body.IPN, '');
    assert.equal(body.revision, '');
    assert.equal(body.full_name, 'Plain');
    assert.equal(body.active, true);
    assert.equal(body.component, true);
    assert.equal(body.purchaseable, true);
    assert.equal(body.salable, false);
    assert.equal(body.assembly, false);
    assert.equal(body.trackable, false);
    assert.equal(body.virtual, false);
    assert.equal(body.is_template, false);
    assert.equal(body.testable, false);
    assert.equal(body.locked, false);
  });

  it('takes flag defaults from the PART_* settings, the body still wins', async () => {
    const s = h.app.ctx.settings;
    for (const [key, value] of [
      ['PART_PURCHASEABLE', false],
      ['PART_SALABLE', true],
      ['PART_ASSEMBLY', true],
      ['PART_COMPONENT', false],
      ['PART_TRACKABLE', true],
      ['PART_VIRTUAL', true],
      ['PART_TEMPLATE', true],
    ] as const) {
      await s.setGlobal(key, value);
    }
    try {
      const body = (await a.post('/api/part/', { name: 'Settings-made' })).json();
      assert.equal(body.purchaseable, false);
      assert.equal(body.salable, true);
      assert.equal(body.assembly, true);
      assert.equal(body.component, false);
      assert.equal(body.trackable, true);
      assert.equal(body.virtual, true);
      assert.equal(body.is_template, true);
      const explicit = (await a.post('/api/part/', { name: 'Explicit', purchaseable: 'True', virtual: false })).json();
      assert.equal(explicit.purchaseable, true);
      assert.equal(explicit.virtual, false);
    } finally {
      for (const key of ['PART_PURCHASEABLE', 'PART_COMPONENT']) await s.setGlobal(key, true);
      for (const key of ['PART_SALABLE', 'PART_ASSEMBLY', 'PART_TRACKABLE', 'PART_VIRTUAL', 'PART_TEMPLATE']) await s.setGlobal(key, false);
    }
  });

  it('validates the body with DRF messages', async () => {
    assert.deepEqual((await a.post('/api/part/', {})).json(), { name: ['This field is required.'] });
    assert.deepEqual((await a.post('/api/part/', { name: 'x', IPN: 'i'.repeat(101) })).json(), { IPN: ['Ensure this field has no more than 100 characters.'] });
    assert.deepEqual((await a.post('/api/part/', { name: 'x', category: 'not-a-number' })).json(), { category: ['Incorrect type. Expected pk value, received str.'] });
    assert.deepEqual((await a.post('/api/part/', { name: 'x', default_location: 99999 })).json(), { default_location: ['Invalid pk "99999" - object does not exist.'] });
    assert.deepEqual((await a.post('/api/part/', { name: 'x', minimum_stock: -1 })).json(), { minimum_stock: ['Ensure this value is greater than or equal to 0.'] });
    assert.deepEqual((await a.post('/api/part/', { name: 'x', active: 'maybe' })).json(), { active: ['Must be a valid boolean.'] });
  });

  it('PUT needs the required fields, PATCH does not', async () => {
    const pk = (await a.post('/api/part/', { name: 'Updatable' })).json().pk;
    assert.deepEqual((await a.put(`/api/part/${pk}/`, { description: 'x' })).json(), { name: ['This field is required.'] });
    const patched = await a.patch(`/api/part/${pk}/?format=json`, { description: 'patched', keywords: 'a b' });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().description, 'patched');
    assert.equal(patched.json().name, 'Updatable');
    const put = await a.put(`/api/part/${pk}/`, { name: 'Updated', units: 'm' });
    assert.equal(put.statusCode, 200);
    assert.equal(put.json().description, 'patched');
    assert.equal(put.json().units, 'm');
  });

  it('answers 404 for a missing part', async () => {
    const res = await a.get('/api/part/99999/');
    assert.deepEqual(res.json(), { detail: 'No Part matches the given query.' });
    assert.equal((await a.patch('/api/part/99999/', { name: 'x' })).statusCode, 404);
    assert.equal((await a.del('/api/part/99999/')).statusCode, 404);
  });

  it('shows barcode_hash once a barcode is linked', async () => {
    const pk = (await a.post('/api/part/', { name: 'Barcoded' })).json().pk;
    const hash = await h.fx.link('part', pk, 'PART-BARCODE-1');
    assert.equal((await a.get(`/api/part/${pk}/`)).json().barcode_hash, hash);
  });
});

describe('parts: validation rules', () => {
  let h: Harness;
  let a: Api;
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
  });
  after(() => h.close());

  it('refuses structural categories', async () => {
    const structural = await h.fx.category({ name: 'Structural', structural: true });
    const res = await a.post('/api/part/', { name: 'In structural', category: structural });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { category: ['Parts cannot be assigned to structural part categories!'] });
    const normal = await h.fx.category({ name: 'Normal' });
    const pk = (await a.post('/api/part/', { name: 'In normal', category: normal })).json().pk;
    assert.deepEqual((await a.patch(`/api/part/${pk}/`, { category: structural })).json(), {
      category: ['Parts cannot be assigned to structural part categories!'],
    });
  });

  it('refuses a second part with the same name, IPN and revision', async () => {
    assert.equal((await a.post('/api/part/', { name: 'Widget', IPN: 'W-1', revision: 'A' })).statusCode, 201);
    const dup = await a.post('/api/part/', { name: 'Widget', IPN: 'W-1', revision: 'A' });
    assert.equal(dup.statusCode, 400);
    assert.deepEqual(dup.json(), { non_field_errors: ['Part with this Name, IPN and Revision already exists.'] });
    assert.equal((await a.post('/api/part/', { name: 'Widget', IPN: 'W-1', revision: 'B' })).statusCode, 201);
    // Blank IPN and revision count as values: the same name again is a duplicate.
    assert.equal((await a.post('/api/part/', { name: 'Gadget' })).statusCode, 201);
    assert.deepEqual((await a.post('/api/part/', { name: 'Gadget' })).json(), { non_field_errors: ['Part with this Name, IPN and Revision already exists.'] });
    // A null revision with an IPN: InvenTree's own check still refuses the duplicate.
    assert.equal((await a.post('/api/part/', { name: 'Gizmo', IPN: 'G-1', revision: null })).statusCode, 201);
    assert.deepEqual((await a.post('/api/part/', { name: 'Gizmo', IPN: 'G-1', revision: null })).json(), {
      non_field_errors: ['Part with this Name, IPN and Revision already exists.'],
    });
    // Both null (legacy rows): nothing to compare, as in InvenTree.
    await h.fx.part({ name: 'Legacy', ipn: null, revision: null });
    await h.fx.part({ name: 'Legacy', ipn: null, revision: null });
    assert.equal((await a.get('/api/part/?search=Legacy')).json().length, 2);
  });

  it('refuses duplicate IPNs (case-insensitively) only when PART_ALLOW_DUPLICATE_IPN is off', async () => {
    assert.equal((await a.post('/api/part/', { name: 'First', IPN: 'DUP-1' })).statusCode, 201);
    assert.equal((await a.post('/api/part/', { name: 'Second', IPN: 'DUP-1' })).statusCode, 201);
    await h.app.ctx.settings.setGlobal('PART_ALLOW_DUPLICATE_IPN', false);
    try {
      const res = await a.post('/api/part/', { name: 'Third', IPN: 'dup-1' });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), { IPN: ['Duplicate IPN not allowed in part settings'] });
      // Blank IPNs never collide.
      assert.equal((await a.post('/api/part/', { name: 'No IPN 1' })).statusCode, 201);
      assert.equal((await a.post('/api/part/', { name: 'No IPN 2' })).statusCode, 201);
      // A part keeps its own IPN on update.
      const own = (await a.post('/api/part/', { name: 'Own', IPN: 'OWN-1' })).json().pk;
      assert.equal((await a.patch(`/api/part/${own}/`, { IPN: 'OWN-1', description: 'x' })).statusCode, 200);
    } finally {
      await h.app.ctx.settings.setGlobal('PART_ALLOW_DUPLICATE_IPN', true);
    }
  });

  it('applies the IPN rules on update too (settings read outside the transaction)', async () => {
    const first = (await a.post('/api/part/', { name: 'Upd first', IPN: 'UPD-IPN' })).json().pk;
    const second = (await a.post('/api/part/', { name: 'Upd second', IPN: 'OTHER-IPN' })).json().pk;
    await h.app.ctx.settings.setGlobal('PART_ALLOW_DUPLICATE_IPN', false);
    try {
      const res = await a.patch(`/api/part/${second}/`, { IPN: 'upd-ipn' });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), { IPN: ['Duplicate IPN not allowed in part settings'] });
      assert.equal((await a.patch(`/api/part/${first}/`, { IPN: 'UPD-IPN' })).statusCode, 200);
    } finally {
      await h.app.ctx.settings.setGlobal('PART_ALLOW_DUPLICATE_IPN', true);
    }
  });

  it('enforces PART_IPN_REGEX when set', async () => {
    await h.app.ctx.settings.setGlobal('PART_IPN_REGEX', '^[A-Z]{3}-\\d+$');
    try {
      const bad = await a.post('/api/part/', { name: 'Regex bad', IPN: 'abc' });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(bad.json(), { IPN: ['IPN must match regex pattern ^[A-Z]{3}-\\d+$'] });
      assert.equal((await a.post('/api/part/', { name: 'Regex good', IPN: 'ABC-12' })).statusCode, 201);
    } finally {
      await h.app.ctx.settings.setGlobal('PART_IPN_REGEX', '');
    }
    assert.equal((await a.post('/api/part/', { name: 'Regex off', IPN: 'abc' })).statusCode, 201);
  });

  it('accepts only template parts as variant_of and refuses cycles', async () => {
    const plain = (await a.post('/api/part/', { name: 'Not a template' })).json().pk;
    assert.deepEqual((await a.post('/api/part/', { name: 'Variant', variant_of: plain })).json(), {
      variant_of: [`Invalid pk "${plain}" - object does not exist.`],
    });
    const top = (await a.post('/api/part/', { name: 'Top template', is_template: true })).json().pk;
    const mid = (await a.post('/api/part/', { name: 'Mid template', is_template: true, variant_of: top })).json().pk;
    const res = await a.patch(`/api/part/${top}/`, { variant_of: mid });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { variant_of: ['Invalid choice'] });
  });

  it('checks revision_of', async () => {
    const base = (await a.post('/api/part/', { name: 'Base', IPN: 'BASE' })).json().pk;
    assert.deepEqual((await a.post('/api/part/', { name: 'Base-r', IPN: 'BASE', revision: '', revision_of: base })).json(), {
      revision: ['Revision code must be specified'],
    });
    const rev = await a.post('/api/part/', { name: 'Base', IPN: 'BASE', revision: 'B', revision_of: base });
    assert.equal(rev.statusCode, 201);
    assert.equal(rev.json().revision_of, base);
    assert.equal((await a.get(`/api/part/${base}/`)).json().revision_count, 1);
    assert.deepEqual((await a.post('/api/part/', { name: 'Base2', revision: 'C', revision_of: rev.json().pk })).json(), {
      revision_of: ['Cannot make a revision of a part which is already a revision'],
    });
    assert.deepEqual((await a.patch(`/api/part/${base}/`, { revision: 'X', revision_of: base })).json(), { revision_of: ['Part cannot be a revision of itself'] });
  });
});

describe('parts: variant tree', () => {
  let h: Harness;
  let a: Api;
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
  });
  after(() => h.close());

  it('keeps tree_path for the template chain, moves subtrees, and filters by ancestor/variant_of', async () => {
    const t1 = (await a.post('/api/part/', { name: 'T1', is_template: true })).json().pk;
    const t2 = (await a.post('/api/part/', { name: 'T2', is_template: true })).json().pk;
    const v = (await a.post('/api/part/', { name: 'V', is_template: true, variant_of: t1 })).json().pk;
    const w = (await a.post('/api/part/', { name: 'W', variant_of: v })).json().pk;
    const path = async (id: number) => (await h.db.database.kysely.selectFrom('part').select('tree_path').where('id', '=', id).executeTakeFirstOrThrow()).tree_path;
    assert.equal(await path(w), `/${t1}/${v}/${w}/`);
    assert.deepEqual(pks(await a.get(`/api/part/?ancestor=${t1}`)), [v, w]);
    assert.deepEqual(pks(await a.get(`/api/part/?variant_of=${t1}`)), [v]);
    assert.deepEqual(pks(await a.get(`/api/part/?exclude_tree=${v}&ordering=name`)), [t1, t2]);

    assert.equal((await a.patch(`/api/part/${v}/`, { variant_of: t2 })).statusCode, 200);
    assert.equal(await path(w), `/${t2}/${v}/${w}/`);
    assert.deepEqual(pks(await a.get(`/api/part/?ancestor=${t1}`)), []);
    assert.deepEqual(pks(await a.get(`/api/part/?ancestor=${t2}`)), [v, w]);

    // Variant stock counts every level below.
    await h.fx.stockItem({ part_id: w, quantity: 4 });
    await h.fx.stockItem({ part_id: v, quantity: 1 });
    const top = (await a.get(`/api/part/${t2}/`)).json();
    assert.equal(top.in_stock, 0);
    assert.equal(top.variant_stock, 5);
    assert.equal(top.total_in_stock, 5);

    assert.equal((await a.patch(`/api/part/${v}/`, { variant_of: null })).statusCode, 200);
    assert.equal(await path(w), `/${v}/${w}/`);
  });

  it('deleting a template moves its variants up to its own template', async () => {
    const root = (await a.post('/api/part/', { name: 'Root T', is_template: true })).json().pk;
    const mid = (await a.post('/api/part/', { name: 'Mid T', is_template: true, variant_of: root })).json().pk;
    const leaf = (await a.post('/api/part/', { name: 'Leaf', variant_of: mid })).json().pk;
    await a.patch(`/api/part/${mid}/`, { active: false });
    assert.equal((await a.del(`/api/part/${mid}/`)).statusCode, 204);
    assert.equal((await a.get(`/api/part/${leaf}/`)).json().variant_of, root);
    assert.deepEqual(pks(await a.get(`/api/part/?ancestor=${root}`)), [leaf]);
  });
});

describe('parts: deletion', () => {
  let h: Harness;
  let a: Api;
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
  });
  after(() => h.close());

  it('refuses to delete an active part', async () => {
    const pk = (await a.post('/api/part/', { name: 'Active' })).json().pk;
    const res = await a.del(`/api/part/${pk}/`);
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { non_field_errors: ['Cannot delete this part as it is still active'] });
  });

  it('refuses to delete a locked part', async () => {
    const pk = (await a.post('/api/part/', { name: 'Locked', active: false, locked: true })).json().pk;
    assert.deepEqual((await a.del(`/api/part/${pk}/`)).json(), { non_field_errors: ['Cannot delete this part as it is locked'] });
  });

  it('refuses to delete a part that has stock items', async () => {
    const pk = (await a.post('/api/part/', { name: 'Stocked', active: false })).json().pk;
    await h.fx.stockItem({ part_id: pk, quantity: 0 });
    const res = await a.del(`/api/part/${pk}/`);
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { non_field_errors: ['Cannot delete this part as it has stock items'] });
  });

  it('deletes an inactive part with its supplier and manufacturer parts and all their barcode links', async () => {
    const pk = (await a.post('/api/part/', { name: 'Doomed', active: false })).json().pk;
    const supplier = await h.fx.company({ is_manufacturer: true });
    const mp = await h.fx.manufacturerPart({ part_id: pk, manufacturer_id: supplier });
    const sp = await h.fx.supplierPart({ part_id: pk, supplier_id: supplier, manufacturer_part_id: mp });
    await h.fx.link('part', pk, 'DOOMED-PART');
    await h.fx.link('supplierpart', sp, 'DOOMED-SP');
    await h.fx.link('manufacturerpart', mp, 'DOOMED-MP');
    const res = await a.del(`/api/part/${pk}/`);
    assert.equal(res.statusCode, 204);
    assert.equal((await a.get(`/api/part/${pk}/`)).statusCode, 404);
    const links = await h.db.database.kysely.selectFrom('barcode_link').select('data').where('data', 'like', 'DOOMED-%').execute();
    assert.deepEqual(links, []);
    assert.equal((await a.get(`/api/company/part/${sp}/`)).statusCode, 404);
  });
});

describe('parts: stock totals', () => {
  let h: Harness;
  let a: Api;
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
  });
  after(() => h.close());

  it('counts only stock that is in stock, and reports the other totals', async () => {
    const part = await h.fx.part({ name: 'Counted' });
    const other = await h.fx.part({ name: 'Other' });
    const customer = await h.fx.company({ is_customer: true });
    const externalLoc = await h.fx.location({ external: true });
    const build = await h.fx.build({ part_id: part, status: 20, quantity: 10, completed: 3 });
    const so = await h.fx.salesOrder({ customer_id: customer, status: 15 });
    const parentItem = await h.fx.stockItem({ part_id: other, quantity: 1 });

    const ok = await h.fx.stockItem({ part_id: part, quantity: 10 });
    await h.fx.stockItem({ part_id: part, quantity: 2, status: 50 }); // attention: available
    await h.fx.stockItem({ part_id: part, quantity: 3, location_id: externalLoc }); // external, in stock
    await h.fx.stockItem({ part_id: part, quantity: 100, status: 60 }); // destroyed
    await h.fx.stockItem({ part_id: part, quantity: 0 }); // depleted
    await h.fx.stockItem({ part_id: part, quantity: 7, is_building: true, build_id: build }); // in production
    await h.fx.stockItem({ part_id: part, quantity: 100, sales_order_id: so });
    await h.fx.stockItem({ part_id: part, quantity: 100, belongs_to_id: parentItem });
    await h.fx.stockItem({ part_id: part, quantity: 100, customer_id: customer });
    await h.fx.stockItem({ part_id: part, quantity: 100, consumed_by_id: build });

    // Sales orders: an open order with an unshipped allocation counts, a shipped shipment does not.
    const line = await h.fx.soLine({ order_id: so, part_id: part, quantity: 8, shipped: 2 });
    const open = await h.fx.shipment({ order_id: so });
    const shipped = await h.fx.shipment({ order_id: so, shipment_date: '2026-01-01' });
    await h.fx.allocation({ line_id: line, item_id: ok, quantity: 4, shipment_id: open });
    await h.fx.allocation({ line_id: line, item_id: ok, quantity: 1 });
    await h.fx.allocation({ line_id: line, item_id: ok, quantity: 5, shipment_id: shipped });
    const closed = await h.fx.salesOrder({ customer_id: customer, status: 30 });
    await h.fx.soLine({ order_id: closed, part_id: part, quantity: 50 });

    // Purchase orders: open lines count their outstanding packs × pack size.
    const supplier = await h.fx.company();
    const sp = await h.fx.supplierPart({ part_id: part, supplier_id: supplier, pack_quantity: '10', pack_quantity_native: 10 });
    const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: 20 });
    await h.fx.poLine({ order_id: po, part_id: sp, quantity: 5, received: 2 });
    await h.fx.poLine({ order_id: po, part_id: sp, quantity: 1, received: 3 }); // over-received: nothing outstanding
    const done = await h.fx.purchaseOrder({ supplier_id: supplier, status: 30 });
    await h.fx.poLine({ order_id: done, part_id: sp, quantity: 9 });

    const body = (await a.get(`/api/part/${part}/`)).json();
    assert.equal(body.in_stock, 15);
    assert.equal(body.external_stock, 3);
    assert.equal(body.variant_stock, 0);
    assert.equal(body.total_in_stock, 15);
    assert.equal(body.stock_item_count, 10);
    assert.equal(body.allocated_to_sales_orders, 5);
    assert.equal(body.unallocated_stock, 10);
    assert.equal(body.required_for_sales_orders, 6);
    assert.equal(body.ordering, 30);
    assert.equal(body.building, 7);
    assert.equal(body.scheduled_to_build, 7);
    assert.equal(body.allocated_to_build_orders, 0);
    assert.equal(body.required_for_build_orders, 0);
  });

  it('filters has_stock and low_stock, and orders by in_stock', async () => {
    const empty = await h.fx.part({ name: 'HS-Empty', minimum_stock: 5 });
    const low = await h.fx.part({ name: 'HS-Low', minimum_stock: 5 });
    const full = await h.fx.part({ name: 'HS-Full', minimum_stock: 5 });
    const noMin = await h.fx.part({ name: 'HS-NoMin' });
    await h.fx.stockItem({ part_id: low, quantity: 2 });
    await h.fx.stockItem({ part_id: full, quantity: 9 });
    await h.fx.stockItem({ part_id: noMin, quantity: 1 });
    assert.deepEqual(pks(await a.get('/api/part/?search=HS-&has_stock=true')), [full, low, noMin]);
    assert.deepEqual(pks(await a.get('/api/part/?search=HS-&has_stock=False')), [empty]);
    assert.deepEqual(pks(await a.get('/api/part/?search=HS-&low_stock=true')), [empty, low]);
    assert.deepEqual(pks(await a.get('/api/part/?search=HS-&ordering=-in_stock')), [full, low, noMin, empty]);
  });
});

describe('parts: list filters, search, ordering, details', () => {
  let h: Harness;
  let a: Api;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
    const loc = await h.fx.location({ name: 'Shelf' });
    ids.loc = loc;
    ids.elec = await h.fx.category({ name: 'Electronics', default_location_id: loc });
    ids.res = await h.fx.category({ name: 'Resistors', parent_id: ids.elec });
    ids.mech = await h.fx.category({ name: 'Mechanical' });
    ids.r1 = await h.fx.part({ name: 'Resistor 1k', ipn: 'R-1K', category_id: ids.res, salable: true, keywords: 'ohm' });
    ids.r2 = await h.fx.part({ name: 'Resistor 2k', ipn: 'R-2K', category_id: ids.res, active: false });
    ids.board = await h.fx.part({ name: 'Board', ipn: 'PCB-1', category_id: ids.elec, assembly: true, description: 'main board' });
    ids.screw = await h.fx.part({ name: 'Screw', category_id: ids.mech, trackable: true, default_location_id: loc });
    ids.loose = await h.fx.part({ name: 'Loose', virtual: true, purchaseable: false });
    const maker = await h.fx.company({ is_manufacturer: true });
    await h.fx.manufacturerPart({ part_id: ids.screw, manufacturer_id: maker, mpn: 'M3X8-DIN912' });
    await h.fx.supplierPart({ part_id: ids.loose, supplier_id: maker, sku: 'SKU-LOOSE-77' });
  });
  after(() => h.close());

  it('lists all parts ordered by name without limit', async () => {
    const res = await a.get('/api/part/');
    assert.ok(Array.isArray(res.json()));
    assert.deepEqual(pks(res), [ids.board, ids.loose, ids.r1, ids.r2, ids.screw]);
    assert.deepEqual(pks(await a.get('/api/part/?ordering=-name')), [ids.screw, ids.r2, ids.r1, ids.loose, ids.board]);
    assert.deepEqual(pks(await a.get('/api/part/?ordering=IPN&IPN=pcb-1')), [ids.board]);
  });

  it('filters by category, cascading by default', async () => {
    assert.deepEqual(pks(await a.get(`/api/part/?category=${ids.elec}`)), [ids.board, ids.r1, ids.r2]);
    assert.deepEqual(pks(await a.get(`/api/part/?category=${ids.elec}&cascade=false`)), [ids.board]);
    assert.deepEqual(pks(await a.get(`/api/part/?category=${ids.res}`)), [ids.r1, ids.r2]);
    assert.deepEqual(pks(await a.get('/api/part/?category=null')), [ids.loose]);
  });

  it('answers 400 for an unknown category or part filter', async () => {
    const res = await a.get('/api/part/?category=99999');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { category: [INVALID_CHOICE] });
    assert.deepEqual((await a.get('/api/part/?category=abc&variant_of=99999')).json(), { category: [INVALID_CHOICE], variant_of: [INVALID_CHOICE] });
    assert.deepEqual((await a.get('/api/part/?ancestor=99999')).json(), { ancestor: [INVALID_CHOICE] });
  });

  it('filters by the boolean flags, with Python-style True/False', async () => {
    assert.deepEqual(pks(await a.get('/api/part/?active=False')), [ids.r2]);
    assert.deepEqual(pks(await a.get('/api/part/?salable=True')), [ids.r1]);
    assert.deepEqual(pks(await a.get('/api/part/?assembly=true')), [ids.board]);
    assert.deepEqual(pks(await a.get('/api/part/?trackable=1')), [ids.screw]);
    assert.deepEqual(pks(await a.get('/api/part/?virtual=yes')), [ids.loose]);
    assert.deepEqual(pks(await a.get('/api/part/?purchaseable=false')), [ids.loose]);
    assert.equal(pks(await a.get('/api/part/?component=true')).length, 5);
    assert.deepEqual(pks(await a.get('/api/part/?is_template=true')), []);
    assert.equal(pks(await a.get('/api/part/?active=maybe')).length, 5);
  });

  it('filters IPN case-insensitively and exactly', async () => {
    assert.deepEqual(pks(await a.get('/api/part/?IPN=r-1k')), [ids.r1]);
    assert.deepEqual(pks(await a.get('/api/part/?IPN=R-1')), []);
  });

  it('searches name, description, IPN, keywords, category name, MPN and SKU', async () => {
    assert.deepEqual(pks(await a.get('/api/part/?search=resistor')), [ids.r1, ids.r2]);
    assert.deepEqual(pks(await a.get('/api/part/?search=MAIN')), [ids.board]);
    assert.deepEqual(pks(await a.get('/api/part/?search=pcb')), [ids.board]);
    assert.deepEqual(pks(await a.get('/api/part/?search=ohm')), [ids.r1]);
    assert.deepEqual(pks(await a.get('/api/part/?search=mechanical')), [ids.screw]);
    assert.deepEqual(pks(await a.get('/api/part/?search=din912')), [ids.screw]);
    assert.deepEqual(pks(await a.get('/api/part/?search=sku-loose')), [ids.loose]);
    assert.deepEqual(pks(await a.get('/api/part/?search=resistor%202k')), [ids.r2]);
    assert.deepEqual(pks(await a.get('/api/part/?search=_')), []);
  });

  it('pages with limit', async () => {
    const body = (await a.get('/api/part/?limit=2&offset=1')).json();
    assert.equal(body.count, 5);
    assert.deepEqual(
      body.results.map((p: { pk: number }) => p.pk),
      [ids.loose, ids.r1],
    );
  });

  it('adds category_detail, category_path and default_location_detail on request', async () => {
    const plain = (await a.get(`/api/part/${ids.r1}/`)).json();
    assert.equal(plain.category_detail, undefined);
    assert.equal(plain.category_path, undefined);
    assert.equal(plain.default_location_detail, undefined);
    assert.equal(plain.category_name, 'Resistors');
    assert.equal(plain.category_default_location, ids.loc);
    const full = (await a.get(`/api/part/${ids.r1}/?category_detail=true&path_detail=true&location_detail=true`)).json();
    assert.equal(full.category_detail.pk, ids.res);
    assert.equal(full.category_detail.pathstring, 'Electronics/Resistors');
    assert.deepEqual(full.category_path, [
      { pk: ids.elec, name: 'Electronics', icon: '' },
      { pk: ids.res, name: 'Resistors', icon: '' },
    ]);
    assert.equal(full.default_location_detail, null);
    const screw = (await a.get(`/api/part/${ids.screw}/?location_detail=true`)).json();
    assert.deepEqual(screw.default_location_detail, { pk: ids.loc, name: 'Shelf', pathstring: 'Shelf' });
    const loose = (await a.get(`/api/part/?category_detail=true&path_detail=true&search=loose`)).json()[0];
    assert.equal(loose.category_detail, null);
    assert.equal(loose.category_path, null);
    assert.equal(loose.notes, undefined);
  });
});

describe('parts: permissions', () => {
  let h: Harness;
  let part: number;
  before(async () => {
    h = await createHarness();
    part = await h.fx.part({ name: 'Perm part' });
  });
  after(() => h.close());

  it('needs authentication', async () => {
    assert.equal((await h.request({ method: 'GET', url: '/api/part/' })).statusCode, 401);
  });

  it('part view reads, part add/change/delete write', async () => {
    const viewer = api(h, await h.user('viewer', { roles: { part: { can_view: true } } }));
    assert.equal((await viewer.get('/api/part/')).statusCode, 200);
    assert.equal((await viewer.get(`/api/part/${part}/`)).statusCode, 200);
    assert.equal((await viewer.post('/api/part/', { name: 'x' })).statusCode, 403);
    assert.equal((await viewer.patch(`/api/part/${part}/`, { name: 'x' })).statusCode, 403);
    assert.equal((await viewer.del(`/api/part/${part}/`)).statusCode, 403);
    const editor = api(h, await h.user('editor', { roles: { part: { can_add: true, can_delete: true } } }));
    const created = await editor.post('/api/part/', { name: 'Editor part', active: false });
    assert.equal(created.statusCode, 201);
    assert.equal((await editor.patch(`/api/part/${created.json().pk}/`, { description: 'x' })).statusCode, 200);
    assert.equal((await editor.del(`/api/part/${created.json().pk}/`)).statusCode, 204);
  });

  it('the build ruleset also covers parts; stock and part_category do not', async () => {
    const builder = api(h, await h.user('builder', { roles: { build: { can_view: true } } }));
    assert.equal((await builder.get('/api/part/')).statusCode, 200);
    for (const role of ['stock', 'part_category'] as const) {
      const u = api(h, await h.user(`only-${role}`, { roles: { [role]: { can_view: true, can_add: true } } }));
      assert.equal((await u.get('/api/part/')).statusCode, 403);
    }
  });
});
