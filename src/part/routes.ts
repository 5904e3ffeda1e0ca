/** Part categories and parts: `/api/part/...` (core-api.md §7.2, §7.3). */
import type { FastifyInstance } from 'fastify';
import { listResponse, paginate } from '../http/pagination.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { applyOrdering, detailFlag, queryOf, type Query } from '../http/listing.js';
import * as f from '../http/fields.js';
import { notFound } from '../http/errors.js';
import { CATEGORY_COLUMNS, CategorySchema, CategoryTreeSchema, serializeCategories, serializeCategoryTree } from './category-serializers.js';
import { CategoryCreateForm, CategoryUpdateForm, createCategory, deleteCategory, loadCategoryRow, updateCategory } from './category-service.js';
import { categoryOrdering, categoryTreeOrdering, filteredCategories, filteredParts, partOrdering } from './queries.js';
import { PART_COLUMNS, PartSchema, serializeParts, type PartSerializeOptions } from './serializers.js';
import { createPart, deletePart, loadPartRow, PartCreateForm, PartUpdateForm, updatePart } from './service.js';

const CATEGORY_PERMISSION = { permission: { model: 'part_partcategory' } };
const PART_PERMISSION = { permission: { model: 'part_part' } };
const TAGS = ['part'];

function partOptions(query: Query, detail: boolean): PartSerializeOptions {
  return {
    categoryDetail: detailFlag(query, 'category_detail', false),
    pathDetail: detailFlag(query, 'path_detail', false),
    locationDetail: detailFlag(query, 'location_detail', false),
    parameters: detailFlag(query, 'parameters', false),
    priceBreaks: detailFlag(query, 'price_breaks', false),
    notes: detail,
  };
}

function countOf(rows: { n: unknown } | undefined): number {
  return Number(rows?.n ?? 0);
}

export async function partRoutes(app: FastifyInstance): Promise<void> {
  const { db, database, settings } = app.ctx;
  const ctx = { db };

  // Categories ---------------------------------------------------------------------------------
  async function categoryBody(id: number, path: boolean) {
    const [body] = await serializeCategories(db, [await loadCategoryRow(db, id)], { path });
    if (body === undefined) throw notFound('PartCategory');
    return body;
  }

  app.get(
    '/api/part/category/',
    { config: CATEGORY_PERMISSION, schema: { tags: TAGS, summary: 'List part categories', response: { 200: listResponse(CategorySchema) } } },
    async (request) => {
      const query = queryOf(request);
      const q = await filteredCategories(db, query);
      const path = detailFlag(query, 'path_detail', false);
      return paginate(
        request,
        async () => countOf(await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()),
        async (page) => {
          let rows = applyOrdering(q.select(CATEGORY_COLUMNS), categoryOrdering(query, database.dialect), 'part_category.id');
          if (page !== undefined) rows = rows.limit(page.limit).offset(page.offset);
          return serializeCategories(db, await rows.execute(), { path });
        },
      );
    },
  );

  app.post(
    '/api/part/category/',
    { config: CATEGORY_PERMISSION, schema: { tags: TAGS, summary: 'Create a part category', body: CategoryCreateForm.schema, response: { 201: CategorySchema } } },
    async (request, reply) => {
      const body = await f.parseBody(CategoryCreateForm, request.body, ctx);
      const id = await createCategory(database, body);
      reply.code(201);
      return categoryBody(id, true);
    },
  );

  app.get(
    '/api/part/category/tree/',
    { config: CATEGORY_PERMISSION, schema: { tags: TAGS, summary: 'Part categories for rendering a tree', response: { 200: listResponse(CategoryTreeSchema) } } },
    async (request) => {
      const query = queryOf(request);
      const q = db.selectFrom('part_category');
      return paginate(
        request,
        async () => countOf(await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()),
        async (page) => {
          let rows = applyOrdering(q.select(CATEGORY_COLUMNS), categoryTreeOrdering(query), 'part_category.id');
          if (page !== undefined) rows = rows.limit(page.limit).offset(page.offset);
          return serializeCategoryTree(db, await rows.execute());
        },
      );
    },
  );

  app.get(
    `/api/part/category/${PK_PARAM}/`,
    { config: CATEGORY_PERMISSION, schema: { tags: TAGS, summary: 'One part category', response: { 200: CategorySchema } } },
    async (request) => categoryBody(pkParam(request, 'PartCategory'), detailFlag(queryOf(request), 'path_detail', false)),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const form = method === 'PUT' ? CategoryCreateForm : CategoryUpdateForm;
    app.route({
      method,
      url: `/api/part/category/${PK_PARAM}/`,
      config: CATEGORY_PERMISSION,
      schema: { tags: TAGS, summary: 'Change a part category', body: form.schema, response: { 200: CategorySchema } },
      handler: async (request) => {
        const id = pkParam(request, 'PartCategory');
        await loadCategoryRow(db, id);
        const body = await f.parseBody(form, request.body, ctx);
        await updateCategory(database, id, body);
        return categoryBody(id, true);
      },
    });
  }

  app.delete(
    `/api/part/category/${PK_PARAM}/`,
    { config: CATEGORY_PERMISSION, schema: { tags: TAGS, summary: 'Delete a part category (children and parts move to its parent)' } },
    async (request, reply) => {
      await deleteCategory(database, pkParam(request, 'PartCategory'));
      return reply.code(204).send();
    },
  );

  // Parts ------------------------------------------------------------------------------------
  async function partBody(id: number, options: PartSerializeOptions) {
    const [body] = await serializeParts(db, [await loadPartRow(db, id)], options);
    if (body === undefined) throw notFound('Part');
    return body;
  }

  app.get(
    '/api/part/',
    { config: PART_PERMISSION, schema: { tags: TAGS, summary: 'List parts', response: { 200: listResponse(PartSchema) } } },
    async (request) => {
      const query = queryOf(request);
      const q = await filteredParts(db, query);
      const options = partOptions(query, false);
      return paginate(
        request,
        async () => countOf(await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()),
        async (page) => {
          let rows = applyOrdering(q.select(PART_COLUMNS.map((c) => `part.${c}` as const)), partOrdering(query), 'part.id');
          if (page !== undefined) rows = rows.limit(page.limit).offset(page.offset);
          return serializeParts(db, await rows.execute(), options);
        },
      );
    },
  );

  app.post(
    '/api/part/',
    { config: PART_PERMISSION, schema: { tags: TAGS, summary: 'Create a part', body: PartCreateForm.schema, response: { 201: PartSchema } } },
    async (request, reply) => {
      const body = await f.parseBody(PartCreateForm, request.body, ctx);
      const id = await createPart(database, settings, body, request.user?.id ?? null);
      reply.code(201);
      return partBody(id, partOptions(queryOf(request), true));
    },
  );

  app.get(`/api/part/${PK_PARAM}/`, { config: PART_PERMISSION, schema: { tags: TAGS, summary: 'One part', response: { 200: PartSchema } } }, async (request) =>
    partBody(pkParam(request, 'Part'), partOptions(queryOf(request), true)),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const form = method === 'PUT' ? PartCreateForm : PartUpdateForm;
    app.route({
      method,
      url: `/api/part/${PK_PARAM}/`,
      config: PART_PERMISSION,
      schema: { tags: TAGS, summary: 'Change a part', body: form.schema, response: { 200: PartSchema } },
      handler: async (request) => {
        const id = pkParam(request, 'Part');
        await loadPartRow(db, id);
        const body = await f.parseBody(form, request.body, ctx);
        await updatePart(database, settings, id, body);
        return partBody(id, partOptions(queryOf(request), true));
      },
    });
  }

  app.delete(`/api/part/${PK_PARAM}/`, { config: PART_PERMISSION, schema: { tags: TAGS, summary: 'Delete an inactive part' } }, async (request, reply) => {
    await deletePart(database, pkParam(request, 'Part'));
    return reply.code(204).send();
  });
}
