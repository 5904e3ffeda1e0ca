/**
 * A request for every endpoint of the permission matrix, with a body valid enough that an
 * allowed caller gets past authorisation (and the superuser gets a 2xx): a 403 in the
 * matrix is then a refusal, never a body the endpoint could not use. Requests that destroy
 * or change the state of their target (delete, order actions, stock removal, allocation)
 * get a fresh target on every call, so that every caller meets the same situation.
 */
import type { Harness, TestUser } from '../helpers/app.js';
import type { Fixtures } from '../helpers/fixtures.js';
import { createToken } from '../../src/users/tokens.js';
import { createGroup } from '../../src/users/admin.js';
import { createUser } from '../../src/users/users.js';
import { nowIso } from '../../src/util/time.js';
import { linkBarcode } from '../../src/barcode/links.js';
import type { BarcodeModelType } from '../../src/barcode/model-types.js';

/** A pk no object has. */
export const MISSING = 999999;

export interface MatrixRequest {
  url: string;
  payload?: unknown;
}

/** The caller of a request: a test user, or nobody (anonymous). */
export interface Caller {
  user: TestUser | undefined;
}

const SHORT_CODES: Record<string, string> = {
  build: 'BO',
  manufacturerpart: 'MP',
  supplierpart: 'SP',
  purchaseorder: 'PO',
  salesorder: 'SO',
  salesordershipment: 'SS',
  returnorder: 'RO',
  part: 'PA',
  stocklocation: 'SL',
  stockitem: 'SI',
};

/** The shared objects every request can point at (created once per harness). */
export class World {
  company = 0;
  category = 0;
  part = 0;
  location = 0;
  item = 0;
  manufacturerPart = 0;
  supplierPart = 0;
  po = 0;
  poLine = 0;
  so = 0;
  soLine = 0;
  shipment = 0;
  allocation = 0;
  ro = 0;
  roLine = 0;
  build = 0;
  tracking = 0;
  scratchGroup = 0;
  scratchRuleset = 0;
  targetUser = 0;
  /** A supplier the LCSC plugin is configured for, with one supplier part (SKU C312270). */
  lcsc = 0;
  lcscPart = 0;
  /** The superuser: the owner of "someone else's" rows. */
  owner!: TestUser;
  /**
   * Set while building a request that the route's own permission check must refuse before
   * its handler runs: objects the request would destroy or change are then not made (the
   * request names a pk that does not exist), which keeps the matrix fast.
   */
  dry = false;
  private n = 0;
  private readonly dryFixtures: Fixtures;

  constructor(readonly h: Harness) {
    this.dryFixtures = new Proxy(h.fx, { get: (target, name) => (typeof (target as any)[name] === 'function' ? async () => MISSING : (target as any)[name]) });
  }

  /** The fixtures, or in dry mode stand-ins that make nothing and answer a missing pk. */
  get fx(): Fixtures {
    return this.dry ? this.dryFixtures : this.h.fx;
  }

  /** Runs `make` unless in dry mode. */
  async make(make: () => Promise<number>): Promise<number> {
    return this.dry ? MISSING : make();
  }

  next(): number {
    this.n += 1;
    return this.n;
  }

  async init(owner: TestUser): Promise<void> {
    const fx = this.h.fx;
    this.owner = owner;
    this.company = await fx.company({ is_supplier: true, is_customer: true, is_manufacturer: true });
    this.category = await fx.category();
    this.part = await this.freshPart();
    this.location = await fx.location();
    this.item = await this.freshItem(1000000);
    this.manufacturerPart = await fx.manufacturerPart({ part_id: this.part, manufacturer_id: this.company });
    this.supplierPart = await fx.supplierPart({ part_id: this.part, supplier_id: this.company, manufacturer_part_id: this.manufacturerPart });
    this.po = await this.newPo({ status: 10, reference: 'PO-0000' });
    this.poLine = await fx.poLine({ order_id: this.po, part_id: this.supplierPart, quantity: 10 });
    this.so = await this.newSo({ status: 10 });
    this.soLine = await fx.soLine({ order_id: this.so, part_id: this.part, quantity: 1000000 });
    this.shipment = await fx.shipment({ order_id: this.so });
    this.allocation = await fx.allocation({ line_id: this.soLine, item_id: this.item, shipment_id: this.shipment, quantity: 1 });
    this.ro = await this.newRo({ status: 10, reference: 'RMA-0000' });
    this.roLine = await this.h.db.database.kysely
      .insertInto('return_order_line')
      .values({ order_id: this.ro, item_id: await this.freshItem(5), quantity: 1 } as never)
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((r) => r.id);
    this.build = await this.newBuild({ reference: 'BO-0000' });
    this.tracking = await this.h.db.database.kysely
      .insertInto('stock_tracking')
      .values({ item_id: this.item, date: nowIso(), tracking_type: 1, notes: '', user_id: null, deltas: '{}' } as never)
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((r) => r.id);
    const group = await createGroup(this.h.db.database, 'scratch-group');
    this.scratchGroup = group.id;
    this.scratchRuleset = (
      await this.h.db.database.kysely.selectFrom('ruleset').select('id').where('group_id', '=', group.id).where('name', '=', 'part').executeTakeFirstOrThrow()
    ).id;
    this.lcsc = await fx.company({ name: 'LCSC Electronics', is_supplier: true });
    this.lcscPart = await fx.supplierPart({ part_id: this.part, supplier_id: this.lcsc, sku: 'C312270' });
    const plugins = this.h.app.ctx.plugins;
    const lcscPlugin = plugins.bySlug('lcscplugin');
    if (lcscPlugin === undefined) throw new Error('no LCSC plugin');
    await plugins.setActive(lcscPlugin, true);
    await plugins.setSetting(lcscPlugin, 'SUPPLIER_ID', String(this.lcsc));
    this.targetUser = (await createUser(this.h.db.database.kysely, { username: 'target-user', password: 'target-password-1' })).id;
  }

  freshPart(extra: Record<string, unknown> = {}): Promise<number> {
    return this.fx.part({ category_id: this.category, purchaseable: true, salable: true, assembly: true, component: true, active: true, ...extra });
  }

  freshItem(quantity = 100, extra: Record<string, unknown> = {}): Promise<number> {
    return this.fx.stockItem({ part_id: this.part, location_id: this.location, quantity, ...extra });
  }

  /** Order references of their own, so that fixtures never collide with the API's numbering. */
  private ref(prefix: string): { reference: string; reference_int: number } {
    return { reference: `${prefix}-MX${this.next()}`, reference_int: 0 };
  }

  newPo(extra: Record<string, unknown> = {}): Promise<number> {
    return this.fx.purchaseOrder({ supplier_id: this.company, ...this.ref('PO'), ...extra });
  }

  newSo(extra: Record<string, unknown> = {}): Promise<number> {
    return this.fx.salesOrder({ customer_id: this.company, ...this.ref('SO'), ...extra });
  }

  newRo(extra: Record<string, unknown> = {}): Promise<number> {
    return this.fx.returnOrder({ customer_id: this.company, ...this.ref('RMA'), ...extra });
  }

  newBuild(extra: Record<string, unknown> = {}): Promise<number> {
    return this.fx.build({ part_id: this.part, quantity: 1, ...this.ref('BO'), ...extra });
  }

  /** A scan-history row owned by `userId`. */
  async scanRow(userId: number | null): Promise<number> {
    const row = await this.h.db.database.kysely
      .insertInto('barcode_scan')
      .values({ data: `row-${this.next()}`, user_id: userId, timestamp: nowIso(), endpoint: '/api/barcode/', context: '{}', response: '{}', result: false, plugin: null } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** The pk of the shared object of a barcode model type. */
  objectOf(modelType: string): number {
    const map: Record<string, number> = {
      build: this.build,
      manufacturerpart: this.manufacturerPart,
      supplierpart: this.supplierPart,
      purchaseorder: this.po,
      salesorder: this.so,
      salesordershipment: this.shipment,
      returnorder: this.ro,
      part: this.part,
      stocklocation: this.location,
      stockitem: this.item,
    };
    const pk = map[modelType];
    if (pk === undefined) throw new Error(`no object for ${modelType}`);
    return pk;
  }

  /** A fresh alias (extra barcode) of the shared object of a model type. */
  async alias(modelType: string): Promise<number> {
    const data = `MATRIX-ALIAS-${this.next()}`;
    const { hash } = await linkBarcode(this.h.db.database.kysely, modelType as BarcodeModelType, this.objectOf(modelType), data, { primary: false });
    return (await this.h.db.database.kysely.selectFrom('barcode_link').select('id').where('hash', '=', hash).executeTakeFirstOrThrow()).id;
  }

  /** A fresh entry of the ECIA plugin's supplier list. */
  async eciaSupplier(): Promise<number> {
    const company = await this.h.fx.company({ is_supplier: true });
    return (
      await this.h.db.database.kysely
        .insertInto('barcode_ecia_supplier')
        .values({ company_id: company, created: nowIso(), created_by_id: null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  shortBarcode(modelType: string, pk = this.objectOf(modelType)): string {
    return `INV-${SHORT_CODES[modelType]}${pk}`;
  }
}

type Maker = (w: World, c: Caller, variant: string | undefined) => Promise<MatrixRequest> | MatrixRequest;

const fixed =
  (url: string, payload?: unknown): Maker =>
  () =>
    payload === undefined ? { url } : { url, payload };

/** A request on a detail path whose target is the same for every caller. */
const detail =
  (base: string, pick: (w: World) => number, payload?: unknown): Maker =>
  (w) =>
    payload === undefined ? { url: `${base}${pick(w)}/` } : { url: `${base}${pick(w)}/`, payload };

/** A request on a detail path whose target is made afresh for every call. */
const freshDetail =
  (base: string, make: (w: World) => Promise<number>, payload?: (w: World) => unknown): Maker =>
  async (w) => {
    const id = await make(w);
    return payload === undefined ? { url: `${base}${id}/` } : { url: `${base}${id}/`, payload: payload(w) };
  };

async function ownToken(w: World, c: Caller): Promise<number> {
  const userId = c.user?.user.id ?? w.owner.user.id;
  return w.make(async () => (await createToken(w.h.db.database.kysely, w.h.secret, userId, `matrix-${w.next()}`)).id);
}

async function placedPo(w: World): Promise<{ order: number; line: number }> {
  const order = await w.newPo({ status: 20 });
  const line = await w.fx.poLine({ order_id: order, part_id: w.supplierPart, quantity: 10 });
  return { order, line };
}

async function openSo(w: World, status = 10, withShipment = true): Promise<{ order: number; line: number; shipment: number | null }> {
  const order = await w.newSo({ status });
  const line = await w.fx.soLine({ order_id: order, part_id: w.part, quantity: 10 });
  const shipment = withShipment ? await w.fx.shipment({ order_id: order }) : null;
  return { order, line, shipment };
}

const partBody = (w: World) => ({ name: `Part ${w.next()}`, category: w.category, description: 'matrix part' });

export const REQUESTS: Readonly<Record<string, Maker>> = {
  'GET /api/': fixed('/api/'),
  'GET /api/schema/': fixed('/api/schema/'),
  'GET /api/notifications/': fixed('/api/notifications/'),
  'GET /api/version/': fixed('/api/version/'),
  'GET /api/stock/status/': fixed('/api/stock/status/'),
  'GET /api/stock/track/status/': fixed('/api/stock/track/status/'),
  'GET /api/order/po/status/': fixed('/api/order/po/status/'),
  'GET /api/order/so/status/': fixed('/api/order/so/status/'),
  'GET /api/order/ro/status/': fixed('/api/order/ro/status/'),
  'GET /api/order/ro-line/status/': fixed('/api/order/ro-line/status/'),
  'GET /api/build/status/': fixed('/api/build/status/'),
  'GET /api/generic/status/': fixed('/api/generic/status/'),

  'GET /api/user/me/': fixed('/api/user/me/'),
  'PUT /api/user/me/': fixed('/api/user/me/', { first_name: 'Matrix' }),
  'PATCH /api/user/me/': fixed('/api/user/me/', { last_name: 'Caller' }),
  'GET /api/user/token/': fixed('/api/user/token/?name=matrix'),
  'GET /api/user/me/token/': fixed('/api/user/me/token/?name=matrix'),
  'GET /api/user/roles/': fixed('/api/user/roles/'),
  'GET /api/user/me/roles/': fixed('/api/user/me/roles/'),
  'GET /api/user/tokens/': fixed('/api/user/tokens/'),
  'POST /api/user/tokens/': (w) => ({ url: '/api/user/tokens/', payload: { name: `made-${w.next()}` } }),
  'GET /api/user/tokens/{pk}/': async (w, c) => ({ url: `/api/user/tokens/${await ownToken(w, c)}/` }),
  'DELETE /api/user/tokens/{pk}/': async (w, c) => ({ url: `/api/user/tokens/${await ownToken(w, c)}/` }),

  'GET /api/user/': fixed('/api/user/'),
  'POST /api/user/': (w) => ({ url: '/api/user/', payload: { username: `made-user-${w.next()}`, email: 'made@example.com' } }),
  'GET /api/user/{pk}/': detail('/api/user/', (w) => w.targetUser),
  'PUT /api/user/{pk}/': detail('/api/user/', (w) => w.targetUser, { username: 'target-user', first_name: 'Target' }),
  'PATCH /api/user/{pk}/': detail('/api/user/', (w) => w.targetUser, { last_name: 'User' }),
  'DELETE /api/user/{pk}/': freshDetail('/api/user/', (w) => w.make(async () => (await createUser(w.h.db.database.kysely, { username: `doomed-${w.next()}`, password: 'doomed-password-1' })).id)),
  'GET /api/user/group/': fixed('/api/user/group/'),
  'POST /api/user/group/': (w) => ({ url: '/api/user/group/', payload: { name: `made-group-${w.next()}` } }),
  'GET /api/user/group/{pk}/': detail('/api/user/group/', (w) => w.scratchGroup),
  'PUT /api/user/group/{pk}/': async (w) => ({ url: `/api/user/group/${w.scratchGroup}/`, payload: { name: `scratch-${w.next()}` } }),
  'PATCH /api/user/group/{pk}/': async (w) => ({ url: `/api/user/group/${w.scratchGroup}/`, payload: { name: `scratch-${w.next()}` } }),
  'DELETE /api/user/group/{pk}/': freshDetail('/api/user/group/', (w) => w.make(async () => (await createGroup(w.h.db.database, `doomed-group-${w.next()}`)).id)),
  'GET /api/user/ruleset/': fixed('/api/user/ruleset/'),
  'GET /api/user/ruleset/{pk}/': detail('/api/user/ruleset/', (w) => w.scratchRuleset),
  'PUT /api/user/ruleset/{pk}/': detail('/api/user/ruleset/', (w) => w.scratchRuleset, { can_view: true, can_add: false, can_change: false, can_delete: false }),
  'PATCH /api/user/ruleset/{pk}/': detail('/api/user/ruleset/', (w) => w.scratchRuleset, { can_view: true }),

  'GET /api/settings/global/': fixed('/api/settings/global/'),
  'GET /api/settings/global/{key}/': fixed('/api/settings/global/BARCODE_INPUT_DELAY/'),
  'PUT /api/settings/global/{key}/': fixed('/api/settings/global/BARCODE_INPUT_DELAY/', { value: '50' }),
  'PATCH /api/settings/global/{key}/': fixed('/api/settings/global/BARCODE_INPUT_DELAY/', { value: '50' }),
  'GET /api/settings/user/': fixed('/api/settings/user/'),
  'GET /api/settings/user/{key}/': fixed('/api/settings/user/SEARCH_PREVIEW_RESULTS/'),
  'PUT /api/settings/user/{key}/': fixed('/api/settings/user/SEARCH_PREVIEW_RESULTS/', { value: '10' }),
  'PATCH /api/settings/user/{key}/': fixed('/api/settings/user/SEARCH_PREVIEW_RESULTS/', { value: '10' }),

  'GET /api/company/': fixed('/api/company/'),
  'POST /api/company/': (w) => ({ url: '/api/company/', payload: { name: `Company made ${w.next()}`, is_supplier: true } }),
  'GET /api/company/{pk}/': detail('/api/company/', (w) => w.company),
  'PUT /api/company/{pk}/': detail('/api/company/', (w) => w.company, { name: 'Matrix Company', is_supplier: true, is_customer: true, is_manufacturer: true }),
  'PATCH /api/company/{pk}/': detail('/api/company/', (w) => w.company, { description: 'changed' }),
  'DELETE /api/company/{pk}/': freshDetail('/api/company/', (w) => w.fx.company()),

  'GET /api/company/part/': fixed('/api/company/part/'),
  'POST /api/company/part/': (w) => ({ url: '/api/company/part/', payload: { part: w.part, supplier: w.company, SKU: `SKU-MADE-${w.next()}` } }),
  'GET /api/company/part/{pk}/': detail('/api/company/part/', (w) => w.supplierPart),
  'PUT /api/company/part/{pk}/': (w) => ({
    url: `/api/company/part/${w.supplierPart}/`,
    payload: { part: w.part, supplier: w.company, SKU: 'SKU-MATRIX', manufacturer_part: w.manufacturerPart },
  }),
  'PATCH /api/company/part/{pk}/': detail('/api/company/part/', (w) => w.supplierPart, { description: 'changed' }),
  'DELETE /api/company/part/{pk}/': freshDetail('/api/company/part/', (w) => w.fx.supplierPart({ part_id: w.part, supplier_id: w.company })),

  'GET /api/company/part/manufacturer/': fixed('/api/company/part/manufacturer/'),
  'POST /api/company/part/manufacturer/': (w) => ({ url: '/api/company/part/manufacturer/', payload: { part: w.part, manufacturer: w.company, MPN: `MPN-MADE-${w.next()}` } }),
  'GET /api/company/part/manufacturer/{pk}/': detail('/api/company/part/manufacturer/', (w) => w.manufacturerPart),
  'PUT /api/company/part/manufacturer/{pk}/': (w) => ({
    url: `/api/company/part/manufacturer/${w.manufacturerPart}/`,
    payload: { part: w.part, manufacturer: w.company, MPN: 'MPN-MATRIX' },
  }),
  'PATCH /api/company/part/manufacturer/{pk}/': detail('/api/company/part/manufacturer/', (w) => w.manufacturerPart, { description: 'changed' }),
  'DELETE /api/company/part/manufacturer/{pk}/': freshDetail('/api/company/part/manufacturer/', (w) => w.fx.manufacturerPart({ part_id: w.part, manufacturer_id: w.company })),

  'GET /api/part/category/': fixed('/api/part/category/'),
  'POST /api/part/category/': (w) => ({ url: '/api/part/category/', payload: { name: `Category made ${w.next()}` } }),
  'GET /api/part/category/tree/': fixed('/api/part/category/tree/'),
  'GET /api/part/category/{pk}/': detail('/api/part/category/', (w) => w.category),
  'PUT /api/part/category/{pk}/': detail('/api/part/category/', (w) => w.category, { name: 'Matrix category' }),
  'PATCH /api/part/category/{pk}/': detail('/api/part/category/', (w) => w.category, { description: 'changed' }),
  'DELETE /api/part/category/{pk}/': freshDetail('/api/part/category/', (w) => w.fx.category()),

  'GET /api/part/': fixed('/api/part/'),
  'POST /api/part/': (w) => ({ url: '/api/part/', payload: partBody(w) }),
  'GET /api/part/{pk}/': detail('/api/part/', (w) => w.part),
  'PUT /api/part/{pk}/': (w) => ({ url: `/api/part/${w.part}/`, payload: { name: 'Matrix part', category: w.category, purchaseable: true, salable: true, assembly: true, component: true, active: true } }),
  'PATCH /api/part/{pk}/': detail('/api/part/', (w) => w.part, { description: 'changed' }),
  'DELETE /api/part/{pk}/': freshDetail('/api/part/', (w) => w.freshPart({ active: false })),

  'GET /api/stock/location/': fixed('/api/stock/location/'),
  'POST /api/stock/location/': (w) => ({ url: '/api/stock/location/', payload: { name: `Location made ${w.next()}` } }),
  'GET /api/stock/location/tree/': fixed('/api/stock/location/tree/'),
  'GET /api/stock/location/{pk}/': detail('/api/stock/location/', (w) => w.location),
  'PUT /api/stock/location/{pk}/': detail('/api/stock/location/', (w) => w.location, { name: 'Matrix location' }),
  'PATCH /api/stock/location/{pk}/': detail('/api/stock/location/', (w) => w.location, { description: 'changed' }),
  'DELETE /api/stock/location/{pk}/': freshDetail('/api/stock/location/', (w) => w.fx.location()),

  'GET /api/stock/': fixed('/api/stock/'),
  'POST /api/stock/': (w) => ({ url: '/api/stock/', payload: { part: w.part, quantity: 5, location: w.location } }),
  'DELETE /api/stock/': async (w) => ({ url: '/api/stock/', payload: { items: [await w.freshItem()] } }),
  'GET /api/stock/{pk}/': detail('/api/stock/', (w) => w.item),
  'PUT /api/stock/{pk}/': (w) => ({ url: `/api/stock/${w.item}/`, payload: { part: w.part, location: w.location, batch: 'B1' } }),
  'PATCH /api/stock/{pk}/': detail('/api/stock/', (w) => w.item, { batch: 'B2' }),
  'DELETE /api/stock/{pk}/': freshDetail('/api/stock/', (w) => w.freshItem()),
  'GET /api/stock/track/': fixed('/api/stock/track/'),
  'GET /api/stock/track/{pk}/': detail('/api/stock/track/', (w) => w.tracking),
  'POST /api/stock/count/': async (w) => ({ url: '/api/stock/count/', payload: { items: [{ pk: await w.freshItem(), quantity: 7 }] } }),
  'POST /api/stock/add/': async (w) => ({ url: '/api/stock/add/', payload: { items: [{ pk: await w.freshItem(), quantity: 2 }] } }),
  'POST /api/stock/remove/': async (w) => ({ url: '/api/stock/remove/', payload: { items: [{ pk: await w.freshItem(), quantity: 2 }] } }),
  'POST /api/stock/transfer/': async (w) => ({ url: '/api/stock/transfer/', payload: { items: [{ pk: await w.freshItem(), quantity: 100 }], location: w.location } }),

  'GET /api/order/po/': fixed('/api/order/po/'),
  'POST /api/order/po/': (w) => ({ url: '/api/order/po/', payload: { supplier: w.company } }),
  'GET /api/order/po/{pk}/': detail('/api/order/po/', (w) => w.po),
  'PUT /api/order/po/{pk}/': async (w) => {
    const reference = (await w.h.db.database.kysely.selectFrom('purchase_order').select('reference').where('id', '=', w.po).executeTakeFirstOrThrow()).reference;
    return { url: `/api/order/po/${w.po}/`, payload: { reference, supplier: w.company, description: 'put' } };
  },
  'PATCH /api/order/po/{pk}/': detail('/api/order/po/', (w) => w.po, { description: 'changed' }),
  'DELETE /api/order/po/{pk}/': freshDetail('/api/order/po/', (w) => w.newPo()),
  'POST /api/order/po/{pk}/receive/': async (w) => {
    const { order, line } = await placedPo(w);
    return { url: `/api/order/po/${order}/receive/`, payload: { items: [{ line_item: line, quantity: 1 }], location: w.location } };
  },
  'POST /api/order/po/{pk}/issue/': async (w) => {
    const order = await w.newPo({ status: 10 });
    return { url: `/api/order/po/${order}/issue/`, payload: {} };
  },
  'POST /api/order/po/{pk}/hold/': async (w) => ({ url: `/api/order/po/${(await placedPo(w)).order}/hold/`, payload: {} }),
  'POST /api/order/po/{pk}/cancel/': async (w) => ({ url: `/api/order/po/${(await placedPo(w)).order}/cancel/`, payload: {} }),
  'POST /api/order/po/{pk}/complete/': async (w) => ({ url: `/api/order/po/${(await placedPo(w)).order}/complete/`, payload: { accept_incomplete: true } }),
  'GET /api/order/po-line/': fixed('/api/order/po-line/'),
  'POST /api/order/po-line/': (w) => ({ url: '/api/order/po-line/', payload: { order: w.po, part: w.supplierPart, quantity: 1, merge_items: false } }),
  'GET /api/order/po-line/{pk}/': detail('/api/order/po-line/', (w) => w.poLine),
  'PUT /api/order/po-line/{pk}/': (w) => ({ url: `/api/order/po-line/${w.poLine}/`, payload: { order: w.po, part: w.supplierPart, quantity: 10 } }),
  'PATCH /api/order/po-line/{pk}/': detail('/api/order/po-line/', (w) => w.poLine, { reference: 'changed' }),
  'DELETE /api/order/po-line/{pk}/': freshDetail('/api/order/po-line/', (w) => w.fx.poLine({ order_id: w.po, part_id: w.supplierPart })),

  'GET /api/order/so/': fixed('/api/order/so/'),
  'POST /api/order/so/': (w) => ({ url: '/api/order/so/', payload: { customer: w.company } }),
  'GET /api/order/so/{pk}/': detail('/api/order/so/', (w) => w.so),
  'PUT /api/order/so/{pk}/': (w) => ({ url: `/api/order/so/${w.so}/`, payload: { customer: w.company, description: 'put' } }),
  'PATCH /api/order/so/{pk}/': detail('/api/order/so/', (w) => w.so, { description: 'changed' }),
  'DELETE /api/order/so/{pk}/': freshDetail('/api/order/so/', (w) => w.newSo()),
  'POST /api/order/so/{pk}/allocate/': async (w) => {
    const { order, line, shipment } = await openSo(w);
    return { url: `/api/order/so/${order}/allocate/`, payload: { items: [{ line_item: line, stock_item: await w.freshItem(), quantity: 1 }], shipment } };
  },
  'POST /api/order/so/{pk}/issue/': async (w) => ({ url: `/api/order/so/${(await openSo(w)).order}/issue/`, payload: {} }),
  'POST /api/order/so/{pk}/hold/': async (w) => ({ url: `/api/order/so/${(await openSo(w)).order}/hold/`, payload: {} }),
  'POST /api/order/so/{pk}/cancel/': async (w) => ({ url: `/api/order/so/${(await openSo(w)).order}/cancel/`, payload: {} }),
  'POST /api/order/so/{pk}/complete/': async (w) => ({ url: `/api/order/so/${(await openSo(w, 15, false)).order}/complete/`, payload: { accept_incomplete: true } }),
  'GET /api/order/so-line/': fixed('/api/order/so-line/'),
  'POST /api/order/so-line/': (w) => ({ url: '/api/order/so-line/', payload: { order: w.so, part: w.part, quantity: 1 } }),
  'GET /api/order/so-line/{pk}/': detail('/api/order/so-line/', (w) => w.soLine),
  'PUT /api/order/so-line/{pk}/': (w) => ({ url: `/api/order/so-line/${w.soLine}/`, payload: { order: w.so, part: w.part, quantity: 1000000 } }),
  'PATCH /api/order/so-line/{pk}/': detail('/api/order/so-line/', (w) => w.soLine, { reference: 'changed' }),
  'DELETE /api/order/so-line/{pk}/': freshDetail('/api/order/so-line/', (w) => w.fx.soLine({ order_id: w.so, part_id: w.part })),
  'GET /api/order/so/shipment/': fixed('/api/order/so/shipment/'),
  'POST /api/order/so/shipment/': (w) => ({ url: '/api/order/so/shipment/', payload: { order: w.so, reference: `S-MADE-${w.next()}` } }),
  'GET /api/order/so/shipment/{pk}/': detail('/api/order/so/shipment/', (w) => w.shipment),
  'PUT /api/order/so/shipment/{pk}/': (w) => ({ url: `/api/order/so/shipment/${w.shipment}/`, payload: { order: w.so, tracking_number: 'T1' } }),
  'PATCH /api/order/so/shipment/{pk}/': detail('/api/order/so/shipment/', (w) => w.shipment, { tracking_number: 'T2' }),
  'DELETE /api/order/so/shipment/{pk}/': freshDetail('/api/order/so/shipment/', (w) => w.fx.shipment({ order_id: w.so })),
  'POST /api/order/so/shipment/{pk}/ship/': async (w) => {
    const { line, shipment } = await openSo(w);
    await w.fx.allocation({ line_id: line, item_id: await w.freshItem(), shipment_id: shipment as number, quantity: 1 });
    return { url: `/api/order/so/shipment/${shipment}/ship/`, payload: {} };
  },
  'GET /api/order/so-allocation/': fixed('/api/order/so-allocation/'),
  'PUT /api/order/so-allocation/': (w) => ({ url: '/api/order/so-allocation/', payload: { items: [w.allocation], shipment: w.shipment } }),
  'PATCH /api/order/so-allocation/': (w) => ({ url: '/api/order/so-allocation/', payload: { items: [w.allocation], shipment: w.shipment } }),
  'DELETE /api/order/so-allocation/': async (w) => ({
    url: '/api/order/so-allocation/',
    payload: { items: [await w.fx.allocation({ line_id: w.soLine, item_id: await w.freshItem(), shipment_id: w.shipment })] },
  }),
  'GET /api/order/so-allocation/{pk}/': detail('/api/order/so-allocation/', (w) => w.allocation),
  'PUT /api/order/so-allocation/{pk}/': (w) => ({ url: `/api/order/so-allocation/${w.allocation}/`, payload: { item: w.item, quantity: 1, shipment: w.shipment } }),
  'PATCH /api/order/so-allocation/{pk}/': detail('/api/order/so-allocation/', (w) => w.allocation, { quantity: 1 }),
  'DELETE /api/order/so-allocation/{pk}/': freshDetail('/api/order/so-allocation/', async (w) =>
    w.fx.allocation({ line_id: w.soLine, item_id: await w.freshItem(), shipment_id: w.shipment }),
  ),

  'GET /api/order/ro/': fixed('/api/order/ro/'),
  'POST /api/order/ro/': (w) => ({ url: '/api/order/ro/', payload: { customer: w.company } }),
  'GET /api/order/ro/{pk}/': detail('/api/order/ro/', (w) => w.ro),
  'PUT /api/order/ro/{pk}/': async (w) => {
    const reference = (await w.h.db.database.kysely.selectFrom('return_order').select('reference').where('id', '=', w.ro).executeTakeFirstOrThrow()).reference;
    return { url: `/api/order/ro/${w.ro}/`, payload: { reference, customer: w.company, description: 'put' } };
  },
  'PATCH /api/order/ro/{pk}/': detail('/api/order/ro/', (w) => w.ro, { description: 'changed' }),
  'DELETE /api/order/ro/{pk}/': freshDetail('/api/order/ro/', (w) => w.newRo()),
  'POST /api/order/ro/{pk}/issue/': async (w) => ({ url: `/api/order/ro/${await w.newRo({ status: 10 })}/issue/`, payload: {} }),
  'POST /api/order/ro/{pk}/hold/': async (w) => ({ url: `/api/order/ro/${await w.newRo({ status: 20 })}/hold/`, payload: {} }),
  'POST /api/order/ro/{pk}/cancel/': async (w) => ({ url: `/api/order/ro/${await w.newRo({ status: 20 })}/cancel/`, payload: {} }),
  'POST /api/order/ro/{pk}/complete/': async (w) => ({ url: `/api/order/ro/${await w.newRo({ status: 20 })}/complete/`, payload: {} }),
  'GET /api/order/ro-line/': fixed('/api/order/ro-line/'),
  'POST /api/order/ro-line/': async (w) => ({ url: '/api/order/ro-line/', payload: { order: w.ro, item: await w.freshItem(5), quantity: 1 } }),
  'GET /api/order/ro-line/{pk}/': detail('/api/order/ro-line/', (w) => w.roLine),
  'PUT /api/order/ro-line/{pk}/': async (w) => {
    const line = await w.h.db.database.kysely.selectFrom('return_order_line').select('item_id').where('id', '=', w.roLine).executeTakeFirstOrThrow();
    return { url: `/api/order/ro-line/${w.roLine}/`, payload: { order: w.ro, item: line.item_id, quantity: 1 } };
  },
  'PATCH /api/order/ro-line/{pk}/': detail('/api/order/ro-line/', (w) => w.roLine, { reference: 'changed' }),
  'DELETE /api/order/ro-line/{pk}/': freshDetail('/api/order/ro-line/', (w) =>
    w.make(async () => w.h.db.database.kysely
      .insertInto('return_order_line')
      .values({ order_id: w.ro, item_id: await w.freshItem(5), quantity: 1 } as never)
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((r) => r.id)),
  ),

  'GET /api/build/': fixed('/api/build/'),
  'POST /api/build/': (w) => ({ url: '/api/build/', payload: { part: w.part, quantity: 1, title: 'made' } }),
  'GET /api/build/{pk}/': detail('/api/build/', (w) => w.build),
  'PUT /api/build/{pk}/': async (w) => {
    const reference = (await w.h.db.database.kysely.selectFrom('build').select('reference').where('id', '=', w.build).executeTakeFirstOrThrow()).reference;
    return { url: `/api/build/${w.build}/`, payload: { reference, part: w.part, quantity: 1, title: 'put' } };
  },
  'PATCH /api/build/{pk}/': detail('/api/build/', (w) => w.build, { title: 'changed' }),
  'DELETE /api/build/{pk}/': freshDetail('/api/build/', (w) => w.newBuild({ status: 30 })),

  'POST /api/barcode/': (w, _c, variant) => ({ url: '/api/barcode/', payload: { barcode: w.shortBarcode(variant as string) } }),
  'POST /api/barcode/generate/': (w, _c, variant) => ({ url: '/api/barcode/generate/', payload: { model: variant, pk: w.objectOf(variant as string) } }),
  'POST /api/barcode/link/': (w, _c, variant) => ({ url: '/api/barcode/link/', payload: { barcode: `MATRIX-LINK-${w.next()}`, [variant as string]: w.objectOf(variant as string) } }),
  'POST /api/barcode/unlink/': (w, _c, variant) => ({ url: '/api/barcode/unlink/', payload: { [variant as string]: w.objectOf(variant as string) } }),
  'POST /api/barcode/po-allocate/': (w) => ({ url: '/api/barcode/po-allocate/', payload: { barcode: w.shortBarcode('supplierpart'), purchase_order: w.po } }),
  'POST /api/barcode/po-receive/': async (w) => {
    const order = await w.newPo({ supplier_id: w.lcsc, status: 20 });
    const line = await w.fx.poLine({ order_id: order, part_id: w.lcscPart, quantity: 10 });
    const n = w.next();
    const label = `{pbn:PICK${n},on:SO${n},pc:C312270,pm:ST-1,qty:1,mc:,cc:1,pdi:${n}}`;
    return { url: '/api/barcode/po-receive/', payload: { barcode: label, purchase_order: order, line_item: line, location: w.location } };
  },
  'POST /api/barcode/so-allocate/': async (w) => {
    const { order, line, shipment } = await openSo(w);
    return { url: '/api/barcode/so-allocate/', payload: { barcode: w.shortBarcode('stockitem', await w.freshItem()), sales_order: order, line, shipment, quantity: 1 } };
  },
  'GET /api/barcode/history/': fixed('/api/barcode/history/'),
  'DELETE /api/barcode/history/': async (w) => ({ url: '/api/barcode/history/', payload: { items: [await w.scanRow(w.owner.user.id)] } }),
  'GET /api/barcode/history/{id}/': async (w, c, variant) => ({
    url: `/api/barcode/history/${await w.scanRow(variant === 'own' && c.user !== undefined ? c.user.user.id : w.owner.user.id)}/`,
  }),
  'DELETE /api/barcode/history/{id}/': async (w, c, variant) => ({
    url: `/api/barcode/history/${await w.scanRow(variant === 'own' && c.user !== undefined ? c.user.user.id : w.owner.user.id)}/`,
  }),
  'GET /api/barcode/alias/': (_w, _c, variant) => ({ url: `/api/barcode/alias/?model=${variant as string}` }),
  'POST /api/barcode/alias/': (w, _c, variant) => ({
    url: '/api/barcode/alias/',
    payload: { barcode: `MATRIX-ALIAS-${w.next()}`, model: variant, pk: w.objectOf(variant as string) },
  }),
  'DELETE /api/barcode/alias/{pk}/': async (w, _c, variant) => ({ url: `/api/barcode/alias/${await w.alias(variant as string)}/` }),
  'POST /api/barcode/whois/': (w, _c, variant) => ({ url: '/api/barcode/whois/', payload: { barcode: w.shortBarcode(variant as string) } }),
  'GET /api/barcode/unmatched/': fixed('/api/barcode/unmatched/'),
  'POST /api/barcode/unmatched/dismiss/': (w) => ({ url: '/api/barcode/unmatched/dismiss/', payload: { data: `MATRIX-UNKNOWN-${w.next()}` } }),
  'GET /api/barcode/ecia/': fixed('/api/barcode/ecia/'),
  'POST /api/barcode/ecia/': async (w) => ({ url: '/api/barcode/ecia/', payload: { supplier: await w.fx.company({ is_supplier: true }) } }),
  'DELETE /api/barcode/ecia/{pk}/': freshDetail('/api/barcode/ecia/', (w) => w.eciaSupplier()),
  'GET /api/barcode/render/': fixed('/api/barcode/render/?data=MATRIX'),

  // A caller signs in as itself; nobody (anonymous) tries a wrong password.
  'POST /api/auth/v1/auth/login': (_w, c) => ({
    url: '/api/auth/v1/auth/login',
    payload: c.user === undefined ? { username: 'matrix-nobody', password: 'wrong' } : { username: c.user.user.username, password: c.user.password },
  }),
  'GET /api/auth/v1/auth/session': fixed('/api/auth/v1/auth/session'),
  'DELETE /api/auth/v1/auth/session': fixed('/api/auth/v1/auth/session'),

  'GET /api/plugins/': fixed('/api/plugins/'),
  'GET /api/plugins/{key}/': fixed('/api/plugins/inventreebarcode/'),
  'POST /api/plugins/{key}/activate/': fixed('/api/plugins/lcscplugin/activate/', { active: true }),
  'PUT /api/plugins/{key}/activate/': fixed('/api/plugins/lcscplugin/activate/', { active: true }),
  'PATCH /api/plugins/{key}/activate/': fixed('/api/plugins/lcscplugin/activate/', { active: true }),
  'GET /api/plugins/{key}/settings/': fixed('/api/plugins/inventreebarcode/settings/'),
  'GET /api/plugins/{key}/settings/{setting}/': fixed('/api/plugins/inventreebarcode/settings/INTERNAL_BARCODE_FORMAT/'),
  'PUT /api/plugins/{key}/settings/{setting}/': fixed('/api/plugins/inventreebarcode/settings/INTERNAL_BARCODE_FORMAT/', { value: 'short' }),
  'PATCH /api/plugins/{key}/settings/{setting}/': fixed('/api/plugins/inventreebarcode/settings/INTERNAL_BARCODE_FORMAT/', { value: 'short' }),
};
