/**
 * The permission rule of every endpoint, as data taken from the specification (core-api.md
 * §3–§4, barcode-api.md §7 and §10, decision D5), independent of the implementation: the
 * table → ruleset map below is copied from the spec (§4.2), not imported from src/users/roles.ts,
 * so that the matrix checks the code against the spec rather than against itself.
 *
 * A route key is `METHOD /path` in the OpenAPI notation (`{pk}`). Some routes are checked in
 * several variants (a barcode endpoint once per model type, a history row owned by the caller
 * or by someone else): the key then maps to one rule per variant.
 */

export const VERBS = ['view', 'add', 'change', 'delete'] as const;
export type Verb = (typeof VERBS)[number];

/** Rulesets at API 435 (core-api.md §3.5, without `bom` and `transfer_order`). */
export const RULESETS = ['admin', 'part_category', 'part', 'stock_location', 'stock', 'build', 'purchase_order', 'sales_order', 'return_order'] as const;
export type Ruleset = (typeof RULESETS)[number];

/** core-api.md §4.2: the rulesets covering each table an endpoint checks. */
export const TABLE_RULESETS: Readonly<Record<string, readonly Ruleset[]>> = {
  part_partcategory: ['part_category', 'build'],
  part_part: ['part', 'build'],
  company_supplierpart: ['part', 'purchase_order'],
  company_manufacturerpart: ['part', 'purchase_order'],
  company_company: ['purchase_order', 'sales_order', 'return_order'],
  stock_stocklocation: ['stock_location', 'build'],
  stock_stockitem: ['stock', 'build'],
  stock_stockitemtracking: ['stock'],
  build_build: ['build'],
  order_purchaseorder: ['purchase_order'],
  order_purchaseorderlineitem: ['purchase_order'],
  order_salesorder: ['sales_order'],
  order_salesorderlineitem: ['sales_order'],
  order_salesordershipment: ['sales_order'],
  order_salesorderallocation: ['sales_order'],
  order_returnorder: ['return_order'],
  order_returnorderlineitem: ['return_order'],
};

/** barcode-api.md §7: the table each barcode model type is checked on. */
export const BARCODE_MODEL_TABLES: Readonly<Record<string, string>> = {
  build: 'build_build',
  manufacturerpart: 'company_manufacturerpart',
  supplierpart: 'company_supplierpart',
  purchaseorder: 'order_purchaseorder',
  salesorder: 'order_salesorder',
  salesordershipment: 'order_salesordershipment',
  returnorder: 'order_returnorder',
  part: 'part_part',
  stocklocation: 'stock_stocklocation',
  stockitem: 'stock_stockitem',
};
export const BARCODE_MODEL_TYPES = Object.keys(BARCODE_MODEL_TABLES);

export type Rule =
  /** No authentication needed (GET /api/, GET /api/schema/). */
  | { kind: 'public' }
  /** Any authenticated user. */
  | { kind: 'auth' }
  /** §4.3: the verb of the HTTP method on the table, granted by any ruleset covering it. */
  | { kind: 'model'; table: string }
  /**
   * A fixed verb on a table (barcode link/unlink → change, generate/scan → view). `hidden`:
   * a caller without it is answered 404, as if the object did not exist.
   */
  | { kind: 'modelVerb'; table: string; verb: Verb; hidden?: true }
  /** A fixed role, e.g. `purchase_order.add` for order actions. */
  | { kind: 'role'; ruleset: Ruleset; verb: Verb }
  /** Staff (is_staff) only. */
  | { kind: 'staff' }
  /** Reads for everyone signed in; writes need staff plus the admin role's verb (§3.5). */
  | { kind: 'adminWrites' }
  /** Reads for everyone signed in; writes need staff. */
  | { kind: 'staffWrites' }
  /** Superusers only. */
  | { kind: 'superuser' }
  /** Every rule must pass; the first one that fails decides the answer. */
  | { kind: 'all'; rules: Rule[] }
  /** D5 history detail: staff see every row, others only their own; others' rows are 404. */
  | { kind: 'staffOr404' }
  /**
   * The browser-session endpoints (clients.md §3): public, but they speak of the session
   * cookie only, so every caller of the matrix (a token, or nobody) is told "not signed in"
   * with allauth's 401 body rather than the API's.
   */
  | { kind: 'browserSession' };

const PUBLIC: Rule = { kind: 'public' };
const AUTH: Rule = { kind: 'auth' };
const STAFF: Rule = { kind: 'staff' };
const ADMIN_WRITES: Rule = { kind: 'adminWrites' };
const STAFF_WRITES: Rule = { kind: 'staffWrites' };
const model = (table: string): Rule => ({ kind: 'model', table });
const modelVerb = (table: string, verb: Verb): Rule => ({ kind: 'modelVerb', table, verb });
const role = (ruleset: Ruleset, verb: Verb): Rule => ({ kind: 'role', ruleset, verb });

/** The CRUD routes of a model: list GET/POST and detail GET/PUT/PATCH/DELETE. */
function crud(list: string, table: string, methods = { list: ['GET', 'POST'], detail: ['GET', 'PUT', 'PATCH', 'DELETE'] }): Record<string, Rule> {
  const out: Record<string, Rule> = {};
  for (const m of methods.list) out[`${m} ${list}`] = model(table);
  for (const m of methods.detail) out[`${m} ${list}{pk}/`] = model(table);
  return out;
}

function actions(base: string, names: string[], rule: Rule): Record<string, Rule> {
  return Object.fromEntries(names.map((n) => [`POST ${base}{pk}/${n}/`, rule]));
}

/** Barcode endpoints checked once per model type (D5). */
function perModel(verb: Verb): Record<string, Rule> {
  return Object.fromEntries(BARCODE_MODEL_TYPES.map((t) => [t, modelVerb(BARCODE_MODEL_TABLES[t] as string, verb)]));
}

/** An alias is removed with change on its object's model; without view it is not found at all. */
function perModelHiddenChange(): Record<string, Rule> {
  return Object.fromEntries(
    BARCODE_MODEL_TYPES.map((t) => {
      const table = BARCODE_MODEL_TABLES[t] as string;
      return [t, { kind: 'all', rules: [{ kind: 'modelVerb', table, verb: 'view', hidden: true }, modelVerb(table, 'change')] } satisfies Rule];
    }),
  );
}

export const EXPECTATIONS: Readonly<Record<string, Rule | Record<string, Rule>>> = {
  // Server information and status codes (core-api.md §2)
  'GET /api/': PUBLIC,
  'GET /api/schema/': PUBLIC,
  'GET /api/notifications/': AUTH,
  'GET /api/version/': STAFF,
  'GET /api/stock/status/': AUTH,
  'GET /api/stock/track/status/': AUTH,
  'GET /api/order/po/status/': AUTH,
  'GET /api/order/so/status/': AUTH,
  'GET /api/order/ro/status/': AUTH,
  'GET /api/order/ro-line/status/': AUTH,
  'GET /api/build/status/': AUTH,
  'GET /api/generic/status/': AUTH,

  // The current user, tokens, roles (§3): any signed-in user, for themselves
  'GET /api/user/me/': AUTH,
  'PUT /api/user/me/': AUTH,
  'PATCH /api/user/me/': AUTH,
  'GET /api/user/token/': AUTH,
  'GET /api/user/me/token/': AUTH,
  'GET /api/user/roles/': AUTH,
  'GET /api/user/me/roles/': AUTH,
  'GET /api/user/tokens/': AUTH,
  'POST /api/user/tokens/': AUTH,
  'GET /api/user/tokens/{pk}/': AUTH,
  'DELETE /api/user/tokens/{pk}/': AUTH,

  // Users, groups, rulesets (§3.5 "Other user endpoints"): reads for everyone, writes staff + admin
  'GET /api/user/': ADMIN_WRITES,
  'POST /api/user/': ADMIN_WRITES,
  'GET /api/user/{pk}/': ADMIN_WRITES,
  'PUT /api/user/{pk}/': ADMIN_WRITES,
  'PATCH /api/user/{pk}/': ADMIN_WRITES,
  'DELETE /api/user/{pk}/': ADMIN_WRITES,
  'GET /api/user/group/': ADMIN_WRITES,
  'POST /api/user/group/': ADMIN_WRITES,
  'GET /api/user/group/{pk}/': ADMIN_WRITES,
  'PUT /api/user/group/{pk}/': ADMIN_WRITES,
  'PATCH /api/user/group/{pk}/': ADMIN_WRITES,
  'DELETE /api/user/group/{pk}/': ADMIN_WRITES,
  'GET /api/user/ruleset/': ADMIN_WRITES,
  'GET /api/user/ruleset/{pk}/': ADMIN_WRITES,
  'PUT /api/user/ruleset/{pk}/': ADMIN_WRITES,
  'PATCH /api/user/ruleset/{pk}/': ADMIN_WRITES,

  // Settings (§4.2: settings need no role): global writes need staff, user settings are one's own
  'GET /api/settings/global/': AUTH,
  'GET /api/settings/global/{key}/': AUTH,
  'PUT /api/settings/global/{key}/': STAFF,
  'PATCH /api/settings/global/{key}/': STAFF,
  'GET /api/settings/user/': AUTH,
  'GET /api/settings/user/{key}/': AUTH,
  'PUT /api/settings/user/{key}/': AUTH,
  'PATCH /api/settings/user/{key}/': AUTH,

  // Companies and company parts (§7.1, §7.6, §7.7)
  ...crud('/api/company/', 'company_company'),
  ...crud('/api/company/part/', 'company_supplierpart'),
  ...crud('/api/company/part/manufacturer/', 'company_manufacturerpart'),

  // Parts and categories (§7.2, §7.3)
  ...crud('/api/part/category/', 'part_partcategory'),
  'GET /api/part/category/tree/': model('part_partcategory'),
  ...crud('/api/part/', 'part_part'),

  // Stock (§7.4, §7.5): actions need the stock.change role
  ...crud('/api/stock/location/', 'stock_stocklocation'),
  'GET /api/stock/location/tree/': model('stock_stocklocation'),
  ...crud('/api/stock/', 'stock_stockitem'),
  'DELETE /api/stock/': model('stock_stockitem'),
  'GET /api/stock/track/': model('stock_stockitemtracking'),
  'GET /api/stock/track/{pk}/': model('stock_stockitemtracking'),
  'POST /api/stock/count/': role('stock', 'change'),
  'POST /api/stock/add/': role('stock', 'change'),
  'POST /api/stock/remove/': role('stock', 'change'),
  'POST /api/stock/transfer/': role('stock', 'change'),

  // Purchase orders (§7.9, §7.10, §8; action table of §4.3)
  ...crud('/api/order/po/', 'order_purchaseorder'),
  ...crud('/api/order/po-line/', 'order_purchaseorderlineitem'),
  ...actions('/api/order/po/', ['receive', 'issue', 'hold', 'cancel', 'complete'], role('purchase_order', 'add')),

  // Sales orders (§7.11–§7.14, §9)
  ...crud('/api/order/so/', 'order_salesorder'),
  ...crud('/api/order/so-line/', 'order_salesorderlineitem'),
  ...crud('/api/order/so/shipment/', 'order_salesordershipment'),
  ...crud('/api/order/so-allocation/', 'order_salesorderallocation', { list: ['GET', 'PUT', 'PATCH', 'DELETE'], detail: ['GET', 'PUT', 'PATCH', 'DELETE'] }),
  ...actions('/api/order/so/', ['allocate', 'issue', 'hold', 'cancel', 'complete'], role('sales_order', 'add')),
  'POST /api/order/so/shipment/{pk}/ship/': role('sales_order', 'add'),

  // Return orders (§7.16; actions as the other orders: the order ruleset's add)
  ...crud('/api/order/ro/', 'order_returnorder'),
  ...crud('/api/order/ro-line/', 'order_returnorderlineitem'),
  ...actions('/api/order/ro/', ['issue', 'hold', 'cancel', 'complete'], role('return_order', 'add')),

  // Build orders (§7.15)
  ...crud('/api/build/', 'build_build'),

  // Barcodes (barcode-api.md §7, §10; D5)
  'POST /api/barcode/': perModel('view'),
  'POST /api/barcode/generate/': perModel('view'),
  'POST /api/barcode/link/': perModel('change'),
  'POST /api/barcode/unlink/': perModel('change'),
  // The scan finds a supplier part, which the user must also be allowed to view.
  'POST /api/barcode/po-allocate/': { kind: 'all', rules: [role('purchase_order', 'add'), modelVerb('company_supplierpart', 'view')] },
  'POST /api/barcode/po-receive/': role('purchase_order', 'add'),
  // The scan finds a stock item, which the user must also be allowed to view.
  'POST /api/barcode/so-allocate/': { kind: 'all', rules: [role('sales_order', 'add'), modelVerb('stock_stockitem', 'view')] },
  'GET /api/barcode/history/': AUTH,
  'DELETE /api/barcode/history/': STAFF,
  'GET /api/barcode/history/{id}/': { own: AUTH, others: { kind: 'staffOr404' } },
  'DELETE /api/barcode/history/{id}/': { own: STAFF, others: STAFF },
  // Aliases (several barcodes per object): the object's model decides, as for link/unlink.
  'GET /api/barcode/alias/': perModel('view'),
  'POST /api/barcode/alias/': perModel('change'),
  'DELETE /api/barcode/alias/{pk}/': perModelHiddenChange(),
  // whois reads like a scan: an object the caller may not view is refused (D5).
  'POST /api/barcode/whois/': perModel('view'),
  // The inbox of unknown barcodes shows every user's scans: staff only.
  'GET /api/barcode/unmatched/': STAFF,
  'POST /api/barcode/unmatched/dismiss/': STAFF,
  // The ECIA plugin's supplier list reads like plugin settings; changing it needs staff.
  'GET /api/barcode/ecia/': STAFF_WRITES,
  'POST /api/barcode/ecia/': STAFF_WRITES,
  'DELETE /api/barcode/ecia/{pk}/': STAFF_WRITES,
  'GET /api/barcode/render/': AUTH,

  // Browser sign-in (clients.md §3)
  'POST /api/auth/v1/auth/login': PUBLIC,
  'GET /api/auth/v1/auth/session': { kind: 'browserSession' },
  'DELETE /api/auth/v1/auth/session': { kind: 'browserSession' },

  // Plugins: reads for everyone signed in, activation superuser, settings writes staff
  'GET /api/plugins/': AUTH,
  'GET /api/plugins/{key}/': AUTH,
  'POST /api/plugins/{key}/activate/': { kind: 'superuser' },
  'PUT /api/plugins/{key}/activate/': { kind: 'superuser' },
  'PATCH /api/plugins/{key}/activate/': { kind: 'superuser' },
  'GET /api/plugins/{key}/settings/': AUTH,
  'GET /api/plugins/{key}/settings/{setting}/': AUTH,
  'PUT /api/plugins/{key}/settings/{setting}/': STAFF,
  'PATCH /api/plugins/{key}/settings/{setting}/': STAFF,
};

export function isRuleMap(value: Rule | Record<string, Rule>): value is Record<string, Rule> {
  return !('kind' in value) || typeof (value as { kind: unknown }).kind !== 'string';
}

/** One caller of the matrix. */
export interface Profile {
  key: string;
  anonymous: boolean;
  staff: boolean;
  superuser: boolean;
  /** The rulesets granted and the flag set on each (before InvenTree's implied permissions). */
  grants: { ruleset: Ruleset; verb: Verb }[];
}

/** §4.1 implied permissions: add, change or delete ⇒ view; add or delete ⇒ change. */
export function impliedVerbs(verb: Verb): Set<Verb> {
  const out = new Set<Verb>([verb]);
  if (verb !== 'view') out.add('view');
  if (verb === 'add' || verb === 'delete') out.add('change');
  return out;
}

export function profiles(): Profile[] {
  const user = (key: string, grants: Profile['grants'], staff = false): Profile => ({ key, anonymous: false, staff, superuser: false, grants });
  const out: Profile[] = [{ key: 'anonymous', anonymous: true, staff: false, superuser: false, grants: [] }, user('no-roles', [])];
  for (const ruleset of RULESETS) for (const verb of VERBS) out.push(user(`${ruleset}.${verb}`, [{ ruleset, verb }]));
  out.push(user('staff', [], true));
  for (const verb of VERBS) out.push(user(`staff+admin.${verb}`, [{ ruleset: 'admin', verb }], true));
  // so-allocate needs two rulesets (the role, and view on the stock item it finds): one
  // caller lacks only the role, one holds both (barcode-api.md §9, case 23).
  out.push(user('stock.view+sales_order.change', [{ ruleset: 'stock', verb: 'view' }, { ruleset: 'sales_order', verb: 'change' }]));
  out.push(user('stock.view+sales_order.add', [{ ruleset: 'stock', verb: 'view' }, { ruleset: 'sales_order', verb: 'add' }]));
  out.push({ key: 'superuser', anonymous: false, staff: true, superuser: true, grants: [] });
  return out;
}

function hasRole(p: Profile, ruleset: Ruleset, verb: Verb): boolean {
  return p.superuser || p.grants.some((g) => g.ruleset === ruleset && impliedVerbs(g.verb).has(verb));
}

function hasModel(p: Profile, table: string, verb: Verb): boolean {
  const rulesets = TABLE_RULESETS[table];
  if (rulesets === undefined) throw new Error(`no ruleset map for table ${table}`);
  return rulesets.some((r) => hasRole(p, r, verb));
}

export function verbOfMethod(method: string): Verb {
  switch (method) {
    case 'POST':
      return 'add';
    case 'PUT':
    case 'PATCH':
      return 'change';
    case 'DELETE':
      return 'delete';
    default:
      return 'view';
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type Outcome = 'allow' | 401 | 403 | 404;

/** What `profile` gets from a request with `method` on a route with `rule`. */
export function expectedOutcome(rule: Rule, method: string, p: Profile): Outcome {
  if (rule.kind === 'public') return 'allow';
  if (rule.kind === 'browserSession') return 401;
  if (p.anonymous) return 401;
  if (p.superuser) return 'allow';
  const verdict = (ok: boolean): Outcome => (ok ? 'allow' : 403);
  switch (rule.kind) {
    case 'auth':
      return 'allow';
    case 'model':
      return verdict(hasModel(p, rule.table, verbOfMethod(method)));
    case 'modelVerb':
      return hasModel(p, rule.table, rule.verb) ? 'allow' : rule.hidden ? 404 : 403;
    case 'role':
      return verdict(hasRole(p, rule.ruleset, rule.verb));
    case 'staff':
      return verdict(p.staff);
    case 'adminWrites':
      return verdict(READS.has(method) || (p.staff && hasRole(p, 'admin', verbOfMethod(method))));
    case 'staffWrites':
      return verdict(READS.has(method) || p.staff);
    case 'superuser':
      return 403;
    case 'staffOr404':
      return p.staff ? 'allow' : 404;
    case 'all': {
      for (const r of rule.rules) {
        const o = expectedOutcome(r, method, p);
        if (o !== 'allow') return o;
      }
      return 'allow';
    }
  }
}
