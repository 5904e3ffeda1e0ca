/**
 * The two sales-order actions that move stock (core-api.md §9.1, §7.13):
 * `POST /api/order/so/{pk}/allocate/` allocates stock items to the order's lines (and a
 * shipment), `POST /api/order/so/shipment/{pk}/ship/` sends a shipment. Both need the role
 * `sales_order.add` (§4.3, D5) and answer 201 with the accepted request, as InvenTree's
 * create-style action endpoints do.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../db/transaction.js';
import * as f from '../http/fields.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { DetailBody, Nullable, ValidationBody } from '../http/schema.js';
import { allocateForm, allocationTargets, ShipForm, type AllocateBody } from './sales-allocate-forms.js';
import { allocateStock, lockAllocationTargets } from './sales-allocate-service.js';
import { shipShipment } from './sales-allocate-ship.js';
import { requireSalesOrder } from './sales-service.js';

const ACTION = { permission: { role: 'sales_order' as const, verb: 'add' as const } };
const TAGS = ['order'];

const AllocateEcho = Type.Object({
  items: Type.Array(Type.Object({ line_item: Type.Integer(), stock_item: Type.Integer(), quantity: Type.Number() })),
  shipment: Nullable(Type.Integer()),
});

const ShipEcho = Type.Object({
  shipment_date: Nullable(Type.String({ format: 'date' })),
  delivery_date: Nullable(Type.String({ format: 'date' })),
  tracking_number: Type.Optional(Type.String()),
  invoice_number: Type.Optional(Type.String()),
  link: Type.Optional(Type.String()),
});

export async function salesAllocateRoutes(app: FastifyInstance): Promise<void> {
  const { db, database, settings } = app.ctx;

  app.post(
    `/api/order/so/${PK_PARAM}/allocate/`,
    {
      config: ACTION,
      schema: {
        tags: TAGS,
        summary: 'Allocate stock items to sales order lines',
        description:
          'Creates one allocation per item, against the given shipment (or none). Every item is checked first (line of this order, quantity above zero, 1 for a serialized item, at most the unallocated quantity), then all allocations are created in one transaction: nothing is written when any item is refused.',
        body: allocateForm(0).schema,
        response: { 201: AllocateEcho, 400: ValidationBody, 404: DetailBody },
      },
    },
    async (request, reply) => {
      const order = await requireSalesOrder(db, pkParam(request, 'SalesOrder'));
      const body: AllocateBody = await inTransaction(database, async (trx) => {
        // Lock before reading availability, so the checks below see every committed allocation.
        const targets = allocationTargets(request.body);
        await lockAllocationTargets(trx, database, targets.itemIds, targets.shipmentId);
        const parsed = await f.parseBody(allocateForm(order.id), request.body, { db: trx });
        await allocateStock(trx, database, {
          orderId: order.id,
          shipmentId: parsed.shipment ?? null,
          items: parsed.items.map((i) => ({ lineId: i.line_item, itemId: i.stock_item, quantity: i.quantity })),
        });
        return parsed;
      });
      reply.code(201);
      return {
        items: body.items.map((i) => ({ line_item: i.line_item, stock_item: i.stock_item, quantity: i.quantity })),
        shipment: body.shipment ?? null,
      };
    },
  );

  app.post(
    `/api/order/so/shipment/${PK_PARAM}/ship/`,
    {
      config: ACTION,
      schema: {
        tags: TAGS,
        summary: 'Ship a sales order shipment',
        description:
          'Marks the shipment as sent (shipment_date defaults to today) and hands every allocated stock item to the customer: partly allocated items are split, the shipped items get the sales order and customer and leave their location, and each line counts the quantity as shipped. All of it happens before the answer, in one transaction.',
        body: ShipForm.schema,
        response: { 201: ShipEcho, 400: ValidationBody },
      },
    },
    async (request, reply) => {
      const shipmentId = pkParam(request, 'SalesOrderShipment');
      const body = await f.parseBody(ShipForm, request.body, { db });
      await inTransaction(database, (trx) =>
        shipShipment(trx, database, settings, {
          shipmentId,
          userId: request.user?.id ?? null,
          ...(body.shipment_date !== undefined ? { shipmentDate: body.shipment_date } : {}),
          ...(body.delivery_date !== undefined ? { deliveryDate: body.delivery_date } : {}),
          ...(body.tracking_number !== undefined ? { trackingNumber: body.tracking_number } : {}),
          ...(body.invoice_number !== undefined ? { invoiceNumber: body.invoice_number } : {}),
          ...(body.link !== undefined ? { link: body.link } : {}),
        }),
      );
      reply.code(201);
      // The serializer's echo: both dates always (null when not sent), the texts when sent.
      return {
        shipment_date: body.shipment_date ?? null,
        delivery_date: body.delivery_date ?? null,
        ...(body.tracking_number !== undefined ? { tracking_number: body.tracking_number } : {}),
        ...(body.invoice_number !== undefined ? { invoice_number: body.invoice_number } : {}),
        ...(body.link !== undefined ? { link: body.link } : {}),
      };
    },
  );
}
