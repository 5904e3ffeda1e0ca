/**
 * Configuration of the generic ECIA plugin (plugins/ecia.ts): the supplier companies whose
 * ISO/IEC 15434 labels it reads. `GET /api/barcode/ecia/` lists them (any authenticated user,
 * as plugin settings are readable), `POST` `{supplier}` adds one (staff; 201), `DELETE
 * /api/barcode/ecia/{pk}/` removes one (staff; 204). Deleting the company removes its entry.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { rowExists } from '../db/exists.js';
import { ValidationError, notFound } from '../http/errors.js';
import * as f from '../http/fields.js';
import { listResponse, paginateArray } from '../http/pagination.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { DetailBody, Nullable } from '../http/schema.js';
import { apiDateTime, nowIso } from '../util/time.js';

const EciaSupplierSchema = Type.Object({
  pk: Type.Integer(),
  supplier: Type.Integer(),
  supplier_detail: Type.Object({ pk: Type.Integer(), name: Type.String() }),
  created: Nullable(Type.String()),
});

const EciaSupplierForm = f.object(
  { supplier: f.pk({ exists: rowExists('company', { is_supplier: true }), description: 'A supplier company whose ISO/IEC 15434 labels the ECIA plugin reads' }) },
  { description: 'A supplier for the generic ECIA barcode plugin.' },
);

export async function eciaRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  const rows = () =>
    db
      .selectFrom('barcode_ecia_supplier as e')
      .innerJoin('company as c', 'c.id', 'e.company_id')
      .select(['e.id', 'e.company_id', 'e.created', 'c.name'])
      .orderBy('e.id');
  const serialize = (r: { id: number; company_id: number; created: string; name: string }) => ({
    pk: r.id,
    supplier: r.company_id,
    supplier_detail: { pk: r.company_id, name: r.name },
    created: apiDateTime(r.created),
  });

  app.get(
    '/api/barcode/ecia/',
    {
      schema: {
        tags: ['barcode'],
        summary: 'Suppliers of the ECIA plugin',
        description: 'The supplier companies whose ISO/IEC 15434 labels the generic ECIA plugin reads, in the order it tries them.',
        response: { 200: listResponse(EciaSupplierSchema) },
      },
    },
    async (request) => paginateArray(request, (await rows().execute()).map(serialize)),
  );

  app.post(
    '/api/barcode/ecia/',
    {
      config: { permission: { staffWrites: true } },
      schema: {
        tags: ['barcode'],
        summary: 'Add a supplier to the ECIA plugin (staff)',
        body: EciaSupplierForm.schema,
        response: { 201: EciaSupplierSchema },
      },
    },
    async (request, reply) => {
      const { supplier } = await f.parseBody(EciaSupplierForm, request.body, { db });
      const inserted = await db
        .insertInto('barcode_ecia_supplier')
        .values({ company_id: supplier, created: nowIso(), created_by_id: request.user?.id ?? null })
        .onConflict((oc) => oc.column('company_id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted === undefined) throw new ValidationError({ supplier: ['ECIA supplier with this supplier already exists.'] });
      return reply.code(201).send(serialize(await rows().where('e.id', '=', inserted.id).executeTakeFirstOrThrow()));
    },
  );

  app.delete(
    `/api/barcode/ecia/${PK_PARAM}/`,
    {
      config: { permission: { staffWrites: true } },
      schema: { tags: ['barcode'], summary: 'Remove a supplier from the ECIA plugin (staff)', response: { 204: Type.Null(), 404: DetailBody } },
    },
    async (request, reply) => {
      const id = pkParam(request, 'EciaSupplier');
      const deleted = await db.deleteFrom('barcode_ecia_supplier').where('id', '=', id).executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) throw notFound('EciaSupplier');
      return reply.code(204).send();
    },
  );
}
