/** The build-order list: InvenTree's BuildFilter, search fields and orderings. */
import { sql, type SqlBool } from 'kysely';
import { rowExists } from '../db/exists.js';
import type { Executor } from '../db/transaction.js';
import { subtreeCondition } from '../db/tree.js';
import { boolCondition, inList, ListFilters, orderingOf, queryBool, searchCondition, sqlList, type ListQuery, type OrderingFields, type Query } from '../http/listing.js';
import { orderFilterConditions } from '../order/common.js';
import { BUILD_ACTIVE } from '../status/enums.js';
import type { BuildRow } from './serializers.js';

const partName = sql`(select p.name from part p where p.id = t.part_id)`;
const nullable = (column: string) => ({ expr: column, nullable: true });

const BUILD_ORDERING: OrderingFields = {
  reference: ['t.reference_int', 't.reference'],
  part__name: [partName],
  status: ['t.status'],
  creation_date: [nullable('t.creation_date')],
  start_date: [nullable('t.start_date')],
  target_date: [nullable('t.target_date')],
  completion_date: [nullable('t.completion_date')],
  quantity: ['t.quantity'],
  completed: ['t.completed'],
  issued_by: [nullable('t.issued_by_id')],
  priority: ['t.priority'],
};

export async function buildList(db: Executor, query: Query): Promise<ListQuery<BuildRow>> {
  const filters = new ListFilters(db, query);
  // The order filters, with "active" for open builds and no created_by.
  const c = await orderFilterConditions(filters, query, 't', { open: BUILD_ACTIVE, completedColumn: 'completion_date', createdBy: false });
  c.push(...boolCondition(queryBool(query, 'active'), inList('t.status', BUILD_ACTIVE)));
  const part = await filters.pk('part', rowExists('part'));
  if (part !== undefined) c.push(queryBool(query, 'include_variants') === true ? subtreeCondition('part', 't.part_id', part) : sql<SqlBool>`t.part_id = ${part}`);
  const salesOrder = await filters.pk('sales_order', rowExists('sales_order'));
  if (salesOrder !== undefined) c.push(sql<SqlBool>`t.sales_order_id = ${salesOrder}`);
  const parent = await filters.pk('parent', rowExists('build'));
  if (parent !== undefined) c.push(sql<SqlBool>`t.parent_id = ${parent}`);
  const category = await filters.pk('category', rowExists('part_category'));
  if (category !== undefined) c.push(sql<SqlBool>`t.part_id in (select p.id from part p where ${subtreeCondition('part_category', 'p.category_id', category)})`);
  filters.check();
  const search = searchCondition(query, [
    't.reference',
    't.title',
    partName,
    sql`(select p.ipn from part p where p.id = t.part_id)`,
    sql`(select p.description from part p where p.id = t.part_id)`,
    sql`cast(t.priority as varchar(20))`,
  ]);
  if (search !== undefined) c.push(search);
  return sqlList<BuildRow>(db, sql`build t`, 't', c, orderingOf(query, BUILD_ORDERING, '-reference'));
}
