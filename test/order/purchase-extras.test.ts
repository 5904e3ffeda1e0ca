import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, today } from '../../src/util/time.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

describe('purchase orders: duplicate, build order lines, date and user filters', () => {
  let h: Harness;
  let root: TestUser;
  let other: TestUser;
  let supplier: number;
  let sp: number;
  let assemblySp: number;
  let assembly: number;
  before(async () => {
    h = await createHarness();
    root = await h.user('root', { is_superuser: true });
    other = await h.user('other', { roles: { purchase_order: { can_view: true, can_add: true } } });
    supplier = await h.fx.company();
    sp = await h.fx.supplierPart({ part_id: await h.fx.part(), supplier_id: supplier });
    assembly = await h.fx.part({ name: 'Board', assembly: true });
    assemblySp = await h.fx.supplierPart({ part_id: assembly, supplier_id: supplier });
  });
  after(() => h.close());

  it('duplicates the lines of another order (received reset), or answers ["Invalid order ID"]', async () => {
    const source = await h.fx.purchaseOrder({ supplier_id: supplier, reference: 'PO-0900', reference_int: 900 });
    await h.fx.poLine({ order_id: source, part_id: sp, quantity: 6, received: 6, target_date: '2030-01-01', reference: 'copied' });
    const res = await h.request({
      method: 'POST',
      url: '/api/order/po/',
      headers: root.auth,
      payload: { supplier, duplicate: { order_id: source, copy_lines: true } },
    });
    assert.equal(res.statusCode, 201, res.body);
    const lines = await h.fx.db.selectFrom('purchase_order_line').selectAll().where('order_id', '=', res.json().pk).execute();
    assert.equal(lines.length, 1);
    assert.equal(Number(lines[0]!.quantity), 6);
    assert.equal(Number(lines[0]!.received), 0);
    assert.equal(lines[0]!.target_date, null);
    assert.equal(lines[0]!.reference, 'copied');
    const bad = await h.request({ method: 'POST', url: '/api/order/po/', headers: root.auth, payload: { supplier, duplicate: { order_id: 999999 } } });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json(), ['Invalid order ID']);
    const none = await h.request({
      method: 'POST',
      url: '/api/order/po/',
      headers: root.auth,
      payload: { supplier, duplicate: { order_id: source, copy_lines: false } },
    });
    assert.equal((await h.fx.db.selectFrom('purchase_order_line').select('id').where('order_id', '=', none.json().pk).execute()).length, 0);
  });

  it('links a line to an external build order of the same assembly part', async () => {
    const po = await h.fx.purchaseOrder({ supplier_id: supplier, reference: 'PO-0501', reference_int: 501 });
    const internal = await h.fx.build({ part_id: assembly, external: false });
    const external = await h.fx.build({ part_id: assembly, external: true, title: 'Outsourced' });
    const otherPartBuild = await h.fx.build({ part_id: await h.fx.part({ assembly: true }), external: true });
    const post = (payload: object) => h.request({ method: 'POST', url: '/api/order/po-line/', headers: root.auth, payload: { order: po, quantity: 1, merge_items: false, ...payload } });
    assert.deepEqual((await post({ part: assemblySp, build_order: internal })).json(), { build_order: [`Invalid pk "${internal}" - object does not exist.`] });
    assert.deepEqual((await post({ part: assemblySp, build_order: otherPartBuild })).json(), { build_order: ['Build order part must match line item part'] });
    const ok = await post({ part: assemblySp, build_order: external });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().build_order, external);
    assert.equal(ok.json().build_order_detail.title, 'Outsourced');
    assert.equal(ok.json().build_order_detail.external, true);
    assert.deepEqual((await post({ part: assemblySp, build_order: external })).json(), {
      build_order: ['Purchase Order Line Item with this Build Order already exists.'],
    });
    const plainPart = await h.fx.part({ name: 'Plain' });
    const plainBuild = await h.fx.build({ part_id: plainPart, external: true });
    const plainSp = await h.fx.supplierPart({ part_id: plainPart, supplier_id: supplier });
    assert.deepEqual((await post({ part: plainSp, build_order: plainBuild })).json(), { build_order: ['Build orders can only be linked to assembly parts'] });
  });

  it('filters by creator, dates and flags', async () => {
    const mine = (await h.request({ method: 'POST', url: '/api/order/po/', headers: other.auth, payload: { supplier, target_date: addDays(today(), 10), start_date: '2020-01-01' } })).json();
    const old = await h.fx.purchaseOrder({ supplier_id: supplier, creation_date: '2019-05-05', reference: 'PO-0502', reference_int: 502 });
    const list = async (qs: string) => (await h.request({ method: 'GET', url: `/api/order/po/${qs}`, headers: other.auth })).json().map((o: { pk: number }) => o.pk);
    assert.deepEqual(await list(`?created_by=${other.user.id}`), [mine.pk]);
    assert.deepEqual(await list('?created_before=2020-01-01'), [old]);
    assert.ok(!(await list('?created_after=2020-01-01')).includes(old));
    assert.deepEqual(await list('?has_start_date=true'), [mine.pk]);
    assert.deepEqual(await list(`?has_target_date=true&target_date_after=${today()}`), [mine.pk]);
    assert.deepEqual(await list('?assigned_to_me=1'), []);
    assert.ok((await list('?assigned_to_me=0')).includes(old));
    const badDate = await h.request({ method: 'GET', url: '/api/order/po/?target_date_before=2020-13-01', headers: other.auth });
    assert.equal(badDate.statusCode, 400);
    assert.deepEqual(badDate.json(), { target_date_before: ['Enter a valid date.'] });
    const badUser = await h.request({ method: 'GET', url: '/api/order/po/?created_by=9999', headers: other.auth });
    assert.deepEqual(badUser.json(), { created_by: ['Select a valid choice. That choice is not one of the available choices.'] });
    assert.deepEqual(await list('?status=20.5'), []);
  });

  it('accepts an explicit creation date and a blank order currency', async () => {
    const res = await h.request({
      method: 'POST',
      url: '/api/order/po/',
      headers: root.auth,
      payload: { supplier, creation_date: '1988-11-10', order_currency: '' },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().creation_date, '1988-11-10');
    assert.equal(res.json().order_currency, null);
  });

  it('concurrent creates of one reference: one wins, the others get the unique message', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => h.request({ method: 'POST', url: '/api/order/po/', headers: root.auth, payload: { supplier, reference: 'PO-7777' } })),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 400, 400, 400, 400]);
    for (const r of results.filter((r) => r.statusCode === 400)) {
      assert.deepEqual(r.json(), { reference: ['Purchase Order with this Reference already exists.'] });
    }
  });

  it('answers 405 for methods a path does not serve and a catch-all 404 for non-numeric pks', async () => {
    const res = await h.request({ method: 'DELETE', url: '/api/order/po/', headers: root.auth });
    assert.equal(res.statusCode, 405);
    assert.deepEqual(res.json(), { detail: 'Method "DELETE" not allowed.' });
    const get = await h.request({ method: 'GET', url: '/api/order/po/1/issue/', headers: root.auth });
    assert.equal(get.statusCode, 405);
    const abc = await h.request({ method: 'GET', url: '/api/order/po/abc/', headers: root.auth });
    assert.equal(abc.statusCode, 404);
    assert.equal(abc.json().detail, 'API endpoint not found');
  });
});
