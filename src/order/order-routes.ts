/**
 * The write endpoints purchase and return orders (and their lines) share in shape: create
 * (POST on the list, 201), one object (GET), change (PUT and PATCH) and delete (DELETE, 204).
 * Each caller brings its own forms, parse context, service calls and response body; the
 * rules stay in the services.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import { rowExists, type IdTable } from '../db/exists.js';
import { notFound } from '../http/errors.js';
import * as f from '../http/fields.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { DetailBody } from '../http/schema.js';
import { BadRequestBody, ORDER_ERRORS } from './order-fields.js';

type Form = f.ObjectField<any>;

export interface ModelWriteRoutes<C extends Form, P extends Form, Q extends Form> {
  /** The list path, e.g. `/api/order/po/`. */
  path: string;
  /** The route's permission config. */
  config: FastifyContextConfig;
  tags: string[];
  /** The model's table and class name (404 bodies: `No <model> matches the given query.`). */
  table: IdTable;
  model: string;
  /** Lower-case name for the summaries, e.g. `purchase order line`. */
  label: string;
  schema: TSchema;
  createForm: C;
  putForm: P;
  patchForm: Q;
  parseContext: () => Promise<f.ParseContext>;
  create(body: f.Infer<C>, request: FastifyRequest): Promise<number>;
  update(id: number, body: f.Infer<P> | f.Infer<Q>): Promise<void>;
  remove(id: number): Promise<void>;
  /** The response object of one row (404 when missing). */
  body(request: FastifyRequest, id: number): Promise<unknown>;
}

export function modelWriteRoutes<C extends Form, P extends Form, Q extends Form>(app: FastifyInstance, spec: ModelWriteRoutes<C, P, Q>): void {
  const { db } = app.ctx;
  const exists = rowExists(spec.table);
  const detailPath = `${spec.path}${PK_PARAM}/`;

  app.post(
    spec.path,
    { config: spec.config, schema: { tags: spec.tags, summary: `Create a ${spec.label}`, body: spec.createForm.schema, response: { 201: spec.schema, ...ORDER_ERRORS } } },
    async (request, reply) => {
      const body = (await f.parseBody(spec.createForm, request.body, await spec.parseContext())) as f.Infer<C>;
      const id = await spec.create(body, request);
      reply.code(201);
      return spec.body(request, id);
    },
  );

  app.get(detailPath, { config: spec.config, schema: { tags: spec.tags, summary: `One ${spec.label}`, response: { 200: spec.schema, 404: DetailBody } } }, async (request) =>
    spec.body(request, pkParam(request, spec.model)),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const form = method === 'PUT' ? spec.putForm : spec.patchForm;
    app.route({
      method,
      url: detailPath,
      config: spec.config,
      schema: { tags: spec.tags, summary: `Change a ${spec.label}`, body: form.schema, response: { 200: spec.schema, ...ORDER_ERRORS } },
      handler: async (request) => {
        const id = pkParam(request, spec.model);
        if (!(await exists(db, id))) throw notFound(spec.model);
        const body = (await f.parseBody(form, request.body, await spec.parseContext())) as f.Infer<P> | f.Infer<Q>;
        await spec.update(id, body);
        return spec.body(request, id);
      },
    });
  }

  app.delete(
    detailPath,
    { config: spec.config, schema: { tags: spec.tags, summary: `Delete a ${spec.label}`, response: { 204: Type.Null(), 400: BadRequestBody, 404: DetailBody } } },
    async (request, reply) => {
      await spec.remove(pkParam(request, spec.model));
      return reply.code(204).send();
    },
  );
}
