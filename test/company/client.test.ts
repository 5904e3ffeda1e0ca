/**
 * inventree-python's Company, SupplierPart and ManufacturerPart classes against Stockscan:
 * list, create, reload (GET detail needs `pk`) and update (PATCH), with the keys the client reads.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness } from '../helpers/app.js';
import { PythonClient } from '../part/catalog-helpers.js';

describe('inventree-python model classes: Company, SupplierPart, ManufacturerPart', () => {
  let h: Harness;
  let py: PythonClient;
  let part: number;
  before(async () => {
    h = await createHarness();
    py = new PythonClient(h, await h.user('testuser', { is_superuser: true }));
    part = await h.fx.part({ name: 'Widget' });
  });
  after(() => h.close());

  it('Company: list, create, reload, update', async () => {
    const acme = await py.create('company/', { name: 'Acme', is_supplier: true, is_manufacturer: true });
    assert.equal(typeof acme.data.pk, 'number');
    assert.equal(acme.data.name, 'Acme');
    assert.equal(acme.data.image, null);
    await py.create('company/', { name: 'Buyer', is_supplier: false, is_customer: true });
    assert.deepEqual(
      (await py.list('company/', { is_supplier: true })).map((c) => c.data.pk),
      [acme.data.pk],
    );
    assert.equal(await py.count('company/'), 2);
    await py.reload(acme);
    acme.data.description = 'makes everything';
    await py.save(acme);
    assert.equal(acme.data.description, 'makes everything');
    await py.save(acme, { website: 'https://acme.example' });
    await py.reload(acme);
    assert.equal(acme.data.website, 'https://acme.example');
    // Company.getSuppliedParts / getManufacturedParts.
    assert.deepEqual(await py.list('company/part/', { supplier: acme.data.pk }), []);
    assert.deepEqual(await py.list('company/part/manufacturer/', { manufacturer: acme.data.pk }), []);
  });

  it('ManufacturerPart: list, create, reload, update', async () => {
    const maker = await py.create('company/', { name: 'Maker', is_manufacturer: true });
    const mp = await py.create('company/part/manufacturer/', { part, manufacturer: maker.data.pk, MPN: 'MPN-1' });
    assert.equal(typeof mp.data.pk, 'number');
    assert.deepEqual(
      (await py.list('company/part/manufacturer/', { manufacturer: maker.data.pk })).map((m) => m.data.pk),
      [mp.data.pk],
    );
    assert.equal(await py.count('company/part/manufacturer/', { part }), 1);
    await py.reload(mp);
    assert.equal(mp.data.MPN, 'MPN-1');
    mp.data.description = 'first source';
    await py.save(mp);
    assert.equal(mp.data.description, 'first source');
    await py.save(mp, { MPN: 'MPN-2' });
    await py.reload(mp);
    assert.equal(mp.data.MPN, 'MPN-2');
  });

  it('SupplierPart: list, create, reload, update', async () => {
    const seller = await py.create('company/', { name: 'Seller', is_supplier: true });
    const sp = await py.create('company/part/', { part, supplier: seller.data.pk, SKU: 'SKU-1', pack_quantity: '10' });
    assert.equal(typeof sp.data.pk, 'number');
    assert.deepEqual(
      (await py.list('company/part/', { supplier: seller.data.pk, part })).map((s) => s.data.pk),
      [sp.data.pk],
    );
    assert.equal(await py.count('company/part/', { part }), 1);
    await py.reload(sp);
    assert.equal(sp.data.SKU, 'SKU-1');
    sp.data.packaging = 'reel';
    await py.save(sp);
    assert.equal(sp.data.packaging, 'reel');
    assert.equal(sp.data.pack_quantity_native, 10);
    await py.save(sp, { SKU: 'SKU-2' });
    await py.reload(sp);
    assert.equal(sp.data.SKU, 'SKU-2');
  });
});
