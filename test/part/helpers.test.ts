/** The helpers this folder exports for other domains (stock, orders, barcodes). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { partDefaultLocations } from '../../src/part/brief.js';
import { loadCategories } from '../../src/part/category-serializers.js';
import { inStockByPart, inStockBySupplierPart, onOrderBySupplierPart, partStockTotals } from '../../src/part/stock.js';
import { STOCK_AVAILABLE_CODES } from '../../src/status/enums.js';
import { isPartSelfOrVariant, partAndTemplateIds, partTemplateIds, partVariantIds, placePartInTree, templateChainIds } from '../../src/part/variants.js';
import { createHarness, type Harness } from '../helpers/app.js';

describe('exported part helpers', () => {
  let h: Harness;
  let root: number;
  let mid: number;
  let leaf: number;
  let loose: number;
  before(async () => {
    h = await createHarness();
    root = await h.fx.part({ name: 'Root', is_template: true });
    mid = await h.fx.part({ name: 'Mid', is_template: true, variant_of_id: root });
    leaf = await h.fx.part({ name: 'Leaf', variant_of_id: mid });
    loose = await h.fx.part({ name: 'Loose' });
  });
  after(() => h.close());

  it('walks the template chain and the variants', async () => {
    const db = h.db.database.kysely;
    assert.deepEqual(templateChainIds(`/${root}/${mid}/${leaf}/`), [root, mid]);
    assert.deepEqual(await partTemplateIds(db, leaf), [root, mid]);
    assert.deepEqual(await partTemplateIds(db, root), []);
    assert.deepEqual(await partAndTemplateIds(db, leaf), [leaf, mid, root]);
    assert.deepEqual(await partVariantIds(db, root), [root, mid, leaf]);
    assert.deepEqual(await partVariantIds(db, root, false), [mid, leaf]);
    assert.deepEqual(await partVariantIds(db, 99999), []);
    assert.equal(await isPartSelfOrVariant(db, root, leaf), true);
    assert.equal(await isPartSelfOrVariant(db, mid, mid), true);
    assert.equal(await isPartSelfOrVariant(db, leaf, root), false);
    assert.equal(await isPartSelfOrVariant(db, root, loose), false);
  });

  it('re-places a moved subtree', async () => {
    const db = h.db.database.kysely;
    await db.updateTable('part').set({ variant_of_id: loose }).where('id', '=', mid).execute();
    await placePartInTree(db, mid);
    assert.deepEqual(await partTemplateIds(db, leaf), [loose, mid]);
    await db.updateTable('part').set({ variant_of_id: root }).where('id', '=', mid).execute();
    await placePartInTree(db, mid);
    assert.deepEqual(await partTemplateIds(db, leaf), [root, mid]);
  });

  it('sums in-stock quantities per part and per supplier part, and on-order packs', async () => {
    const db = h.db.database.kysely;
    assert.deepEqual([...STOCK_AVAILABLE_CODES], [10, 50, 55, 85]);
    const supplier = await h.fx.company();
    const sp = await h.fx.supplierPart({ part_id: leaf, supplier_id: supplier });
    await h.fx.stockItem({ part_id: leaf, quantity: 2.5, supplier_part_id: sp });
    await h.fx.stockItem({ part_id: leaf, quantity: 1, status: 85 });
    await h.fx.stockItem({ part_id: leaf, quantity: 9, status: 75 });
    const po = await h.fx.purchaseOrder({ supplier_id: supplier, status: 10 });
    await h.fx.poLine({ order_id: po, part_id: sp, quantity: 3, received: 1 });
    assert.deepEqual(await inStockByPart(db, [leaf, loose]), new Map([[leaf, 3.5]]));
    assert.deepEqual(await inStockBySupplierPart(db, [sp]), new Map([[sp, 2.5]]));
    assert.deepEqual(await onOrderBySupplierPart(db, [sp]), new Map([[sp, 2]]));
    assert.deepEqual(await inStockByPart(db, []), new Map());
    const totals = await partStockTotals(db, [{ id: root, tree_path: `/${root}/` }]);
    assert.equal(totals.get(root)?.variant_stock, 3.5);
    assert.equal(totals.get(root)?.in_stock, 0);
  });

  it('finds each part\'s default location, falling back up the category tree', async () => {
    const db = h.db.database.kysely;
    const shelf = await h.fx.location({ name: 'Shelf' });
    const bin = await h.fx.location({ name: 'Bin' });
    const top = await h.fx.category({ name: 'Located', default_location_id: shelf });
    const sub = await h.fx.category({ name: 'Sub', parent_id: top });
    const inherits = await h.fx.part({ category_id: sub });
    const own = await h.fx.part({ category_id: sub, default_location_id: bin });
    const none = await h.fx.part();
    assert.deepEqual(
      await partDefaultLocations(db, [inherits, own, none, 99999]),
      new Map([
        [inherits, shelf],
        [own, bin],
        [none, null],
      ]),
    );
  });

  it('loads categories by id for embedding', async () => {
    const cat = await h.fx.category({ name: 'Embedded' });
    const map = await loadCategories(h.db.database.kysely, [cat, null, 99999], { path: true });
    assert.deepEqual([...map.keys()], [cat]);
    assert.equal(map.get(cat)?.name, 'Embedded');
    assert.deepEqual(map.get(cat)?.path, [{ pk: cat, name: 'Embedded', icon: '' }]);
  });
});
