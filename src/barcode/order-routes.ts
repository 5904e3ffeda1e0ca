/**
 * Order scanning endpoints (barcode-api.md §2.5–§2.7): po-allocate, po-receive and
 * so-allocate, with Stockscan's permission rules (D5) and real error bodies (D4, D7).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../http/errors.js';
import { rowExists } from '../db/exists.js';
import * as f from '../http/fields.js';
import { PO_OPEN } from '../status/enums.js';
import { barcodeField } from './forms.js';
import { recordAndAnswer, recordRequestScan } from './history.js';
import { parseLoggedBody, refuseUnviewable, requireRole } from './guards.js';
import { matchedBlock } from './objects.js';
import { answerBody, scanAcrossPlugins, type ResponseBody } from './scan.js';
import { IdempotencyHeaders, idempotent } from './idempotency.js';
import { internalBarcodePlugin } from './plugins/internal.js';
import type { ReceiveAnswer } from './plugins/types.js';
import { prepareBarcode, withNormalization } from './prepare.js';
import { inTransaction, lockForCheck, type Executor } from '../db/transaction.js';
import { isSalesOrderOpen, undeliveredShipment } from '../order/sales-service.js';
import { partAndTemplateIds } from '../part/variants.js';
import { isSerialized, unallocatedQuantities } from '../stock/queries.js';
import { qty, qtySub } from '../util/decimal.js';

const LooseBody = Type.Object({}, { additionalProperties: true });

/** Thrown inside a transaction to roll it back while answering `response`. */
class Refusal extends Error {
  constructor(readonly response: ResponseBody) {
    super('refused');
  }
}

export async function orderScanRoutes(app: FastifyInstance): Promise<void> {
  const { db, settings, plugins } = app.ctx;

  /** Runs `act` in one transaction; a Refusal thrown inside rolls it back and is the answer. */
  async function actOrRefuse(act: (trx: Executor) => Promise<ResponseBody>): Promise<ResponseBody> {
    try {
      return await inTransaction(app.ctx.database, act);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return error.response;
    }
  }

  /** Stores the scan, then answers: 400 for an error body, 200 otherwise. */
  async function answerScan(request: FastifyRequest, reply: FastifyReply, response: ResponseBody, pluginName: string | null) {
    return recordAndAnswer(db, settings, request, reply, { status: 'error' in response ? 400 : 200, body: response, result: 'success' in response, plugin: pluginName });
  }

  // po-allocate (§2.5, D7) --------------------------------------------------------------------
  const PoAllocateForm = f.object({
    barcode: barcodeField(),
    purchase_order: f.pk({
      description: 'Purchase order to allocate the scanned part to',
      exists: rowExists('purchase_order'),
    }),
  });

  app.post(
    '/api/barcode/po-allocate/',
    {
      schema: {
        tags: ['barcode'],
        summary: 'Match a scanned part to a purchase order',
        description:
          'Finds the one supplier part of the purchase order\'s supplier that the scanned barcode points at, so that a line can be added for it. Needs the purchase_order.add role.',
        body: PoAllocateForm.schema,
        headers: IdempotencyHeaders,
        response: { 200: LooseBody, 400: LooseBody, 403: LooseBody },
      },
    },
    async (request, reply) => {
      await requireRole(request, 'purchase_order', 'add');
      const body = await parseLoggedBody(PoAllocateForm, request);
      return idempotent(request, reply, async (idem) => {
        const order = await db.selectFrom('purchase_order').select(['id', 'status', 'supplier_id']).where('id', '=', body.purchase_order).executeTakeFirstOrThrow();
        if (!PO_OPEN.includes(order.status)) {
          const fields = { purchase_order: ['Purchase order is not open'] };
          await recordRequestScan(db, settings, request, { error: fields }, false, null);
          throw new ValidationError(fields);
        }
        const prepared = await prepareBarcode(app.ctx, body.barcode, request);
        const answer = await scanAcrossPlugins(plugins, await plugins.active(), prepared.data, db, { request, info: prepared.info, withInstances: true });
        const response = withNormalization(await answerBody(db, answer, prepared.data, request), prepared);
        if (answer.plugin === null) {
          response.error = 'No matching plugin found for barcode data';
        } else {
          await refuseUnviewable(request, Object.keys(response), answer.plugin.name);
          const pick = (key: string) => {
            const block = response[key] as { pk?: unknown } | undefined;
            return typeof block?.pk === 'number' ? block.pk : undefined;
          };
          const part = pick('part');
          const supplierPart = pick('supplierpart');
          const manufacturerPart = pick('manufacturerpart');
          if (part === undefined && supplierPart === undefined && manufacturerPart === undefined) {
            response.error = 'No matching part data found';
          } else {
            let q = db.selectFrom('supplier_part').select('id').where('supplier_id', '=', order.supplier_id);
            if (part !== undefined) q = q.where('part_id', '=', part);
            if (supplierPart !== undefined) q = q.where('id', '=', supplierPart);
            if (manufacturerPart !== undefined) q = q.where('manufacturer_part_id', '=', manufacturerPart);
            const found = await q.limit(2).execute();
            if (found.length === 0) response.error = 'No matching supplier parts found';
            else if (found.length > 1) response.error = 'Multiple matching supplier parts found';
            else {
              response.success = 'Matched supplier part';
              response.supplierpart = await matchedBlock(db, 'supplierpart', (found[0] as { id: number }).id, request);
            }
          }
        }
        // An error answer never carries `success` (clients treat `success` as a match).
        if ('error' in response) delete response.success;
        // Nothing is written: a completed answer is only recorded for its Idempotency-Key.
        if (idem !== undefined && !('error' in response)) {
          await inTransaction(app.ctx.database, async (trx) => {
            await idem.claim(trx);
            await idem.complete(trx, 200, response);
          });
        }
        return answerScan(request, reply, response, answer.plugin?.name ?? null);
      });
    },
  );

  // po-receive (§2.6; supplier-barcodes.md §6; D5, D14, D16) ---------------------------------
  const PoReceiveForm = f.object(
    {
      barcode: barcodeField(),
      supplier: f.pk({ required: false, nullable: true, exists: rowExists('company'), description: 'Supplier' }),
      purchase_order: f.pk({ required: false, nullable: true, exists: rowExists('purchase_order'), description: 'PurchaseOrder to receive items against' }),
      location: f.pk({ required: false, nullable: true, exists: rowExists('stock_location'), description: 'Location to receive items into' }),
      line_item: f.pk({ required: false, nullable: true, exists: rowExists('purchase_order_line'), description: 'Purchase order line item to receive items against' }),
      auto_allocate: f.boolean({ default: true, description: 'Automatically allocate stock items to the purchase order' }),
    },
    {
      async validate(value, c) {
        const errors: Record<string, string[]> = {};
        if (value.purchase_order !== undefined && value.purchase_order !== null) {
          const po = await c.db.selectFrom('purchase_order').select('status').where('id', '=', value.purchase_order).executeTakeFirstOrThrow();
          if (po.status !== 20) errors.purchase_order = ['Purchase order has not been placed'];
        }
        if (value.location !== undefined && value.location !== null) {
          const loc = await c.db.selectFrom('stock_location').select('structural').where('id', '=', value.location).executeTakeFirstOrThrow();
          if (loc.structural) errors.location = ['Cannot select a structural location'];
        }
        if (Object.keys(errors).length > 0) throw new f.FieldError(errors);
      },
    },
  );

  app.post(
    '/api/barcode/po-receive/',
    {
      schema: {
        tags: ['barcode'],
        summary: 'Receive a purchase order line by scanning a supplier label',
        description:
          'The supplier plugins find the order line of the scanned label and receive it (or answer action_required with the line when information is missing or auto_allocate is false). The label is linked to the new stock item. Needs the purchase_order.add role.',
        body: PoReceiveForm.schema,
        headers: IdempotencyHeaders,
        response: { 200: LooseBody, 400: LooseBody, 403: LooseBody },
      },
    },
    async (request, reply) => {
      await requireRole(request, 'purchase_order', 'add');
      const body = await parseLoggedBody(PoReceiveForm, request);
      return idempotent(request, reply, async (idem) => {
        const prepared = await prepareBarcode(app.ctx, body.barcode, request);
        const barcode = prepared.data;
        const active = (await plugins.active()).filter((p) => p.receive !== undefined);
        let pluginName: string | null = null;
        const response = await actOrRefuse(async (trx) => {
          await idem?.claim(trx);
          const out: ResponseBody = withNormalization({ barcode_data: barcode, barcode_hash: prepared.hash }, prepared);
          // Scans of one label queue here (PostgreSQL; SQLite transactions are serial already),
          // so the second one finds the label received rather than racing the first.
          await lockForCheck(trx, app.ctx.database.dialect, `po-receive:${prepared.hash}`);
          // A label already linked to a stock item has been received before.
          const internal = await scanAcrossPlugins(plugins, [internalBarcodePlugin], barcode, trx, { request, info: prepared.info });
          if (internal.outcome?.objects.some((o) => o.type === 'stockitem')) {
            throw new Refusal({ ...out, error: 'Item has already been received' });
          }
          let chosen: { name: string; answer: ReceiveAnswer } | undefined;
          let firstError: { name: string; answer: ReceiveAnswer } | undefined;
          for (const plugin of active) {
            let answer: ReceiveAnswer | undefined;
            try {
              answer = await plugin.receive!(
                plugins.context(plugin, trx),
                barcode,
                {
                  supplier: body.supplier ?? null,
                  purchaseOrder: body.purchase_order ?? null,
                  location: body.location ?? null,
                  lineItem: body.line_item ?? null,
                  autoAllocate: body.auto_allocate,
                  userId: request.user?.id ?? null,
                  database: app.ctx.database,
                  settings,
                },
                prepared.info,
              );
            } catch (error) {
              request.log.warn({ err: error, plugin: plugin.slug }, 'supplier plugin could not receive');
              continue;
            }
            if (answer === undefined) continue;
            if (answer.error !== undefined) {
              firstError ??= { name: plugin.name, answer };
              continue;
            }
            chosen = { name: plugin.name, answer };
            break;
          }
          const picked = chosen ?? firstError;
          pluginName = picked?.name ?? null;
          Object.assign(out, { plugin: pluginName }, picked?.answer ?? {});
          if (picked === undefined) out.error = 'No plugin match for supplier barcode';
          if ('error' in out) throw new Refusal(out);
          await idem?.complete(trx, 200, out);
          return out;
        });
        return answerScan(request, reply, response, pluginName);
      });
    },
  );

  // so-allocate (§2.7; D5, D8, D16) ----------------------------------------------------------
  const SoAllocateForm = f.object(
    {
      barcode: barcodeField(),
      sales_order: f.pk({ exists: rowExists('sales_order'), description: 'Sales Order' }),
      line: f.pk({ required: false, nullable: true, exists: rowExists('sales_order_line'), description: 'Sales order line item' }),
      shipment: f.pk({ required: false, nullable: true, exists: rowExists('sales_order_shipment'), description: 'Sales order shipment' }),
      quantity: f.integer({ required: false, description: 'Quantity to allocate' }),
    },
    {
      async validate(value, c) {
        const errors: Record<string, string[]> = {};
        const order = await c.db.selectFrom('sales_order').select('status').where('id', '=', value.sales_order).executeTakeFirstOrThrow();
        if (!isSalesOrderOpen(order.status)) errors.sales_order = ['Sales order is not open'];
        if (value.shipment !== undefined && value.shipment !== null) {
          const shipment = await c.db.selectFrom('sales_order_shipment').select('delivery_date').where('id', '=', value.shipment).executeTakeFirstOrThrow();
          if (shipment.delivery_date !== null) errors.shipment = ['Shipment has already been delivered'];
        }
        if (Object.keys(errors).length > 0) throw new f.FieldError(errors);
      },
    },
  );

  app.post(
    '/api/barcode/so-allocate/',
    {
      schema: {
        tags: ['barcode'],
        summary: 'Allocate a scanned stock item to a sales order',
        description:
          'Finds the stock item the barcode points at, the order line for its part and the open shipment, and allocates it. When the shipment cannot be determined, answers 200 with action_required and the values found, allocating nothing. Needs the sales_order.add role.',
        body: SoAllocateForm.schema,
        headers: IdempotencyHeaders,
        response: { 200: LooseBody, 400: LooseBody, 403: LooseBody },
      },
    },
    async (request, reply) => {
      await requireRole(request, 'sales_order', 'add');
      const body = await parseLoggedBody(SoAllocateForm, request);
      return idempotent(request, reply, async (idem) => {
        const prepared = await prepareBarcode(app.ctx, body.barcode, request);
        const answer = await scanAcrossPlugins(plugins, await plugins.active(), prepared.data, db, { request, info: prepared.info, withInstances: true });
        const scanned = withNormalization(await answerBody(db, answer, prepared.data, request), prepared);
        const pluginName = answer.plugin?.name ?? null;
        if (answer.plugin !== null) await refuseUnviewable(request, Object.keys(scanned), pluginName);

        const response = await actOrRefuse(async (trx) => {
          await idem?.claim(trx);
          const out: ResponseBody = { ...scanned };
          const refuse = (error: string): never => {
            out.error = error;
            delete out.success;
            throw new Refusal(out);
          };
          if (answer.plugin === null) refuse('No matching plugin found for barcode data');
          const block = out.stockitem as { pk?: unknown } | undefined;
          const itemId = typeof block?.pk === 'number' ? block.pk : undefined;
          let itemQuery = trx.selectFrom('stock_item').select(['id', 'part_id', 'serial', 'quantity']).where('id', '=', itemId ?? 0);
          // D16: the item is locked while its unallocated quantity is checked and allocated.
          if (app.ctx.database.dialect === 'postgres') itemQuery = itemQuery.forUpdate();
          const item = itemId === undefined ? undefined : await itemQuery.executeTakeFirst();
          if (item === undefined) return refuse('Barcode does not match an existing stock item');

          const order = await trx.selectFrom('sales_order').select(['id']).where('id', '=', body.sales_order).executeTakeFirstOrThrow();
          const lineColumns = ['id', 'order_id', 'part_id', 'quantity', 'shipped'] as const;
          let line;
          if (body.line !== undefined && body.line !== null) {
            line = await trx.selectFrom('sales_order_line').select(lineColumns).where('id', '=', body.line).executeTakeFirstOrThrow();
          } else {
            const parts = await partAndTemplateIds(trx, item.part_id);
            const candidates = await trx
              .selectFrom('sales_order_line')
              .select(lineColumns)
              .where('order_id', '=', order.id)
              .where('part_id', 'in', parts)
              .whereRef('shipped', '<=', 'quantity')
              .execute();
            if (candidates.length > 1) refuse('Multiple matching line items found');
            if (candidates.length === 0) refuse('No matching line item found');
            line = candidates[0];
          }
          if (line === undefined) return refuse('No matching line item found');

          let shipment: number | null = null;
          if (body.shipment !== undefined && body.shipment !== null) {
            const row = await trx.selectFrom('sales_order_shipment').select(['id', 'order_id']).where('id', '=', body.shipment).executeTakeFirstOrThrow();
            if (row.order_id !== order.id) refuse('Shipment does not match sales order');
            shipment = row.id;
          } else {
            shipment = await undeliveredShipment(trx, order.id);
          }
          if (line.part_id !== item.part_id) refuse('Stock item does not match line item');

          const unallocated = (await unallocatedQuantities(trx, [item.id])).get(item.id)?.unallocated ?? 0;
          const quantity = isSerialized({ serial: item.serial, quantity: Number(item.quantity) })
            ? 1
            : (body.quantity ?? Math.min(qtySub(Number(line.quantity), Number(line.shipped)), unallocated));
          Object.assign(out, { stock_item: item.id, part: item.part_id, sales_order: order.id, line_item: line.id, shipment, quantity: qty(quantity) });
          if (unallocated < quantity) refuse('Insufficient stock available');
          delete out.success;
          if (shipment === null) {
            // D8: the mobile app's "unhandled" path needs action_required and the plain values.
            out.action_required = 'Further information required to allocate stock item';
          } else {
            await trx.insertInto('sales_order_allocation').values({ line_id: line.id, shipment_id: shipment, item_id: item.id, quantity: qty(quantity) }).execute();
            out.success = 'Stock item allocated to sales order';
          }
          await idem?.complete(trx, 200, out);
          return out;
        });
        return answerScan(request, reply, response, pluginName);
      });
    },
  );
}
