/** `/api/stock/location/`, `/api/stock/location/{pk}/` and `/api/stock/location/tree/` (core-api.md §7.4). */
import { sql } from 'kysely';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { inTransaction } from '../db/transaction.js';
import { notFound } from '../http/errors.js';
import * as f from '../http/fields.js';
import { listResponse, paginate } from '../http/pagination.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { rowExists } from '../db/exists.js';
import { applyOrdering, detailFlag, ListFilters, orderingOf, queryBool, queryInt, queryOf, queryString, searchCondition, type OrderingFields } from '../http/listing.js';
import { locationForm } from './forms.js';
import { createLocation, deleteLocation, updateLocation } from './locations-service.js';
import { LocationSchema, LocationTreeSchema, serializeLocations } from './serializers.js';

/** A tree depth within what an integer column compares with (levels are far smaller anyway). */
function clampDepth(depth: number): number {
  return Math.max(-1_000_000_000, Math.min(1_000_000_000, depth));
}

const PERMISSION = { permission: { model: 'stock_stocklocation' } };
const TAGS = ['stock'];
const CreateForm = locationForm(false);
const UpdateForm = locationForm(true);

/** Number of stock items in a location and everything below it (for ordering). */
const itemsInSubtree = sql<number>`(select count(*) from stock_item si inner join stock_location sl on sl.id = si.location_id where sl.tree_path like stock_location.tree_path || '%')`;
/** Number of locations below a location. */
const locationsBelow = sql<number>`(select count(*) from stock_location sub where sub.tree_path like stock_location.tree_path || '%' and sub.id <> stock_location.id)`;

/** The list's orderings; `pathstring` (tree order) is the default. */
const LIST_ORDERING: OrderingFields = {
  name: ['name'],
  pathstring: ['pathstring'],
  tree_id: ['pathstring'],
  lft: ['pathstring'],
  level: ['level', 'pathstring'],
  items: [itemsInSubtree],
};

/** The tree's orderings; `level` (then name) is the default. */
const TREE_ORDERING: OrderingFields = {
  level: ['level', 'name'],
  name: ['name', 'level'],
  sublocations: [locationsBelow],
};

export async function locationRoutes(app: FastifyInstance): Promise<void> {
  const { db, database } = app.ctx;

  async function filtered(request: FastifyRequest) {
    const query = queryOf(request);
    const filters = new ListFilters(db, query);
    const parent = await filters.pk('parent', rowExists('stock_location'));
    await filters.pk('location_type', async () => false);
    filters.check();
    const cascade = queryBool(query, 'cascade') ?? false;
    const topLevel = queryBool(query, 'top_level');
    const parentGiven = queryString(query, 'parent') !== undefined && queryString(query, 'parent') !== '';
    let q = db.selectFrom('stock_location');
    if (parent !== undefined) {
      if (cascade) {
        const node = await db.selectFrom('stock_location').select('tree_path').where('id', '=', parent).executeTakeFirstOrThrow();
        q = q.where('tree_path', 'like', `${node.tree_path}%`).where('id', '!=', parent);
      } else {
        q = q.where('parent_id', '=', parent);
      }
      const depth = queryInt(query, 'depth');
      if (depth !== undefined) {
        const node = await db.selectFrom('stock_location').select('level').where('id', '=', parent).executeTakeFirstOrThrow();
        q = q.where('level', '<=', clampDepth(Number(node.level) + depth));
      }
    } else {
      const depth = queryInt(query, 'depth');
      if (depth !== undefined) q = q.where('level', '<=', clampDepth(depth));
    }
    // InvenTree: top_level (without cascade) keeps the roots; cascade=false without a parent
    // (or with top_level) keeps the roots too.
    if (topLevel === true && !cascade) q = q.where('parent_id', 'is', null);
    else if (queryBool(query, 'cascade') === false && (!parentGiven || topLevel === true)) q = q.where('parent_id', 'is', null);
    for (const flag of ['structural', 'external'] as const) {
      const v = queryBool(query, flag);
      if (v !== undefined) q = q.where(flag, '=', v);
    }
    const name = queryString(query, 'name');
    if (name !== undefined && name !== '') q = q.where('name', '=', name);
    const search = searchCondition(query, ['stock_location.name', 'stock_location.description', 'stock_location.pathstring']);
    if (search !== undefined) q = q.where(search);
    return q;
  }

  app.get(
    '/api/stock/location/',
    { config: PERMISSION, schema: { tags: TAGS, summary: 'List stock locations', response: { 200: listResponse(LocationSchema) } } },
    async (request) => {
      const query = queryOf(request);
      const q = await filtered(request);
      const ordering = orderingOf(query, LIST_ORDERING, 'pathstring');
      return paginate(
        request,
        async () => Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
        async (page) => {
          let rows = applyOrdering(q.selectAll('stock_location'), ordering, 'stock_location.id');
          if (page !== undefined) rows = rows.limit(page.limit).offset(page.offset);
          return serializeLocations(db, await rows.execute(), { pathDetail: detailFlag(query, 'path_detail', false) });
        },
      );
    },
  );

  app.get(
    '/api/stock/location/tree/',
    { config: PERMISSION, schema: { tags: TAGS, summary: 'Stock locations as a tree', response: { 200: listResponse(LocationTreeSchema) } } },
    async (request) => {
      const query = queryOf(request);
      const ordering = orderingOf(query, TREE_ORDERING, 'level');
      const base = db.selectFrom('stock_location');
      return paginate(
        request,
        async () => Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
        async (page) => {
          let rows = base.select(['id', 'name', 'parent_id', 'custom_icon', 'structural']).select(locationsBelow.as('sublocations'));
          rows = applyOrdering(rows, ordering, 'stock_location.id');
          if (page !== undefined) rows = rows.limit(page.limit).offset(page.offset);
          return (await rows.execute()).map((r) => ({
            pk: r.id,
            name: r.name,
            parent: r.parent_id,
            icon: r.custom_icon,
            structural: Boolean(r.structural),
            sublocations: Number(r.sublocations),
          }));
        },
      );
    },
  );

  async function one(request: FastifyRequest, id: number) {
    const row = await db.selectFrom('stock_location').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw notFound('StockLocation');
    const [body] = await serializeLocations(db, [row], { pathDetail: detailFlag(queryOf(request), 'path_detail', false) });
    return body;
  }

  app.post(
    '/api/stock/location/',
    { config: PERMISSION, schema: { tags: TAGS, summary: 'Create a stock location', body: CreateForm.schema, response: { 201: LocationSchema } } },
    async (request, reply) => {
      const id = await inTransaction(database, async (trx) => {
        const body = await f.parseBody(CreateForm, request.body, { db: trx });
        return createLocation(trx, {
          name: body.name,
          ...(body.description !== undefined ? { description: body.description } : {}),
          parent: body.parent ?? null,
          ...(body.structural !== undefined ? { structural: body.structural } : {}),
          ...(body.external !== undefined ? { external: body.external } : {}),
          ...(body.custom_icon !== undefined ? { custom_icon: body.custom_icon ?? '' } : {}),
        });
      });
      reply.code(201);
      return one(request, id);
    },
  );

  app.get(
    `/api/stock/location/${PK_PARAM}/`,
    { config: PERMISSION, schema: { tags: TAGS, summary: 'One stock location', response: { 200: LocationSchema } } },
    async (request) => one(request, pkParam(request, 'StockLocation')),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const form = method === 'PUT' ? CreateForm : UpdateForm;
    app.route({
      method,
      url: `/api/stock/location/${PK_PARAM}/`,
      config: PERMISSION,
      schema: { tags: TAGS, summary: 'Change a stock location', body: form.schema, response: { 200: LocationSchema } },
      handler: async (request) => {
        const id = pkParam(request, 'StockLocation');
        await inTransaction(database, async (trx) => {
          let q = trx.selectFrom('stock_location').select('id').where('id', '=', id);
          if (database.dialect === 'postgres') q = q.forUpdate();
          if ((await q.executeTakeFirst()) === undefined) throw notFound('StockLocation');
          const body = await f.parseBody(form, request.body, { db: trx });
          await updateLocation(trx, id, {
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.description !== undefined ? { description: body.description } : {}),
            ...(body.parent !== undefined ? { parent: body.parent } : {}),
            ...(body.structural !== undefined ? { structural: body.structural } : {}),
            ...(body.external !== undefined ? { external: body.external } : {}),
            ...(body.custom_icon !== undefined ? { custom_icon: body.custom_icon ?? '' } : {}),
          });
        });
        return one(request, id);
      },
    });
  }

  app.delete(`/api/stock/location/${PK_PARAM}/`, { config: PERMISSION, schema: { tags: TAGS, summary: 'Delete a stock location' } }, async (request, reply) => {
    const id = pkParam(request, 'StockLocation');
    const body = (request.body ?? {}) as Record<string, unknown>;
    // As InvenTree: only the value 1 (or "1") turns an option on.
    const flag = (key: string) => body !== null && typeof body === 'object' && String(body[key] ?? '0') === '1';
    await inTransaction(database, async (trx) => {
      const row = await trx.selectFrom('stock_location').select('id').where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw notFound('StockLocation');
      await deleteLocation(trx, id, { deleteSubLocations: flag('delete_sub_locations'), deleteStockItems: flag('delete_stock_items') });
    });
    return reply.code(204).send();
  });
}
