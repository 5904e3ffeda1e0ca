/**
 * Reading a supplier label must not cost more as the supplier's catalogue grows (migration
 * 0007): the supplier part by SKU and the purchase order by the supplier's order number are
 * found through an index of both columns, and the manufacturer part by MPN probes the
 * supplier's parts per candidate instead of listing all of them. Checked by the plans of the
 * very statements the supplier plugins run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SUPPLIER_LOOKUPS } from '../../src/barcode/plugins/supplier-matching.js';
import { SUPPLIER_ORDER_INDEX, SUPPLIER_SKU_INDEX } from '../../src/db/migrations/0007-supplier-lookups.js';
import { createTestDatabase, planOf, type TestDatabase } from '../helpers/database.js';

describe('supplier label look-ups', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(() => db.drop());

  it('finds the supplier part by supplier and SKU in one index', async () => {
    const plan = await planOf(db.database, SUPPLIER_LOOKUPS.supplierPartsBySku.compile(db.database.kysely, { supplierId: 1, sku: 'ABC-1' }));
    assert.match(plan, new RegExp(SUPPLIER_SKU_INDEX));
  });

  it('finds the purchase order by supplier and supplier order number in one index', async () => {
    const plan = await planOf(db.database, SUPPLIER_LOOKUPS.suppliersOrdersBySupplierReference.compile(db.database.kysely, { supplierId: 1, value: '72991337' }));
    assert.match(plan, new RegExp(SUPPLIER_ORDER_INDEX));
  });

  it('checks the supplier of each manufacturer part of the MPN by its own index, without listing the supplier’s parts', async () => {
    const plan = await planOf(db.database, SUPPLIER_LOOKUPS.suppliersManufacturerPartsByMpn.compile(db.database.kysely, { supplierId: 1, mpn: 'LM358' }));
    assert.match(plan, /manufacturer_part_mpn_idx/);
    if (db.database.dialect === 'sqlite') {
      // SQLite keeps no statistics here and runs the subquery as written: an indexed probe.
      assert.match(plan, /supplier_part_manufacturer_part_id_idx/);
      assert.doesNotMatch(plan, /LIST SUBQUERY/);
    }
    // PostgreSQL chooses between probing and hashing the supplier's parts by its statistics.
  });
});
