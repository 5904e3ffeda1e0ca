/** POST /api/barcode/po-allocate/ (barcode-api.md §2.5, case 21; D5, D7). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { grantRoles } from '../../src/users/admin.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { DIGIKEY_BARCODE } from './samples.js';

describe('po-allocate', () => {
  let h: Harness;
  let user: TestUser;
  let admin: TestUser;
  let supplier: number;
  let po: number;
  let sp: number;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    user = await h.user('tester', { roles: { part: { can_view: true } } });
    const fx = h.fx;
    supplier = await fx.company({ name: 'DigiKey', is_supplier: true });
    const part = await fx.part();
    sp = await fx.supplierPart({ part_id: part, supplier_id: supplier, sku: '296-LM358BIDDFRCT-ND' });
    po = await fx.purchaseOrder({ supplier_id: supplier, status: 10 });
  });
  after(() => h.close());

  const allocate = (payload: unknown, who: TestUser = user) => h.request({ method: 'POST', url: '/api/barcode/po-allocate/', headers: who.auth, payload: payload as object });

  it('21. needs purchase_order.add (D5), then answers no plugin match with the real body (D7)', async () => {
    const denied = await allocate({ barcode: 'abcde', purchase_order: po });
    assert.equal(denied.statusCode, 403);
    assert.match(denied.json().error, /do not have the required permissions/);
    await grantRoles(h.db.database, user.user.id, 'po-add', { purchase_order: { can_add: true } });
    const res = await allocate({ barcode: 'abcde', purchase_order: po });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      plugin: null,
      barcode_data: 'abcde',
      barcode_hash: 'ab56b4d92b40713acc5af89985d4b786',
      error: 'No matching plugin found for barcode data',
    });
  });

  it('validates the body and refuses closed orders', async () => {
    const missing = await allocate({ barcode: 'x' }, admin);
    assert.deepEqual([missing.statusCode, missing.json()], [400, { purchase_order: ['This field is required.'] }]);
    const unknown = await allocate({ barcode: 'x', purchase_order: 999 }, admin);
    assert.deepEqual(unknown.json(), { purchase_order: ['Invalid pk "999" - object does not exist.'] });
    const done = await h.fx.purchaseOrder({ supplier_id: supplier, status: 30 });
    const closed = await allocate({ barcode: 'x', purchase_order: done }, admin);
    assert.deepEqual([closed.statusCode, closed.json()], [400, { purchase_order: ['Purchase order is not open'] }]);
  });

  it('matches the supplier part of the order\'s supplier from an internal barcode', async () => {
    const res = await allocate({ barcode: `{"supplierpart": ${sp}}`, purchase_order: po }, admin);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().success, 'Matched supplier part');
    assert.equal(res.json().supplierpart.pk, sp);
    assert.equal(res.json().plugin, 'InvenTreeBarcode');
  });

  it('matches a DigiKey label through the supplier plugin', async () => {
    await h.request({ method: 'POST', url: '/api/plugins/digikeyplugin/activate/', headers: admin.auth, payload: { active: true } });
    const res = await allocate({ barcode: DIGIKEY_BARCODE, purchase_order: po }, admin);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().plugin, 'DigiKeyPlugin');
    assert.equal(res.json().supplierpart.pk, sp);
  });

  it('reports parts of another supplier and several candidates', async () => {
    const other = await h.fx.company({ is_supplier: true });
    const part = await h.fx.part();
    const foreign = await h.fx.supplierPart({ part_id: part, supplier_id: other });
    let res = await allocate({ barcode: `{"supplierpart": ${foreign}}`, purchase_order: po }, admin);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'No matching supplier parts found');
    assert.equal(res.json().success, undefined);
    await h.fx.supplierPart({ part_id: part, supplier_id: supplier });
    await h.fx.supplierPart({ part_id: part, supplier_id: supplier });
    res = await allocate({ barcode: `{"part": ${part}}`, purchase_order: po }, admin);
    assert.equal(res.json().error, 'Multiple matching supplier parts found');
    const loc = await h.fx.location();
    res = await allocate({ barcode: `{"stocklocation": ${loc}}`, purchase_order: po }, admin);
    assert.equal(res.json().error, 'No matching part data found');
  });
});
