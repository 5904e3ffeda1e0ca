/**
 * Response schemas and row → API builders for return orders and their lines (core-api.md
 * §7.8, §7.16), a whole page at a time with related objects loaded in batches.
 */
import { Type } from '@sinclair/typebox';
import type { Selectable } from 'kysely';
import { CompanyBriefSchema, loadCompanyBriefs } from '../company/brief.js';
import type { ReturnOrderLineTable, ReturnOrderTable } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { Nullable } from '../http/schema.js';
import { loadPartBriefs, PartBriefSchema } from '../part/brief.js';
import type { SettingsService } from '../settings/service.js';
import { RO_OPEN, ReturnOrderStatus } from '../status/enums.js';
import { EMBEDDED_FLAGS, loadStockItems, StockItemSchema, type StockItemBody } from '../stock/serializers.js';
import { commonOrderBodies, commonOrderProperties } from './order-shape.js';

export type ReturnOrderRow = Selectable<ReturnOrderTable>;
export type RoLineRow = Selectable<ReturnOrderLineTable>;

export const RO_LINE_PENDING = 10;

export const ReturnOrderSchema = Type.Object({
  ...commonOrderProperties(),
  complete_date: Nullable(Type.String({ format: 'date' })),
  customer: Nullable(Type.Integer()),
  customer_detail: Type.Optional(Nullable(CompanyBriefSchema)),
  customer_reference: Type.String(),
});

export async function serializeReturnOrders(
  db: Executor,
  settings: SettingsService,
  rows: readonly ReturnOrderRow[],
  opts: { customerDetail?: boolean; notes?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [lines, customers] = await Promise.all([
    db.selectFrom('return_order_line').select(['order_id', 'quantity', 'outcome', 'price', 'price_currency']).where('order_id', 'in', ids).execute(),
    opts.customerDetail
      ? loadCompanyBriefs(
          db,
          rows.map((r) => r.customer_id),
        )
      : Promise.resolve(new Map()),
  ]);
  const common = await commonOrderBodies(
    db,
    settings,
    { barcodeModel: 'returnorder', statuses: ReturnOrderStatus, open: RO_OPEN },
    rows.map((r) => ({ ...r, company_id: r.customer_id })),
    lines.map((l) => ({ order_id: l.order_id, quantity: l.quantity, price: l.price, currency: l.price_currency, complete: Number(l.outcome) !== RO_LINE_PENDING })),
    opts.notes === true,
    opts.customerDetail ? customers : undefined,
  );
  return rows.map((r) => ({
    ...common.get(r.id),
    complete_date: r.complete_date,
    customer: r.customer_id,
    ...(opts.customerDetail ? { customer_detail: r.customer_id === null ? null : (customers.get(r.customer_id) ?? null) } : {}),
    customer_reference: r.customer_reference,
  }));
}

// --- lines -----------------------------------------------------------------------------------

export const RoLineSchema = Type.Object({
  pk: Type.Integer(),
  order: Type.Integer(),
  order_detail: Type.Optional(ReturnOrderSchema),
  item: Type.Integer(),
  item_detail: Type.Optional(Nullable(StockItemSchema)),
  quantity: Type.Number(),
  received_date: Nullable(Type.String({ format: 'date' })),
  outcome: Type.Integer(),
  part_detail: Type.Optional(Nullable(PartBriefSchema)),
  price: Nullable(Type.Number()),
  price_currency: Type.String(),
  link: Type.String(),
  reference: Type.String(),
  notes: Type.String(),
  target_date: Nullable(Type.String({ format: 'date' })),
});

export interface RoLineOptions {
  /** Default false. */
  orderDetail?: boolean;
  /** Default true. */
  itemDetail?: boolean;
  /** Default false. */
  partDetail?: boolean;
}

export async function serializeRoLines(
  db: Executor,
  settings: SettingsService,
  rows: readonly RoLineRow[],
  opts: RoLineOptions = {},
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const itemDetail = opts.itemDetail ?? true;
  const itemIds = [...new Set(rows.map((r) => r.item_id))];
  const orderIds = [...new Set(rows.map((r) => r.order_id))];
  const [items, details, orderRows] = await Promise.all([
    db.selectFrom('stock_item').select(['id', 'part_id']).where('id', 'in', itemIds).execute(),
    itemDetail ? loadStockItems(db, itemIds, EMBEDDED_FLAGS) : Promise.resolve(new Map<number, StockItemBody>()),
    opts.orderDetail ? db.selectFrom('return_order').selectAll().where('id', 'in', orderIds).execute() : Promise.resolve([]),
  ]);
  const itemById = new Map(items.map((i) => [i.id, i]));
  const [orders, parts] = await Promise.all([
    serializeReturnOrders(db, settings, orderRows),
    opts.partDetail ? loadPartBriefs(db, items.map((i) => i.part_id)) : Promise.resolve(new Map()),
  ]);
  const orderById = new Map(orders.map((o) => [o.pk as number, o]));
  return rows.map((r) => {
    const item = itemById.get(r.item_id);
    return {
      pk: r.id,
      order: r.order_id,
      ...(opts.orderDetail ? { order_detail: orderById.get(r.order_id) } : {}),
      item: r.item_id,
      ...(itemDetail ? { item_detail: details.get(r.item_id) ?? null } : {}),
      quantity: Number(r.quantity),
      received_date: r.received_date,
      outcome: Number(r.outcome),
      ...(opts.partDetail ? { part_detail: item === undefined ? null : (parts.get(item.part_id) ?? null) } : {}),
      price: r.price === null ? null : Number(r.price),
      price_currency: r.price_currency,
      link: r.link,
      reference: r.reference,
      notes: r.notes,
      target_date: r.target_date,
    };
  });
}
