/**
 * The generic ECIA plugin (InvenTree #6366) and its per-supplier configuration
 * (`/api/barcode/ecia/`): ISO/IEC 15434 labels of suppliers without a plugin of their own.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

const RS = '\x1e';
const GS = '\x1d';
const EOT = '\x04';
const label = (...fields: string[]) => `[)>${RS}06${GS}${fields.join(GS)}${RS}${EOT}`;

/** Farnell-style: P = Farnell order code, 1P = MPN, K = your PO, 1K = Farnell's order. */
const FARNELL = label('KPO-0007', '1K5550001', 'P2341234', '1PLM358DR', 'Q25', '4LCN');
/** Arrow-style: no K, 1K = Arrow's order number. */
const ARROW = label('1K88001', 'PARW-LM358', '1PLM358DR', 'Q10');

describe('ECIA plugin', () => {
  let h: Harness;
  let admin: TestUser;
  let staff: TestUser;
  let plain: TestUser;
  let farnell: number;
  let arrow: number;
  let newark: number;
  let farnellPart: number;
  let arrowPart: number;
  let po: number;
  let line: number;
  let loc: number;
  beforeEach(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    staff = await h.user('staff', { is_staff: true });
    plain = await h.user('plain', { roles: { part: { can_view: true }, purchase_order: { can_view: true, can_add: true } } });
    const fx = h.fx;
    loc = await fx.location({ name: 'Goods in' });
    const part = await fx.part({ name: 'LM358' });
    farnell = await fx.company({ name: 'Farnell' });
    arrow = await fx.company({ name: 'Arrow' });
    newark = await fx.company({ name: 'Newark' });
    farnellPart = await fx.supplierPart({ part_id: part, supplier_id: farnell, sku: '2341234' });
    arrowPart = await fx.supplierPart({ part_id: part, supplier_id: arrow, sku: 'ARW-LM358' });
    await fx.supplierPart({ part_id: part, supplier_id: newark, sku: '2341234' });
    po = await fx.purchaseOrder({ supplier_id: farnell, reference: 'PO-0007', destination_id: loc, status: 20 });
    line = await fx.poLine({ order_id: po, part_id: farnellPart, quantity: 100 });
  });
  afterEach(() => h.close());

  const configure = (supplier: unknown, who: TestUser = staff) => h.request({ method: 'POST', url: '/api/barcode/ecia/', headers: who.auth, payload: { supplier } });
  const activate = () => h.request({ method: 'POST', url: '/api/plugins/eciaplugin/activate/', headers: admin.auth, payload: { active: true } });
  const scan = (barcode: string) => h.request({ method: 'POST', url: '/api/barcode/', headers: admin.auth, payload: { barcode } });

  it('is listed, inactive by default, with the supplier-barcode mixin', async () => {
    const plugin = (await h.request({ method: 'GET', url: '/api/plugins/eciaplugin/', headers: plain.auth })).json();
    assert.deepEqual([plugin.name, plugin.active, Object.keys(plugin.mixins).sort()], ['ECIAPlugin', false, ['barcode', 'supplier-barcode']]);
    await configure(farnell);
    assert.equal((await scan(FARNELL)).statusCode, 400);
  });

  it('configures suppliers: staff add and remove, everyone reads; suppliers only, once each', async () => {
    assert.deepEqual((await h.request({ method: 'GET', url: '/api/barcode/ecia/', headers: plain.auth })).json(), []);
    assert.equal((await configure(farnell, plain)).statusCode, 403);
    const added = await configure(farnell);
    assert.equal(added.statusCode, 201);
    assert.deepEqual(
      [added.json().supplier, added.json().supplier_detail, Object.keys(added.json()).sort()],
      [farnell, { pk: farnell, name: 'Farnell' }, ['created', 'pk', 'supplier', 'supplier_detail']],
    );
    const twice = await configure(farnell);
    assert.deepEqual([twice.statusCode, twice.json()], [400, { supplier: ['ECIA supplier with this supplier already exists.'] }]);
    const customer = await h.fx.company({ name: 'Customer', is_supplier: false, is_customer: true });
    assert.deepEqual((await configure(customer)).json(), { supplier: [`Invalid pk "${customer}" - object does not exist.`] });
    assert.deepEqual((await h.request({ method: 'POST', url: '/api/barcode/ecia/', headers: staff.auth, payload: {} })).json(), { supplier: ['This field is required.'] });
    const listed = (await h.request({ method: 'GET', url: '/api/barcode/ecia/', headers: plain.auth })).json();
    assert.deepEqual(listed.map((r: { supplier: number }) => r.supplier), [farnell]);
    assert.equal((await h.request({ method: 'DELETE', url: `/api/barcode/ecia/${added.json().pk}/`, headers: plain.auth })).statusCode, 403);
    assert.equal((await h.request({ method: 'DELETE', url: `/api/barcode/ecia/${added.json().pk}/`, headers: staff.auth })).statusCode, 204);
    const gone = await h.request({ method: 'DELETE', url: `/api/barcode/ecia/${added.json().pk}/`, headers: staff.auth });
    assert.deepEqual([gone.statusCode, gone.json()], [404, { detail: 'No EciaSupplier matches the given query.' }]);
  });

  it('reads a configured supplier\'s label: supplier part by P, purchase order by K, company', async () => {
    await configure(farnell);
    await activate();
    const res = await scan(FARNELL);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.plugin, 'ECIAPlugin');
    assert.equal(body.supplierpart.pk, farnellPart);
    assert.equal(body.purchaseorder.pk, po);
    assert.deepEqual(body.company, { pk: farnell });
  });

  it('never reads for a supplier that is not configured (Newark has the same SKU)', async () => {
    await activate();
    assert.equal((await scan(FARNELL)).statusCode, 400);
    await configure(newark);
    const res = await scan(FARNELL);
    assert.deepEqual(res.json().company, { pk: newark });
  });

  it('tries the configured suppliers in order; the one whose data the label names answers', async () => {
    await configure(farnell);
    await configure(arrow);
    await activate();
    const a = (await scan(ARROW)).json();
    assert.deepEqual([a.plugin, a.supplierpart.pk, a.company.pk], ['ECIAPlugin', arrowPart, arrow]);
    const f = (await scan(FARNELL)).json();
    assert.deepEqual([f.supplierpart.pk, f.company.pk], [farnellPart, farnell]);
  });

  it('finds the purchase order by the supplier reference from 1K, or from K when 1K is missing', async () => {
    const arrowPo = await h.fx.purchaseOrder({ supplier_id: arrow, supplier_reference: '88001' });
    const other = await h.fx.purchaseOrder({ supplier_id: arrow, supplier_reference: 'ARROW-K-77' });
    await configure(arrow);
    await activate();
    assert.equal((await scan(ARROW)).json().purchaseorder.pk, arrowPo);
    assert.equal((await scan(label('KARROW-K-77', 'PARW-LM358'))).json().purchaseorder.pk, other);
  });

  it('receives a purchase-order line from a configured supplier\'s label (po-receive)', async () => {
    await configure(farnell);
    await activate();
    const res = await h.request({ method: 'POST', url: '/api/barcode/po-receive/', headers: plain.auth, payload: { barcode: FARNELL } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().plugin, 'ECIAPlugin');
    assert.deepEqual(res.json().lineitem, { pk: line, quantity: 25, supplier_part: farnellPart, purchase_order: po, location: loc });
    assert.equal(res.json().success, 'Received purchase order line item');
    const again = await h.request({ method: 'POST', url: '/api/barcode/po-receive/', headers: plain.auth, payload: { barcode: FARNELL } });
    assert.equal(again.json().error, 'Item has already been received');
    // A supplier that is not configured: no plugin match.
    const newarkPo = await h.fx.purchaseOrder({ supplier_id: newark, reference: 'PO-0099', status: 20 });
    assert.ok(newarkPo);
    const newarkLabel = label('KPO-0099', 'P2341234', 'Q1');
    const none = await h.request({ method: 'POST', url: '/api/barcode/po-receive/', headers: plain.auth, payload: { barcode: newarkLabel } });
    assert.equal(none.json().error, 'No plugin match for supplier barcode');
  });

  it('deleting the company removes its configuration', async () => {
    const shortLived = await h.fx.company({ name: 'Short-lived' });
    await configure(shortLived);
    await h.request({ method: 'PATCH', url: `/api/company/${shortLived}/`, headers: admin.auth, payload: { active: false } });
    const del = await h.request({ method: 'DELETE', url: `/api/company/${shortLived}/`, headers: admin.auth });
    assert.equal(del.statusCode, 204);
    assert.deepEqual((await h.request({ method: 'GET', url: '/api/barcode/ecia/', headers: plain.auth })).json(), []);
  });
});
