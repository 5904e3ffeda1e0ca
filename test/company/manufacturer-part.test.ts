import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness } from '../helpers/app.js';
import { api, INVALID_CHOICE, pks, type Api } from '../part/catalog-helpers.js';

const URL = '/api/company/part/manufacturer/';
const MP_KEYS = ['pk', 'part', 'part_detail', 'manufacturer', 'manufacturer_detail', 'description', 'MPN', 'link', 'barcode_hash', 'tags'].sort();

describe('manufacturer parts: create, read, validate', () => {
  let h: Harness;
  let a: Api;
  let part: number;
  let maker: number;
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
    part = await h.fx.part({ name: 'Op-amp', ipn: 'OA-1' });
    maker = await h.fx.company({ name: 'TI', is_manufacturer: true });
  });
  after(() => h.close());

  it('creates (201) with part_detail and manufacturer_detail on by default', async () => {
    const res = await a.post(`${URL}?format=json`, { part, manufacturer: maker, MPN: 'LM358', description: 'dual op-amp' });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), [...MP_KEYS, 'notes'].sort());
    assert.equal(body.part_detail.pk, part);
    assert.equal(body.part_detail.full_name, 'OA-1 | Op-amp');
    assert.equal(body.manufacturer_detail.name, 'TI');
    assert.equal(body.barcode_hash, '');
    const list = (await a.get(URL)).json();
    assert.deepEqual(Object.keys(list[0]).sort(), MP_KEYS);
    const bare = (await a.get(`${URL}${body.pk}/?part_detail=false&manufacturer_detail=false`)).json();
    assert.equal(bare.part_detail, undefined);
    assert.equal(bare.manufacturer_detail, undefined);
    assert.equal((await a.get(`${URL}${body.pk}/?pretty=true`)).json().pretty_name, 'TI | LM358');
  });

  it('accepts purchaseable parts and manufacturer companies only', async () => {
    const unbuyable = await h.fx.part({ purchaseable: false });
    const notMaker = await h.fx.company({ is_manufacturer: false });
    const res = await a.post(URL, { part: unbuyable, manufacturer: notMaker, MPN: 'X' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      part: [`Invalid pk "${unbuyable}" - object does not exist.`],
      manufacturer: [`Invalid pk "${notMaker}" - object does not exist.`],
    });
    assert.deepEqual((await a.post(URL, { MPN: 'X' })).json(), { part: ['This field is required.'] });
  });

  it('keeps (part, manufacturer, MPN) unique, skipping the check when one is null', async () => {
    assert.equal((await a.post(URL, { part, manufacturer: maker, MPN: 'DUP' })).statusCode, 201);
    const dup = await a.post(URL, { part, manufacturer: maker, MPN: 'DUP' });
    assert.equal(dup.statusCode, 400);
    assert.deepEqual(dup.json(), { non_field_errors: ['The fields part, manufacturer, MPN must make a unique set.'] });
    assert.equal((await a.post(URL, { part, MPN: 'NOMAKER' })).statusCode, 201);
    assert.equal((await a.post(URL, { part, MPN: 'NOMAKER' })).statusCode, 201);
    const other = (await a.post(URL, { part, manufacturer: maker, MPN: 'OTHER' })).json().pk;
    assert.deepEqual((await a.patch(`${URL}${other}/`, { MPN: 'DUP' })).json(), { non_field_errors: ['The fields part, manufacturer, MPN must make a unique set.'] });
  });

  it('updates with PATCH and PUT', async () => {
    const pk = (await a.post(URL, { part, manufacturer: maker, MPN: 'UPD-1' })).json().pk;
    const patched = await a.patch(`${URL}${pk}/`, { description: 'updated', link: 'https://ti.example/upd' });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().description, 'updated');
    assert.deepEqual((await a.put(`${URL}${pk}/`, { MPN: 'UPD-2' })).json(), { part: ['This field is required.'] });
    assert.equal((await a.put(`${URL}${pk}/`, { part, MPN: 'UPD-2' })).json().MPN, 'UPD-2');
  });

  it('shows the barcode hash, and deleting removes its links and unlinks supplier parts', async () => {
    const pk = (await a.post(URL, { part, manufacturer: maker, MPN: 'BAR-1' })).json().pk;
    const supplier = await h.fx.company();
    const sp = await h.fx.supplierPart({ part_id: part, supplier_id: supplier, manufacturer_part_id: pk });
    const hash = await h.fx.link('manufacturerpart', pk, 'MP-BARCODE');
    assert.equal((await a.get(`${URL}${pk}/`)).json().barcode_hash, hash);
    assert.equal((await a.del(`${URL}${pk}/`)).statusCode, 204);
    assert.deepEqual((await a.get(`${URL}${pk}/`)).json(), { detail: 'No ManufacturerPart matches the given query.' });
    const links = await h.db.database.kysely.selectFrom('barcode_link').select('id').where('data', '=', 'MP-BARCODE').execute();
    assert.deepEqual(links, []);
    assert.equal((await a.get(`/api/company/part/${sp}/`)).json().manufacturer_part, null);
  });
});

describe('manufacturer parts: filters, search, ordering', () => {
  let h: Harness;
  let a: Api;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
    const p1 = await h.fx.part({ name: 'Capacitor', ipn: 'C-100N', description: 'ceramic' });
    const p2 = await h.fx.part({ name: 'Inductor', active: false });
    const m1 = await h.fx.company({ name: 'Murata', is_manufacturer: true });
    const m2 = await h.fx.company({ name: 'Yageo', is_manufacturer: true, active: false });
    Object.assign(ids, { p1, p2, m1, m2 });
    ids.a = await h.fx.manufacturerPart({ part_id: p1, manufacturer_id: m1, mpn: 'GRM188', description: 'X7R' });
    ids.b = await h.fx.manufacturerPart({ part_id: p1, manufacturer_id: m2, mpn: 'CC0603' });
    ids.c = await h.fx.manufacturerPart({ part_id: p2, manufacturer_id: m1, mpn: 'LQH3' });
  });
  after(() => h.close());

  it('filters by manufacturer, part, MPN and active flags', async () => {
    assert.deepEqual(pks(await a.get(`${URL}?manufacturer=${ids.m1}`)), [ids.a, ids.c]);
    assert.deepEqual(pks(await a.get(`${URL}?part=${ids.p1}`)), [ids.a, ids.b]);
    assert.deepEqual(pks(await a.get(`${URL}?MPN=CC0603`)), [ids.b]);
    assert.deepEqual(pks(await a.get(`${URL}?part_active=False`)), [ids.c]);
    assert.deepEqual(pks(await a.get(`${URL}?manufacturer_active=false`)), [ids.b]);
  });

  it('answers 400 for unknown manufacturer or part filters', async () => {
    const res = await a.get(`${URL}?manufacturer=99999&part=x`);
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { manufacturer: [INVALID_CHOICE], part: [INVALID_CHOICE] });
  });

  it('searches manufacturer name, description, MPN and part IPN/name/description', async () => {
    assert.deepEqual(pks(await a.get(`${URL}?search=yageo`)), [ids.b]);
    assert.deepEqual(pks(await a.get(`${URL}?search=x7r`)), [ids.a]);
    assert.deepEqual(pks(await a.get(`${URL}?search=lqh`)), [ids.c]);
    assert.deepEqual(pks(await a.get(`${URL}?search=c-100n`)), [ids.a, ids.b]);
    assert.deepEqual(pks(await a.get(`${URL}?search=ceramic%20murata`)), [ids.a]);
  });

  it('orders by MPN and manufacturer', async () => {
    assert.deepEqual(pks(await a.get(`${URL}?ordering=MPN`)), [ids.b, ids.a, ids.c]);
    assert.deepEqual(pks(await a.get(`${URL}?ordering=-manufacturer`)), [ids.b, ids.a, ids.c]);
    assert.equal((await a.get(`${URL}?limit=2`)).json().count, 3);
  });
});

describe('manufacturer parts: permissions (company_manufacturerpart)', () => {
  let h: Harness;
  let part: number;
  before(async () => {
    h = await createHarness();
    part = await h.fx.part();
  });
  after(() => h.close());

  it('part and purchase_order rulesets grant access, stock and sales_order do not', async () => {
    const partUser = api(h, await h.user('part-adder', { roles: { part: { can_add: true } } }));
    assert.equal((await partUser.get(URL)).statusCode, 200);
    assert.equal((await partUser.post(URL, { part, MPN: 'P-1' })).statusCode, 201);
    const poViewer = api(h, await h.user('po-viewer', { roles: { purchase_order: { can_view: true } } }));
    assert.equal((await poViewer.get(URL)).statusCode, 200);
    assert.equal((await poViewer.post(URL, { part, MPN: 'P-2' })).statusCode, 403);
    for (const role of ['stock', 'sales_order'] as const) {
      const u = api(h, await h.user(`only-${role}`, { roles: { [role]: { can_view: true } } }));
      assert.equal((await u.get(URL)).statusCode, 403);
    }
  });
});
