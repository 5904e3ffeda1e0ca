/** The helpers this folder exports for other domains (purchase orders, stock, barcodes). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadManufacturerParts, loadSupplierParts, manufacturerPartName, supplierPartName } from '../../src/company/serializers.js';
import { baseQuantity, customerExists, manufacturerExists, purchaseablePartExists, supplierExists, supplierPartPackSize, supplierPartPackSizes } from '../../src/company/service.js';
import { createHarness, type Harness } from '../helpers/app.js';

describe('exported company helpers', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('looks up supplier pack sizes and converts packs to base quantity', async () => {
    const db = h.db.database.kysely;
    const part = await h.fx.part();
    const supplier = await h.fx.company();
    const sp = await h.fx.supplierPart({ part_id: part, supplier_id: supplier, pack_quantity: '2.5', pack_quantity_native: 2.5 });
    const single = await h.fx.supplierPart({ part_id: part, supplier_id: supplier });
    assert.deepEqual(await supplierPartPackSizes(db, [sp, single, 99999]), new Map([[sp, 2.5], [single, 1]]));
    assert.equal(await supplierPartPackSize(db, sp), 2.5);
    assert.equal(await supplierPartPackSize(db, 99999), undefined);
    assert.equal(baseQuantity(3, 2.5), 7.5);
    assert.equal(baseQuantity(0.1, 3), 0.3);
  });

  it('checks InvenTree choice limits', async () => {
    const db = h.db.database.kysely;
    const supplierOnly = await h.fx.company({ is_supplier: true });
    const customer = await h.fx.company({ is_supplier: false, is_customer: true });
    const maker = await h.fx.company({ is_supplier: false, is_manufacturer: true });
    assert.equal(await supplierExists(db, supplierOnly), true);
    assert.equal(await supplierExists(db, customer), false);
    assert.equal(await customerExists(db, customer), true);
    assert.equal(await customerExists(db, maker), false);
    assert.equal(await manufacturerExists(db, maker), true);
    assert.equal(await manufacturerExists(db, supplierOnly), false);
    assert.equal(await purchaseablePartExists(db, await h.fx.part({ purchaseable: false })), false);
  });

  it('loads supplier and manufacturer parts for embedding, and names them as InvenTree does', async () => {
    const db = h.db.database.kysely;
    const part = await h.fx.part({ ipn: 'P-9' });
    const supplier = await h.fx.company({ name: 'Supplies' });
    const maker = await h.fx.company({ name: 'Makes', is_manufacturer: true });
    const mp = await h.fx.manufacturerPart({ part_id: part, manufacturer_id: maker, mpn: 'M-9' });
    const sp = await h.fx.supplierPart({ part_id: part, supplier_id: supplier, sku: 'S-9', manufacturer_part_id: mp });
    const sps = await loadSupplierParts(db, [sp, null]);
    assert.equal(sps.get(sp)?.MPN, 'M-9');
    assert.equal(sps.get(sp)?.supplier_detail?.name, 'Supplies');
    const mps = await loadManufacturerParts(db, [mp], { partDetail: true, manufacturerDetail: false, pretty: true, notes: false, parameters: false });
    assert.equal(mps.get(mp)?.pretty_name, 'Makes | M-9');
    assert.equal(mps.get(mp)?.part_detail?.pk, part);
    assert.equal(supplierPartName('P-9', 'Supplies', 'S-9', 'Makes', 'M-9'), 'P-9 | Supplies | S-9 | Makes | M-9');
    assert.equal(supplierPartName('', 'Supplies', 'S-9', undefined, null), 'Supplies | S-9');
    assert.equal(manufacturerPartName(undefined, null), 'None');
  });
});
