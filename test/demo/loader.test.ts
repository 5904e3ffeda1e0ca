/** The demo dataset loader (src/demo/loader.ts): what it creates, its guards, its single transaction. */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { DemoRefused, inventoryCounts, loadDemo, type DemoResult } from '../../src/demo/loader.js';
import { PARTS, STOCK } from '../../src/demo/data.js';
import { createHarness, type Harness } from '../helpers/app.js';

async function refusal(work: Promise<unknown>): Promise<DemoRefused> {
  try {
    await work;
  } catch (e) {
    assert.ok(e instanceof DemoRefused, `expected DemoRefused, got ${String(e)}`);
    return e;
  }
  assert.fail('the demo load was not refused');
}

async function total(h: Harness): Promise<number> {
  return Object.values(await inventoryCounts(h.db.database.kysely)).reduce((a, b) => a + b, 0);
}

describe('the demo dataset on an empty database', () => {
  let h: Harness;
  let result: DemoResult;
  before(async () => {
    h = await createHarness();
    result = await loadDemo(h.db.database);
  });
  after(() => h.close());

  const db = () => h.db.database.kysely;

  it('builds the category tree and the location tree with warehouse, shelves and bins', async () => {
    const categories = await db().selectFrom('part_category').select(['id', 'pathstring', 'structural', 'level']).execute();
    const paths = categories.map((c) => c.pathstring);
    for (const path of ['Electronics/Passives/Resistors', 'Electronics/Passives/Capacitors', 'Electronics/Semiconductors/ICs', 'Electronics/Semiconductors/Transistors', 'Electronics/Connectors', 'Mechanical', 'Assemblies']) {
      assert.ok(paths.includes(path), path);
    }
    const resistors = categories.find((c) => c.pathstring === 'Electronics/Passives/Resistors');
    assert.equal(resistors?.level, 2);
    assert.equal(Boolean(categories.find((c) => c.pathstring === 'Electronics')?.structural), true);

    const locations = await db().selectFrom('stock_location').select(['pathstring', 'structural', 'tree_path', 'id']).execute();
    const bin = locations.find((l) => l.pathstring === 'Warehouse/Shelf A/Bin A1');
    assert.ok(bin);
    assert.equal(Boolean(bin.structural), false);
    assert.equal(Boolean(locations.find((l) => l.pathstring === 'Warehouse')?.structural), true);
    assert.equal(bin.tree_path, `/${result.locations.warehouse}/${result.locations['shelf-a']}/${bin.id}/`);
    assert.equal(locations.filter((l) => /^Warehouse\/Shelf [AB]\/Bin /.test(l.pathstring)).length, 8);
  });

  it('creates about 50 parts with IPNs: templates with variants, trackable, salable and one assembly', async () => {
    const parts = await db().selectFrom('part').select(['id', 'ipn', 'is_template', 'variant_of_id', 'tree_path', 'trackable', 'salable', 'assembly']).execute();
    assert.equal(parts.length, 50);
    assert.ok(parts.every((p) => p.ipn !== null && p.ipn !== ''));
    assert.equal(new Set(parts.map((p) => p.ipn)).size, 50);
    const templates = parts.filter((p) => Boolean(p.is_template));
    assert.equal(templates.length, 2);
    for (const t of templates) {
      const variants = parts.filter((p) => p.variant_of_id === t.id);
      assert.ok(variants.length >= 3, `${t.ipn} has variants`);
      for (const v of variants) assert.equal(v.tree_path, `${t.tree_path}${v.id}/`);
    }
    assert.equal(parts.filter((p) => Boolean(p.assembly)).length, 1);
    assert.ok(parts.filter((p) => Boolean(p.trackable)).length >= 3);
    assert.ok(parts.filter((p) => Boolean(p.salable)).length >= 3);
  });

  it('names the suppliers exactly as the plugins look them up; manufacturers and the customer are no suppliers', async () => {
    const companies = await db().selectFrom('company').select(['name', 'is_supplier', 'is_manufacturer', 'is_customer']).orderBy('name').execute();
    const suppliers = companies.filter((c) => Boolean(c.is_supplier)).map((c) => c.name);
    assert.deepEqual(suppliers.sort(), ['DigiKey', 'LCSC', 'Mouser', 'TME']);
    const customer = companies.find((c) => c.name === 'Northwind Robotics');
    assert.equal(Boolean(customer?.is_customer), true);
    assert.ok(companies.filter((c) => Boolean(c.is_manufacturer)).length >= 4);
  });

  it('links the sample SKUs to their suppliers and the sample MPNs to their supplier parts', async () => {
    const rows = await db()
      .selectFrom('supplier_part as sp')
      .innerJoin('company as c', 'c.id', 'sp.supplier_id')
      .leftJoin('manufacturer_part as mp', 'mp.id', 'sp.manufacturer_part_id')
      .select(['sp.sku', 'c.name', 'mp.mpn'])
      .execute();
    const bySku = new Map(rows.map((r) => [r.sku, r]));
    for (const [sku, supplier, mpn] of [
      ['296-LM358BIDDFRCT-ND', 'DigiKey', 'LM358BIDDFR'],
      ['455-1720-ND', 'DigiKey', 'S3B-PH-K-S'],
      ['595-MC34063ADR', 'Mouser', 'MC34063ADR'],
      ['511-LDK320ADU33R', 'Mouser', 'LDK320ADU33R'],
      ['C312270', 'LCSC', 'ST-1-102-A01-T000-RS'],
      ['WBP-302', 'TME', 'WBP-302'],
    ] as const) {
      assert.equal(bySku.get(sku)?.name, supplier, sku);
      assert.equal(bySku.get(sku)?.mpn, mpn, sku);
    }
  });

  it('puts serialized and batched stock at non-structural locations', async () => {
    const items = await db().selectFrom('stock_item as i').innerJoin('stock_location as l', 'l.id', 'i.location_id').select(['i.serial', 'i.batch', 'i.quantity', 'l.structural']).execute();
    const expected = STOCK.reduce((n, s) => n + (s.serials?.length ?? 1), 0);
    assert.equal(items.length, expected);
    assert.equal(result.stockItems.length, expected);
    assert.ok(items.every((i) => !Boolean(i.structural)));
    const serialized = items.filter((i) => i.serial !== null);
    assert.ok(serialized.length >= 10);
    assert.ok(serialized.every((i) => Number(i.quantity) === 1));
    assert.ok(items.filter((i) => i.batch !== null && i.batch !== '').length >= 10);
    const tracking = await db().selectFrom('stock_tracking').select('item_id').execute();
    assert.equal(new Set(tracking.map((t) => t.item_id)).size, expected);
  });

  it('places one purchase order per supplier, with the labels’ supplier references and destinations', async () => {
    const orders = await db()
      .selectFrom('purchase_order as po')
      .innerJoin('company as c', 'c.id', 'po.supplier_id')
      .select(['po.id', 'po.reference', 'po.supplier_reference', 'po.status', 'po.destination_id', 'po.issue_date', 'c.name'])
      .orderBy('po.id')
      .execute();
    assert.deepEqual(
      orders.map((o) => [o.name, o.supplier_reference, Number(o.status)]),
      [
        ['DigiKey', '72991337', 20],
        ['Mouser', 'P0-1337', 20],
        ['LCSC', 'SO2009291337', 20],
        ['TME', '19361337', 20],
      ],
    );
    // References follow the default pattern PO-{ref:04d}.
    assert.deepEqual(
      orders.map((o) => o.reference),
      ['PO-0001', 'PO-0002', 'PO-0003', 'PO-0004'],
    );
    assert.ok(orders.every((o) => o.destination_id === result.locations['goods-in'] && o.issue_date !== null));
    const lines = await db().selectFrom('purchase_order_line').select(['order_id', 'part_id', 'destination_id', 'received']).execute();
    const lm358 = lines.find((l) => l.part_id === result.supplierParts['296-LM358BIDDFRCT-ND']);
    assert.equal(lm358?.order_id, orders[0]?.id);
    assert.equal(lm358?.destination_id, result.locations['bin-a3']);
    assert.ok(lines.every((l) => Number(l.received) === 0));
  });

  it('creates open sales orders for the customer with lines, a shipment and an allocation', async () => {
    const orders = await db().selectFrom('sales_order').select(['id', 'status', 'customer_id', 'reference']).orderBy('id').execute();
    assert.deepEqual(
      orders.map((o) => Number(o.status)),
      [15, 10],
    );
    assert.ok(orders.every((o) => o.customer_id === result.companies.northwind));
    const lines = await db().selectFrom('sales_order_line').select(['order_id']).execute();
    assert.ok(orders.every((o) => lines.some((l) => l.order_id === o.id)));
    const shipments = await db().selectFrom('sales_order_shipment').select(['id', 'order_id', 'reference']).execute();
    assert.ok(orders.every((o) => shipments.some((s) => s.order_id === o.id)));
    const allocations = await db().selectFrom('sales_order_allocation').select(['item_id', 'shipment_id', 'quantity']).execute();
    assert.equal(allocations.length, 1);
    const sensor1001 = result.stockItems.find((i) => i.part === 'ASM-SENSOR' && i.serial === '1001');
    assert.equal(allocations[0]?.item_id, sensor1001?.id);
    assert.equal(allocations[0]?.shipment_id, result.salesOrders[0]?.shipment);
  });

  it('activates the four supplier plugins and links the custom labels', async () => {
    const configs = await db().selectFrom('plugin_config').select(['key', 'active']).orderBy('key').execute();
    assert.deepEqual(
      configs.map((c) => [c.key, Boolean(c.active)]),
      [
        ['digikeyplugin', true],
        ['lcscplugin', true],
        ['mouserplugin', true],
        ['tmeplugin', true],
      ],
    );
    // Supplier look-up by name is left to the plugins (nothing configured up front).
    assert.equal((await db().selectFrom('plugin_setting').select('key').execute()).length, 0);
    const links = await db().selectFrom('barcode_link').select(['data', 'model_type', 'object_id']).orderBy('data').execute();
    assert.deepEqual(
      links.map((l) => [l.data, l.model_type, l.object_id]),
      [
        ['ASSET-0042', 'stockitem', result.stockItems.find((i) => i.part === 'TOOL-DMM')?.id],
        ['BIN-A1', 'stocklocation', result.locations['bin-a1']],
        ['BIN-B2', 'stocklocation', result.locations['bin-b2']],
      ],
    );
  });

  it('reports generated short barcodes of a bin and a serialized item', () => {
    assert.equal(result.generated.location.barcode, `INV-SL${result.locations['bin-a3']}`);
    const item = result.stockItems.find((i) => i.part === 'ASM-SENSOR' && i.serial === '1002');
    assert.equal(result.generated.stockItem.barcode, `INV-SI${item?.id}`);
  });

  it('refuses a second load, with or without force, and changes nothing', async () => {
    const before = await total(h);
    const plain = await refusal(loadDemo(h.db.database));
    assert.equal(plain.reason, 'already-loaded');
    assert.match(plain.message, /already loaded.*296-LM358BIDDFRCT-ND/);
    const forced = await refusal(loadDemo(h.db.database, { force: true }));
    assert.equal(forced.reason, 'already-loaded');
    assert.equal(await total(h), before);
  });
});

describe('the demo guards', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  it('refuses a database that holds inventory data unless forced', async () => {
    await h.fx.part({ name: 'My own part', ipn: 'MINE-1' });
    await h.fx.location({ name: 'My shelf' });
    const refused = await refusal(loadDemo(h.db.database));
    assert.equal(refused.reason, 'not-empty');
    assert.deepEqual(refused.counts, { part: 1, stock_location: 1 });
    assert.match(refused.message, /already holds inventory data \(1 part, 1 stock location\)/);
    assert.equal(await total(h), 2);

    const forced = await loadDemo(h.db.database, { force: true });
    assert.deepEqual(forced.existing, { part: 1, stock_location: 1 });
    assert.equal(Object.keys(forced.parts).length, PARTS.length);
    assert.equal((await h.db.database.kysely.selectFrom('part').select('id').execute()).length, PARTS.length + 1);
  });

  it('lets only one of two concurrent loads through', async () => {
    const outcomes = await Promise.allSettled([loadDemo(h.db.database), loadDemo(h.db.database)]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    const rejected = outcomes.find((o) => o.status === 'rejected');
    assert.ok(rejected?.status === 'rejected' && rejected.reason instanceof DemoRefused && rejected.reason.reason === 'already-loaded', String(rejected));
    assert.equal((await h.db.database.kysely.selectFrom('part').select('id').execute()).length, PARTS.length);
  });

  it('counts users and settings as no inventory data', async () => {
    await h.user('alice');
    await h.app.ctx.settings.setGlobal('PART_SALABLE', 'True');
    const result = await loadDemo(h.db.database);
    assert.deepEqual(result.existing, {});
  });

  it('rolls everything back when a demo object collides with existing data', async () => {
    await h.fx.location({ name: 'Warehouse' });
    const refused = await refusal(loadDemo(h.db.database, { force: true }));
    assert.equal(refused.reason, 'conflict');
    assert.equal(refused.message, 'could not create stock location "Warehouse": Duplicate names cannot exist under the same parent');
    assert.equal(await total(h), 1);
    assert.equal((await h.db.database.kysely.selectFrom('plugin_config').select('key').execute()).length, 0);
  });

  it('rolls back a collision late in the load (a barcode already linked)', async () => {
    const own = await h.fx.location({ name: 'Elsewhere' });
    await h.fx.link('stocklocation', own, 'ASSET-0042');
    const refused = await refusal(loadDemo(h.db.database, { force: true }));
    assert.equal(refused.reason, 'conflict');
    assert.match(refused.message, /barcode link "ASSET-0042"/);
    assert.equal(await total(h), 1);
    assert.equal((await h.db.database.kysely.selectFrom('stock_item').select('id').execute()).length, 0);
  });

  it('keeps the supplier a plugin already resolves to instead of adding a second one', async () => {
    const own = await h.fx.company({ name: 'DigiKey Electronics', is_supplier: true });
    const result = await loadDemo(h.db.database, { force: true });
    assert.equal(result.companies.digikey, own);
    const digikeys = await h.db.database.kysely.selectFrom('company').select('id').where('name', 'like', '%DigiKey%').execute();
    assert.equal(digikeys.length, 1);
    const sp = await h.db.database.kysely.selectFrom('supplier_part').select('supplier_id').where('sku', '=', '296-LM358BIDDFRCT-ND').executeTakeFirstOrThrow();
    assert.equal(sp.supplier_id, own);
    assert.deepEqual(
      result.plugins.map((p) => [p.slug, p.reused]),
      [
        ['digikeyplugin', true],
        ['mouserplugin', false],
        ['lcscplugin', false],
        ['tmeplugin', false],
      ],
    );
  });

  it('configures the plugin explicitly when the name alone would be ambiguous', async () => {
    await h.fx.company({ name: 'Mouser Europe', is_supplier: true });
    await h.fx.company({ name: 'Mouser Asia', is_supplier: true });
    const result = await loadDemo(h.db.database, { force: true });
    const setting = await h.db.database.kysely
      .selectFrom('plugin_setting')
      .select(['plugin_key', 'key', 'value'])
      .execute();
    assert.deepEqual(setting, [{ plugin_key: 'mouserplugin', key: 'SUPPLIER_ID', value: String(result.companies.mouser) }]);
  });
});
