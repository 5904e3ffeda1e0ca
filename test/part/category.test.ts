import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness } from '../helpers/app.js';
import { api, INVALID_CHOICE, pks, type Api } from './catalog-helpers.js';

const CATEGORY_KEYS = [
  'pk',
  'name',
  'description',
  'default_location',
  'default_keywords',
  'level',
  'parent',
  'part_count',
  'subcategories',
  'pathstring',
  'starred',
  'structural',
  'icon',
  'parent_default_location',
].sort();

describe('part categories: create, read, keys', () => {
  let h: Harness;
  let a: Api;
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
  });
  after(() => h.close());

  it('creates a category (201) with the serializer keys of §7.2', async () => {
    const res = await a.post('/api/part/category/?format=json', { name: 'Electronics', description: 'All things electronic' });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.equal(typeof body.pk, 'number');
    assert.equal(body.name, 'Electronics');
    assert.equal(body.level, 0);
    assert.equal(body.parent, null);
    assert.equal(body.pathstring, 'Electronics');
    assert.equal(body.starred, false);
    assert.equal(body.part_count, 0);
    assert.equal(body.subcategories, 0);

    const detail = await a.get(`/api/part/category/${body.pk}/`);
    assert.equal(detail.statusCode, 200);
    assert.deepEqual(Object.keys(detail.json()).sort(), CATEGORY_KEYS);
  });

  it('adds `path` only with ?path_detail=true, from the root down', async () => {
    const root = (await a.post('/api/part/category/', { name: 'Mechanical' })).json();
    const child = (await a.post('/api/part/category/', { name: 'Screws', parent: root.pk })).json();
    assert.equal(child.level, 1);
    assert.equal(child.pathstring, 'Mechanical/Screws');
    const plain = (await a.get(`/api/part/category/${child.pk}/`)).json();
    assert.equal(plain.path, undefined);
    const withPath = (await a.get(`/api/part/category/${child.pk}/?path_detail=true`)).json();
    assert.deepEqual(withPath.path, [
      { pk: root.pk, name: 'Mechanical', icon: '' },
      { pk: child.pk, name: 'Screws', icon: '' },
    ]);
  });

  it('answers 404 for a missing category and the catch-all for a non-numeric pk', async () => {
    const missing = await a.get('/api/part/category/99999/');
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { detail: 'No PartCategory matches the given query.' });
    const bad = await a.get('/api/part/category/abc/');
    assert.equal(bad.statusCode, 404);
    assert.equal(bad.json().detail, 'API endpoint not found');
  });

  it('validates the body with DRF messages', async () => {
    const missing = await a.post('/api/part/category/', { description: 'x' });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(missing.json(), { name: ['This field is required.'] });
    const long = await a.post('/api/part/category/', { name: 'x'.repeat(101) });
    assert.deepEqual(long.json(), { name: ['Ensure this field has no more than 100 characters.'] });
    const parent = await a.post('/api/part/category/', { name: 'Orphan', parent: 99999 });
    assert.deepEqual(parent.json(), { parent: ['Invalid pk "99999" - object does not exist.'] });
    const location = await a.post('/api/part/category/', { name: 'Orphan', default_location: 'x' });
    assert.deepEqual(location.json(), { default_location: ['Incorrect type. Expected pk value, received str.'] });
  });

  it('strips HTML tags from text inputs', async () => {
    const res = await a.post('/api/part/category/', { name: 'Tagged', description: '<b>bold</b> text' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().description, 'bold text');
  });
});

describe('part categories: tree rules', () => {
  let h: Harness;
  let a: Api;
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
  });
  after(() => h.close());

  const create = async (name: string, parent?: number, extra: Record<string, unknown> = {}) => {
    const res = await a.post('/api/part/category/', { name, ...(parent !== undefined ? { parent } : {}), ...extra });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().pk as number;
  };

  it('refuses a duplicate name under the same parent, allows it elsewhere', async () => {
    const top = await create('Dup-Top');
    await create('Child', top);
    const dup = await a.post('/api/part/category/', { name: 'Child', parent: top });
    assert.equal(dup.statusCode, 400);
    assert.deepEqual(dup.json(), { non_field_errors: ['Duplicate names cannot exist under the same parent'] });
    const rootDup = await a.post('/api/part/category/', { name: 'Dup-Top' });
    assert.deepEqual(rootDup.json(), { non_field_errors: ['Duplicate names cannot exist under the same parent'] });
    const other = await create('Dup-Other');
    await create('Child', other);
    const sibling = await create('Sibling', top);
    const rename = await a.patch(`/api/part/category/${sibling}/`, { name: 'Child' });
    assert.equal(rename.statusCode, 400);
    assert.deepEqual(rename.json(), { non_field_errors: ['Duplicate names cannot exist under the same parent'] });
  });

  it('rebuilds pathstring and level of the whole subtree on rename and move', async () => {
    const a1 = await create('A1');
    const b1 = await create('B1', a1);
    const c1 = await create('C1', b1);
    const renamed = await a.patch(`/api/part/category/${a1}/`, { name: 'A1x' });
    assert.equal(renamed.statusCode, 200);
    assert.equal((await a.get(`/api/part/category/${c1}/`)).json().pathstring, 'A1x/B1/C1');
    const other = await create('Other');
    const moved = await a.patch(`/api/part/category/${b1}/`, { parent: other });
    assert.equal(moved.statusCode, 200);
    const c = (await a.get(`/api/part/category/${c1}/`)).json();
    assert.equal(c.pathstring, 'Other/B1/C1');
    assert.equal(c.level, 2);
    const toRoot = await a.patch(`/api/part/category/${b1}/`, { parent: null });
    assert.equal(toRoot.json().level, 0);
    assert.equal((await a.get(`/api/part/category/${c1}/`)).json().pathstring, 'B1/C1');
  });

  it('refuses to move a category under itself or one of its descendants', async () => {
    const top = await create('Loop');
    const mid = await create('Loop-Mid', top);
    const low = await create('Loop-Low', mid);
    for (const target of [top, low]) {
      const res = await a.patch(`/api/part/category/${top}/`, { parent: target });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), { parent: ['Invalid choice'] });
    }
    assert.equal((await a.get(`/api/part/category/${top}/`)).json().parent, null);
  });

  it('counts parts including subcategories, and all descendant categories', async () => {
    const top = await create('Count-Top');
    const mid = await create('Count-Mid', top);
    const low = await create('Count-Low', mid);
    await h.fx.part({ category_id: top });
    await h.fx.part({ category_id: mid });
    await h.fx.part({ category_id: low });
    await h.fx.part({ category_id: low });
    const body = (await a.get(`/api/part/category/${top}/`)).json();
    assert.equal(body.part_count, 4);
    assert.equal(body.subcategories, 2);
    assert.equal((await a.get(`/api/part/category/${low}/`)).json().part_count, 2);
  });

  it('inherits parent_default_location from the nearest ancestor with one', async () => {
    const loc = await h.fx.location();
    const top = await create('Loc-Top', undefined, { default_location: loc });
    const mid = await create('Loc-Mid', top);
    const low = await create('Loc-Low', mid);
    assert.equal((await a.get(`/api/part/category/${top}/`)).json().parent_default_location, null);
    assert.equal((await a.get(`/api/part/category/${top}/`)).json().default_location, loc);
    assert.equal((await a.get(`/api/part/category/${low}/`)).json().parent_default_location, loc);
  });

  it('refuses to make a category with parts structural', async () => {
    const cat = await create('Has-Parts');
    await h.fx.part({ category_id: cat });
    const res = await a.patch(`/api/part/category/${cat}/`, { structural: true });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { non_field_errors: ['You cannot make this part category structural because some parts are already assigned to it!'] });
    const empty = await create('No-Parts');
    const ok = await a.patch(`/api/part/category/${empty}/`, { structural: true });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().structural, true);
  });

  it('deletes a category: children and parts move to its parent, paths rebuilt', async () => {
    const top = await create('Del-Top');
    const doomed = await create('Del-Mid', top);
    const child = await create('Del-Child', doomed);
    const grandchild = await create('Del-Grand', child);
    const part = await h.fx.part({ category_id: doomed });
    const res = await a.del(`/api/part/category/${doomed}/`);
    assert.equal(res.statusCode, 204);
    assert.equal(res.body, '');
    assert.equal((await a.get(`/api/part/category/${doomed}/`)).statusCode, 404);
    const c = (await a.get(`/api/part/category/${child}/`)).json();
    assert.equal(c.parent, top);
    assert.equal(c.pathstring, 'Del-Top/Del-Child');
    assert.equal(c.level, 1);
    assert.equal((await a.get(`/api/part/category/${grandchild}/`)).json().pathstring, 'Del-Top/Del-Child/Del-Grand');
    assert.equal((await a.get(`/api/part/${part}/`)).json().category, top);
  });

  it('lists in tree order: every category directly followed by its subtree', async () => {
    const t = await create('T');
    const tz = await create('Z', t);
    const tb = await create('T B');
    const ta = await create('a', t);
    const all = pks(await a.get('/api/part/category/'));
    const order = all.filter((id) => [t, tz, tb, ta].includes(id));
    assert.deepEqual(order, [t, tz, ta, tb]);
  });

  it('deleting a top-level category leaves its parts without a category', async () => {
    const top = await create('Del-Root');
    const child = await create('Del-Root-Child', top);
    const part = await h.fx.part({ category_id: top });
    assert.equal((await a.del(`/api/part/category/${top}/`)).statusCode, 204);
    assert.equal((await a.get(`/api/part/${part}/`)).json().category, null);
    const c = (await a.get(`/api/part/category/${child}/`)).json();
    assert.equal(c.parent, null);
    assert.equal(c.level, 0);
    assert.equal(c.pathstring, 'Del-Root-Child');
  });
});

describe('part categories: list filters, search, ordering, tree', () => {
  let h: Harness;
  let a: Api;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    a = api(h, await h.user('admin', { is_superuser: true }));
    const create = async (key: string, name: string, parent?: string, extra: Record<string, unknown> = {}) => {
      const res = await a.post('/api/part/category/', { name, ...(parent ? { parent: ids[parent] } : {}), ...extra });
      ids[key] = res.json().pk;
    };
    await create('elec', 'Electronics', undefined, { description: 'electronic parts' });
    await create('pas', 'Passives', 'elec', { structural: true });
    await create('res', 'Resistors', 'pas');
    await create('cap', 'Capacitors', 'pas');
    await create('mech', 'Mechanical');
    await create('scr', 'Screws', 'mech');
  });
  after(() => h.close());

  it('lists everything without limit as a plain array, in tree order', async () => {
    const res = await a.get('/api/part/category/');
    assert.equal(res.statusCode, 200);
    assert.ok(Array.isArray(res.json()));
    assert.deepEqual(pks(res), [ids.elec, ids.pas, ids.cap, ids.res, ids.mech, ids.scr]);
  });

  it('pages with limit/offset', async () => {
    const res = await a.get('/api/part/category/?limit=2&offset=2');
    const body = res.json();
    assert.equal(body.count, 6);
    assert.equal(body.results.length, 2);
    assert.match(body.next, /offset=4/);
    assert.match(body.previous, /limit=2/);
  });

  it('filters by parent (direct children unless cascade)', async () => {
    assert.deepEqual(pks(await a.get(`/api/part/category/?parent=${ids.elec}`)), [ids.pas]);
    assert.deepEqual(pks(await a.get(`/api/part/category/?parent=${ids.elec}&cascade=true`)), [ids.pas, ids.cap, ids.res]);
    assert.deepEqual(pks(await a.get(`/api/part/category/?parent=${ids.elec}&cascade=False`)), [ids.pas]);
  });

  it('answers 400 for an unknown parent', async () => {
    const res = await a.get('/api/part/category/?parent=99999');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { parent: [INVALID_CHOICE] });
    const text = await a.get('/api/part/category/?parent=abc');
    assert.deepEqual(text.json(), { parent: [INVALID_CHOICE] });
  });

  it('filters top-level, structural and by exact name', async () => {
    assert.deepEqual(pks(await a.get('/api/part/category/?top_level=true')), [ids.elec, ids.mech]);
    assert.deepEqual(pks(await a.get('/api/part/category/?parent=null')), [ids.elec, ids.mech]);
    assert.deepEqual(pks(await a.get('/api/part/category/?structural=True')), [ids.pas]);
    assert.equal(pks(await a.get('/api/part/category/?structural=false')).length, 5);
    assert.deepEqual(pks(await a.get('/api/part/category/?name=Screws')), [ids.scr]);
    assert.deepEqual(pks(await a.get('/api/part/category/?name=screw')), []);
  });

  it('searches name, description and pathstring, every word must match', async () => {
    assert.deepEqual(pks(await a.get('/api/part/category/?search=CAPAC')), [ids.cap]);
    assert.deepEqual(pks(await a.get('/api/part/category/?search=electronic')), [ids.elec, ids.pas, ids.cap, ids.res]);
    assert.deepEqual(pks(await a.get('/api/part/category/?search=passives%20res')), [ids.res]);
    assert.deepEqual(pks(await a.get('/api/part/category/?search=%25')), []);
  });

  it('orders by name, -name and level', async () => {
    assert.deepEqual(pks(await a.get('/api/part/category/?ordering=name')), [ids.cap, ids.elec, ids.mech, ids.pas, ids.res, ids.scr]);
    assert.deepEqual(pks(await a.get('/api/part/category/?ordering=-name')), [ids.scr, ids.res, ids.pas, ids.mech, ids.elec, ids.cap]);
    const levels = (await a.get('/api/part/category/?ordering=-level')).json().map((c: { level: number }) => c.level);
    assert.deepEqual(levels, [2, 2, 1, 1, 0, 0]);
  });

  it('serves the tree endpoint with its short keys, ordered by level then name', async () => {
    const res = await a.get('/api/part/category/tree/');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body[0]).sort(), ['icon', 'name', 'parent', 'pk', 'structural', 'subcategories']);
    assert.deepEqual(
      body.map((c: { pk: number }) => c.pk),
      [ids.elec, ids.mech, ids.pas, ids.scr, ids.cap, ids.res],
    );
    assert.equal(body[0].subcategories, 3);
    assert.equal(body.find((c: { pk: number }) => c.pk === ids.pas).structural, true);
    const paged = (await a.get('/api/part/category/tree/?limit=1')).json();
    assert.equal(paged.count, 6);
  });
});

describe('part categories: permissions', () => {
  let h: Harness;
  let cat: number;
  before(async () => {
    h = await createHarness();
    cat = await h.fx.category({ name: 'Perm' });
  });
  after(() => h.close());

  it('needs authentication', async () => {
    const res = await h.request({ method: 'GET', url: '/api/part/category/' });
    assert.equal(res.statusCode, 401);
  });

  it('part_category view may read but not write', async () => {
    const u = api(h, await h.user('viewer', { roles: { part_category: { can_view: true } } }));
    assert.equal((await u.get('/api/part/category/')).statusCode, 200);
    assert.equal((await u.get(`/api/part/category/${cat}/`)).statusCode, 200);
    assert.equal((await u.get('/api/part/category/tree/')).statusCode, 200);
    const post = await u.post('/api/part/category/', { name: 'Nope' });
    assert.equal(post.statusCode, 403);
    assert.deepEqual(post.json(), { detail: 'You do not have permission to perform this action.' });
    assert.equal((await u.patch(`/api/part/category/${cat}/`, { name: 'Nope' })).statusCode, 403);
    assert.equal((await u.del(`/api/part/category/${cat}/`)).statusCode, 403);
  });

  it('part_category add/change/delete grant the writes', async () => {
    const u = api(h, await h.user('editor', { roles: { part_category: { can_add: true, can_delete: true } } }));
    const created = await u.post('/api/part/category/', { name: 'Editor-made' });
    assert.equal(created.statusCode, 201);
    assert.equal((await u.patch(`/api/part/category/${created.json().pk}/`, { description: 'x' })).statusCode, 200);
    assert.equal((await u.del(`/api/part/category/${created.json().pk}/`)).statusCode, 204);
  });

  it('the build ruleset also covers categories; the part ruleset does not', async () => {
    const builder = api(h, await h.user('builder', { roles: { build: { can_view: true } } }));
    assert.equal((await builder.get('/api/part/category/')).statusCode, 200);
    const parter = api(h, await h.user('parter', { roles: { part: { can_view: true, can_add: true } } }));
    assert.equal((await parter.get('/api/part/category/')).statusCode, 403);
    assert.equal((await parter.post('/api/part/category/', { name: 'x' })).statusCode, 403);
  });
});
