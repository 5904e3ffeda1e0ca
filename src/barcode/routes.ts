/**
 * `/api/barcode/`: scan, generate, link, unlink (barcode-api.md §2.1–§2.4) and the scan
 * history (§2.8–§2.9), with Stockscan's permission rules (D5) and history defaults (D6).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inTransaction } from '../db/transaction.js';
import { ApiError, notFound, permissionDenied, ValidationError } from '../http/errors.js';
import * as f from '../http/fields.js';
import { paginate, listResponse } from '../http/pagination.js';
import { DetailBody, Nullable } from '../http/schema.js';
import { isTruthy, queryBool, queryOf, queryString } from '../http/query.js';
import { apiDateTime } from '../util/time.js';
import { BarcodeBody, GenerateForm, LinkForm, ScanForm, UnlinkForm } from './forms.js';
import { recordRequestScan } from './history.js';
import { BarcodeInUseError, linkBarcode, unlinkPrimaryBarcode } from './links.js';
import { BARCODE_MODELS, BARCODE_MODEL_TYPES, barcodeModel, type BarcodeModel } from './model-types.js';
import { objectExists } from './objects.js';
import { internalBarcodePlugin } from './plugins/internal.js';
import { answerBody, scanAcrossPlugins } from './scan.js';
import { orderScanRoutes } from './order-routes.js';

const NO_MATCH = 'No match found for barcode data';
const MATCH_FOUND = 'Match found for barcode data';
const ScanResponse = Type.Object(
  {
    success: Type.Optional(Type.String()),
    error: Type.Optional(Type.String()),
    plugin: Nullable(Type.String()),
    barcode_data: Type.String(),
    barcode_hash: Type.String(),
  },
  { additionalProperties: true, description: 'The matched objects under their model type, with pk, api_url, web_url and instance.' },
);
const LinkResponse = Type.Object(
  { success: Type.String(), barcode_data: Type.String(), barcode_hash: Type.String() },
  { additionalProperties: true, description: 'The linked object under its model type, as `{pk}`.' },
);
/** Error answers vary (field errors or the response object): documented loosely. */
const ErrorBody = Type.Object({}, { additionalProperties: true, description: 'Field errors, or the response object with `error`' });

/** InvenTree's text for a model in permission errors: `<class 'part.models.Part'>`. */
function classText(model: BarcodeModel): string {
  return `<class '${model.pythonClass}'>`;
}

function requiredPermissionsError(model: BarcodeModel): ApiError {
  return new ApiError(403, { error: `You do not have the required permissions for ${classText(model)}` });
}

async function canOnModel(request: FastifyRequest, model: BarcodeModel, verb: 'view' | 'change'): Promise<boolean> {
  return (await request.permissions()).hasModel(model.permissionTable, verb);
}

export async function barcodeRoutes(app: FastifyInstance): Promise<void> {
  const { db, settings, plugins } = app.ctx;
  const ctx = { db };

  /** Parses a logged endpoint's body; a validation failure is stored in the history (§1.4). */
  async function parseLogged<S extends Record<string, f.Field<any>>>(form: f.ObjectField<S>, request: FastifyRequest): Promise<f.ObjectValue<S>> {
    try {
      return await f.parseBody(form, request.body, ctx);
    } catch (error) {
      if (error instanceof ValidationError) await recordRequestScan(db, settings, request, { error: error.fields }, false, null);
      throw error;
    }
  }

  // Scan ------------------------------------------------------------------------------------
  app.post(
    '/api/barcode/',
    {
      schema: {
        tags: ['barcode'],
        summary: 'Scan a barcode',
        description: 'Endpoint for handling generic barcode scan requests. The active barcode plugins are asked in order; the first match wins.',
        body: ScanForm.schema,
        response: { 200: ScanResponse, 400: ErrorBody, 403: DetailBody },
      },
    },
    async (request, reply) => {
      const { barcode } = await parseLogged(ScanForm, request);
      const answer = await scanAcrossPlugins(plugins, await plugins.active(), barcode, db, request);
      if (answer.plugin === null) {
        const body = { ...(await answerBody(db, answer, barcode, request)), error: NO_MATCH };
        await recordRequestScan(db, settings, request, body, false, null);
        return reply.code(400).send(body);
      }
      // D5: a match on a model the user may not view is refused.
      for (const ref of answer.outcome?.objects ?? []) {
        const model = barcodeModel(ref.type);
        if (model !== undefined && !(await canOnModel(request, model, 'view'))) {
          const body = { detail: 'User does not have permission to view this model' };
          await recordRequestScan(db, settings, request, body, false, answer.plugin.name);
          return reply.code(403).send(body);
        }
      }
      const body = { ...(await answerBody(db, answer, barcode, request)), success: MATCH_FOUND };
      await recordRequestScan(db, settings, request, body, true, answer.plugin.name);
      return body;
    },
  );

  // Generate --------------------------------------------------------------------------------
  app.post(
    '/api/barcode/generate/',
    {
      schema: {
        tags: ['barcode'],
        summary: 'Generate the barcode of an object',
        description: 'Endpoint for generating a barcode for a database object. The barcode is generated by the selected barcode plugin.',
        body: GenerateForm.schema,
        response: { 200: BarcodeBody, 400: ErrorBody },
      },
    },
    async (request) => {
      const body = await f.parseBody(GenerateForm, request.body, ctx);
      const model = barcodeModel(body.model) as BarcodeModel;
      if (!(await canOnModel(request, model, 'view'))) throw permissionDenied();
      if (!(await objectExists(db, model, body.pk))) throw new ApiError(400, { error: 'Model instance not found' });
      const plugin = plugins.bySlug(await settings.getGlobal('BARCODE_GENERATION_PLUGIN'));
      if (plugin === undefined || plugin.generate === undefined || !(await plugins.isActive(plugin))) {
        throw new ApiError(400, { error: 'The barcode generation plugin is not available' });
      }
      return { barcode: await plugin.generate(plugins.context(plugin), model, body.pk) };
    },
  );

  // Link ------------------------------------------------------------------------------------
  const modelList = `[${BARCODE_MODEL_TYPES.map((t) => `'${t}'`).join(', ')}]`;
  const modelNames = BARCODE_MODEL_TYPES.join(', ');

  app.post(
    '/api/barcode/link/',
    {
      schema: {
        tags: ['barcode'],
        summary: 'Link a barcode to an object',
        description:
          'Endpoint for assigning a barcode to an object. This only works if the barcode is not already associated with an object in the database.',
        body: LinkForm.schema,
        response: { 200: LinkResponse, 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const body = (await parseLogged(LinkForm, request)) as Record<string, unknown> & { barcode: string };
      const barcode = body.barcode;
      const target = BARCODE_MODELS.find((m) => body[m.type] !== undefined && body[m.type] !== null);
      // Loaded before the transaction, so that the transaction's own queries are all it runs.
      await request.permissions();

      return inTransaction(app.ctx.database, async (trx) => {
        // Only the built-in plugin is asked (not the supplier plugins): internal barcodes and
        // barcodes already linked to anything cannot be linked again.
        const existing = await scanAcrossPlugins(plugins, [internalBarcodePlugin], barcode, trx, request);
        if (existing.plugin !== null && existing.outcome !== undefined && existing.outcome.objects.length > 0) {
          const blocks = await answerBody(trx, existing, barcode, request, async (type) => {
            const m = barcodeModel(type);
            return m !== undefined && (await canOnModel(request, m, 'view'));
          });
          delete blocks.success;
          delete blocks.barcode_hash;
          throw new ApiError(400, { ...blocks, error: 'Barcode matches existing item', plugin: internalBarcodePlugin.name, barcode_data: barcode });
        }
        if (target === undefined) throw new ApiError(400, { error: `Missing data: provide one of '${modelList}'` });
        if (!(await canOnModel(request, target, 'change'))) throw requiredPermissionsError(target);
        const pk = body[target.type] as number;
        try {
          const { hash } = await linkBarcode(trx, target.type, pk, barcode, { userId: request.user?.id ?? null });
          return { success: `Assigned barcode to ${target.type} instance`, [target.type]: { pk }, barcode_data: barcode, barcode_hash: hash };
        } catch (error) {
          if (error instanceof BarcodeInUseError) {
            throw new ApiError(400, { error: 'Barcode matches existing item', plugin: internalBarcodePlugin.name, barcode_data: barcode });
          }
          throw error;
        }
      });
    },
  );

  // Unlink ----------------------------------------------------------------------------------
  app.post(
    '/api/barcode/unlink/',
    {
      schema: {
        tags: ['barcode'],
        summary: 'Remove the barcode linked to an object',
        description: 'Endpoint for unlinking / unassigning a custom barcode from a database object.',
        body: UnlinkForm.schema,
        response: { 200: Type.Object({ success: Type.String() }), 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const body = (await f.parseBody(UnlinkForm, request.body, ctx)) as Record<string, number | null | undefined>;
      const present = BARCODE_MODELS.filter((m) => Object.prototype.hasOwnProperty.call(body, m.type));
      if (present.length === 0) throw new ApiError(400, { error: `Missing data: Provide one of '${modelNames}'` });
      if (present.length > 1) throw new ApiError(400, { error: `Multiple conflicting fields: '${modelNames}'` });
      const model = present[0] as BarcodeModel;
      const pk = body[model.type];
      if (pk === null || pk === undefined) throw new ApiError(400, { error: 'Could not unassign barcode' });
      if (!(await canOnModel(request, model, 'change'))) throw requiredPermissionsError(model);
      await unlinkPrimaryBarcode(db, model.type, pk);
      return { success: `Barcode unassigned from ${model.type} instance` };
    },
  );

  await app.register(historyRoutes);
  await app.register(orderScanRoutes);
}

// --- Scan history ------------------------------------------------------------------------------

const UserDetail = Nullable(
  Type.Object({ pk: Type.Integer(), username: Type.String(), first_name: Type.String(), last_name: Type.String(), email: Type.String() }),
);

const ScanResultSchema = Type.Object(
  {
    pk: Type.Integer({ title: 'ID' }),
    data: Type.String({ description: 'Barcode data' }),
    timestamp: Type.String({ description: 'Date and time of the barcode scan' }),
    endpoint: Nullable(Type.String({ description: 'URL endpoint which processed the barcode', title: 'Path' })),
    context: Type.Unknown({ description: 'Context data for the barcode scan' }),
    response: Type.Unknown({ description: 'Response data from the barcode scan' }),
    result: Type.Boolean({ description: 'Was the barcode scan successful?' }),
    plugin: Nullable(Type.String({ description: 'Name of the plugin that answered' })),
    user: Nullable(Type.Integer({ description: 'User who scanned the barcode' })),
    user_detail: UserDetail,
  },
  { description: 'Serializer for barcode scan results.' },
);

const BulkDeleteBody = Type.Object(
  {
    items: Type.Optional(Type.Array(Type.Integer(), { title: 'A list of primary key values' })),
    filters: Type.Optional(Type.Object({}, { additionalProperties: true, title: 'A dictionary of filter values' })),
  },
  { description: 'Parameters for selecting items for bulk operations.' },
);

const ORDERING: Record<string, 'user_id' | 'plugin' | 'timestamp' | 'endpoint' | 'result'> = {
  user: 'user_id',
  plugin: 'plugin',
  timestamp: 'timestamp',
  endpoint: 'endpoint',
  result: 'result',
};

/** Fields (and Django-style lookups) that bulk-delete `filters` may use. */
const FILTER_COLUMNS: Record<string, 'id' | 'user_id' | 'result' | 'endpoint' | 'plugin' | 'data'> = {
  pk: 'id',
  id: 'id',
  user: 'user_id',
  result: 'result',
  endpoint: 'endpoint',
  plugin: 'plugin',
  data: 'data',
};

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function bulkError(message: string): ApiError {
  return new ApiError(400, { non_field_errors: message });
}

async function historyRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  type ScanRow = {
    id: number;
    data: string;
    timestamp: string;
    endpoint: string | null;
    context: string | null;
    response: string | null;
    result: unknown;
    plugin: string | null;
    user_id: number | null;
    username: string | null;
    first_name: string | null;
    last_name: string | null;
    email: string | null;
  };

  const base = () =>
    db
      .selectFrom('barcode_scan')
      .leftJoin('auth_user', 'auth_user.id', 'barcode_scan.user_id')
      .select([
        'barcode_scan.id',
        'barcode_scan.data',
        'barcode_scan.timestamp',
        'barcode_scan.endpoint',
        'barcode_scan.context',
        'barcode_scan.response',
        'barcode_scan.result',
        'barcode_scan.plugin',
        'barcode_scan.user_id',
        'auth_user.username',
        'auth_user.first_name',
        'auth_user.last_name',
        'auth_user.email',
      ]);

  const serialize = (r: ScanRow) => ({
    pk: r.id,
    data: r.data,
    timestamp: apiDateTime(r.timestamp) ?? '',
    endpoint: r.endpoint,
    context: parseJson(r.context),
    response: parseJson(r.response),
    result: Boolean(r.result),
    plugin: r.plugin,
    user: r.user_id,
    user_detail:
      r.user_id === null || r.username === null
        ? null
        : { pk: r.user_id, username: r.username, first_name: r.first_name ?? '', last_name: r.last_name ?? '', email: r.email ?? '' },
  });

  const isStaff = (request: FastifyRequest) => request.user !== null && (request.user.is_staff || request.user.is_superuser);

  app.get(
    '/api/barcode/history/',
    {
      schema: {
        tags: ['barcode'],
        summary: 'Scan history',
        description: 'List API endpoint for BarcodeScan objects. Non-staff users see only their own scans.',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ description: 'Number of results to return per page.' })),
          offset: Type.Optional(Type.Integer({ description: 'The initial index from which to return the results.' })),
          ordering: Type.Optional(Type.String({ description: 'Which field to use when ordering the results.' })),
          result: Type.Optional(Type.Boolean()),
          search: Type.Optional(Type.String({ description: 'A search term. Searched fields: data, plugin, endpoint.' })),
          user: Type.Optional(Type.Integer()),
        }),
        response: { 200: listResponse(ScanResultSchema) },
      },
    },
    async (request) => {
      const query = queryOf(request);
      let q = base();
      if (!isStaff(request)) q = q.where('barcode_scan.user_id', '=', request.user?.id ?? -1);
      const userText = queryString(query, 'user');
      if (userText !== undefined && userText !== '') {
        const userId = f.coerceInteger(userText);
        const exists =
          userId !== undefined && userId > 0 && userId <= 2147483647 && (await db.selectFrom('auth_user').select('id').where('id', '=', userId).executeTakeFirst()) !== undefined;
        if (!exists) throw new ValidationError({ user: ['Select a valid choice. That choice is not one of the available choices.'] });
        q = q.where('barcode_scan.user_id', '=', userId as number);
      }
      const result = queryBool(query, 'result');
      if (result !== undefined) q = q.where('barcode_scan.result', '=', result);
      const search = queryString(query, 'search')?.trim().toLowerCase();
      if (search) {
        const pattern = `%${search}%`;
        q = q.where((eb) =>
          eb.or([
            eb(eb.fn('lower', ['barcode_scan.plugin']), 'like', pattern),
            eb(eb.fn('lower', ['barcode_scan.data']), 'like', pattern),
            eb(eb.fn('lower', ['barcode_scan.endpoint']), 'like', pattern),
          ]),
        );
      }
      const ordering = queryString(query, 'ordering') ?? '-timestamp';
      const desc = ordering.startsWith('-');
      const column = ORDERING[desc ? ordering.slice(1) : ordering];
      const counted = q;
      return paginate(
        request,
        async () => Number((await counted.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
        async (page) => {
          let rows = q;
          rows = column === undefined ? rows.orderBy('barcode_scan.timestamp', 'desc') : rows.orderBy(`barcode_scan.${column}`, desc ? 'desc' : 'asc');
          rows = rows.orderBy('barcode_scan.id', desc || column === undefined ? 'desc' : 'asc');
          if (page !== undefined) rows = rows.limit(page.limit).offset(page.offset);
          return (await rows.execute()).map(serialize);
        },
      );
    },
  );

  app.delete(
    '/api/barcode/history/',
    {
      config: { permission: { staff: true } },
      schema: {
        tags: ['barcode'],
        summary: 'Delete scan history in bulk',
        description: 'Deletes the rows selected by `items` and/or `filters` (ANDed), or every row with `?all=true`. Staff only.',
        body: BulkDeleteBody,
        response: { 200: Type.Object({ success: Type.String() }) },
      },
    },
    async (request) => {
      const body = request.body !== null && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};
      const query = queryOf(request);
      let items: number[] | undefined;
      if (body.items !== undefined) {
        if (!Array.isArray(body.items)) throw bulkError('Items must be provided as a list');
        items = body.items.map((v) => (typeof v === 'boolean' ? undefined : f.coerceInteger(v))).filter((v): v is number => v !== undefined);
        if (items.length !== body.items.length) throw bulkError('Invalid items list provided');
        if (items.length === 0) items = undefined;
      }
      let filters: Record<string, unknown> | undefined;
      if (body.filters !== undefined) {
        if (body.filters === null || typeof body.filters !== 'object' || Array.isArray(body.filters)) throw bulkError('Filters must be provided as a dict');
        filters = body.filters as Record<string, unknown>;
        if (Object.keys(filters).length === 0) filters = undefined;
      }
      const allText = queryString(query, 'all');
      if (allText !== undefined && allText !== '' && !isTruthy(allText)) throw bulkError('All filter must only be used with true');
      const all = allText !== undefined;
      if (items === undefined && filters === undefined && !all) throw bulkError('List of items or filters must be provided for bulk operation');

      return inTransaction(app.ctx.database, async (trx) => {
        let q = trx.deleteFrom('barcode_scan');
        if (items !== undefined) q = q.where('id', 'in', items.filter((i) => i > 0 && i <= 2147483647));
        for (const [key, value] of Object.entries(filters ?? {})) {
          const [field, lookup] = key.split('__', 2) as [string, string | undefined];
          const column = FILTER_COLUMNS[field];
          if (column === undefined) throw bulkError('Invalid filters provided');
          if (lookup === 'in') {
            if (!Array.isArray(value)) throw bulkError('Invalid filters provided');
            q = q.where(column, 'in', value.length === 0 ? [null as never] : (value as never[]));
          } else if (lookup === undefined || lookup === 'exact') {
            if (column === 'result') {
              const b = typeof value === 'boolean' ? value : f.coerceBoolean(value);
              if (b === undefined) throw bulkError('Invalid filters provided');
              q = q.where('result', '=', b);
            } else if (column === 'id' || column === 'user_id') {
              const n = value === null ? null : f.coerceInteger(value);
              if (n === undefined) throw bulkError('Invalid filters provided');
              q = n === null ? q.where(column, 'is', null) : q.where(column, '=', n);
            } else {
              if (value !== null && typeof value !== 'string') throw bulkError('Invalid filters provided');
              q = value === null ? q.where(column, 'is', null) : q.where(column, '=', value);
            }
          } else {
            throw bulkError('Invalid filters provided');
          }
        }
        const deleted = await q.executeTakeFirst();
        const n = Number(deleted.numDeletedRows);
        if (n === 0) throw bulkError('No items match the provided criteria');
        return { success: `Deleted ${n} items` };
      });
    },
  );

  async function loadVisible(request: FastifyRequest): Promise<ScanRow> {
    const raw = (request.params as { id: string }).id;
    const id = Number(raw);
    const row = Number.isSafeInteger(id) && id <= 2147483647 ? await base().where('barcode_scan.id', '=', id).executeTakeFirst() : undefined;
    if (row === undefined || (!isStaff(request) && row.user_id !== request.user?.id)) throw notFound('BarcodeScanResult');
    return row;
  }

  app.get(
    '/api/barcode/history/:id(^\\d+)/',
    { schema: { tags: ['barcode'], summary: 'One scan', description: 'Detail endpoint for a BarcodeScan object.', response: { 200: ScanResultSchema } } },
    async (request) => serialize(await loadVisible(request)),
  );

  app.delete(
    '/api/barcode/history/:id(^\\d+)/',
    { config: { permission: { staff: true } }, schema: { tags: ['barcode'], summary: 'Delete one scan (staff)' } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const row = await loadVisible(request);
      await db.deleteFrom('barcode_scan').where('id', '=', row.id).execute();
      return reply.code(204).send();
    },
  );
}

