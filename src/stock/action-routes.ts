/**
 * Stock tracking (`/api/stock/track/`) and the stock actions `count/`, `add/`, `remove/` and
 * `transfer/` (core-api.md §7.5, clients.md §2.2). Each action validates every row, then runs
 * all of them in one transaction, and answers 201 with the request echoed as InvenTree does.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../db/transaction.js';
import { notFound, ValidationError } from '../http/errors.js';
import * as f from '../http/fields.js';
import { listResponse, paginate } from '../http/pagination.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { rowExists } from '../db/exists.js';
import { applyOrdering, detailFlag, ListFilters, orderingOf, queryOf, searchCondition } from '../http/listing.js';
import { Nullable } from '../http/schema.js';
import { adjustForm, type AdjustBody, type AdjustKind } from './forms.js';
import { addStock, countStock, moveStock, NotInStockError, removeStock, type ItemOverrides } from './items-service.js';
import { serializeTracking, TrackingSchema } from './serializers.js';

const TAGS = ['stock'];

export async function trackingRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const config = { permission: { model: 'stock_stockitemtracking' } };

  app.get(
    '/api/stock/track/',
    { config, schema: { tags: TAGS, summary: 'List stock tracking entries', response: { 200: listResponse(TrackingSchema) } } },
    async (request) => {
      const query = queryOf(request);
      const filters = new ListFilters(db, query);
      const item = await filters.pk('item', rowExists('stock_item'));
      const user = await filters.pk('user', rowExists('auth_user'));
      filters.check();
      let q = db.selectFrom('stock_tracking');
      if (item !== undefined) q = q.where('item_id', '=', item);
      if (user !== undefined) q = q.where('user_id', '=', user);
      const search = searchCondition(query, ['stock_tracking.notes']);
      if (search !== undefined) q = q.where(search);
      // Newest first by default; the id breaks ties in the same direction.
      const ordering = orderingOf(query, { date: ['stock_tracking.date', 'stock_tracking.id'] }, '-date');
      const opts = { userDetail: detailFlag(query, 'user_detail', false), itemDetail: detailFlag(query, 'item_detail', false) };
      return paginate(
        request,
        async () => Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
        async (page) => {
          let rows = applyOrdering(q.selectAll(), ordering, 'stock_tracking.id');
          if (page !== undefined) rows = rows.limit(page.limit).offset(page.offset);
          return serializeTracking(db, await rows.execute(), opts);
        },
      );
    },
  );

  app.get(
    `/api/stock/track/${PK_PARAM}/`,
    { config, schema: { tags: TAGS, summary: 'One stock tracking entry', response: { 200: TrackingSchema } } },
    async (request) => {
      const row = await db.selectFrom('stock_tracking').selectAll().where('id', '=', pkParam(request, 'StockItemTracking')).executeTakeFirst();
      if (row === undefined) throw notFound('StockItemTracking');
      const query = queryOf(request);
      const [body] = await serializeTracking(db, [row], { userDetail: detailFlag(query, 'user_detail', false), itemDetail: detailFlag(query, 'item_detail', false) });
      return body;
    },
  );
}

/** The 201 answer: the validated request, as InvenTree's serializer echoes it. */
const EchoSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      pk: Nullable(Type.Integer()),
      quantity: Type.Number(),
      batch: Type.Optional(Type.String()),
      status: Nullable(Type.Integer()),
      packaging: Type.Optional(Type.String()),
    }),
  ),
  notes: Type.Optional(Type.String()),
  location: Type.Optional(Type.Integer()),
});

const SUMMARIES: Record<AdjustKind, string> = {
  count: 'Count stock items (stocktake)',
  add: 'Add stock to stock items',
  remove: 'Remove stock from stock items',
  transfer: 'Transfer stock items to a location',
};

export async function actionRoutes(app: FastifyInstance): Promise<void> {
  const { database } = app.ctx;
  for (const kind of ['count', 'add', 'remove', 'transfer'] as const) {
    const form = adjustForm(kind);
    app.post(
      `/api/stock/${kind}/`,
      {
        config: { permission: { role: 'stock', verb: 'change' } },
        schema: { tags: TAGS, summary: SUMMARIES[kind], body: form.schema, response: { 201: EchoSchema } },
      },
      async (request, reply) => {
        const userId = request.user?.id ?? null;
        const body = await inTransaction(database, async (trx) => {
          const parsed = (await f.parseBody(form, request.body, { db: trx })) as AdjustBody;
          if (database.dialect === 'postgres') {
            await trx.selectFrom('stock_item').select('id').where('id', 'in', parsed.items.map((i) => i.pk)).forUpdate().execute();
          }
          const ctx = { userId, notes: parsed.notes ?? '' };
          for (const row of parsed.items) {
            const overrides: ItemOverrides = {
              ...(row.batch !== undefined ? { batch: row.batch } : {}),
              ...(row.packaging !== undefined ? { packaging: row.packaging } : {}),
              status: row.status,
            };
            switch (kind) {
              case 'count':
                await countStock(trx, row.pk, row.quantity, ctx, overrides);
                break;
              case 'add':
                await addStock(trx, row.pk, row.quantity, ctx, overrides);
                break;
              case 'remove':
                await removeStock(trx, row.pk, row.quantity, ctx, overrides);
                break;
              case 'transfer':
                try {
                  await moveStock(trx, row.pk, parsed.location as number, row.quantity, ctx, overrides);
                } catch (e) {
                  if (e instanceof NotInStockError) throw new ValidationError({ non_field_errors: [e.message] });
                  throw e;
                }
                break;
            }
          }
          const left = new Set(
            (await trx.selectFrom('stock_item').select('id').where('id', 'in', parsed.items.map((i) => i.pk)).execute()).map((r) => r.id),
          );
          return {
            items: parsed.items.map((row) => ({
              pk: left.has(row.pk) ? row.pk : null,
              quantity: row.quantity,
              ...(row.batch !== undefined ? { batch: row.batch } : {}),
              status: row.status,
              ...(row.packaging !== undefined ? { packaging: row.packaging } : {}),
            })),
            ...(parsed.notes !== undefined ? { notes: parsed.notes } : {}),
            ...(parsed.location !== undefined ? { location: parsed.location } : {}),
          };
        });
        reply.code(201);
        return body;
      },
    );
  }
}
