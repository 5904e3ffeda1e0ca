/**
 * Purchase orders and their lines: `/api/order/po/...`, `/api/order/po-line/...`
 * (core-api.md §7.8–7.10); receiving is in purchase-receive-routes.ts.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { notFound } from '../http/errors.js';
import * as f from '../http/fields.js';
import { listResponse, paginate } from '../http/pagination.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { boolCondition, detailFlag, icontains, inList, integerEquals, ListFilters, orderingOf, queryBool, queryOf, searchCondition, sqlList, type OrderingFields, type Query } from '../http/listing.js';
import { ValidationBody } from '../http/schema.js';
import { PO_OPEN } from '../status/enums.js';
import type { Executor } from '../db/transaction.js';
import { subtreeCondition } from '../db/tree.js';
import { orderFilterConditions } from './common.js';
import { purchaseablePartExists, supplierExists, supplierPartExists } from '../company/service.js';
import { partExists } from '../part/service.js';
import { ORDER_ERRORS, orderParseContext, purchaseOrderExists } from './order-fields.js';
import {
  EmptyForm,
  PoLineCreateForm,
  PoLinePutForm,
  PoLineUpdateForm,
  PurchaseOrderCompleteForm,
  PurchaseOrderCreateForm,
  PurchaseOrderPatchForm,
  PurchaseOrderPutForm,
} from './purchase-forms.js';
import { modelWriteRoutes } from './order-routes.js';
import { receiveRoutes } from './purchase-receive-routes.js';
import { PoLineSchema, PurchaseOrderSchema, serializePoLines, serializePurchaseOrders, type PoLineRow, type PurchaseOrderRow } from './purchase-serializers.js';
import {
  createPoLine,
  createPurchaseOrder,
  deletePoLine,
  deletePurchaseOrder,
  purchaseOrderAction,
  updatePoLine,
  updatePurchaseOrder,
  type PurchaseOrderAction,
} from './purchase-service.js';

const PO_MODEL = { permission: { model: 'order_purchaseorder' } };
const LINE_MODEL = { permission: { model: 'order_purchaseorderlineitem' } };
const PO_ACTION = { permission: { role: 'purchase_order' as const, verb: 'add' as const } };
const TAGS = ['order'];

const ERRORS = ORDER_ERRORS;

/** The SQL expression each ordering key sorts a purchase order list by. */
const PO_ORDERING: OrderingFields = {
  creation_date: [sql`po.creation_date`],
  created_by: [sql`po.created_by_id`],
  reference: [sql`po.reference_int`, sql`po.reference`],
  supplier__name: [sql`(select c.name from company c where c.id = po.supplier_id)`],
  start_date: [sql`po.start_date`],
  target_date: [sql`po.target_date`],
  complete_date: [sql`po.complete_date`],
  line_items: [sql`(select count(*) from purchase_order_line l where l.order_id = po.id)`],
  status: [sql`po.status`],
  responsible: [sql`po.id`],
  total_price: [sql`(select coalesce(sum(l.quantity * l.purchase_price), 0) from purchase_order_line l where l.order_id = po.id)`],
  project_code: [sql`po.id`],
};

const LINE_ORDERING: OrderingFields = {
  MPN: [sql`mp.mpn`],
  part_name: [sql`p.name`],
  purchase_price: [sql`l.purchase_price`],
  quantity: [sql`l.quantity`],
  received: [sql`l.received`],
  reference: [sql`l.reference`],
  SKU: [sql`sp.sku`],
  IPN: [sql`p.ipn`],
  total_price: [sql`(l.purchase_price * l.quantity)`],
  target_date: [sql`l.target_date`],
  order: [sql`po.reference`],
  status: [sql`po.status`],
  complete_date: [sql`po.complete_date`],
};


async function purchaseOrderConditions(db: Executor, query: Query): Promise<RawBuilder<SqlBool>[]> {
  const filters = new ListFilters(db, query);
  const conds = await orderFilterConditions(filters, query, 'po', { open: PO_OPEN, completedColumn: 'complete_date', createdBy: true });
  const supplier = await filters.pk('supplier', supplierExists);
  if (supplier !== undefined) conds.push(sql<SqlBool>`po.supplier_id = ${supplier}`);
  const supplierReference = query.supplier_reference;
  if (typeof supplierReference === 'string' && supplierReference !== '') conds.push(sql<SqlBool>`po.supplier_reference = ${supplierReference}`);
  const part = await filters.pk('part', partExists);
  if (part !== undefined) {
    conds.push(
      sql<SqlBool>`po.id in (select l.order_id from purchase_order_line l inner join supplier_part sp on sp.id = l.part_id where sp.part_id = ${part})`,
    );
  }
  const supplierPart = await filters.pk('supplier_part', supplierPartExists);
  if (supplierPart !== undefined) conds.push(sql<SqlBool>`po.id in (select l.order_id from purchase_order_line l where l.part_id = ${supplierPart})`);
  filters.check();
  const search = searchCondition(query, [
    'po.reference',
    'po.supplier_reference',
    'po.description',
    (term) => sql<SqlBool>`po.supplier_id in (select c.id from company c where ${icontains('c.name', term)})`,
  ]);
  if (search !== undefined) conds.push(search);
  return conds;
}

async function lineConditions(db: Executor, query: Query): Promise<RawBuilder<SqlBool>[]> {
  const conds: RawBuilder<SqlBool>[] = [];
  const filters = new ListFilters(db, query);
  const order = await filters.pk('order', purchaseOrderExists);
  if (order !== undefined) conds.push(sql<SqlBool>`l.order_id = ${order}`);
  const part = await filters.pk('part', supplierPartExists);
  if (part !== undefined) conds.push(sql<SqlBool>`l.part_id = ${part}`);
  const basePart = await filters.pk('base_part', purchaseablePartExists);
  if (basePart !== undefined) {
    conds.push(queryBool(query, 'include_variants') === true ? subtreeCondition('part', 'sp.part_id', basePart) : sql<SqlBool>`sp.part_id = ${basePart}`);
  }
  const open = inList('po.status', PO_OPEN);
  conds.push(...boolCondition(queryBool(query, 'pending'), open));
  const received = queryBool(query, 'received');
  if (received !== undefined) conds.push(received ? sql<SqlBool>`l.received >= l.quantity` : sql<SqlBool>`(l.received < l.quantity and ${open})`);
  conds.push(...boolCondition(queryBool(query, 'order_complete'), sql<SqlBool>`po.status = 30`));
  const orderStatus = filters.number('order_status');
  if (orderStatus !== undefined) conds.push(integerEquals('po.status', orderStatus));
  conds.push(...boolCondition(queryBool(query, 'has_pricing'), sql<SqlBool>`l.purchase_price is not null`));
  filters.check();
  const search = searchCondition(query, ['p.name', 'p.description', 'mp.mpn', 'sp.sku', 'l.reference']);
  if (search !== undefined) conds.push(search);
  return conds;
}

const LINE_FROM = sql`purchase_order_line l
  inner join purchase_order po on po.id = l.order_id
  left join supplier_part sp on sp.id = l.part_id
  left join part p on p.id = sp.part_id
  left join manufacturer_part mp on mp.id = sp.manufacturer_part_id`;

export async function purchaseOrderRoutes(app: FastifyInstance): Promise<void> {
  const { db, database, settings } = app.ctx;
  await app.register(receiveRoutes);

  const parseContext = () => orderParseContext(db, settings, 'purchase_order');

  async function orderBody(request: FastifyRequest, id: number, notes: boolean) {
    const row = await db.selectFrom('purchase_order').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw notFound('PurchaseOrder');
    const [body] = await serializePurchaseOrders(db, settings, [row], { notes, supplierDetail: detailFlag(queryOf(request), 'supplier_detail', false) });
    return body;
  }

  async function lineBody(request: FastifyRequest, id: number) {
    const row = await db.selectFrom('purchase_order_line').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw notFound('PurchaseOrderLineItem');
    const query = queryOf(request);
    const [body] = await serializePoLines(db, settings, [row], {
      partDetail: detailFlag(query, 'part_detail', false),
      orderDetail: detailFlag(query, 'order_detail', true),
    });
    return body;
  }

  // Purchase orders ---------------------------------------------------------------------------
  app.get(
    '/api/order/po/',
    { config: PO_MODEL, schema: { tags: TAGS, summary: 'List purchase orders', response: { 200: listResponse(PurchaseOrderSchema), 400: ValidationBody } } },
    async (request) => {
      const query = queryOf(request);
      const list = sqlList<PurchaseOrderRow>(db, sql`purchase_order po`, 'po', await purchaseOrderConditions(db, query), orderingOf(query, PO_ORDERING, '-reference'));
      const supplierDetail = detailFlag(query, 'supplier_detail', false);
      return paginate(request, list.count, async (page) => serializePurchaseOrders(db, settings, await list.fetch(page), { supplierDetail }));
    },
  );

  modelWriteRoutes(app, {
    path: '/api/order/po/',
    config: PO_MODEL,
    tags: TAGS,
    table: 'purchase_order',
    model: 'PurchaseOrder',
    label: 'purchase order',
    schema: PurchaseOrderSchema,
    createForm: PurchaseOrderCreateForm,
    putForm: PurchaseOrderPutForm,
    patchForm: PurchaseOrderPatchForm,
    parseContext,
    create: (body, request) => createPurchaseOrder(database, settings, body, request.user?.id ?? null),
    update: (id, body) => updatePurchaseOrder(database, settings, id, body),
    remove: (id) => deletePurchaseOrder(database, id),
    body: (request, id) => orderBody(request, id, true),
  });

  // Status actions (core-api.md §7.9) ----------------------------------------------------------
  for (const action of ['issue', 'hold', 'cancel'] as const satisfies readonly PurchaseOrderAction[]) {
    app.post(
      `/api/order/po/${PK_PARAM}/${action}/`,
      {
        config: PO_ACTION,
        schema: { tags: TAGS, summary: `${action[0]!.toUpperCase()}${action.slice(1)} a purchase order`, body: EmptyForm.schema, response: { 201: Type.Object({}), ...ERRORS } },
      },
      async (request, reply) => {
        await purchaseOrderAction(database, pkParam(request, 'PurchaseOrder'), action);
        reply.code(201);
        return {};
      },
    );
  }

  app.post(
    `/api/order/po/${PK_PARAM}/complete/`,
    {
      config: PO_ACTION,
      schema: {
        tags: TAGS,
        summary: 'Complete a purchase order',
        body: PurchaseOrderCompleteForm.schema,
        response: { 201: Type.Object({ accept_incomplete: Type.Boolean() }), ...ERRORS },
      },
    },
    async (request, reply) => {
      const id = pkParam(request, 'PurchaseOrder');
      if (!(await purchaseOrderExists(db, id))) throw notFound('PurchaseOrder');
      const body = await f.parseBody(PurchaseOrderCompleteForm, request.body, { db });
      await purchaseOrderAction(database, id, 'complete', { acceptIncomplete: body.accept_incomplete });
      reply.code(201);
      return { accept_incomplete: body.accept_incomplete };
    },
  );

  // Lines --------------------------------------------------------------------------------------
  app.get(
    '/api/order/po-line/',
    { config: LINE_MODEL, schema: { tags: TAGS, summary: 'List purchase order lines', response: { 200: listResponse(PoLineSchema), 400: ValidationBody } } },
    async (request) => {
      const query = queryOf(request);
      const list = sqlList<PoLineRow>(db, LINE_FROM, 'l', await lineConditions(db, query), orderingOf(query, LINE_ORDERING));
      const opts = { partDetail: detailFlag(query, 'part_detail', false), orderDetail: detailFlag(query, 'order_detail', true) };
      return paginate(request, list.count, async (page) => serializePoLines(db, settings, await list.fetch(page), opts));
    },
  );

  modelWriteRoutes(app, {
    path: '/api/order/po-line/',
    config: LINE_MODEL,
    tags: TAGS,
    table: 'purchase_order_line',
    model: 'PurchaseOrderLineItem',
    label: 'purchase order line',
    schema: PoLineSchema,
    createForm: PoLineCreateForm,
    putForm: PoLinePutForm,
    patchForm: PoLineUpdateForm,
    parseContext: async () => ({ db }),
    create: (body) => createPoLine(database, settings, body),
    update: (id, body) => updatePoLine(database, settings, id, body),
    remove: (id) => deletePoLine(database, settings, id),
    body: lineBody,
  });
}
