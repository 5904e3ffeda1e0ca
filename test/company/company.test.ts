import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness } from '../helpers/app.js';
import { api, pks, type Api } from '../part/catalog-helpers.js';

const COMPANY_KEYS = [
  'pk',
  'name',
  'description',
  'website',
  'phone',
  'email',
  'currency',
  'contact',
  'link',
  'image',
  'active',
  'is_customer',
  'is_manufacturer',
  'is_supplier',
  'parts_supplied',
  'parts_manufactured',
  'primary_address',
  'address',
  'address_count',
  'tax_id',
  'tags',
].sort();

describe('companies: create, read, update', () => {
  let h: Harness;
  let a: Api;
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
  });
  after(() => h.close());

  it('creates a company (201) with the keys of §7.1 and InvenTree defaults', async () => {
    const res = await a.post('/api/company/?format=json', { name: 'Acme', description: 'Widgets', email: 'sales@acme.test', tax_id: 'DE123' });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), [...COMPANY_KEYS, 'notes'].sort());
    assert.equal(body.is_supplier, true);
    assert.equal(body.is_customer, false);
    assert.equal(body.is_manufacturer, false);
    assert.equal(body.active, true);
    assert.equal(body.currency, 'USD');
    assert.equal(body.address, '');
    assert.equal(body.address_count, 0);
    assert.equal(body.primary_address, null);
    assert.equal(body.image, null);
    assert.deepEqual(body.tags, []);
    const list = (await a.get('/api/company/')).json();
    assert.deepEqual(Object.keys(list[0]).sort(), COMPANY_KEYS);
    const detail = (await a.get(`/api/company/${body.pk}/?parameters=true`)).json();
    assert.deepEqual(detail.parameters, []);
    assert.equal(detail.notes, '');
  });

  it('takes the default currency from INVENTREE_DEFAULT_CURRENCY', async () => {
    await h.app.ctx.settings.setGlobal('INVENTREE_DEFAULT_CURRENCY', 'EUR');
    try {
      assert.equal((await a.post('/api/company/', { name: 'Euro Co' })).json().currency, 'EUR');
      assert.equal((await a.post('/api/company/', { name: 'Pound Co', currency: 'GBP' })).json().currency, 'GBP');
    } finally {
      await h.app.ctx.settings.setGlobal('INVENTREE_DEFAULT_CURRENCY', 'USD');
    }
  });

  it('counts supplied and manufactured parts', async () => {
    const co = (await a.post('/api/company/', { name: 'Counter', is_manufacturer: true })).json().pk;
    const p1 = await h.fx.part();
    const p2 = await h.fx.part();
    await h.fx.supplierPart({ part_id: p1, supplier_id: co });
    await h.fx.supplierPart({ part_id: p2, supplier_id: co });
    await h.fx.manufacturerPart({ part_id: p1, manufacturer_id: co });
    const body = (await a.get(`/api/company/${co}/`)).json();
    assert.equal(body.parts_supplied, 2);
    assert.equal(body.parts_manufactured, 1);
  });

  it('validates the body with DRF messages', async () => {
    assert.deepEqual((await a.post('/api/company/', {})).json(), { name: ['This field is required.'] });
    assert.deepEqual((await a.post('/api/company/', { name: 'x'.repeat(101) })).json(), { name: ['Ensure this field has no more than 100 characters.'] });
    assert.deepEqual((await a.post('/api/company/', { name: 'Bad mail', email: 'not-an-email' })).json(), { email: ['Enter a valid email address.'] });
    assert.deepEqual((await a.post('/api/company/', { name: 'Bad cur', currency: 'eur' })).json(), { currency: ['"eur" is not a valid choice.'] });
    // A choice field: a code of the wrong length is not a valid choice either.
    assert.deepEqual((await a.post('/api/company/', { name: 'Bad cur', currency: 'EURO' })).json(), { currency: ['"EURO" is not a valid choice.'] });
    assert.deepEqual((await a.post('/api/company/', { name: 'Bad flag', is_customer: 'perhaps' })).json(), { is_customer: ['Must be a valid boolean.'] });
  });

  it('keeps (name, email) unique as DRF reports it, and ignores null emails', async () => {
    assert.equal((await a.post('/api/company/', { name: 'Twin', email: 'twin@example.com' })).statusCode, 201);
    const dup = await a.post('/api/company/', { name: 'Twin', email: 'twin@example.com' });
    assert.equal(dup.statusCode, 400);
    assert.deepEqual(dup.json(), { non_field_errors: ['The fields name, email must make a unique set.'] });
    assert.equal((await a.post('/api/company/', { name: 'Twin', email: 'other@example.com' })).statusCode, 201);
    assert.equal((await a.post('/api/company/', { name: 'Twin' })).statusCode, 201);
    assert.equal((await a.post('/api/company/', { name: 'Twin', email: null })).statusCode, 201);
    const other = (await a.post('/api/company/', { name: 'Twin', email: 'third@example.com' })).json().pk;
    const clash = await a.patch(`/api/company/${other}/`, { email: 'twin@example.com' });
    assert.deepEqual(clash.json(), { non_field_errors: ['The fields name, email must make a unique set.'] });
  });

  it('updates with PATCH (partial) and PUT (name required)', async () => {
    const pk = (await a.post('/api/company/', { name: 'Mutable' })).json().pk;
    const patched = await a.patch(`/api/company/${pk}/?format=json`, { is_customer: true, website: 'https://example.com' });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().is_customer, true);
    assert.equal(patched.json().name, 'Mutable');
    assert.deepEqual((await a.put(`/api/company/${pk}/`, { phone: '1' })).json(), { name: ['This field is required.'] });
    const put = await a.put(`/api/company/${pk}/`, { name: 'Mutated', phone: '123' });
    assert.equal(put.json().name, 'Mutated');
    assert.equal(put.json().website, 'https://example.com');
  });

  it('answers 404 for a missing company', async () => {
    assert.deepEqual((await a.get('/api/company/99999/')).json(), { detail: 'No Company matches the given query.' });
  });
});

describe('companies: list filters, search, ordering', () => {
  let h: Harness;
  let a: Api;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
    ids.digi = await h.fx.company({ name: 'DigiKey', is_supplier: true, website: 'https://digikey.example' });
    ids.mouser = await h.fx.company({ name: 'Mouser', is_supplier: true, description: 'distributor' });
    ids.ti = await h.fx.company({ name: 'Texas Instruments', is_supplier: false, is_manufacturer: true, tax_id: 'TX-99' });
    ids.cust = await h.fx.company({ name: 'Customer Ltd', is_supplier: false, is_customer: true, active: false });
    const p = await h.fx.part();
    await h.fx.supplierPart({ part_id: p, supplier_id: ids.mouser });
    await h.fx.supplierPart({ part_id: p, supplier_id: ids.mouser });
    await h.fx.supplierPart({ part_id: p, supplier_id: ids.digi });
  });
  after(() => h.close());

  it('lists by name without limit', async () => {
    assert.deepEqual(pks(await a.get('/api/company/')), [ids.cust, ids.digi, ids.mouser, ids.ti]);
  });

  it('filters by role flags, active and exact name', async () => {
    assert.deepEqual(pks(await a.get('/api/company/?is_supplier=True')), [ids.digi, ids.mouser]);
    assert.deepEqual(pks(await a.get('/api/company/?is_manufacturer=true')), [ids.ti]);
    assert.deepEqual(pks(await a.get('/api/company/?is_customer=1')), [ids.cust]);
    assert.deepEqual(pks(await a.get('/api/company/?active=False')), [ids.cust]);
    assert.deepEqual(pks(await a.get('/api/company/?name=Mouser')), [ids.mouser]);
    assert.deepEqual(pks(await a.get('/api/company/?name=mouser')), []);
  });

  it('searches name, description, website and tax_id', async () => {
    assert.deepEqual(pks(await a.get('/api/company/?search=texas')), [ids.ti]);
    assert.deepEqual(pks(await a.get('/api/company/?search=DISTRIB')), [ids.mouser]);
    assert.deepEqual(pks(await a.get('/api/company/?search=digikey.example')), [ids.digi]);
    assert.deepEqual(pks(await a.get('/api/company/?search=tx-99')), [ids.ti]);
  });

  it('orders by name and by parts supplied', async () => {
    assert.deepEqual(pks(await a.get('/api/company/?ordering=-name')), [ids.ti, ids.mouser, ids.digi, ids.cust]);
    assert.deepEqual(pks(await a.get('/api/company/?ordering=-parts_supplied')).slice(0, 2), [ids.mouser, ids.digi]);
    const page = (await a.get('/api/company/?limit=1')).json();
    assert.equal(page.count, 4);
    assert.equal(page.results.length, 1);
  });
});

describe('companies: deletion', () => {
  let h: Harness;
  let a: Api;
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
  });
  after(() => h.close());

  it('deletes a company with its supplier and manufacturer parts and their barcode links', async () => {
    const co = await h.fx.company({ name: 'Gone', is_manufacturer: true });
    const part = await h.fx.part();
    const mp = await h.fx.manufacturerPart({ part_id: part, manufacturer_id: co });
    const sp = await h.fx.supplierPart({ part_id: part, supplier_id: co });
    await h.fx.link('supplierpart', sp, 'GONE-SP');
    await h.fx.link('manufacturerpart', mp, 'GONE-MP');
    const res = await a.del(`/api/company/${co}/`);
    assert.equal(res.statusCode, 204);
    assert.equal((await a.get(`/api/company/${co}/`)).statusCode, 404);
    assert.equal((await a.get(`/api/company/part/${sp}/`)).statusCode, 404);
    assert.equal((await a.get(`/api/company/part/manufacturer/${mp}/`)).statusCode, 404);
    const links = await h.db.database.kysely.selectFrom('barcode_link').select('id').where('data', 'like', 'GONE-%').execute();
    assert.deepEqual(links, []);
    assert.equal((await a.get(`/api/part/${part}/`)).statusCode, 200);
  });

  it('refuses to delete a company that orders reference', async () => {
    const supplier = await h.fx.company({ name: 'Ordered from' });
    await h.fx.purchaseOrder({ supplier_id: supplier });
    const res = await a.del(`/api/company/${supplier}/`);
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { non_field_errors: ['Cannot delete this company as it is referenced by purchase orders'] });
    const customer = await h.fx.company({ name: 'Sold to', is_customer: true });
    await h.fx.salesOrder({ customer_id: customer });
    await h.fx.returnOrder({ customer_id: customer });
    assert.deepEqual((await a.del(`/api/company/${customer}/`)).json(), {
      non_field_errors: ['Cannot delete this company as it is referenced by sales orders', 'Cannot delete this company as it is referenced by return orders'],
    });
  });
});

describe('companies: permissions (company_company)', () => {
  let h: Harness;
  let co: number;
  before(async () => {
    h = await createHarness();
    co = await h.fx.company({ name: 'Perm Co' });
  });
  after(() => h.close());

  it('needs authentication', async () => {
    assert.equal((await h.request({ method: 'GET', url: '/api/company/' })).statusCode, 401);
  });

  it('purchase_order view reads but does not write', async () => {
    const u = api(h, await h.user('po-viewer', { roles: { purchase_order: { can_view: true } } }));
    assert.equal((await u.get('/api/company/')).statusCode, 200);
    assert.equal((await u.get(`/api/company/${co}/`)).statusCode, 200);
    assert.equal((await u.post('/api/company/', { name: 'x' })).statusCode, 403);
    assert.equal((await u.patch(`/api/company/${co}/`, { name: 'x' })).statusCode, 403);
  });

  it('sales_order and return_order rulesets also cover companies', async () => {
    const so = api(h, await h.user('so-adder', { roles: { sales_order: { can_add: true } } }));
    assert.equal((await so.post('/api/company/', { name: 'By sales' })).statusCode, 201);
    const ro = api(h, await h.user('ro-deleter', { roles: { return_order: { can_delete: true } } }));
    const pk = await h.fx.company({ name: 'To delete' });
    assert.equal((await ro.del(`/api/company/${pk}/`)).statusCode, 204);
  });

  it('part and stock rulesets do not', async () => {
    for (const role of ['part', 'stock'] as const) {
      const u = api(h, await h.user(`only-${role}`, { roles: { [role]: { can_view: true, can_add: true } } }));
      assert.equal((await u.get('/api/company/')).statusCode, 403);
      assert.equal((await u.post('/api/company/', { name: 'x' })).statusCode, 403);
    }
  });
});
