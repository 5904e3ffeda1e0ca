/**
 * Barcode aliases: any number of extra barcodes per object, each with a kind and a note
 * (standards.md §3 item 4; InvenTree #1971, #3753, #708).
 *
 * - `GET /api/barcode/alias/` lists them (filters `model`, `pk` — the object's —, `kind`,
 *   `search`; paginated with `limit`), only for the models the user may view.
 * - `POST /api/barcode/alias/` `{barcode, model, pk, kind, note}` adds one (201); needs
 *   `change` on the model. A barcode that belongs to anything already — an internal barcode of
 *   an existing object, any link, or the same GTIN in another written form — is refused like
 *   a link (400 "Barcode matches existing item"). Kind `gtin` takes a GTIN-8/12/13/14 (or GS1
 *   data carrying AI 01) and stores it as GTIN-14.
 * - `DELETE /api/barcode/alias/{pk}/` removes one (204); needs `change` on its model.
 *
 * Aliases are the non-primary rows of `barcode_link`: one hash still belongs to one object
 * across everything (D13), scans find objects through any of their barcodes, and an object's
 * `barcode_hash` keeps showing its primary (linked) barcode only.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { inTransaction } from '../db/transaction.js';
import { ApiError, notFound, permissionDenied, ValidationError } from '../http/errors.js';
import * as f from '../http/fields.js';
import { filterText, integerEquals, ListFilters, queryOf, searchCondition } from '../http/listing.js';
import { listResponse, paginate } from '../http/pagination.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { DetailBody, Nullable, ValidationBody } from '../http/schema.js';
import { apiDateTime } from '../util/time.js';
import { barcodeHash } from './formats/hash.js';
import { barcodeField, modelTypeField } from './forms.js';
import { canOnModel } from './guards.js';
import { plainGtin } from './gtin.js';
import { BarcodeInUseError, linkBarcode } from './links.js';
import { BARCODE_MODELS, barcodeModel, type BarcodeModel } from './model-types.js';
import { objectExists } from './objects.js';
import { internalBarcodePlugin } from './plugins/internal.js';
import { readGs1 } from './plugins/gs1.js';
import { prepareBarcode, withNormalization, type PreparedBarcode } from './prepare.js';
import { refuseTakenBarcode } from './taken.js';

export const ALIAS_KINDS = ['gtin', 'supplier', 'manufacturer', 'custom'] as const;

export const AliasSchema = Type.Object(
  {
    pk: Type.Integer({ description: 'The alias' }),
    barcode: Type.String({ description: 'Barcode data (a GTIN as GTIN-14)' }),
    barcode_hash: Type.String(),
    model: Type.String({ description: 'Model type of the object' }),
    object_pk: Type.Integer({ description: 'Primary key of the object' }),
    kind: Type.String({ enum: [...ALIAS_KINDS] }),
    note: Type.String(),
    created: Nullable(Type.String()),
    created_by: Nullable(Type.Integer()),
  },
  { additionalProperties: true, description: 'An extra barcode of an object' },
);

export const AliasForm = f.object(
  {
    barcode: barcodeField(),
    model: modelTypeField,
    pk: f.integer({ description: 'Primary key of the object' }),
    kind: f.choice(ALIAS_KINDS, { default: 'custom', description: 'What the barcode is: gtin, supplier, manufacturer or custom' }),
    note: f.string({ required: false, allowBlank: true, maxLength: 250, default: '', description: 'Free text' }),
  },
  {
    description: 'An extra barcode for an object.',
    async validate(value, ctx) {
      const model = barcodeModel(value.model) as BarcodeModel;
      if (!(await objectExists(ctx.db, model, value.pk))) throw new f.FieldError({ pk: [f.MESSAGES.invalidPk(value.pk)] });
    },
  },
);

type LinkRow = {
  id: number;
  data: string;
  hash: string;
  model_type: string;
  object_id: number;
  kind: string;
  note: string;
  created: string | null;
  created_by_id: number | null;
};

const COLUMNS = ['id', 'data', 'hash', 'model_type', 'object_id', 'kind', 'note', 'created', 'created_by_id'] as const;

function serialize(row: LinkRow) {
  return {
    pk: row.id,
    barcode: row.data,
    barcode_hash: row.hash,
    model: row.model_type,
    object_pk: row.object_id,
    kind: row.kind,
    note: row.note,
    created: apiDateTime(row.created),
    created_by: row.created_by_id,
  };
}

/** The model types the user may view (superusers: all). */
export async function viewableModels(request: FastifyRequest): Promise<BarcodeModel[]> {
  const out: BarcodeModel[] = [];
  for (const m of BARCODE_MODELS) if (await canOnModel(request, m, 'view')) out.push(m);
  return out;
}

function invalidChoice(value: string): string {
  return `Select a valid choice. ${value} is not one of the available choices.`;
}

/** The GTIN-14 an alias of kind `gtin` stores, or a 400 naming the barcode. */
function aliasGtin(prepared: PreparedBarcode): string {
  const plain = plainGtin(prepared.data);
  if (plain !== undefined) return plain;
  const reading = readGs1(prepared.data, prepared.info.symbology);
  if (reading?.kind === 'gs1' && reading.data.gtin !== undefined) return reading.data.gtin;
  throw new ValidationError({ barcode: ['Enter a valid GTIN: 8, 12, 13 or 14 digits with a correct check digit, or GS1 data with AI (01)'] });
}

export async function aliasRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  app.get(
    '/api/barcode/alias/',
    {
      schema: {
        tags: ['barcode'],
        summary: 'Barcode aliases',
        description: 'The extra barcodes of objects, for the models the user may view. Filters: model, pk (of the object), kind; search in the barcode and the note.',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer()),
          offset: Type.Optional(Type.Integer()),
          model: Type.Optional(Type.String()),
          pk: Type.Optional(Type.Integer()),
          kind: Type.Optional(Type.String()),
          search: Type.Optional(Type.String()),
        }),
        response: { 200: listResponse(AliasSchema), 400: ValidationBody, 403: DetailBody },
      },
    },
    async (request) => {
      const query = queryOf(request);
      const filters = new ListFilters(db, query);
      const modelText = filterText(query, 'model');
      const model = modelText === undefined ? undefined : barcodeModel(modelText);
      if (modelText !== undefined && model === undefined) filters.error('model', invalidChoice(modelText));
      const objectPk = filters.number('pk');
      if (objectPk !== undefined && !Number.isInteger(objectPk)) filters.error('pk', 'Enter a whole number.');
      const kind = filterText(query, 'kind');
      if (kind !== undefined && !(ALIAS_KINDS as readonly string[]).includes(kind)) filters.error('kind', invalidChoice(kind));
      filters.check();
      if (model !== undefined && !(await canOnModel(request, model, 'view'))) throw permissionDenied();
      const visible = (await viewableModels(request)).map((m) => m.type as string);

      let q = db.selectFrom('barcode_link').where('is_primary', '=', false);
      q = visible.length === 0 ? q.where('id', '<', 0) : q.where('model_type', 'in', visible);
      if (model !== undefined) q = q.where('model_type', '=', model.type);
      if (objectPk !== undefined) q = q.where(integerEquals('object_id', objectPk));
      if (kind !== undefined) q = q.where('kind', '=', kind);
      const search = searchCondition(query, ['barcode_link.data', 'barcode_link.note']);
      if (search !== undefined) q = q.where(search);
      const filtered = q;
      return paginate(
        request,
        async () => Number((await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
        async (page) => {
          let rows = filtered.select(COLUMNS).orderBy('id');
          if (page !== undefined) rows = rows.limit(page.limit).offset(page.offset);
          return (await rows.execute()).map(serialize);
        },
      );
    },
  );

  app.post(
    '/api/barcode/alias/',
    {
      schema: {
        tags: ['barcode'],
        summary: 'Add a barcode alias to an object',
        description:
          'Adds an extra barcode to an object (needs change permission on its model). A barcode that already belongs to anything is refused with "Barcode matches existing item". Kind gtin stores the GTIN as GTIN-14.',
        body: AliasForm.schema,
        response: { 201: AliasSchema, 400: Type.Object({}, { additionalProperties: true }), 403: DetailBody },
      },
    },
    async (request, reply) => {
      const body = await f.parseBody(AliasForm, request.body, { db });
      const model = barcodeModel(body.model) as BarcodeModel;
      if (!(await canOnModel(request, model, 'change'))) throw permissionDenied();
      let prepared = await prepareBarcode(app.ctx, body.barcode);
      if (body.kind === 'gtin') {
        const gtin = aliasGtin(prepared);
        prepared = { ...prepared, data: gtin, hash: barcodeHash(gtin) };
      }
      await request.permissions();
      const row = await inTransaction(app.ctx.database, async (trx) => {
        await refuseTakenBarcode(trx, request, prepared);
        try {
          await linkBarcode(trx, model.type, body.pk, prepared.data, { primary: false, kind: body.kind, note: body.note, userId: request.user?.id ?? null });
        } catch (error) {
          if (error instanceof BarcodeInUseError) {
            throw new ApiError(400, { error: 'Barcode matches existing item', plugin: internalBarcodePlugin.name, barcode_data: prepared.data });
          }
          throw error;
        }
        return trx.selectFrom('barcode_link').select(COLUMNS).where('hash', '=', prepared.hash).executeTakeFirstOrThrow();
      });
      return reply.code(201).send(withNormalization(serialize(row), prepared));
    },
  );

  app.delete(
    `/api/barcode/alias/${PK_PARAM}/`,
    {
      schema: {
        tags: ['barcode'],
        summary: 'Remove a barcode alias',
        description: 'Removes one extra barcode (needs change permission on the model of its object).',
        response: { 204: Type.Null(), 403: DetailBody, 404: DetailBody },
      },
    },
    async (request, reply) => {
      const id = pkParam(request, 'BarcodeAlias');
      const row = await db.selectFrom('barcode_link').select(['id', 'model_type']).where('id', '=', id).where('is_primary', '=', false).executeTakeFirst();
      const model = row === undefined ? undefined : barcodeModel(row.model_type);
      if (row === undefined || model === undefined) throw notFound('BarcodeAlias');
      if (!(await canOnModel(request, model, 'view'))) throw notFound('BarcodeAlias');
      if (!(await canOnModel(request, model, 'change'))) throw permissionDenied();
      await db.deleteFrom('barcode_link').where('id', '=', id).where('is_primary', '=', false).execute();
      return reply.code(204).send();
    },
  );
}
