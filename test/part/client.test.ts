/**
 * inventree-python's Part and PartCategory classes against Stockscan: list, create, reload
 * (GET detail needs `pk`) and update (PATCH), with the keys the client reads.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness } from '../helpers/app.js';
import { PythonClient } from './catalog-helpers.js';

describe('inventree-python model classes: Part and PartCategory', () => {
  let h: Harness;
  let py: PythonClient;
  before(async () => {
    h = await createHarness();
    py = new PythonClient(h, await h.user('testuser', { is_superuser: true }));
  });
  after(() => h.close());

  it('PartCategory: list, create, reload, update', async () => {
    const top = await py.create('part/category/', { name: 'Electronics', description: 'top' });
    const child = await py.create('part/category/', { name: 'Capacitors', parent: top.data.pk });
    assert.equal(typeof child.data.pk, 'number');
    // getParentCategory reads `parent`; getChildCategories lists with parent=<pk>.
    assert.equal(child.data.parent, top.data.pk);
    const children = await py.list('part/category/', { parent: top.data.pk });
    assert.deepEqual(
      children.map((c) => c.data.pk),
      [child.data.pk],
    );
    assert.equal((await py.list('part/category/')).length, 2);
    assert.equal(await py.count('part/category/'), 2);
    await py.reload(child);
    assert.equal(child.data.name, 'Capacitors');
    // save() with no data PATCHes everything it holds, read-only keys included.
    child.data.description = 'caps';
    await py.save(child);
    assert.equal(child.data.description, 'caps');
    await py.save(child, { name: 'Caps' });
    await py.reload(child);
    assert.equal(child.data.name, 'Caps');
    assert.equal(child.data.pathstring, 'Electronics/Caps');
  });

  it('Part: list, create, reload, update', async () => {
    const cat = await py.create('part/category/', { name: 'Chairs' });
    const part = await py.create('part/', { name: 'Chair Template', category: cat.data.pk, is_template: true, description: 'a chair' });
    assert.equal(typeof part.data.pk, 'number');
    // getCategory reads `category`; getSupplierParts reads `purchaseable`.
    assert.equal(part.data.category, cat.data.pk);
    assert.equal(part.data.purchaseable, true);
    assert.equal(part.data.image, null);
    const variant = await py.create('part/', { name: 'Blue Chair', variant_of: part.data.pk, category: cat.data.pk });
    assert.deepEqual(
      (await py.list('part/', { category: cat.data.pk, is_template: true })).map((p) => p.data.pk),
      [part.data.pk],
    );
    assert.deepEqual(
      (await py.list('part/', { category: cat.data.pk, is_template: false, active: true })).map((p) => p.data.pk),
      [variant.data.pk],
    );
    assert.equal(await py.count('part/', { category: cat.data.pk }), 2);
    // Part.getSupplierParts / getManufacturerParts list with part=<pk>.
    assert.deepEqual(await py.list('company/part/', { part: part.data.pk }), []);
    assert.deepEqual(await py.list('company/part/manufacturer/', { part: part.data.pk }), []);
    await py.reload(part);
    assert.equal(part.data.full_name, 'Chair Template');
    part.data.description = 'a better chair';
    await py.save(part);
    assert.equal(part.data.description, 'a better chair');
    await py.save(part, { IPN: 'CH-1' });
    await py.reload(part);
    assert.equal(part.data.IPN, 'CH-1');
    assert.equal(part.data.full_name, 'CH-1 | Chair Template');
    // A legacy row with a null IPN survives a whole-object save.
    const legacy = await h.fx.part({ name: 'Legacy', ipn: null, revision: null });
    const [obj] = (await py.list('part/', { IPN: '' })).filter((p) => p.data.pk === legacy);
    assert.ok(obj);
    await py.save(obj);
    assert.equal(obj.data.IPN, null);
  });
});
