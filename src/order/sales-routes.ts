/**
 * Sales orders, lines, shipments and allocations (core-api.md §7.8, §7.11–§7.14):
 * `/api/order/so/…`, `/api/order/so-line/…`, `/api/order/so/shipment/…`,
 * `/api/order/so-allocation/…`. The `allocate/` and shipment `ship/` actions are in
 * sales-allocate-routes.ts, registered from here.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { notFound, ValidationError } from '../http/errors.js';
import * as f from '../http/fields.js';
import { listResponse, paginate } from '../http/pagination.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { detailFlag, queryOf, queryString, type Query } from '../http/listing.js';
import { ValidationBody } from '../http/schema.js';
import { allocationForm, CompleteForm, EmptyForm, SalesOrderForm, salesOrderLineForm, shipmentForm } from './sales-forms.js';
import { salesAllocateRoutes } from './sales-allocate-routes.js';
import { allocationList, salesOrderLineList, salesOrderList, shipmentList } from './sales-queries.js';
import {
  AllocationSchema,
  SalesOrderLineSchema,
  SalesOrderSchema,
  serializeAllocations,
  serializeSalesOrderLines,
  serializeSalesOrders,
  serializeShipments,
  ShipmentSchema,
  type AllocationOptions,
  type LineOptions,
  type ShipmentOptions,
} from './sales-serializers.js';
import {
  cancelSalesOrder,
  completeSalesOrder,
  createSalesOrder,
  createSalesOrderLine,
  createShipment,
  deleteAllocations,
  deleteSalesOrder,
  deleteSalesOrderLine,
  deleteShipment,
  holdSalesOrder,
  issueSalesOrder,
  requireSalesOrder,
  updateAllocation,
  updateAllocations,
  updateSalesOrder,
  updateSalesOrderLine,
  updateShipment,
} from './sales-service.js';
import { isPossibleKey } from '../db/keys.js';

const TAGS = ['order'];
const ORDER = { permission: { model: 'order_salesorder' } };
const LINE = { permission: { model: 'order_salesorderlineitem' } };
const SHIPMENT = { permission: { model: 'order_salesordershipment' } };
const ALLOCATION = { permission: { model: 'order_salesorderallocation' } };
const ACTION = { permission: { role: 'sales_order' as const, verb: 'add' as const } };

const ActionEcho = Type.Object({}, { additionalProperties: true, description: 'The accepted request' });
const SuccessBody = Type.Object({ success: Type.String() });

function userId(request: FastifyRequest): number | null {
  return request.user?.id ?? null;
}

function lineOptions(query: Query): LineOptions {
  return {
    partDetail: detailFlag(query, 'part_detail', false),
    orderDetail: detailFlag(query, 'order_detail', false),
    customerDetail: detailFlag(query, 'customer_detail', false),
  };
}

function shipmentOptions(query: Query, notes: boolean): ShipmentOptions {
  return {
    orderDetail: detailFlag(query, 'order_detail', true),
    checkedByDetail: detailFlag(query, 'checked_by_detail', true),
    addressDetail: detailFlag(query, 'shipment_address_detail', true),
    customerDetail: detailFlag(query, 'customer_detail', false),
    notes,
  };
}

function allocationOptions(query: Query): AllocationOptions {
  return {
    itemDetail: detailFlag(query, 'item_detail', true),
    partDetail: detailFlag(query, 'part_detail', true),
    shipmentDetail: detailFlag(query, 'shipment_detail', true),
    orderDetail: detailFlag(query, 'order_detail', false),
    customerDetail: detailFlag(query, 'customer_detail', false),
    locationDetail: detailFlag(query, 'location_detail', false),
  };
}

const BULK_NOTHING = 'List of items or filters must be provided for bulk operation';

/** Allocation columns a bulk `filters` object may name (Django field lookups). */
const BULK_FILTER_COLUMNS: Record<string, string> = {
  pk: 't.id',
  id: 't.id',
  line: 't.line_id',
  shipment: 't.shipment_id',
  item: 't.item_id',
  quantity: 't.quantity',
};

export async function salesOrderRoutes(app: FastifyInstance): Promise<void> {
  const { db, database, settings } = app.ctx;
  const ctx = { db };

  await app.register(salesAllocateRoutes);

  // Sales orders -----------------------------------------------------------------------------
  async function orderBody(id: number, query: Query) {
    const row = await requireSalesOrder(db, id);
    const [body] = await serializeSalesOrders(db, [row], { customerDetail: detailFlag(query, 'customer_detail', false), notes: true });
    return body;
  }

  app.get(
    '/api/order/so/',
    { config: ORDER, schema: { tags: TAGS, summary: 'List sales orders', response: { 200: listResponse(SalesOrderSchema) } } },
    async (request) => {
      const query = queryOf(request);
      const list = await salesOrderList(db, query);
      const customerDetail = detailFlag(query, 'customer_detail', false);
      return paginate(request, list.count, async (page) => serializeSalesOrders(db, await list.fetch(page), { customerDetail }));
    },
  );

  app.post(
    '/api/order/so/',
    { config: ORDER, schema: { tags: TAGS, summary: 'Create a sales order', body: SalesOrderForm.schema, response: { 201: SalesOrderSchema, 400: ValidationBody } } },
    async (request, reply) => {
      const body = await f.parseBody(SalesOrderForm, request.body, ctx);
      const id = await createSalesOrder(database, settings, body, userId(request));
      reply.code(201);
      return orderBody(id, queryOf(request));
    },
  );

  app.get(
    `/api/order/so/${PK_PARAM}/`,
    { config: ORDER, schema: { tags: TAGS, summary: 'One sales order', response: { 200: SalesOrderSchema } } },
    async (request) => orderBody(pkParam(request, 'SalesOrder'), queryOf(request)),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: `/api/order/so/${PK_PARAM}/`,
      config: ORDER,
      schema: { tags: TAGS, summary: 'Change a sales order', body: SalesOrderForm.schema, response: { 200: SalesOrderSchema, 400: ValidationBody } },
      handler: async (request) => {
        const order = await requireSalesOrder(db, pkParam(request, 'SalesOrder'));
        const body = await f.parseBody(SalesOrderForm, request.body, ctx);
        await updateSalesOrder(database, settings, order, body);
        return orderBody(order.id, queryOf(request));
      },
    });
  }

  app.delete(`/api/order/so/${PK_PARAM}/`, { config: ORDER, schema: { tags: TAGS, summary: 'Delete a sales order' } }, async (request, reply) => {
    const order = await requireSalesOrder(db, pkParam(request, 'SalesOrder'));
    await deleteSalesOrder(database, order.id);
    return reply.code(204).send();
  });

  // Status actions (role sales_order.add) ----------------------------------------------------------
  const simpleActions: Array<[string, string, (id: number) => Promise<void>]> = [
    ['issue', 'Issue a sales order (→ In Progress)', (id) => issueSalesOrder(database, id)],
    ['hold', 'Place a sales order on hold', (id) => holdSalesOrder(database, id)],
    ['cancel', 'Cancel a sales order and remove its allocations', (id) => cancelSalesOrder(database, id)],
  ];
  for (const [action, summary, run] of simpleActions) {
    app.post(
      `/api/order/so/${PK_PARAM}/${action}/`,
      { config: ACTION, schema: { tags: TAGS, summary, body: EmptyForm.schema, response: { 201: ActionEcho } } },
      async (request, reply) => {
        const order = await requireSalesOrder(db, pkParam(request, 'SalesOrder'));
        await f.parseBody(EmptyForm, request.body, ctx);
        await run(order.id);
        reply.code(201);
        return {};
      },
    );
  }

  app.post(
    `/api/order/so/${PK_PARAM}/complete/`,
    { config: ACTION, schema: { tags: TAGS, summary: 'Mark a sales order as shipped / complete', body: CompleteForm.schema, response: { 201: ActionEcho, 400: ValidationBody } } },
    async (request, reply) => {
      const order = await requireSalesOrder(db, pkParam(request, 'SalesOrder'));
      const body = await f.parseBody(CompleteForm, request.body, ctx);
      await completeSalesOrder(database, settings, order.id, userId(request), body.accept_incomplete);
      reply.code(201);
      return { accept_incomplete: body.accept_incomplete };
    },
  );

  // Lines ------------------------------------------------------------------------------------
  const LineCreateForm = salesOrderLineForm(false);
  const LinePatchForm = salesOrderLineForm(true);

  async function loadLine(request: FastifyRequest) {
    const row = await db.selectFrom('sales_order_line').selectAll().where('id', '=', pkParam(request, 'SalesOrderLineItem')).executeTakeFirst();
    if (row === undefined) throw notFound('SalesOrderLineItem');
    return row;
  }

  async function lineBody(id: number, query: Query) {
    const row = await db.selectFrom('sales_order_line').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const [body] = await serializeSalesOrderLines(db, [row], lineOptions(query));
    return body;
  }

  app.get(
    '/api/order/so-line/',
    { config: LINE, schema: { tags: TAGS, summary: 'List sales order lines', response: { 200: listResponse(SalesOrderLineSchema) } } },
    async (request) => {
      const query = queryOf(request);
      const list = await salesOrderLineList(db, query);
      return paginate(request, list.count, async (page) => serializeSalesOrderLines(db, await list.fetch(page), lineOptions(query)));
    },
  );

  app.post(
    '/api/order/so-line/',
    { config: LINE, schema: { tags: TAGS, summary: 'Add a line to a sales order', body: LineCreateForm.schema, response: { 201: SalesOrderLineSchema, 400: ValidationBody } } },
    async (request, reply) => {
      const body = await f.parseBody(LineCreateForm, request.body, ctx);
      const id = await createSalesOrderLine(db, settings, body);
      reply.code(201);
      return lineBody(id, queryOf(request));
    },
  );

  app.get(
    `/api/order/so-line/${PK_PARAM}/`,
    { config: LINE, schema: { tags: TAGS, summary: 'One sales order line', response: { 200: SalesOrderLineSchema } } },
    async (request) => lineBody((await loadLine(request)).id, queryOf(request)),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const form = method === 'PUT' ? LineCreateForm : LinePatchForm;
    app.route({
      method,
      url: `/api/order/so-line/${PK_PARAM}/`,
      config: LINE,
      schema: { tags: TAGS, summary: 'Change a sales order line', body: form.schema, response: { 200: SalesOrderLineSchema, 400: ValidationBody } },
      handler: async (request) => {
        const line = await loadLine(request);
        const body = await f.parseBody(form, request.body, ctx);
        await updateSalesOrderLine(db, settings, line, body);
        return lineBody(line.id, queryOf(request));
      },
    });
  }

  app.delete(`/api/order/so-line/${PK_PARAM}/`, { config: LINE, schema: { tags: TAGS, summary: 'Delete a sales order line' } }, async (request, reply) => {
    const line = await loadLine(request);
    await deleteSalesOrderLine(db, settings, line);
    return reply.code(204).send();
  });

  // Shipments --------------------------------------------------------------------------------
  const ShipmentCreateForm = shipmentForm(false);
  const ShipmentPatchForm = shipmentForm(true);

  async function loadShipment(request: FastifyRequest) {
    const row = await db.selectFrom('sales_order_shipment').selectAll().where('id', '=', pkParam(request, 'SalesOrderShipment')).executeTakeFirst();
    if (row === undefined) throw notFound('SalesOrderShipment');
    return row;
  }

  async function shipmentBody(id: number, query: Query) {
    const row = await db.selectFrom('sales_order_shipment').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const [body] = await serializeShipments(db, [row], shipmentOptions(query, true));
    return body;
  }

  app.get(
    '/api/order/so/shipment/',
    { config: SHIPMENT, schema: { tags: TAGS, summary: 'List sales order shipments', response: { 200: listResponse(ShipmentSchema) } } },
    async (request) => {
      const query = queryOf(request);
      const list = await shipmentList(db, query);
      return paginate(request, list.count, async (page) => serializeShipments(db, await list.fetch(page), shipmentOptions(query, false)));
    },
  );

  app.post(
    '/api/order/so/shipment/',
    { config: SHIPMENT, schema: { tags: TAGS, summary: 'Create a shipment', body: ShipmentCreateForm.schema, response: { 201: ShipmentSchema, 400: ValidationBody } } },
    async (request, reply) => {
      const body = await f.parseBody(ShipmentCreateForm, request.body, ctx);
      const id = await createShipment(db, body);
      reply.code(201);
      return shipmentBody(id, queryOf(request));
    },
  );

  app.get(
    `/api/order/so/shipment/${PK_PARAM}/`,
    { config: SHIPMENT, schema: { tags: TAGS, summary: 'One shipment', response: { 200: ShipmentSchema } } },
    async (request) => shipmentBody((await loadShipment(request)).id, queryOf(request)),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const form = method === 'PUT' ? ShipmentCreateForm : ShipmentPatchForm;
    app.route({
      method,
      url: `/api/order/so/shipment/${PK_PARAM}/`,
      config: SHIPMENT,
      schema: { tags: TAGS, summary: 'Change a shipment', body: form.schema, response: { 200: ShipmentSchema, 400: ValidationBody } },
      handler: async (request) => {
        const shipment = await loadShipment(request);
        const body = await f.parseBody(form, request.body, ctx);
        await updateShipment(db, shipment, body);
        return shipmentBody(shipment.id, queryOf(request));
      },
    });
  }

  app.delete(`/api/order/so/shipment/${PK_PARAM}/`, { config: SHIPMENT, schema: { tags: TAGS, summary: 'Delete a shipment' } }, async (request, reply) => {
    const shipment = await loadShipment(request);
    await deleteShipment(database, shipment.id);
    return reply.code(204).send();
  });

  // Allocations (no POST: created by allocate/ and barcode so-allocate) ----------------------------
  const AllocationPutForm = allocationForm(false);
  const AllocationPatchForm = allocationForm(true);

  async function loadAllocation(request: FastifyRequest) {
    const row = await db.selectFrom('sales_order_allocation').selectAll().where('id', '=', pkParam(request, 'SalesOrderAllocation')).executeTakeFirst();
    if (row === undefined) throw notFound('SalesOrderAllocation');
    return row;
  }

  async function allocationBody(id: number, query: Query) {
    const row = await db.selectFrom('sales_order_allocation').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const [body] = await serializeAllocations(db, [row], allocationOptions(query));
    return body;
  }

  app.get(
    '/api/order/so-allocation/',
    { config: ALLOCATION, schema: { tags: TAGS, summary: 'List sales order allocations', response: { 200: listResponse(AllocationSchema) } } },
    async (request) => {
      const query = queryOf(request);
      const list = await allocationList(db, query);
      return paginate(request, list.count, async (page) => serializeAllocations(db, await list.fetch(page), allocationOptions(query)));
    },
  );

  /** The allocations a bulk request selects (`items`, `filters`, `?all=true`), as InvenTree's BulkOperationMixin. */
  async function bulkSelection(request: FastifyRequest): Promise<{ ids: number[]; rest: Record<string, unknown> }> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) throw new ValidationError({ non_field_errors: [BULK_NOTHING] });
    const { items, filters, ...rest } = body;
    const all = queryString(queryOf(request), 'all');
    const truthy = (v: unknown) => v !== undefined && v !== null && v !== false && v !== '' && v !== 0 && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);
    if (!truthy(items) && !truthy(filters) && all === undefined) throw new ValidationError({ non_field_errors: [BULK_NOTHING] });
    const conditions = [];
    if (truthy(items)) {
      if (!Array.isArray(items)) throw new ValidationError({ non_field_errors: ['Items must be provided as a list'] });
      const ids = items.map((i) => (typeof i === 'boolean' ? undefined : f.coerceInteger(i)));
      if (ids.some((i) => i === undefined)) throw new ValidationError({ non_field_errors: ['Invalid items list provided'] });
      const possible = (ids as number[]).filter(isPossibleKey);
      conditions.push(possible.length === 0 ? sql`1 = 0` : sql`t.id in (${sql.join(possible)})`);
    }
    if (truthy(filters)) {
      if (typeof filters !== 'object' || Array.isArray(filters)) throw new ValidationError({ non_field_errors: ['Filters must be provided as a dict'] });
      for (const [key, value] of Object.entries(filters as Record<string, unknown>)) {
        const column = BULK_FILTER_COLUMNS[key];
        if (column === undefined) throw new ValidationError({ non_field_errors: ['Invalid filters provided'] });
        if (value === null) {
          conditions.push(sql`${sql.ref(column)} is null`);
          continue;
        }
        const n = column === 't.quantity' ? f.coerceNumber(value) : f.coerceInteger(value);
        if (n === undefined) throw new ValidationError({ non_field_errors: ['Invalid filters provided'] });
        // A key no row can have matches nothing (PostgreSQL would refuse it as an integer).
        conditions.push(column !== 't.quantity' && !isPossibleKey(n) ? sql`1 = 0` : sql`${sql.ref(column)} = ${n}`);
      }
    }
    if (all !== undefined && f.coerceBoolean(all) !== true) throw new ValidationError({ non_field_errors: ['All filter must only be used with true'] });
    const where = conditions.length === 0 ? sql`` : sql`where ${sql.join(conditions, sql` and `)}`;
    const rows = await sql<{ id: number }>`select t.id from sales_order_allocation t ${where} order by t.id`.execute(db);
    if (rows.rows.length === 0) throw new ValidationError({ non_field_errors: ['No items match the provided criteria'] });
    return { ids: rows.rows.map((r) => Number(r.id)), rest };
  }

  const bulkUpdate = async (request: FastifyRequest) => {
    const { ids, rest } = await bulkSelection(request);
    const changes = await f.parseBody(AllocationPatchForm, rest, ctx);
    await updateAllocations(database, ids, changes);
    return { success: `Updated ${ids.length} items` };
  };
  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/api/order/so-allocation/',
      config: ALLOCATION,
      schema: { tags: TAGS, summary: 'Change several allocations at once', body: AllocationPatchForm.schema, response: { 200: SuccessBody, 400: ValidationBody } },
      handler: bulkUpdate,
    });
  }

  app.delete(
    '/api/order/so-allocation/',
    { config: ALLOCATION, schema: { tags: TAGS, summary: 'Delete several allocations at once', response: { 200: SuccessBody, 400: ValidationBody } } },
    async (request) => {
      const { ids } = await bulkSelection(request);
      await deleteAllocations(database, ids);
      return { success: `Deleted ${ids.length} items` };
    },
  );

  app.get(
    `/api/order/so-allocation/${PK_PARAM}/`,
    { config: ALLOCATION, schema: { tags: TAGS, summary: 'One allocation', response: { 200: AllocationSchema } } },
    async (request) => allocationBody((await loadAllocation(request)).id, queryOf(request)),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const form = method === 'PUT' ? AllocationPutForm : AllocationPatchForm;
    app.route({
      method,
      url: `/api/order/so-allocation/${PK_PARAM}/`,
      config: ALLOCATION,
      schema: { tags: TAGS, summary: 'Change an allocation', body: form.schema, response: { 200: AllocationSchema, 400: ValidationBody } },
      handler: async (request) => {
        const allocation = await loadAllocation(request);
        const body = await f.parseBody(form, request.body, ctx);
        await updateAllocation(database, allocation.id, body);
        return allocationBody(allocation.id, queryOf(request));
      },
    });
  }

  app.delete(
    `/api/order/so-allocation/${PK_PARAM}/`,
    { config: ALLOCATION, schema: { tags: TAGS, summary: 'Delete an allocation' } },
    async (request, reply: FastifyReply) => {
      const allocation = await loadAllocation(request);
      await deleteAllocations(database, [allocation.id]);
      return reply.code(204).send();
    },
  );

}
