/**
 * InvenTree's role model (core-api.md §4): groups carry one ruleset per ruleset name, each
 * with view/add/change/delete; a user holds role `R.v` when any of their groups' ruleset `R`
 * grants `v`. A model (Django table) is covered by every ruleset that lists it, and a model
 * check passes when any of them grants the verb. Superusers pass every check.
 */
import type { Executor } from '../db/transaction.js';

export const VERBS = ['view', 'add', 'change', 'delete'] as const;
export type Verb = (typeof VERBS)[number];

/** Ruleset names at API 435 (no `bom`, v481+, and no `transfer_order`, v492+), in InvenTree's order. */
export const RULESET_NAMES = [
  'admin',
  'part_category',
  'part',
  'stock_location',
  'stock',
  'build',
  'purchase_order',
  'sales_order',
  'return_order',
] as const;
export type RulesetName = (typeof RULESET_NAMES)[number];

export function isRulesetName(name: string): name is RulesetName {
  return (RULESET_NAMES as readonly string[]).includes(name);
}

const COMPANY_TABLES = ['company_company', 'company_contact', 'company_address'];

/** The tables each ruleset covers (core-api.md §4.2, as of API 435: BOM tables under `part`). */
export const RULESET_TABLES: Readonly<Record<RulesetName, readonly string[]>> = {
  admin: [
    'auth_group',
    'auth_user',
    'auth_permission',
    'users_apitoken',
    'users_ruleset',
    'common_barcodescanresult',
    'plugin_pluginconfig',
    'plugin_pluginsetting',
    'report_labeltemplate',
    'report_reporttemplate',
  ],
  part_category: ['part_partcategory', 'part_partcategoryparametertemplate', 'part_partcategorystar'],
  part: [
    'part_part',
    'part_partpricing',
    'part_partsellpricebreak',
    'part_partinternalpricebreak',
    'part_parttesttemplate',
    'part_partparametertemplate',
    'part_partparameter',
    'part_partrelated',
    'part_partstar',
    'part_partstocktake',
    'part_partcategorystar',
    'part_bomitem',
    'part_bomitemsubstitute',
    'company_supplierpart',
    'company_manufacturerpart',
  ],
  stock_location: ['stock_stocklocation', 'stock_stocklocationtype'],
  stock: ['stock_stockitem', 'stock_stockitemtracking', 'stock_stockitemtestresult'],
  build: [
    'part_part',
    'part_partcategory',
    'part_bomitem',
    'part_bomitemsubstitute',
    'build_build',
    'build_builditem',
    'build_buildline',
    'stock_stockitem',
    'stock_stocklocation',
  ],
  purchase_order: [
    ...COMPANY_TABLES,
    'company_manufacturerpart',
    'company_supplierpart',
    'company_supplierpricebreak',
    'order_purchaseorder',
    'order_purchaseorderlineitem',
    'order_purchaseorderextraline',
  ],
  sales_order: [
    ...COMPANY_TABLES,
    'order_salesorder',
    'order_salesorderallocation',
    'order_salesorderlineitem',
    'order_salesorderextraline',
    'order_salesordershipment',
  ],
  return_order: [...COMPANY_TABLES, 'order_returnorder', 'order_returnorderlineitem', 'order_returnorderextraline'],
};

/** Every table some ruleset covers, in first-seen order. */
export const ALL_TABLES: readonly string[] = [...new Set(Object.values(RULESET_TABLES).flat())];

/** Django's model name of a table: `company_supplierpart` → `supplierpart`. */
export function modelNameOfTable(table: string): string {
  return table.slice(table.indexOf('_') + 1);
}

export interface RulesetGrant {
  name: string;
  can_view: unknown;
  can_add: unknown;
  can_change: unknown;
  can_delete: unknown;
}

/**
 * The implied permissions InvenTree applies when a ruleset is saved: add, change or delete
 * imply view; add or delete imply change.
 */
export function withImpliedPermissions<T extends { can_view: boolean; can_add: boolean; can_change: boolean; can_delete: boolean }>(r: T): T {
  const can_change = r.can_change || r.can_add || r.can_delete;
  const can_view = r.can_view || can_change;
  return { ...r, can_view, can_change };
}

export interface PermissionSubject {
  id: number;
  is_superuser: unknown;
  is_active: unknown;
}

/** What one user may do: built once per request from their groups' rulesets. */
export class Permissions {
  private readonly roles = new Map<string, Set<Verb>>();

  constructor(
    readonly superuser: boolean,
    grants: readonly RulesetGrant[],
  ) {
    for (const g of grants) {
      if (!isRulesetName(g.name)) continue;
      const verbs = this.roles.get(g.name) ?? new Set<Verb>();
      if (g.can_view) verbs.add('view');
      if (g.can_add) verbs.add('add');
      if (g.can_change) verbs.add('change');
      if (g.can_delete) verbs.add('delete');
      this.roles.set(g.name, verbs);
    }
  }

  /** Role check: `hasRole('stock', 'change')` is InvenTree's `stock.change`. */
  hasRole(ruleset: RulesetName, verb: Verb): boolean {
    return this.superuser || (this.roles.get(ruleset)?.has(verb) ?? false);
  }

  /** Model check: any ruleset covering the table grants the verb. */
  hasModel(table: string, verb: Verb): boolean {
    if (this.superuser) return true;
    for (const name of RULESET_NAMES) {
      if (RULESET_TABLES[name].includes(table) && this.hasRole(name, verb)) return true;
    }
    return false;
  }

  /** The `roles` object of the roles endpoint: every ruleset, verbs in order, or null. */
  rolesObject(): Record<string, Verb[] | null> {
    const out: Record<string, Verb[] | null> = {};
    for (const name of RULESET_NAMES) {
      const verbs = VERBS.filter((v) => this.hasRole(name, v));
      out[name] = verbs.length > 0 ? verbs : null;
    }
    return out;
  }

  /** The `permissions` object of the roles endpoint: model name → granted verbs. */
  permissionsObject(): Record<string, Verb[]> {
    const out: Record<string, Verb[]> = {};
    for (const table of ALL_TABLES) {
      const verbs = VERBS.filter((v) => this.hasModel(table, v));
      if (verbs.length > 0) out[modelNameOfTable(table)] = verbs;
    }
    return out;
  }
}

/** Loads a user's permissions with one query. Inactive users hold none. */
export async function loadPermissions(db: Executor, user: PermissionSubject): Promise<Permissions> {
  if (!user.is_active) return new Permissions(false, []);
  if (user.is_superuser) return new Permissions(true, []);
  const grants = await db
    .selectFrom('ruleset')
    .innerJoin('auth_user_group', 'auth_user_group.group_id', 'ruleset.group_id')
    .where('auth_user_group.user_id', '=', user.id)
    .select(['ruleset.name', 'ruleset.can_view', 'ruleset.can_add', 'ruleset.can_change', 'ruleset.can_delete'])
    .execute();
  return new Permissions(false, grants);
}
