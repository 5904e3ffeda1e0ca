/** `/api/stock/` and `/api/stock/{pk}/`: stock items (core-api.md §7.5). */
import { sql, type SqlBool } from 'kysely';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { inTransaction, type Executor } from '../db/transaction.js';
import { notFound, ValidationError } from '../http/errors.js';
import * as f from '../http/fields.js';
import { listResponse, paginate } from '../http/pagination.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { applyOrdering, boolCondition, detailFlag, integerEquals, isTruthy, ListFilters, orderingOf, queryBool, queryOf, queryString, searchCondition, sqlFalse, type OrderingFields, type Query } from '../http/listing.js';
import { rowExists } from '../db/exists.js';
import { isPossibleKey } from '../db/keys.js';
import { categoryDefaultLocations } from '../part/brief.js';
import type { SettingsService } from '../settings/service.js';
import { addDays, nowIso, today } from '../util/time.js';
import { qty } from '../util/decimal.js';
import { itemForm, precisionErrors, type ItemFormValue } from './forms.js';
import { checkStockItem, createStockItems, deleteStockItems } from './items-service.js';
import { inStockCondition } from './queries.js';
import { extractSerialNumbers, findConflictingSerials, latestSerialNumber, SerialNumberError, serialToInt } from './serials.js';
import { partsHoldingFirstItems } from './list-window.js';
import { serializeItems, serializeItemsById, StockItemSchema, type ItemFlags } from './serializers.js';
import { addTracking, TRACKING } from './tracking.js';
import { Type } from '@sinclair/typebox';

const PERMISSION = { permission: { model: 'stock_stockitem' } };
const TAGS = ['stock'];
const CreateForm = itemForm('create');
const PutForm = itemForm('put');
const PatchForm = itemForm('patch');

const ORDERING: OrderingFields = {
  batch: ['stock_item.batch'],
  location: ['stock_location.pathstring'],
  part__name: ['part.name'],
  part__IPN: ['part.ipn'],
  updated: ['stock_item.updated'],
  stocktake_date: ['stock_item.stocktake_date'],
  expiry_date: ['stock_item.expiry_date'],
  packaging: ['stock_item.packaging'],
  quantity: ['stock_item.quantity'],
  stock: ['stock_item.quantity', 'stock_item.serial_int', 'stock_item.serial'],
  status: ['stock_item.status'],
  SKU: ['supplier_part.sku'],
  MPN: ['manufacturer_part.mpn'],
};
/** core-api.md §7.5: `part__name, quantity, location`. */
const DEFAULT_ORDERING = 'part__name,quantity,location';

/** Sum of all sales-order allocations of the row's item. */
const allocatedSum = sql<number>`(select coalesce(sum(soa.quantity), 0) from sales_order_allocation soa where soa.item_id = stock_item.id)`;

function flagsOf(query: Query, notes: boolean): ItemFlags {
  return {
    partDetail: detailFlag(query, 'part_detail', true),
    locationDetail: detailFlag(query, 'location_detail', false),
    supplierPartDetail: detailFlag(query, 'supplier_part_detail', false),
    pathDetail: detailFlag(query, 'path_detail', false),
    tests: detailFlag(query, 'tests', false),
    notes,
  };
}

function baseQuery(db: Executor) {
  return db
    .selectFrom('stock_item')
    .leftJoin('part', 'part.id', 'stock_item.part_id')
    .leftJoin('stock_location', 'stock_location.id', 'stock_item.location_id')
    .leftJoin('supplier_part', 'supplier_part.id', 'stock_item.supplier_part_id')
    .leftJoin('company as supplier', 'supplier.id', 'supplier_part.supplier_id')
    .leftJoin('manufacturer_part', 'manufacturer_part.id', 'supplier_part.manufacturer_part_id')
    .leftJoin('company as manufacturer', 'manufacturer.id', 'manufacturer_part.manufacturer_id');
}

/** Applies the §7.5 filters and search; 400 for unknown objects in model-choice filters. */
async function filteredItems(db: Executor, query: Query) {
  const filters = new ListFilters(db, query);
  const part = await filters.pk('part', rowExists('part'));
  const category = await filters.pk('category', rowExists('part_category'));
  const supplier = await filters.pk('supplier', rowExists('company', { is_supplier: true }));
  const manufacturer = await filters.pk('manufacturer', rowExists('company'));
  const simple = {
    supplier_part: await filters.pk('supplier_part', rowExists('supplier_part')),
    purchase_order: await filters.pk('purchase_order', rowExists('purchase_order')),
    sales_order: await filters.pk('sales_order', rowExists('sales_order')),
    customer: await filters.pk('customer', rowExists('company', { is_customer: true })),
    belongs_to: await filters.pk('belongs_to', rowExists('stock_item')),
    build: await filters.pk('build', rowExists('build')),
    consumed_by: await filters.pk('consumed_by', rowExists('build')),
  };
  const status = filters.number('status');
  filters.check();

  let q = baseQuery(db);
  if (part !== undefined) {
    if (queryBool(query, 'include_variants') ?? true) {
      const row = await db.selectFrom('part').select(['id', 'tree_path']).where('id', '=', part).executeTakeFirstOrThrow();
      const prefix = row.tree_path === '' ? `/${row.id}/` : row.tree_path;
      q = q.where((eb) => eb.or([eb('stock_item.part_id', '=', part), eb('part.tree_path', 'like', `${prefix}%`)]));
    } else {
      q = q.where('stock_item.part_id', '=', part);
    }
  }
  if (category !== undefined) {
    const cat = await db.selectFrom('part_category').select('tree_path').where('id', '=', category).executeTakeFirstOrThrow();
    q = q.where('part.category_id', 'in', db.selectFrom('part_category').select('id').where('tree_path', 'like', `${cat.tree_path}%`));
  }
  if (supplier !== undefined) q = q.where('supplier_part.supplier_id', '=', supplier);
  if (manufacturer !== undefined) q = q.where('manufacturer_part.manufacturer_id', '=', manufacturer).where('manufacturer.is_manufacturer', '=', true);
  const columns = {
    supplier_part: 'stock_item.supplier_part_id',
    purchase_order: 'stock_item.purchase_order_id',
    sales_order: 'stock_item.sales_order_id',
    customer: 'stock_item.customer_id',
    belongs_to: 'stock_item.belongs_to_id',
    build: 'stock_item.build_id',
    consumed_by: 'stock_item.consumed_by_id',
  } as const;
  for (const [key, value] of Object.entries(simple) as [keyof typeof simple, number | undefined][]) {
    if (value !== undefined) q = q.where(columns[key], '=', value);
  }
  if (status !== undefined) q = q.where(integerEquals('stock_item.status', status));

  // Location: cascade by default; `null` or an unknown pk with cascade leaves the list unfiltered.
  const loc = queryString(query, 'location');
  const cascade = queryBool(query, 'cascade') ?? true;
  if (loc !== undefined) {
    // InvenTree's isNull(): these spellings mean "no location".
    const isNull = ['top', 'null', 'none', 'empty', 'false', '-1', ''].includes(loc.trim().toLowerCase());
    if (isNull) {
      if (!cascade) q = q.where('stock_item.location_id', 'is', null);
    } else {
      const id = f.coerceInteger(loc);
      if (id !== undefined) {
        if (!isPossibleKey(id)) {
          // No location has this key: unfiltered with cascade (an unknown location), else empty.
          if (!cascade) q = q.where(sqlFalse);
        } else if (cascade) {
          const node = await db.selectFrom('stock_location').select('tree_path').where('id', '=', id).executeTakeFirst();
          if (node !== undefined) {
            q = q.where('stock_item.location_id', 'in', db.selectFrom('stock_location').select('id').where('tree_path', 'like', `${node.tree_path}%`));
          }
        } else {
          q = q.where('stock_item.location_id', '=', id);
        }
      }
    }
  }

  for (const c of boolCondition(queryBool(query, 'in_stock'), inStockCondition())) q = q.where(c);
  const available = queryBool(query, 'available');
  if (available === true) q = q.where(inStockCondition()).where('stock_item.quantity', '>', allocatedSum);
  else if (available === false) q = q.where('stock_item.quantity', '<=', allocatedSum);
  const hasAllocation = sql<SqlBool>`exists (select 1 from sales_order_allocation soa where soa.item_id = stock_item.id)`;
  for (const c of boolCondition(queryBool(query, 'allocated'), hasAllocation)) q = q.where(c);
  const serialized = queryBool(query, 'serialized');
  if (serialized !== undefined) {
    q = serialized
      ? q.where('stock_item.serial', 'is not', null).where('stock_item.serial', '!=', '')
      : q.where((eb) => eb.or([eb('stock_item.serial', 'is', null), eb('stock_item.serial', '=', '')]));
  }
  const isBuilding = queryBool(query, 'is_building');
  if (isBuilding !== undefined) q = q.where('stock_item.is_building', '=', isBuilding);
  const serial = queryString(query, 'serial');
  if (serial !== undefined && serial !== '') q = q.where('stock_item.serial', '=', serial);
  const batch = queryString(query, 'batch');
  if (batch !== undefined && batch !== '') q = q.where(sql`lower(stock_item.batch)`, '=', batch.toLowerCase());
  const ipn = queryString(query, 'IPN');
  if (ipn !== undefined && ipn !== '') q = q.where(sql`lower(part.ipn)`, '=', ipn.toLowerCase());
  const search = searchCondition(query, [
    'stock_item.serial',
    'stock_item.batch',
    'stock_location.name',
    'part.name',
    'part.ipn',
    'part.description',
    'supplier_part.sku',
    'supplier.name',
    'manufacturer_part.mpn',
    'manufacturer.name',
  ]);
  if (search !== undefined) q = q.where(search);
  return q;
}

/** The default location for new stock of a part: its own, else its category chain's. */
async function defaultLocationOf(db: Executor, part: { default_location_id: number | null; category_id: number | null }): Promise<number | null> {
  if (part.default_location_id !== null) return part.default_location_id;
  if (part.category_id === null) return null;
  return (await categoryDefaultLocations(db, [part.category_id])).get(part.category_id) ?? null;
}

interface CreateResult {
  ids: number[];
}

/** POST /api/stock/ in InvenTree's order of checks. */
async function createFromRequest(db: Executor, settings: SettingsService, raw: unknown, userId: number | null): Promise<CreateResult> {
  const data: Record<string, unknown> = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>) } : {};
  if (data.quantity === undefined || data.quantity === null) throw new ValidationError({ quantity: ['Quantity is required'] });
  const partId = f.coerceInteger(data.part);
  const part =
    partId === undefined || !isPossibleKey(partId)
      ? undefined
      : await db.selectFrom('part').select(['id', 'default_location_id', 'category_id', 'default_expiry', 'trackable']).where('id', '=', partId).executeTakeFirst();
  if (part === undefined) throw new ValidationError({ part: ['Valid part must be supplied'] });

  if (data.location === undefined || data.location === null || data.location === '') {
    const def = await defaultLocationOf(db, part);
    if (def !== null) data.location = def;
  }
  if ((data.expiry_date === undefined || data.expiry_date === null) && Number(part.default_expiry) > 0) {
    data.expiry_date = addDays(today(), Number(part.default_expiry));
  }
  const serialText = data.serial_numbers;
  delete data.serial_numbers;
  delete data.serial;

  if (data.supplier_part !== undefined && data.supplier_part !== null && data.supplier_part !== '') {
    const spId = f.coerceInteger(data.supplier_part);
    const sp =
      spId === undefined || !isPossibleKey(spId)
        ? undefined
        : await db.selectFrom('supplier_part').select(['id', 'pack_quantity_native']).where('id', '=', spId).executeTakeFirst();
    if (sp === undefined) throw new ValidationError({ supplier_part: ['The given supplier part does not exist'] });
    const pack = Number(sp.pack_quantity_native);
    if (pack !== 1) {
      if (!('use_pack_size' in data)) {
        throw new ValidationError({ use_pack_size: ['The supplier part has a pack size defined, but flag use_pack_size not set'] });
      }
      if (f.coerceBoolean(data.use_pack_size) === true || (typeof data.use_pack_size === 'string' && isTruthy(data.use_pack_size))) {
        const q = f.coerceNumber(data.quantity);
        if (q !== undefined) data.quantity = qty(q * pack);
        const price = f.coerceNumber(data.purchase_price);
        if (price !== undefined && pack !== 0) data.purchase_price = price / pack;
      }
    }
  }
  delete data.use_pack_size;

  let serials: string[] | undefined;
  if (typeof serialText === 'string' ? serialText.trim() !== '' : serialText !== undefined && serialText !== null && serialText !== false && serialText !== 0) {
    if (!Boolean(part.trackable)) throw new ValidationError({ serial_numbers: ['Serial numbers cannot be supplied for a non-trackable part'] });
    const quantity = typeof data.quantity === 'number' ? data.quantity : f.coerceInteger(data.quantity);
    try {
      if (quantity === undefined || !Number.isInteger(quantity)) throw new SerialNumberError(['Invalid quantity provided']);
      serials = extractSerialNumbers(String(serialText), quantity, await latestSerialNumber(db, part.id));
    } catch (e) {
      if (e instanceof SerialNumberError) throw new ValidationError({ quantity: e.messages, serial_numbers: e.messages });
      throw e;
    }
    const conflicts = await findConflictingSerials(db, settings, part.id, serials);
    if (conflicts.length > 0) {
      throw new ValidationError({ serial_numbers: [`The following serial numbers already exist or are invalid : ${conflicts.join(',')}`] });
    }
    data.quantity = 1;
  }

  const body = await f.parseBody(CreateForm, data, { db });
  const partRow = await db.selectFrom('part').select('virtual').where('id', '=', body.part as number).executeTakeFirstOrThrow();
  if (Boolean(partRow.virtual)) throw new ValidationError({ part: ['Stock item cannot be created for virtual parts'] });
  const quantity = body.quantity ?? 1;
  const errors: Record<string, string[]> = {};
  const precision = precisionErrors(data.quantity);
  if (precision.length > 0) errors.quantity = precision;
  else if (quantity < 0) errors.quantity = ['Ensure this value is greater than or equal to 0.'];
  const check = await checkStockItem(db, settings, {
    part: part.id,
    quantity,
    serial: null,
    location: body.location ?? null,
    supplierPart: body.supplier_part ?? null,
    belongsTo: body.belongs_to ?? null,
    isBuilding: body.is_building ?? false,
    build: body.build ?? null,
  });
  for (const [k, v] of Object.entries(check)) errors[k] = [...(errors[k] ?? []), ...v];
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);

  const ids = await createStockItems(db, settings, {
    part: part.id,
    quantity,
    ...(serials !== undefined ? { serials } : {}),
    supplierPart: body.supplier_part ?? null,
    location: body.location ?? null,
    status: body.status_custom_key ?? body.status ?? 10,
    batch: body.batch ?? null,
    expiryDate: body.expiry_date ?? null,
    packaging: body.packaging ?? '',
    link: body.link ?? '',
    notes: body.notes ?? '',
    purchasePrice: body.purchase_price ?? null,
    purchasePriceCurrency: body.purchase_price_currency ?? '',
    purchaseOrder: body.purchase_order ?? null,
    salesOrder: body.sales_order ?? null,
    customer: body.customer ?? null,
    belongsTo: body.belongs_to ?? null,
    build: body.build ?? null,
    consumedBy: body.consumed_by ?? null,
    isBuilding: body.is_building ?? false,
    ...(body.delete_on_deplete !== undefined ? { deleteOnDeplete: body.delete_on_deplete } : {}),
    userId,
  });
  return { ids };
}

/** PUT/PATCH: applies the form, runs the model checks, records EDITED when the status changes. */
async function updateFromRequest(db: Executor, settings: SettingsService, id: number, body: ItemFormValue, rawQuantity: unknown, userId: number | null): Promise<void> {
  const current = await db.selectFrom('stock_item').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const next = {
    part: body.part ?? current.part_id,
    quantity: body.quantity ?? Number(current.quantity),
    serial: body.serial !== undefined ? (body.serial === null ? null : body.serial) : current.serial,
    location: body.location !== undefined ? body.location : current.location_id,
    supplierPart: body.supplier_part !== undefined ? body.supplier_part : current.supplier_part_id,
    belongsTo: body.belongs_to !== undefined ? body.belongs_to : current.belongs_to_id,
    isBuilding: body.is_building ?? Boolean(current.is_building),
    build: body.build !== undefined ? body.build : current.build_id,
  };
  if (body.part !== undefined && body.part !== current.part_id) {
    const p = await db.selectFrom('part').select('virtual').where('id', '=', body.part).executeTakeFirstOrThrow();
    if (Boolean(p.virtual)) throw new ValidationError({ part: ['Stock item cannot be created for virtual parts'] });
  }
  const errors: Record<string, string[]> = {};
  if (body.quantity !== undefined) {
    const precision = precisionErrors(rawQuantity);
    if (precision.length > 0) errors.quantity = precision;
    else if (body.quantity < 0) errors.quantity = ['Ensure this value is greater than or equal to 0.'];
  }
  const serialSet = next.serial !== null && next.serial !== '';
  if (serialSet && next.quantity === 0) next.quantity = 1;
  const check = await checkStockItem(db, settings, { id, ...next });
  for (const [k, v] of Object.entries(check)) errors[k] = [...(errors[k] ?? []), ...v];
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);

  const status = body.status_custom_key ?? body.status;
  const changes: Record<string, unknown> = {
    part_id: next.part,
    quantity: qty(next.quantity),
    serial: next.serial,
    serial_int: serialToInt(next.serial),
    location_id: next.location,
    supplier_part_id: next.supplierPart,
    belongs_to_id: next.belongsTo,
    is_building: next.isBuilding,
    build_id: next.build,
    updated: nowIso(),
  };
  if (serialSet) changes.delete_on_deplete = false;
  else if (body.delete_on_deplete !== undefined) changes.delete_on_deplete = body.delete_on_deplete;
  if (status !== undefined && status !== null) changes.status = status;
  const direct = {
    batch: 'batch',
    expiry_date: 'expiry_date',
    link: 'link',
    purchase_price: 'purchase_price',
    purchase_price_currency: 'purchase_price_currency',
    purchase_order: 'purchase_order_id',
    sales_order: 'sales_order_id',
    customer: 'customer_id',
    consumed_by: 'consumed_by_id',
  } as const;
  for (const [key, column] of Object.entries(direct) as [keyof typeof direct, string][]) {
    if (body[key] !== undefined) changes[column] = body[key];
  }
  if (body.packaging !== undefined) changes.packaging = body.packaging ?? '';
  if (body.notes !== undefined) changes.notes = body.notes ?? '';
  await db.updateTable('stock_item').set(changes).where('id', '=', id).execute();
  if (status !== undefined && status !== null && status !== Number(current.status)) {
    await addTracking(db, id, TRACKING.EDITED, userId, { status });
  }
}

export async function itemRoutes(app: FastifyInstance): Promise<void> {
  const { db, database, settings } = app.ctx;

  async function bodies(request: FastifyRequest, ids: number[], notes: boolean) {
    if (ids.length === 0) return [];
    const byId = new Map((await serializeItemsById(db, ids, flagsOf(queryOf(request), notes))).map((b) => [b.pk, b]));
    return ids.flatMap((i) => {
      const b = byId.get(i);
      return b === undefined ? [] : [b];
    });
  }

  app.get(
    '/api/stock/',
    { config: PERMISSION, schema: { tags: TAGS, summary: 'List stock items', response: { 200: listResponse(StockItemSchema) } } },
    async (request) => {
      const query = queryOf(request);
      const q = await filteredItems(db, query);
      const ordering = orderingOf(query, ORDERING, DEFAULT_ORDERING);
      // Every join of the list is to one row by primary key: without conditions it counts the items.
      const unfiltered = q.toOperationNode().where === undefined;
      const first = ordering[0];
      return paginate(
        request,
        async () =>
          Number((await (unfiltered ? db.selectFrom('stock_item') : q).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
        async (page) => {
          let rows = applyOrdering(q.selectAll('stock_item'), ordering, 'stock_item.id');
          if (page !== undefined && unfiltered && first?.keys === ORDERING.part__name) {
            const parts = await partsHoldingFirstItems(db, page.offset + page.limit, first.desc);
            if (parts?.length === 0) return [];
            if (parts !== undefined) rows = rows.where('stock_item.part_id', 'in', parts);
          }
          if (page !== undefined) rows = rows.limit(page.limit).offset(page.offset);
          return serializeItems(db, await rows.execute(), flagsOf(query, false));
        },
      );
    },
  );

  app.post(
    '/api/stock/',
    { config: PERMISSION, schema: { tags: TAGS, summary: 'Create stock items (answers a list)', body: CreateForm.schema, response: { 201: Type.Array(StockItemSchema) } } },
    async (request, reply) => {
      const userId = request.user?.id ?? null;
      const { ids } = await inTransaction(database, (trx) => createFromRequest(trx, settings, request.body, userId));
      reply.code(201);
      return bodies(request, ids, true);
    },
  );

  app.delete(
    '/api/stock/',
    { config: PERMISSION, schema: { tags: TAGS, summary: 'Delete several stock items', body: Type.Object({ items: Type.Array(Type.Integer()) }) } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const items = body !== null && typeof body === 'object' ? body.items : undefined;
      if (items === undefined || items === null || (Array.isArray(items) && items.length === 0) || items === '') {
        throw new ValidationError({ non_field_errors: ['List of items or filters must be provided for bulk operation'] });
      }
      if (!Array.isArray(items)) throw new ValidationError({ non_field_errors: ['Items must be provided as a list'] });
      const ids = items.map((x) => f.coerceInteger(x));
      if (ids.some((x) => x === undefined)) throw new ValidationError({ non_field_errors: ['Invalid items list provided'] });
      await inTransaction(database, async (trx) => {
        const existing = await trx.selectFrom('stock_item').select('id').where('id', 'in', ids as number[]).execute();
        await deleteStockItems(trx, existing.map((r) => r.id));
      });
      return reply.code(204).send();
    },
  );

  app.get(
    `/api/stock/${PK_PARAM}/`,
    { config: PERMISSION, schema: { tags: TAGS, summary: 'One stock item', response: { 200: StockItemSchema } } },
    async (request) => {
      const [body] = await bodies(request, [pkParam(request, 'StockItem')], true);
      if (body === undefined) throw notFound('StockItem');
      return body;
    },
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const form = method === 'PUT' ? PutForm : PatchForm;
    app.route({
      method,
      url: `/api/stock/${PK_PARAM}/`,
      config: PERMISSION,
      schema: { tags: TAGS, summary: 'Change a stock item', body: form.schema, response: { 200: StockItemSchema } },
      handler: async (request) => {
        const id = pkParam(request, 'StockItem');
        const userId = request.user?.id ?? null;
        await inTransaction(database, async (trx) => {
          let q = trx.selectFrom('stock_item').select('id').where('id', '=', id);
          if (database.dialect === 'postgres') q = q.forUpdate();
          if ((await q.executeTakeFirst()) === undefined) throw notFound('StockItem');
          const body = await f.parseBody(form, request.body, { db: trx });
          const raw = request.body !== null && typeof request.body === 'object' ? (request.body as Record<string, unknown>).quantity : undefined;
          await updateFromRequest(trx, settings, id, body, raw, userId);
        });
        const [body] = await bodies(request, [id], true);
        return body;
      },
    });
  }

  app.delete(`/api/stock/${PK_PARAM}/`, { config: PERMISSION, schema: { tags: TAGS, summary: 'Delete a stock item' } }, async (request, reply) => {
    const id = pkParam(request, 'StockItem');
    await inTransaction(database, async (trx) => {
      const row = await trx.selectFrom('stock_item').select('id').where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw notFound('StockItem');
      await deleteStockItems(trx, [id]);
    });
    return reply.code(204).send();
  });
}
