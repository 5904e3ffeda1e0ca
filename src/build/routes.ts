/** Build orders: `/api/build/`, `/api/build/{id}/` (core-api.md §7.15). Barcode work needs read, scan and link; the build actions are not served. */
import type { FastifyInstance } from 'fastify';
import * as f from '../http/fields.js';
import { listResponse, paginate } from '../http/pagination.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { detailFlag, queryOf, type Query } from '../http/listing.js';
import { ValidationBody } from '../http/schema.js';
import { buildForm } from './forms.js';
import { buildList } from './queries.js';
import { BuildSchema, serializeBuilds } from './serializers.js';
import { createBuild, deleteBuild, requireBuild, updateBuild } from './service.js';

const TAGS = ['build'];
const BUILD = { permission: { model: 'build_build' } };

export async function buildRoutes(app: FastifyInstance): Promise<void> {
  const { db, database, settings } = app.ctx;
  const ctx = { db };
  const CreateForm = buildForm(false);
  const PatchForm = buildForm(true);

  async function body(id: number, query: Query) {
    const row = await requireBuild(db, id);
    const [out] = await serializeBuilds(db, [row], { partDetail: detailFlag(query, 'part_detail', true), notes: true });
    return out;
  }

  app.get('/api/build/', { config: BUILD, schema: { tags: TAGS, summary: 'List build orders', response: { 200: listResponse(BuildSchema) } } }, async (request) => {
    const query = queryOf(request);
    const list = await buildList(db, query);
    const partDetail = detailFlag(query, 'part_detail', true);
    return paginate(request, list.count, async (page) => serializeBuilds(db, await list.fetch(page), { partDetail }));
  });

  app.post(
    '/api/build/',
    { config: BUILD, schema: { tags: TAGS, summary: 'Create a build order', body: CreateForm.schema, response: { 201: BuildSchema, 400: ValidationBody } } },
    async (request, reply) => {
      const input = await f.parseBody(CreateForm, request.body, ctx);
      const id = await createBuild(database, settings, input, request.user?.id ?? null);
      reply.code(201);
      return body(id, queryOf(request));
    },
  );

  app.get(`/api/build/${PK_PARAM}/`, { config: BUILD, schema: { tags: TAGS, summary: 'One build order', response: { 200: BuildSchema } } }, async (request) =>
    body(pkParam(request, 'Build'), queryOf(request)),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const form = method === 'PUT' ? CreateForm : PatchForm;
    app.route({
      method,
      url: `/api/build/${PK_PARAM}/`,
      config: BUILD,
      schema: { tags: TAGS, summary: 'Change a build order', body: form.schema, response: { 200: BuildSchema, 400: ValidationBody } },
      handler: async (request) => {
        const build = await requireBuild(db, pkParam(request, 'Build'));
        const input = await f.parseBody(form, request.body, ctx);
        await updateBuild(database, settings, build, input);
        return body(build.id, queryOf(request));
      },
    });
  }

  app.delete(`/api/build/${PK_PARAM}/`, { config: BUILD, schema: { tags: TAGS, summary: 'Delete a cancelled build order' } }, async (request, reply) => {
    const build = await requireBuild(db, pkParam(request, 'Build'));
    await deleteBuild(database, build);
    return reply.code(204).send();
  });
}
