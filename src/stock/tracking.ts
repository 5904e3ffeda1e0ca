/**
 * Stock tracking entries (StockItemTracking): one row per event in a stock item's history,
 * with a StockHistoryCode (status/enums.ts) and the changed values as `deltas`.
 */
import type { Executor } from '../db/transaction.js';
import { nowIso } from '../util/time.js';

export const TRACKING = {
  CREATED: 1,
  EDITED: 5,
  ASSIGNED_SERIAL: 6,
  STOCK_COUNT: 10,
  STOCK_ADD: 11,
  STOCK_REMOVE: 12,
  STOCK_MOVE: 20,
  STOCK_UPDATE: 25,
  SPLIT_FROM_PARENT: 40,
  SPLIT_CHILD_ITEM: 42,
  SHIPPED_AGAINST_SALES_ORDER: 60,
  RECEIVED_AGAINST_PURCHASE_ORDER: 70,
  RETURNED_AGAINST_RETURN_ORDER: 80,
  SENT_TO_CUSTOMER: 100,
  RETURNED_FROM_CUSTOMER: 105,
} as const;

export async function addTracking(
  db: Executor,
  itemId: number,
  trackingType: number,
  userId: number | null,
  deltas: Record<string, unknown> = {},
  notes = '',
): Promise<void> {
  await db
    .insertInto('stock_tracking')
    .values({ item_id: itemId, tracking_type: trackingType, user_id: userId, deltas: JSON.stringify(deltas), notes, date: nowIso() })
    .execute();
}
