/**
 * What purchase, sales and return orders (and build orders, for references and list filters)
 * share: reference checks and numbering, the nested `created_by` user, `overdue`, the
 * "completed orders are locked" rule (core-api.md §7.8) and InvenTree's OrderFilter.
 */
import { Type } from '@sinclair/typebox';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { rowExists } from '../db/exists.js';
import type { Executor } from '../db/transaction.js';
import { ValidationError } from '../http/errors.js';
import { boolCondition, dateRangeConditions, iexact, inList, integerEquals, filterText, queryBool, sqlFalse, type ListFilters, type Query } from '../http/listing.js';
import { Nullable } from '../http/schema.js';
import type { SettingsService } from '../settings/service.js';
import { today } from '../util/time.js';
import { nextReference, parseReference, REFERENCE_SETTINGS, type ReferencedTable } from './reference.js';

const MODEL_LABELS: Record<ReferencedTable, string> = {
  purchase_order: 'Purchase Order',
  sales_order: 'Sales Order',
  return_order: 'Return Order',
  build: 'Build Order',
};

/**
 * The reference for a new or renamed order: the given one checked against the pattern and
 * for uniqueness, or the next free one. Returns the text and its number.
 */
export async function resolveReference(
  db: Executor,
  settings: SettingsService,
  table: ReferencedTable,
  given: string | undefined,
  exceptId?: number,
): Promise<{ reference: string; reference_int: number }> {
  const pattern = await settings.getGlobal(REFERENCE_SETTINGS[table]);
  if (given === undefined) {
    const next = await nextReference(db, table, pattern);
    return { reference: next.reference, reference_int: next.number };
  }
  const reference_int = parseReference(pattern, given);
  let q = db.selectFrom(table).select('id').where('reference', '=', given);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if ((await q.executeTakeFirst()) !== undefined) {
    throw new ValidationError({ reference: [`${MODEL_LABELS[table]} with this Reference already exists.`] });
  }
  return { reference: given, reference_int };
}

export const NestedUserSchema = Nullable(
  Type.Object({ pk: Type.Integer(), username: Type.String(), first_name: Type.String(), last_name: Type.String(), email: Type.String() }),
);

export interface NestedUser {
  pk: number;
  username: string;
  first_name: string;
  last_name: string;
  email: string;
}

/** Users by id, as the nested `{pk, username, first_name, last_name, email}` objects. */
export async function loadNestedUsers(db: Executor, ids: readonly (number | null)[]): Promise<Map<number, NestedUser>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('auth_user').select(['id', 'username', 'first_name', 'last_name', 'email']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, { pk: r.id, username: r.username, first_name: r.first_name, last_name: r.last_name, email: r.email }]));
}

/** An order is overdue when it is open and its target date has passed. */
export function isOverdue(targetDate: string | null, status: number, openStatuses: readonly number[]): boolean {
  return targetDate !== null && targetDate < today() && openStatuses.includes(status);
}

/**
 * Refuses edits of a completed order unless the `<KIND>_EDIT_COMPLETED_ORDERS` setting allows
 * them. `scope` picks the message: the order itself, or one of its lines.
 */
export async function checkNotLocked(
  settings: SettingsService,
  editSetting: 'PURCHASEORDER_EDIT_COMPLETED_ORDERS' | 'SALESORDER_EDIT_COMPLETED_ORDERS' | 'RETURNORDER_EDIT_COMPLETED_ORDERS',
  status: number,
  completeStatuses: readonly number[],
  scope: 'order' | 'line',
): Promise<void> {
  if (!completeStatuses.includes(status)) return;
  if (await settings.getGlobalBool(editSetting)) return;
  if (scope === 'order') throw new ValidationError({ reference: ['This order is locked and cannot be modified'] });
  throw new ValidationError({ non_field_errors: ['The order is locked and cannot be modified'] });
}

export interface OrderFilterOptions {
  /** Status codes of open orders (`outstanding`, `overdue`). */
  open: readonly number[];
  /** The column `completed_before` / `completed_after` filter on. */
  completedColumn: string;
  /** Whether the model records `created_by` (build orders do not). */
  createdBy: boolean;
}

/**
 * InvenTree's OrderFilter on the order table aliased `alias`: `status`, `reference`
 * (case-insensitive exact), `outstanding`, `overdue`, `assigned_to_me` and `has_project_code`
 * (Stockscan keeps no owners or project codes, so nothing is assigned or coded), `created_by`,
 * `has_start_date`, `has_target_date` and the `created`, `start_date`, `target_date` and
 * `completed` date ranges. Bad values are recorded in `filters`.
 */
export async function orderFilterConditions(filters: ListFilters, query: Query, alias: string, opts: OrderFilterOptions): Promise<RawBuilder<SqlBool>[]> {
  const col = (c: string) => `${alias}.${c}`;
  const out: RawBuilder<SqlBool>[] = [];
  const status = filters.number('status');
  if (status !== undefined) out.push(integerEquals(col('status'), status));
  const reference = filterText(query, 'reference');
  if (reference !== undefined) out.push(iexact(col('reference'), reference));
  const open = inList(col('status'), opts.open);
  out.push(...boolCondition(queryBool(query, 'outstanding'), open));
  const overdue = sql<SqlBool>`(${open} and ${sql.ref(col('target_date'))} is not null and ${sql.ref(col('target_date'))} < ${today()})`;
  out.push(...boolCondition(queryBool(query, 'overdue'), overdue));
  out.push(...boolCondition(queryBool(query, 'assigned_to_me'), sqlFalse));
  out.push(...boolCondition(queryBool(query, 'has_project_code'), sqlFalse));
  if (opts.createdBy) {
    const createdBy = await filters.pk('created_by', rowExists('auth_user'));
    if (createdBy !== undefined) out.push(sql<SqlBool>`${sql.ref(col('created_by_id'))} = ${createdBy}`);
  }
  out.push(...boolCondition(queryBool(query, 'has_start_date'), sql<SqlBool>`${sql.ref(col('start_date'))} is not null`));
  out.push(...boolCondition(queryBool(query, 'has_target_date'), sql<SqlBool>`${sql.ref(col('target_date'))} is not null`));
  out.push(...dateRangeConditions(filters, col('creation_date'), 'created'));
  out.push(...dateRangeConditions(filters, col('start_date'), 'start_date'));
  out.push(...dateRangeConditions(filters, col('target_date'), 'target_date'));
  out.push(...dateRangeConditions(filters, col(opts.completedColumn), 'completed'));
  return out;
}
