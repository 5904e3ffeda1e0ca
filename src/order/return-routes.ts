/**
 * Return orders and their lines: `/api/order/ro/...`, `/api/order/ro-line/...` (core-api.md
 * §7.16). Receiving returned items (`/api/order/ro/{pk}/receive/`) is not served.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { subtreeCondition } from '../db/tree.js';
import { notFound } from '../http/errors.js';
import { listResponse, paginate } from '../http/pagination.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { boolCondition, detailFlag, icontains, integerEquals, ListFilters, orderingOf, queryBool, queryOf, searchCondition, sqlList, type OrderingFields, type Query } from '../http/listing.js';
import { ValidationBody } from '../http/schema.js';
import { RO_OPEN } from '../status/enums.js';
import { orderFilterConditions } from './common.js';
import { customerExists } from '../company/service.js';
import { partExists } from '../part/service.js';
import { ORDER_ERRORS, orderParseContext, returnOrderExists, stockItemExists } from './order-fields.js';
import { EmptyForm } from './purchase-forms.js';
import { modelWriteRoutes } from './order-routes.js';
import { ReturnOrderCreateForm, ReturnOrderPatchForm, ReturnOrderPutForm, RoLineCreateForm, RoLinePatchForm, RoLinePutForm } from './return-forms.js';
import { ReturnOrderSchema, RoLineSchema, serializeReturnOrders, serializeRoLines, type ReturnOrderRow, type RoLineRow } from './return-serializers.js';
import {
  createReturnOrder,
  createRoLine,
  deleteReturnOrder,
  deleteRoLine,
  returnOrderAction,
  updateReturnOrder,
  updateRoLine,
  type ReturnOrderAction,
} from './return-service.js';

const RO_MODEL = { permission: { model: 'order_returnorder' } };
const LINE_MODEL = { permission: { model: 'order_returnorderlineitem' } };
const RO_ACTION = { permission: { role: 'return_order' as const, verb: 'add' as const } };
const TAGS = ['order'];
const ERRORS = ORDER_ERRORS;

const RO_ORDERING: OrderingFields = {
  creation_date: [sql`ro.creation_date`],
  created_by: [sql`ro.created_by_id`],
  reference: [sql`ro.reference_int`, sql`ro.reference`],
  customer__name: [sql`(select c.name from company c where c.id = ro.customer_id)`],
  customer_reference: [sql`ro.customer_reference`],
  line_items: [sql`(select count(*) from return_order_line l where l.order_id = ro.id)`],
  status: [sql`ro.status`],
  start_date: [sql`ro.start_date`],
  target_date: [sql`ro.target_date`],
  complete_date: [sql`ro.complete_date`],
  project_code: [sql`ro.id`],
};

const LINE_ORDERING: OrderingFields = {
  reference: [sql`l.reference`],
  target_date: [sql`l.target_date`],
  received_date: [sql`l.received_date`],
};

async function returnOrderConditions(db: Executor, query: Query): Promise<RawBuilder<SqlBool>[]> {
  const filters = new ListFilters(db, query);
  const conds = await orderFilterConditions(filters, query, 'ro', { open: RO_OPEN, completedColumn: 'complete_date', createdBy: true });
  const customer = await filters.pk('customer', customerExists);
  if (customer !== undefined) conds.push(sql<SqlBool>`ro.customer_id = ${customer}`);
  const part = await filters.pk('part', partExists);
  if (part !== undefined) {
    const partCond = queryBool(query, 'include_variants') === true ? subtreeCondition('part', 'si.part_id', part) : sql<SqlBool>`si.part_id = ${part}`;
    conds.push(sql<SqlBool>`ro.id in (select l.order_id from return_order_line l inner join stock_item si on si.id = l.item_id where ${partCond})`);
  }
  filters.check();
  const search = searchCondition(query, [
    'ro.reference',
    'ro.description',
    'ro.customer_reference',
    (term) => sql<SqlBool>`ro.customer_id in (select c.id from company c where ${icontains('c.name', term)})`,
  ]);
  if (search !== undefined) conds.push(search);
  return conds;
}

async function lineConditions(db: Executor, query: Query): Promise<RawBuilder<SqlBool>[]> {
  const conds: RawBuilder<SqlBool>[] = [];
  const filters = new ListFilters(db, query);
  const order = await filters.pk('order', returnOrderExists);
  if (order !== undefined) conds.push(sql<SqlBool>`l.order_id = ${order}`);
  const item = await filters.pk('item', stockItemExists);
  if (item !== undefined) conds.push(sql<SqlBool>`l.item_id = ${item}`);
  const outcome = filters.number('outcome');
  if (outcome !== undefined) conds.push(integerEquals('l.outcome', outcome));
  const orderStatus = filters.number('order_status');
  if (orderStatus !== undefined) conds.push(integerEquals('ro.status', orderStatus));
  filters.check();
  conds.push(...boolCondition(queryBool(query, 'received'), sql<SqlBool>`l.received_date is not null`));
  conds.push(...boolCondition(queryBool(query, 'has_pricing'), sql<SqlBool>`l.price is not null`));
  const search = searchCondition(query, ['si.serial', 'p.name', 'p.description', 'l.reference']);
  if (search !== undefined) conds.push(search);
  return conds;
}

const LINE_FROM = sql`return_order_line l
  inner join return_order ro on ro.id = l.order_id
  inner join stock_item si on si.id = l.item_id
  inner join part p on p.id = si.part_id`;

export async function returnOrderRoutes(app: FastifyInstance): Promise<void> {
  const { db, database, settings } = app.ctx;

  const parseContext = () => orderParseContext(db, settings, 'return_order');

  async function orderBody(request: FastifyRequest, id: number) {
    const row = await db.selectFrom('return_order').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw notFound('ReturnOrder');
    const [body] = await serializeReturnOrders(db, settings, [row], { notes: true, customerDetail: detailFlag(queryOf(request), 'customer_detail', false) });
    return body;
  }

  function lineOptions(query: Query) {
    return {
      orderDetail: detailFlag(query, 'order_detail', false),
      itemDetail: detailFlag(query, 'item_detail', true),
      partDetail: detailFlag(query, 'part_detail', false),
    };
  }

  async function lineBody(request: FastifyRequest, id: number) {
    const row = await db.selectFrom('return_order_line').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw notFound('ReturnOrderLineItem');
    const [body] = await serializeRoLines(db, settings, [row], lineOptions(queryOf(request)));
    return body;
  }

  // Return orders -----------------------------------------------------------------------------
  app.get(
    '/api/order/ro/',
    { config: RO_MODEL, schema: { tags: TAGS, summary: 'List return orders', response: { 200: listResponse(ReturnOrderSchema), 400: ValidationBody } } },
    async (request) => {
      const query = queryOf(request);
      const list = sqlList<ReturnOrderRow>(db, sql`return_order ro`, 'ro', await returnOrderConditions(db, query), orderingOf(query, RO_ORDERING, '-reference'));
      const customerDetail = detailFlag(query, 'customer_detail', false);
      return paginate(request, list.count, async (page) => serializeReturnOrders(db, settings, await list.fetch(page), { customerDetail }));
    },
  );

  modelWriteRoutes(app, {
    path: '/api/order/ro/',
    config: RO_MODEL,
    tags: TAGS,
    table: 'return_order',
    model: 'ReturnOrder',
    label: 'return order',
    schema: ReturnOrderSchema,
    createForm: ReturnOrderCreateForm,
    putForm: ReturnOrderPutForm,
    patchForm: ReturnOrderPatchForm,
    parseContext,
    create: (body, request) => createReturnOrder(database, settings, body, request.user?.id ?? null),
    update: (id, body) => updateReturnOrder(database, settings, id, body),
    remove: (id) => deleteReturnOrder(database, id),
    body: orderBody,
  });

  for (const action of ['issue', 'hold', 'cancel', 'complete'] as const satisfies readonly ReturnOrderAction[]) {
    app.post(
      `/api/order/ro/${PK_PARAM}/${action}/`,
      {
        config: RO_ACTION,
        schema: { tags: TAGS, summary: `${action[0]!.toUpperCase()}${action.slice(1)} a return order`, body: EmptyForm.schema, response: { 201: Type.Object({}), ...ERRORS } },
      },
      async (request, reply) => {
        await returnOrderAction(database, pkParam(request, 'ReturnOrder'), action);
        reply.code(201);
        return {};
      },
    );
  }

  // Lines --------------------------------------------------------------------------------------
  app.get(
    '/api/order/ro-line/',
    { config: LINE_MODEL, schema: { tags: TAGS, summary: 'List return order lines', response: { 200: listResponse(RoLineSchema), 400: ValidationBody } } },
    async (request) => {
      const query = queryOf(request);
      const list = sqlList<RoLineRow>(db, LINE_FROM, 'l', await lineConditions(db, query), orderingOf(query, LINE_ORDERING));
      const opts = lineOptions(query);
      return paginate(request, list.count, async (page) => serializeRoLines(db, settings, await list.fetch(page), opts));
    },
  );

  modelWriteRoutes(app, {
    path: '/api/order/ro-line/',
    config: LINE_MODEL,
    tags: TAGS,
    table: 'return_order_line',
    model: 'ReturnOrderLineItem',
    label: 'return order line',
    schema: RoLineSchema,
    createForm: RoLineCreateForm,
    putForm: RoLinePutForm,
    patchForm: RoLinePatchForm,
    parseContext: async () => ({ db }),
    create: (body) => createRoLine(database, settings, body),
    update: (id, body) => updateRoLine(database, settings, id, body),
    remove: (id) => deleteRoLine(database, settings, id),
    body: lineBody,
  });
}
