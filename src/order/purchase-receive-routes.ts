/** `POST /api/order/po/{pk}/receive/` (core-api.md §8): receive lines into stock. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { barcodeField } from '../barcode/forms.js';
import { inTransaction } from '../db/transaction.js';
import { ApiError, notFound } from '../http/errors.js';
import * as f from '../http/fields.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { DetailBody, ValidationBody } from '../http/schema.js';
import { StockStatus } from '../status/enums.js';
import { DETAIL_FLAGS, serializeItems, StockItemSchema } from '../stock/serializers.js';
import { receiveItems, ReceiveError } from './purchase-receive.js';
import { rowExists } from '../db/exists.js';

const lineExists = rowExists('purchase_order_line');
/** Received stock cannot go into a structural location: DRF reports it as an unknown pk. */
const stockableLocation = rowExists('stock_location', { structural: false });

const ReceiveItemForm = f.object({
  line_item: f.pk({ exists: lineExists, description: 'Purchase order line to receive' }),
  quantity: f.decimal({ description: 'Quantity to receive, in supplier packs' }),
  location: f.pk({ required: false, nullable: true, exists: stockableLocation, description: 'Destination location for received items' }),
  status: f.choice(
    StockStatus.values.map((s) => s.key),
    { default: 10, description: 'Stock item status code' },
  ),
  batch_code: f.string({ maxLength: 100, required: false, allowBlank: true }),
  expiry_date: f.date({ required: false, nullable: true }),
  serial_numbers: f.string({ required: false, allowBlank: true, description: 'Enter serial numbers for new items' }),
  packaging: f.string({ maxLength: 50, required: false, allowBlank: true }),
  note: f.string({ required: false, allowBlank: true }),
  barcode: { ...barcodeField(), whenMissing: 'omit' as const, parse: (v: unknown, c: f.ParseContext) => (v === '' ? '' : barcodeField().parse(v, c)) },
});

export const ReceiveForm = f.object({
  items: f.list(ReceiveItemForm),
  location: f.pk({ required: false, nullable: true, exists: stockableLocation, description: 'Destination location for received items' }),
});

export async function receiveRoutes(app: FastifyInstance): Promise<void> {
  app.post(
    `/api/order/po/${PK_PARAM}/receive/`,
    {
      config: { permission: { role: 'purchase_order', verb: 'add' } },
      schema: {
        tags: ['order'],
        summary: 'Receive purchase order line items into stock',
        description: 'Creates one stock item per received line (one per serial number), links each given barcode to it, and answers the created stock items.',
        body: ReceiveForm.schema,
        response: { 201: Type.Array(StockItemSchema), 400: ValidationBody, 404: DetailBody },
      },
    },
    async (request, reply) => {
      const orderId = pkParam(request, 'PurchaseOrder');
      const order = await app.ctx.db.selectFrom('purchase_order').select('id').where('id', '=', orderId).executeTakeFirst();
      if (order === undefined) throw notFound('PurchaseOrder');
      const body = await f.parseBody(ReceiveForm, request.body, { db: app.ctx.db });
      try {
        const ids = await inTransaction(app.ctx.database, (trx) =>
          receiveItems(app.ctx.database, trx, app.ctx.settings, {
            orderId,
            location: body.location ?? null,
            userId: request.user?.id ?? null,
            items: body.items.map((i) => ({
              lineId: i.line_item,
              quantity: i.quantity,
              location: i.location ?? null,
              status: i.status,
              ...(i.batch_code !== undefined ? { batchCode: i.batch_code } : {}),
              expiryDate: i.expiry_date ?? null,
              ...(i.serial_numbers !== undefined ? { serialNumbers: i.serial_numbers } : {}),
              ...(i.packaging !== undefined ? { packaging: i.packaging } : {}),
              ...(i.note !== undefined ? { note: i.note } : {}),
              ...(i.barcode !== undefined ? { barcode: i.barcode } : {}),
            })),
          }),
        );
        const rows = ids.length === 0 ? [] : await app.ctx.db.selectFrom('stock_item').selectAll().where('id', 'in', ids).orderBy('id').execute();
        reply.code(201);
        return serializeItems(app.ctx.db, rows, { ...DETAIL_FLAGS, notes: false });
      } catch (e) {
        if (e instanceof ReceiveError) throw new ApiError(400, e.body);
        throw e;
      }
    },
  );
}
