import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inTransaction } from '../../src/db/transaction.js';
import { createStockItems, splitStockItem } from '../../src/stock/items-service.js';
import { inStockCondition, unallocatedQuantities } from '../../src/stock/queries.js';
import { extractSerialNumbers, incrementSerial, SerialNumberError } from '../../src/stock/serials.js';
import { TRACKING } from '../../src/stock/tracking.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

describe('stock services for other modules', () => {
  let h: Harness;
  let admin: TestUser;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true });
  });
  after(() => h.close());

  it('createStockItems runs in the caller transaction with the caller tracking entry', async () => {
    const part = await h.fx.part({ trackable: true });
    const loc = await h.fx.location();
    const supplier = await h.fx.company();
    const po = await h.fx.purchaseOrder({ supplier_id: supplier });
    const ids = await inTransaction(h.db.database, (trx) =>
      createStockItems(trx, h.app.ctx.settings, {
        part,
        quantity: 2,
        serials: ['A1', 'A2'],
        location: loc,
        purchaseOrder: po,
        purchasePrice: 1.25,
        purchasePriceCurrency: 'EUR',
        packaging: 'reel',
        userId: admin.user.id,
        tracking: { code: TRACKING.RECEIVED_AGAINST_PURCHASE_ORDER, deltas: { location: loc, purchaseorder: po, quantity: 1 } },
      }),
    );
    assert.equal(ids.length, 2);
    const list = (await h.request({ method: 'GET', url: `/api/stock/?purchase_order=${po}&ordering=stock`, headers: admin.auth })).json();
    assert.deepEqual(
      list.map((i: { serial: string; quantity: number; purchase_price: number; packaging: string }) => [i.serial, i.quantity, i.purchase_price, i.packaging]),
      [
        ['A1', 1, 1.25, 'reel'],
        ['A2', 1, 1.25, 'reel'],
      ],
    );
    const track = (await h.request({ method: 'GET', url: `/api/stock/track/?item=${ids[0]}`, headers: admin.auth })).json();
    assert.equal(track[0].tracking_type, 70);
    assert.deepEqual(track[0].deltas, { location: loc, purchaseorder: po, quantity: 1 });
    // A failing caller rolls the created items back.
    await assert.rejects(
      inTransaction(h.db.database, async (trx) => {
        await createStockItems(trx, h.app.ctx.settings, { part, quantity: 1, userId: null });
        throw new Error('caller failed');
      }),
    );
    const count = await h.db.database.kysely.selectFrom('stock_item').select('id').where('part_id', '=', part).execute();
    assert.equal(count.length, 2);
  });

  it('splitStockItem splits off a quantity (shipping) and leaves serialized items whole', async () => {
    const part = await h.fx.part();
    const item = await h.fx.stockItem({ part_id: part, quantity: 10 });
    const newId = await inTransaction(h.db.database, (trx) => splitStockItem(trx, item, 3, { userId: admin.user.id, notes: 'ship' }));
    assert.notEqual(newId, item);
    const api = (await h.request({ method: 'GET', url: `/api/stock/${newId}/`, headers: admin.auth })).json();
    assert.equal(api.quantity, 3);
    assert.equal(api.parent, item);
    const whole = await inTransaction(h.db.database, (trx) => splitStockItem(trx, item, 7, { userId: null }));
    assert.equal(whole, item);
  });

  it('unallocatedQuantities counts only open orders and unshipped shipments', async () => {
    const part = await h.fx.part({ salable: true });
    const item = await h.fx.stockItem({ part_id: part, quantity: 10 });
    const open = await h.fx.salesOrder({ status: 15 });
    const shippedOrder = await h.fx.salesOrder({ status: 20 });
    const openLine = await h.fx.soLine({ order_id: open, part_id: part });
    const doneLine = await h.fx.soLine({ order_id: shippedOrder, part_id: part });
    const pending = await h.fx.shipment({ order_id: open });
    const sent = await h.fx.shipment({ order_id: open, shipment_date: '2026-01-01' });
    await h.fx.allocation({ line_id: openLine, item_id: item, quantity: 2 });
    await h.fx.allocation({ line_id: openLine, item_id: item, quantity: 1.5, shipment_id: pending });
    await h.fx.allocation({ line_id: openLine, item_id: item, quantity: 4, shipment_id: sent });
    await h.fx.allocation({ line_id: doneLine, item_id: item, quantity: 1 });
    const result = (await unallocatedQuantities(h.db.database.kysely, [item])).get(item);
    assert.deepEqual(result, { quantity: 10, allocationCount: 3.5, unallocated: 6.5 });
    // The serializer's `allocated` sums every allocation.
    const api = (await h.request({ method: 'GET', url: `/api/stock/${item}/`, headers: admin.auth })).json();
    assert.equal(api.allocated, 8.5);
    const over = await h.fx.stockItem({ part_id: part, quantity: 1 });
    await h.fx.allocation({ line_id: openLine, item_id: over, quantity: 3 });
    assert.equal((await unallocatedQuantities(h.db.database.kysely, [over])).get(over)?.unallocated, 0);
  });

  it('inStockCondition is a reusable query fragment', async () => {
    const part = await h.fx.part();
    const ok = await h.fx.stockItem({ part_id: part, quantity: 1, status: 85 });
    await h.fx.stockItem({ part_id: part, quantity: 0 });
    await h.fx.stockItem({ part_id: part, quantity: 1, status: 65 });
    await h.fx.stockItem({ part_id: part, quantity: 1, is_building: true, build_id: await h.fx.build({ part_id: part }) });
    await h.fx.stockItem({ part_id: part, quantity: 1, sales_order_id: await h.fx.salesOrder() });
    const rows = await h.db.database.kysely.selectFrom('stock_item').select('id').where('part_id', '=', part).where(inStockCondition()).execute();
    assert.deepEqual(
      rows.map((r) => r.id),
      [ok],
    );
  });

  it('expands serial strings', () => {
    assert.deepEqual(extractSerialNumbers('1-3, 7', 4, null), ['1', '2', '3', '7']);
    assert.deepEqual(extractSerialNumbers('A08+2', 3, null), ['A08', 'A09', 'A10']);
    assert.deepEqual(extractSerialNumbers('5+', 2, null), ['5', '6']);
    assert.deepEqual(extractSerialNumbers('1-5', 1, null), ['1-5']);
    assert.deepEqual(extractSerialNumbers('~', 1, '41'), ['42']);
    assert.equal(incrementSerial('X-009'), 'X-010');
    assert.throws(
      () => extractSerialNumbers('   ', 1, null),
      (e: unknown) => e instanceof SerialNumberError && e.messages[0] === 'Empty serial number string',
    );
    assert.throws(
      () => extractSerialNumbers('3-3, 4', 3, null),
      (e: unknown) => e instanceof SerialNumberError && e.messages[0] === 'Invalid group range: 3-3',
    );
  });
});
