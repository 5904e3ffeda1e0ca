/**
 * Return orders and their lines: `/api/order/ro/...`, `/api/order/ro-line/...` (core-api.md
 * §7.16). Receiving returned items (`/api/order/ro/{pk}/receive/`) is not served.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { notFound } from '../http/errors.js';
import * as f from '../http/fields.js';
import { listResponse, paginate } from '../http/pagination.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { queryBool, detailFlag, queryOf, type Query } from '../http/listing.js';
import { DetailBody, ValidationBody } from '../http/schema.js';
import { RO_OPEN } from '../status/enums.js';
import { today } from '../util/time.js';
import { companyIsCustomer, partExists, returnOrderExists, stockItemExists, type OrderParseContext } from './purchase-fields.js';
import { EmptyForm } from './purchase-forms.js';
import {
  commonOrderConditions,
  containsPattern,
  ilike,
  integerEquals,
  modelChoiceFilter,
  numberFilter,
  orderByClause,
  orderingTerms,
  searchTerms,
} from './purchase-lists.js';
import { BadRequestBody } from './purchase-routes.js';
import { ReturnOrderCreateForm, ReturnOrderPatchForm, ReturnOrderPutForm, RoLineCreateForm, RoLinePatchForm, RoLinePutForm } from './return-forms.js';
import { ReturnOrderSchema, RoLineSchema, serializeReturnOrders, serializeRoLines } from './return-serializers.js';
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
const ERRORS = { 400: BadRequestBody, 403: DetailBody, 404: DetailBody };

const RO_ORDERING: Record<string, Expression<unknown>[]> = {
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

const LINE_ORDERING: Record<string, Expression<unknown>[]> = {
  reference: [sql`l.reference`],
  target_date: [sql`l.target_date`],
  received_date: [sql`l.received_date`],
};

async function returnOrderConditions(db: Executor, query: Query): Promise<Expression<SqlBool>[]> {
  const conds = await commonOrderConditions(db, query, 'ro', RO_OPEN, today(), 'complete_date');
  const customer = await modelChoiceFilter(db, query, 'customer', companyIsCustomer);
  if (customer !== undefined) conds.push(sql<SqlBool>`ro.customer_id = ${customer}`);
  const part = await modelChoiceFilter(db, query, 'part', partExists);
  if (part !== undefined) {
    let partCond = sql<SqlBool>`si.part_id = ${part}`;
    if (queryBool(query, 'include_variants') === true) {
      const row = await db.selectFrom('part').select('tree_path').where('id', '=', part).executeTakeFirstOrThrow();
      const prefix = `${row.tree_path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      partCond = sql<SqlBool>`si.part_id in (select p.id from part p where p.tree_path like ${prefix} escape '\\')`;
    }
    conds.push(sql<SqlBool>`ro.id in (select l.order_id from return_order_line l inner join stock_item si on si.id = l.item_id where ${partCond})`);
  }
  for (const t of searchTerms(query)) {
    const p = containsPattern(t);
    conds.push(
      sql<SqlBool>`(${sql.join(
        [
          ilike('ro.reference', p),
          ilike('ro.description', p),
          ilike('ro.customer_reference', p),
          sql<SqlBool>`ro.customer_id in (select c.id from company c where lower(c.name) like ${p} escape '\\')`,
        ],
        sql` or `,
      )})`,
    );
  }
  return conds;
}

async function lineConditions(db: Executor, query: Query): Promise<Expression<SqlBool>[]> {
  const conds: Expression<SqlBool>[] = [sql<SqlBool>`1 = 1`];
  const order = await modelChoiceFilter(db, query, 'order', returnOrderExists);
  if (order !== undefined) conds.push(sql<SqlBool>`l.order_id = ${order}`);
  const item = await modelChoiceFilter(db, query, 'item', stockItemExists);
  if (item !== undefined) conds.push(sql<SqlBool>`l.item_id = ${item}`);
  const outcome = numberFilter(query, 'outcome');
  if (outcome !== undefined) conds.push(integerEquals('l.outcome', outcome));
  const orderStatus = numberFilter(query, 'order_status');
  if (orderStatus !== undefined) conds.push(integerEquals('ro.status', orderStatus));
  const received = queryBool(query, 'received');
  if (received !== undefined) conds.push(received ? sql<SqlBool>`l.received_date is not null` : sql<SqlBool>`l.received_date is null`);
  const hasPricing = queryBool(query, 'has_pricing');
  if (hasPricing !== undefined) conds.push(hasPricing ? sql<SqlBool>`l.price is not null` : sql<SqlBool>`l.price is null`);
  for (const t of searchTerms(query)) {
    const p = containsPattern(t);
    conds.push(sql<SqlBool>`(${sql.join([ilike('si.serial', p), ilike('p.name', p), ilike('p.description', p), ilike('l.reference', p)], sql` or `)})`);
  }
  return conds;
}

export async function returnOrderRoutes(app: FastifyInstance): Promise<void> {
  const { db, database, settings } = app.ctx;

  async function parseContext(): Promise<OrderParseContext> {
    return { db, referencePattern: await settings.getGlobal('RETURNORDER_REFERENCE_PATTERN') };
  }

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
      const where = sql.join(await returnOrderConditions(db, query), sql` and `);
      const ordering = orderingTerms(query, Object.keys(RO_ORDERING), [{ key: 'reference', desc: true }]);
      const customerDetail = detailFlag(query, 'customer_detail', false);
      return paginate(
        request,
        async () => Number((await sql<{ n: number }>`select count(*) as n from return_order ro where ${where}`.execute(db)).rows[0]?.n ?? 0),
        async (page) => {
          const limit = page === undefined ? sql`` : sql`limit ${page.limit} offset ${page.offset}`;
          const ids = (await sql<{ id: number }>`select ro.id from return_order ro where ${where} order by ${orderByClause(ordering, RO_ORDERING, 'ro.id')} ${limit}`.execute(db)).rows.map(
            (r) => r.id,
          );
          if (ids.length === 0) return [];
          const rows = await db.selectFrom('return_order').selectAll().where('id', 'in', ids).execute();
          const byId = new Map(rows.map((r) => [r.id, r]));
          return serializeReturnOrders(
            db,
            settings,
            ids.map((id) => byId.get(id)).filter((r) => r !== undefined),
            { customerDetail },
          );
        },
      );
    },
  );

  app.post(
    '/api/order/ro/',
    { config: RO_MODEL, schema: { tags: TAGS, summary: 'Create a return order', body: ReturnOrderCreateForm.schema, response: { 201: ReturnOrderSchema, ...ERRORS } } },
    async (request, reply) => {
      const body = await f.parseBody(ReturnOrderCreateForm, request.body, await parseContext());
      const id = await createReturnOrder(database, settings, body, request.user?.id ?? null);
      reply.code(201);
      return orderBody(request, id);
    },
  );

  app.get(
    `/api/order/ro/${PK_PARAM}/`,
    { config: RO_MODEL, schema: { tags: TAGS, summary: 'One return order', response: { 200: ReturnOrderSchema, 404: DetailBody } } },
    async (request) => orderBody(request, pkParam(request, 'ReturnOrder')),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const form = method === 'PUT' ? ReturnOrderPutForm : ReturnOrderPatchForm;
    app.route({
      method,
      url: `/api/order/ro/${PK_PARAM}/`,
      config: RO_MODEL,
      schema: { tags: TAGS, summary: 'Change a return order', body: form.schema, response: { 200: ReturnOrderSchema, ...ERRORS } },
      handler: async (request) => {
        const id = pkParam(request, 'ReturnOrder');
        if (!(await returnOrderExists(db, id))) throw notFound('ReturnOrder');
        const body = await f.parseBody(form, request.body, await parseContext());
        await updateReturnOrder(database, settings, id, body);
        return orderBody(request, id);
      },
    });
  }

  app.delete(
    `/api/order/ro/${PK_PARAM}/`,
    { config: RO_MODEL, schema: { tags: TAGS, summary: 'Delete a return order', response: { 204: Type.Null(), 404: DetailBody } } },
    async (request, reply) => {
      await deleteReturnOrder(database, pkParam(request, 'ReturnOrder'));
      return reply.code(204).send();
    },
  );

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
      const where = sql.join(await lineConditions(db, query), sql` and `);
      const from = sql`return_order_line l
        inner join return_order ro on ro.id = l.order_id
        inner join stock_item si on si.id = l.item_id
        inner join part p on p.id = si.part_id`;
      const ordering = orderingTerms(query, Object.keys(LINE_ORDERING), []);
      const opts = lineOptions(query);
      return paginate(
        request,
        async () => Number((await sql<{ n: number }>`select count(*) as n from ${from} where ${where}`.execute(db)).rows[0]?.n ?? 0),
        async (page) => {
          const limit = page === undefined ? sql`` : sql`limit ${page.limit} offset ${page.offset}`;
          const ids = (await sql<{ id: number }>`select l.id from ${from} where ${where} order by ${orderByClause(ordering, LINE_ORDERING, 'l.id')} ${limit}`.execute(db)).rows.map(
            (r) => r.id,
          );
          if (ids.length === 0) return [];
          const rows = await db.selectFrom('return_order_line').selectAll().where('id', 'in', ids).execute();
          const byId = new Map(rows.map((r) => [r.id, r]));
          return serializeRoLines(
            db,
            settings,
            ids.map((id) => byId.get(id)).filter((r) => r !== undefined),
            opts,
          );
        },
      );
    },
  );

  app.post(
    '/api/order/ro-line/',
    { config: LINE_MODEL, schema: { tags: TAGS, summary: 'Create a return order line', body: RoLineCreateForm.schema, response: { 201: RoLineSchema, ...ERRORS } } },
    async (request, reply) => {
      const body = await f.parseBody(RoLineCreateForm, request.body, { db });
      const id = await createRoLine(database, settings, body);
      reply.code(201);
      return lineBody(request, id);
    },
  );

  app.get(
    `/api/order/ro-line/${PK_PARAM}/`,
    { config: LINE_MODEL, schema: { tags: TAGS, summary: 'One return order line', response: { 200: RoLineSchema, 404: DetailBody } } },
    async (request) => lineBody(request, pkParam(request, 'ReturnOrderLineItem')),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const form = method === 'PUT' ? RoLinePutForm : RoLinePatchForm;
    app.route({
      method,
      url: `/api/order/ro-line/${PK_PARAM}/`,
      config: LINE_MODEL,
      schema: { tags: TAGS, summary: 'Change a return order line', body: form.schema, response: { 200: RoLineSchema, ...ERRORS } },
      handler: async (request) => {
        const id = pkParam(request, 'ReturnOrderLineItem');
        if ((await db.selectFrom('return_order_line').select('id').where('id', '=', id).executeTakeFirst()) === undefined) throw notFound('ReturnOrderLineItem');
        const body = await f.parseBody(form, request.body, { db });
        await updateRoLine(database, settings, id, body);
        return lineBody(request, id);
      },
    });
  }

  app.delete(
    `/api/order/ro-line/${PK_PARAM}/`,
    { config: LINE_MODEL, schema: { tags: TAGS, summary: 'Delete a return order line', response: { 204: Type.Null(), 400: BadRequestBody, 404: DetailBody } } },
    async (request, reply) => {
      await deleteRoLine(database, settings, pkParam(request, 'ReturnOrderLineItem'));
      return reply.code(204).send();
    },
  );
}
