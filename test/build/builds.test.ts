import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { today } from '../../src/util/time.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

const BUILD_KEYS = [
  'pk',
  'title',
  'barcode_hash',
  'batch',
  'creation_date',
  'completed',
  'completion_date',
  'destination',
  'external',
  'parent',
  'part',
  'part_name',
  'part_detail',
  'project_code',
  'project_code_label',
  'project_code_detail',
  'overdue',
  'reference',
  'sales_order',
  'quantity',
  'start_date',
  'status',
  'status_text',
  'status_custom_key',
  'target_date',
  'take_from',
  'link',
  'issued_by',
  'issued_by_detail',
  'responsible',
  'responsible_detail',
  'priority',
  'level',
];

function send(h: Harness, user: TestUser) {
  const go = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE') => (url: string, payload?: object) =>
    h.request({ method, url, headers: user.auth, ...(payload !== undefined ? { payload } : {}) });
  return { get: go('GET'), post: go('POST'), put: go('PUT'), patch: go('PATCH'), delete: go('DELETE') };
}

describe('build orders: create, read, update, delete', () => {
  let h: Harness;
  let root: TestUser;
  let api: ReturnType<typeof send>;
  let assembly: number;
  before(async () => {
    h = await createHarness();
    root = await h.user('root', { is_superuser: true });
    api = send(h, root);
    assembly = await h.fx.part({ assembly: true, name: 'Robot', ipn: 'RB-1' });
  });
  after(() => h.close());

  it('creates a build order with the next reference; status is read-only', async () => {
    const location = await h.fx.location();
    const res = await api.post('/api/build/', { part: assembly, quantity: 3, title: 'Robots', destination: location, status: 40, completed: 3 });
    assert.equal(res.statusCode, 201);
    const b = res.json();
    assert.deepEqual(Object.keys(b).sort(), [...BUILD_KEYS, 'notes'].sort());
    assert.equal(b.reference, 'BO-0001');
    assert.equal(b.status, 10);
    assert.equal(b.status_text, 'Pending');
    assert.equal(b.completed, 0);
    assert.equal(b.quantity, 3);
    assert.equal(b.part_name, 'RB-1 | Robot');
    assert.equal(b.part_detail.pk, assembly);
    assert.equal(b.destination, location);
    assert.equal(b.creation_date, today());
    assert.equal(b.issued_by, root.user.id);
    assert.equal(b.issued_by_detail.username, 'root');
    assert.equal(b.level, 0);
    assert.equal(b.barcode_hash, '');
    const next = await api.post('/api/build/', { part: assembly, quantity: 1, reference: 'BO-0042' });
    assert.equal(next.json().reference, 'BO-0042');
    assert.equal((await api.post('/api/build/', { part: assembly, quantity: 1 })).json().reference, 'BO-0043');
  });

  it('refuses parts that are not assemblies, quantities below 1 and bad references', async () => {
    const plain = await h.fx.part({ assembly: false });
    assert.deepEqual((await api.post('/api/build/', { part: plain, quantity: 1 })).json(), { part: [`Invalid pk "${plain}" - object does not exist.`] });
    assert.deepEqual((await api.post('/api/build/', { part: assembly, quantity: 0 })).json(), { quantity: ['Ensure this value is greater than or equal to 1.'] });
    assert.deepEqual((await api.post('/api/build/', {})).json(), { part: ['This field is required.'], quantity: ['This field is required.'] });
    assert.deepEqual((await api.post('/api/build/', { part: assembly, quantity: 1, priority: 3000000000 })).json(), { priority: ['Ensure this value is less than or equal to 2147483647.'] });
    assert.deepEqual((await api.post('/api/build/', { part: assembly, quantity: 1, reference: 'SO-1' })).json(), { reference: ['Reference must match required pattern: BO-{ref:04d}'] });
    await api.post('/api/build/', { part: assembly, quantity: 1, reference: 'BO-0500' });
    assert.deepEqual((await api.post('/api/build/', { part: assembly, quantity: 1, reference: 'BO-0500' })).json(), { reference: ['Build Order with this Reference already exists.'] });
  });

  it('updates with PATCH and PUT; parents give the level', async () => {
    const parent = (await api.post('/api/build/', { part: assembly, quantity: 1 })).json();
    const child = (await api.post('/api/build/', { part: assembly, quantity: 1, parent: parent.pk })).json();
    assert.equal(child.level, 1);
    const grandchild = (await api.post('/api/build/', { part: assembly, quantity: 1, parent: child.pk })).json();
    assert.equal(grandchild.level, 2);
    const patched = await api.patch(`/api/build/${parent.pk}/`, { title: 'Top', priority: 3, status: 40 });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().title, 'Top');
    assert.equal(patched.json().priority, 3);
    assert.equal(patched.json().status, 10);
    const cycle = await api.patch(`/api/build/${parent.pk}/`, { parent: grandchild.pk });
    assert.equal(cycle.statusCode, 400);
    assert.deepEqual(Object.keys(cycle.json()), ['parent']);
    assert.deepEqual((await api.put(`/api/build/${parent.pk}/`, { title: 'x' })).json(), { part: ['This field is required.'], quantity: ['This field is required.'] });
    const put = await api.put(`/api/build/${parent.pk}/`, { part: assembly, quantity: 9 });
    assert.equal(put.json().quantity, 9);
  });

  it('deletes only cancelled builds, with their barcode links', async () => {
    const id = await h.fx.build({ part_id: assembly });
    await h.fx.link('build', id, 'BUILD-LABEL-1');
    const refused = await api.delete(`/api/build/${id}/`);
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(refused.json(), { non_field_errors: ['Build must be cancelled before it can be deleted'] });
    await h.db.database.kysely.updateTable('build').set({ status: 30 }).where('id', '=', id).execute();
    assert.equal((await api.delete(`/api/build/${id}/`)).statusCode, 204);
    assert.deepEqual((await api.get(`/api/build/${id}/`)).json(), { detail: 'No Build matches the given query.' });
    const links = await h.db.database.kysely.selectFrom('barcode_link').select('id').where('model_type', '=', 'build').execute();
    assert.equal(links.length, 0);
  });

  it('shows barcode_hash and turns part_detail off on request', async () => {
    const id = await h.fx.build({ part_id: assembly });
    const hash = await h.fx.link('build', id, 'BUILD-LABEL-2');
    const body = (await api.get(`/api/build/${id}/?part_detail=false`)).json();
    assert.equal(body.barcode_hash, hash);
    assert.equal('part_detail' in body, false);
    assert.equal('notes' in body, true);
    const list = (await api.get('/api/build/')).json();
    assert.equal('notes' in list[0], false);
  });
});

describe('build orders: filters, search, ordering, permissions', () => {
  let h: Harness;
  let api: ReturnType<typeof send>;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    api = send(h, await h.user('root', { is_superuser: true }));
    const category = await h.fx.category({ name: 'Machines' });
    const sub = await h.fx.category({ name: 'Small', parent_id: category });
    ids.category = category;
    ids.template = await h.fx.part({ assembly: true, is_template: true, name: 'Frame', category_id: sub });
    ids.variant = await h.fx.part({ assembly: true, variant_of_id: ids.template, name: 'Frame XL', description: 'extra large' });
    ids.customer = await h.fx.company({ is_customer: true });
    ids.so = await h.fx.salesOrder({ customer_id: ids.customer });
    ids.b1 = await h.fx.build({ part_id: ids.template, reference: 'BO-0001', reference_int: 1, status: 10, title: 'First frames', target_date: '2000-01-01', priority: 7 });
    ids.b2 = await h.fx.build({ part_id: ids.variant, reference: 'BO-0002', reference_int: 2, status: 40, sales_order_id: ids.so, completion_date: '2026-03-03' });
    ids.b3 = await h.fx.build({ part_id: ids.template, reference: 'BO-0010', reference_int: 10, status: 20, parent_id: ids.b1 });
  });
  after(() => h.close());

  const pks = async (url: string) => (await api.get(url)).json().map((o: { pk: number }) => o.pk);

  it('orders by -reference by default and by other fields on request', async () => {
    assert.deepEqual(await pks('/api/build/'), [ids.b3, ids.b2, ids.b1]);
    assert.deepEqual(await pks('/api/build/?ordering=status'), [ids.b1, ids.b3, ids.b2]);
    assert.deepEqual(await pks('/api/build/?ordering=-priority,reference'), [ids.b1, ids.b2, ids.b3]);
    assert.deepEqual(await pks('/api/build/?ordering=part__name,-reference'), [ids.b3, ids.b1, ids.b2]);
  });

  it('filters by part, status, active, reference, sales order, parent, overdue, category and dates', async () => {
    assert.deepEqual(await pks(`/api/build/?part=${ids.template}`), [ids.b3, ids.b1]);
    assert.deepEqual(await pks(`/api/build/?part=${ids.template}&include_variants=true`), [ids.b3, ids.b2, ids.b1]);
    assert.deepEqual(await pks('/api/build/?status=40'), [ids.b2]);
    assert.deepEqual(await pks('/api/build/?active=true'), [ids.b3, ids.b1]);
    assert.deepEqual(await pks('/api/build/?active=False'), [ids.b2]);
    assert.deepEqual(await pks('/api/build/?reference=bo-0002'), [ids.b2]);
    assert.deepEqual(await pks(`/api/build/?sales_order=${ids.so}`), [ids.b2]);
    assert.deepEqual(await pks(`/api/build/?parent=${ids.b1}`), [ids.b3]);
    assert.deepEqual(await pks('/api/build/?overdue=true'), [ids.b1]);
    assert.deepEqual(await pks(`/api/build/?category=${ids.category}`), [ids.b3, ids.b1]);
    assert.deepEqual(await pks('/api/build/?completed_after=2026-01-01'), [ids.b2]);
    assert.deepEqual((await api.get('/api/build/?parent=999')).json(), { parent: ['Select a valid choice. That choice is not one of the available choices.'] });
    assert.deepEqual((await api.get('/api/build/?status=done')).json(), { status: ['Enter a number.'] });
    assert.deepEqual((await api.get('/api/build/?status=done&parent=999')).json(), {
      status: ['Enter a number.'],
      parent: ['Select a valid choice. That choice is not one of the available choices.'],
    });
    const page = (await api.get('/api/build/?limit=2')).json();
    assert.equal(page.count, 3);
    assert.equal(page.results.length, 2);
  });

  it('searches reference, title, part name, IPN and description', async () => {
    assert.deepEqual(await pks('/api/build/?search=first'), [ids.b1]);
    assert.deepEqual(await pks('/api/build/?search=XL'), [ids.b2]);
    assert.deepEqual(await pks('/api/build/?search=LARGE'), [ids.b2]);
    assert.deepEqual(await pks('/api/build/?search=bo-0010'), [ids.b3]);
  });

  it('uses build_build permissions', async () => {
    const viewer = send(h, await h.user('viewer', { roles: { build: { can_view: true } } }));
    assert.equal((await viewer.get('/api/build/')).statusCode, 200);
    assert.equal((await viewer.get(`/api/build/${ids.b1}/`)).statusCode, 200);
    assert.equal((await viewer.post('/api/build/', { part: ids.template, quantity: 1 })).statusCode, 403);
    assert.equal((await viewer.patch(`/api/build/${ids.b1}/`, { title: 'x' })).statusCode, 403);
    const adder = send(h, await h.user('adder', { roles: { build: { can_add: true } } }));
    assert.equal((await adder.post('/api/build/', { part: ids.template, quantity: 1 })).statusCode, 201);
    assert.equal((await adder.delete(`/api/build/${ids.b1}/`)).statusCode, 403);
    const sales = send(h, await h.user('sales', { roles: { sales_order: { can_view: true } } }));
    assert.equal((await sales.get('/api/build/')).statusCode, 403);
    assert.equal((await h.request({ method: 'GET', url: '/api/build/' })).statusCode, 401);
  });
});
