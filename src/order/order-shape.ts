/**
 * The keys every order serializer shares (core-api.md §7.8) and the pieces of them that
 * Stockscan does not model: project codes, responsible owners, contacts and addresses are
 * always null, `parameters` and `tags` empty lists. Used by purchase and return orders, a
 * whole page at a time.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { barcodeHashesOfRows } from '../barcode/links.js';
import { loadCompanyBriefs, type CompanyBrief } from '../company/brief.js';
import type { Executor } from '../db/transaction.js';
import { Nullable } from '../http/schema.js';
import type { SettingsService } from '../settings/service.js';
import { statusLabel, type StatusClass } from '../status/enums.js';
import { apiDateTime } from '../util/time.js';
import { isOverdue, loadNestedUsers, NestedUserSchema, type NestedUser } from './common.js';

const NullObject = Nullable(Type.Object({}, { additionalProperties: true }));

/** Response schema properties of the common order keys. */
export function commonOrderProperties(): Record<string, TSchema> {
  return {
    pk: Type.Integer(),
    created_by: NestedUserSchema,
    creation_date: Nullable(Type.String({ format: 'date' })),
    issue_date: Nullable(Type.String({ format: 'date' })),
    start_date: Nullable(Type.String({ format: 'date' })),
    target_date: Nullable(Type.String({ format: 'date' })),
    description: Type.String(),
    line_items: Type.Integer(),
    completed_lines: Type.Integer(),
    link: Type.String(),
    project_code: Nullable(Type.Integer()),
    project_code_label: Nullable(Type.String()),
    project_code_detail: NullObject,
    reference: Type.String(),
    responsible: Nullable(Type.Integer()),
    responsible_detail: NullObject,
    contact: Nullable(Type.Integer()),
    contact_detail: NullObject,
    address: Nullable(Type.Integer()),
    address_detail: NullObject,
    status: Type.Integer(),
    status_text: Type.String(),
    status_custom_key: Type.Integer(),
    notes: Type.Optional(Nullable(Type.String())),
    barcode_hash: Type.String(),
    overdue: Type.Boolean(),
    order_currency: Nullable(Type.String()),
    total_price: Nullable(Type.Number()),
    updated_at: Nullable(Type.String()),
    parameters: Type.Array(Type.Unknown()),
    tags: Type.Array(Type.String()),
  };
}

export interface CommonOrderRow {
  id: number;
  reference: string;
  description: string;
  link: string;
  status: number;
  creation_date: string | null;
  issue_date: string | null;
  start_date: string | null;
  target_date: string | null;
  created_by_id: number | null;
  order_currency: string | null;
  notes: string;
  updated_at: string | null;
}

export interface CommonOrderExtras {
  createdBy: NestedUser | null;
  lineItems: number;
  completedLines: number;
  statusText: string;
  barcodeHash: string;
  overdue: boolean;
  totalPrice: number | null;
  withNotes: boolean;
}

/** The common keys of one order. */
export function commonOrderBody(row: CommonOrderRow, x: CommonOrderExtras): Record<string, unknown> {
  return {
    pk: row.id,
    created_by: x.createdBy,
    creation_date: row.creation_date,
    issue_date: row.issue_date,
    start_date: row.start_date,
    target_date: row.target_date,
    description: row.description,
    line_items: x.lineItems,
    completed_lines: x.completedLines,
    link: row.link,
    project_code: null,
    project_code_label: null,
    project_code_detail: null,
    reference: row.reference,
    responsible: null,
    responsible_detail: null,
    contact: null,
    contact_detail: null,
    address: null,
    address_detail: null,
    status: Number(row.status),
    status_text: x.statusText,
    status_custom_key: Number(row.status),
    ...(x.withNotes ? { notes: row.notes } : {}),
    barcode_hash: x.barcodeHash,
    overdue: x.overdue,
    order_currency: row.order_currency === '' ? null : row.order_currency,
    total_price: x.totalPrice,
    updated_at: apiDateTime(row.updated_at),
    parameters: [],
    tags: [],
  };
}

/**
 * The total of priced lines (quantity × unit price) in the order's currency. Stockscan keeps
 * no exchange rates, so a priced line in another currency makes the total unknown (null), as
 * InvenTree answers when a conversion rate is missing. No priced lines: 0.
 */
export function orderTotal(
  lines: readonly { quantity: number; price: number | null; currency: string }[],
  orderCurrency: string,
): number | null {
  let total = 0;
  for (const l of lines) {
    if (l.price === null) continue;
    if (l.currency !== '' && l.currency !== orderCurrency) return null;
    total += Number(l.quantity) * Number(l.price);
  }
  return Math.round(total * 1e6) / 1e6;
}

/**
 * The currency each order is priced in: its own, else its company's, else the default.
 * `companies`: the rows' companies if the caller has loaded them already.
 */
export async function orderCurrencies(
  db: Executor,
  settings: SettingsService,
  rows: readonly { id: number; order_currency: string | null; company_id: number | null }[],
  companies?: ReadonlyMap<number, CompanyBrief>,
): Promise<Map<number, string>> {
  const [fallback, briefs] = await Promise.all([
    settings.getGlobal('INVENTREE_DEFAULT_CURRENCY', db),
    companies ?? loadCompanyBriefs(db, rows.map((r) => r.company_id)),
  ]);
  return new Map(
    rows.map((r) => {
      const own = r.order_currency ?? '';
      const company = r.company_id === null ? '' : (briefs.get(r.company_id)?.currency ?? '');
      return [r.id, own !== '' ? own : company !== '' ? company : fallback];
    }),
  );
}

/** One line of an order as the order's own keys count it. */
export interface OrderLineSummary {
  order_id: number;
  quantity: number;
  price: number | null;
  currency: string;
  /** Whether the line counts as completed (received, or resolved). */
  complete: boolean;
}

export interface OrderShape {
  barcodeModel: 'purchaseorder' | 'returnorder';
  statuses: StatusClass;
  open: readonly number[];
}

/**
 * The common keys of a page of orders (`commonOrderBody`), keyed by order id: creators,
 * barcode hashes and currencies loaded in batches; line counts and totals from `lines`.
 * `company_id` is the order's supplier or customer (for its currency); `companies`, those
 * companies if the caller has loaded them already.
 */
export async function commonOrderBodies(
  db: Executor,
  settings: SettingsService,
  shape: OrderShape,
  rows: readonly (CommonOrderRow & { company_id: number | null })[],
  lines: readonly OrderLineSummary[],
  withNotes: boolean,
  companies?: ReadonlyMap<number, CompanyBrief>,
): Promise<Map<number, Record<string, unknown>>> {
  const [users, hashes, currencies] = await Promise.all([
    loadNestedUsers(db, rows.map((r) => r.created_by_id)),
    barcodeHashesOfRows(db, shape.barcodeModel, rows),
    orderCurrencies(db, settings, rows, companies),
  ]);
  const byOrder = new Map<number, OrderLineSummary[]>();
  for (const l of lines) byOrder.set(l.order_id, [...(byOrder.get(l.order_id) ?? []), l]);
  return new Map(
    rows.map((r) => {
      const own = byOrder.get(r.id) ?? [];
      const status = Number(r.status);
      const body = commonOrderBody(r, {
        createdBy: r.created_by_id === null ? null : (users.get(r.created_by_id) ?? null),
        lineItems: own.length,
        completedLines: own.filter((l) => l.complete).length,
        statusText: statusLabel(shape.statuses, status),
        barcodeHash: hashes.get(r.id) ?? '',
        overdue: isOverdue(r.target_date, status, shape.open),
        totalPrice: orderTotal(own, currencies.get(r.id) ?? ''),
        withNotes,
      });
      return [r.id, body];
    }),
  );
}
