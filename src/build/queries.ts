/** The build-order list: InvenTree's BuildFilter, search fields and orderings. */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../db/transaction.js';
import type { PageRequest } from '../http/pagination.js';
import { queryBool, type Query } from '../http/listing.js';
import { BUILD_ACTIVE } from '../status/enums.js';
import { today } from '../util/time.js';
import {
  dateFilter,
  existsIn,
  icontains,
  iexact,
  integerEquals,
  modelChoiceFilter,
  numberFilter,
  orderExpressions,
  orderingTerms,
  partTreeCondition,
  presentParam,
  searchTerms,
} from '../order/sales-listing.js';
import { intList } from '../order/sales-stock.js';
import type { BuildRow } from './serializers.js';

const ref = (name: string): RawBuilder<unknown> => sql.ref(name) as unknown as RawBuilder<unknown>;

function flag(value: boolean | undefined, condition: RawBuilder<SqlBool>): RawBuilder<SqlBool>[] {
  if (value === undefined) return [];
  return [value ? condition : sql<SqlBool>`not ${condition}`];
}

function dates(query: Query, column: string, prefix: string): RawBuilder<SqlBool>[] {
  const out: RawBuilder<SqlBool>[] = [];
  const before = dateFilter(query, `${prefix}_before`);
  const after = dateFilter(query, `${prefix}_after`);
  if (before !== undefined) out.push(sql<SqlBool>`${ref(column)} < ${before}`);
  if (after !== undefined) out.push(sql<SqlBool>`${ref(column)} > ${after}`);
  return out;
}

const active = sql<SqlBool>`t.status in (${intList(BUILD_ACTIVE)})`;
const partName = sql`(select p.name from part p where p.id = t.part_id)`;

export async function buildList(db: Executor, query: Query): Promise<{ count(): Promise<number>; fetch(page: PageRequest | undefined): Promise<BuildRow[]> }> {
  const c: RawBuilder<SqlBool>[] = [];
  const part = await modelChoiceFilter(db, query, 'part', existsIn('part'));
  if (part !== undefined) c.push(partTreeCondition(ref('t.part_id'), part, queryBool(query, 'include_variants') === true));
  const status = numberFilter(query, 'status');
  if (status !== undefined) c.push(integerEquals(ref('t.status'), status));
  c.push(...flag(queryBool(query, 'active'), active));
  c.push(...flag(queryBool(query, 'outstanding'), active));
  c.push(...flag(queryBool(query, 'overdue'), sql<SqlBool>`(${active} and t.target_date is not null and t.target_date < ${today()})`));
  const reference = presentParam(query, 'reference');
  if (reference !== undefined) c.push(iexact(ref('t.reference'), reference));
  const salesOrder = await modelChoiceFilter(db, query, 'sales_order', existsIn('sales_order'));
  if (salesOrder !== undefined) c.push(sql<SqlBool>`t.sales_order_id = ${salesOrder}`);
  const parent = await modelChoiceFilter(db, query, 'parent', existsIn('build'));
  if (parent !== undefined) c.push(sql<SqlBool>`t.parent_id = ${parent}`);
  const category = await modelChoiceFilter(db, query, 'category', existsIn('part_category'));
  if (category !== undefined) {
    c.push(sql<SqlBool>`t.part_id in (select p.id from part p join part_category pc on pc.id = p.category_id where pc.tree_path like ${`%/${category}/%`})`);
  }
  c.push(...flag(queryBool(query, 'has_start_date'), sql<SqlBool>`t.start_date is not null`));
  c.push(...flag(queryBool(query, 'has_target_date'), sql<SqlBool>`t.target_date is not null`));
  c.push(...flag(queryBool(query, 'assigned_to_me'), sql<SqlBool>`1 = 0`));
  c.push(...flag(queryBool(query, 'has_project_code'), sql<SqlBool>`1 = 0`));
  c.push(...dates(query, 't.creation_date', 'created'));
  c.push(...dates(query, 't.start_date', 'start_date'));
  c.push(...dates(query, 't.target_date', 'target_date'));
  c.push(...dates(query, 't.completion_date', 'completed'));
  for (const term of searchTerms(query)) {
    const fields = [
      ref('t.reference'),
      ref('t.title'),
      partName,
      sql`(select p.ipn from part p where p.id = t.part_id)`,
      sql`(select p.description from part p where p.id = t.part_id)`,
      sql`cast(t.priority as varchar(20))`,
    ];
    c.push(sql<SqlBool>`(${sql.join(
      fields.map((f) => icontains(f, term)),
      sql` or `,
    )})`);
  }
  const keys: Record<string, Array<{ expr: RawBuilder<unknown>; nullable?: boolean }>> = {
    reference: [{ expr: ref('t.reference_int') }, { expr: ref('t.reference') }],
    part__name: [{ expr: partName }],
    status: [{ expr: ref('t.status') }],
    creation_date: [{ expr: ref('t.creation_date'), nullable: true }],
    start_date: [{ expr: ref('t.start_date'), nullable: true }],
    target_date: [{ expr: ref('t.target_date'), nullable: true }],
    completion_date: [{ expr: ref('t.completion_date'), nullable: true }],
    quantity: [{ expr: ref('t.quantity') }],
    completed: [{ expr: ref('t.completed') }],
    issued_by: [{ expr: ref('t.issued_by_id'), nullable: true }],
    priority: [{ expr: ref('t.priority') }],
  };
  const ordering: RawBuilder<unknown>[] = [];
  for (const term of orderingTerms(query, Object.keys(keys), '-reference')) {
    for (const key of keys[term.field] ?? []) ordering.push(...orderExpressions(key.expr, term.desc, key.nullable ?? false));
  }
  const where = c.length === 0 ? sql`` : sql`where ${sql.join(c, sql` and `)}`;
  return {
    async count() {
      const r = await sql<{ n: number }>`select count(*) as n from build as t ${where}`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    },
    async fetch(page) {
      const limit = page === undefined ? sql`` : sql`limit ${page.limit} offset ${page.offset}`;
      const r = await sql<BuildRow>`select t.* from build as t ${where} order by ${sql.join([...ordering, sql`t.id asc`])} ${limit}`.execute(db);
      return r.rows;
    },
  };
}
