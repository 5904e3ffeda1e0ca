/**
 * Stock location rules and writes (core-api.md §7.4): the tree (db/tree.ts), unique names among
 * siblings, no cycles, structural locations, and deletion that hands child locations and stock
 * items to the parent unless asked to delete them.
 */
import { deleteBarcodeLinks } from '../barcode/links.js';
import { isSelfOrDescendant, placeNewNode, rebuildSubtree, siblingNameTaken } from '../db/tree.js';
import type { Executor } from '../db/transaction.js';
import { ValidationError } from '../http/errors.js';
import { deleteStockItems } from './items-service.js';

export const DUPLICATE_NAME_MESSAGE = 'Duplicate names cannot exist under the same parent';
export const STRUCTURAL_WITH_ITEMS_MESSAGE = 'You cannot make this stock location structural because some stock items are already located into it!';

export interface LocationValues {
  name?: string;
  description?: string;
  parent?: number | null;
  structural?: boolean;
  external?: boolean;
  custom_icon?: string;
}

/** Creates a location (checks included); returns its id. Run inside a transaction. */
export async function createLocation(db: Executor, values: LocationValues & { name: string }): Promise<number> {
  const parent = values.parent ?? null;
  if (await siblingNameTaken(db, 'stock_location', parent, values.name)) throw new ValidationError({ non_field_errors: [DUPLICATE_NAME_MESSAGE] });
  const { id } = await db
    .insertInto('stock_location')
    .values({
      name: values.name,
      description: values.description ?? '',
      parent_id: parent,
      structural: values.structural ?? false,
      external: values.external ?? false,
      custom_icon: values.custom_icon ?? '',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await placeNewNode(db, 'stock_location', id);
  return id;
}

/** Changes a location (checks included): re-parenting and renaming rebuild its subtree. */
export async function updateLocation(db: Executor, id: number, values: LocationValues): Promise<void> {
  const current = await db.selectFrom('stock_location').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const name = values.name ?? current.name;
  const parent = values.parent === undefined ? current.parent_id : values.parent;
  if (parent !== null && (await isSelfOrDescendant(db, 'stock_location', id, parent))) {
    throw new ValidationError({ parent: ['Invalid choice'] });
  }
  if (values.structural === true && !Boolean(current.structural)) {
    const item = await db.selectFrom('stock_item').select('id').where('location_id', '=', id).executeTakeFirst();
    if (item !== undefined) throw new ValidationError({ non_field_errors: [STRUCTURAL_WITH_ITEMS_MESSAGE] });
  }
  if (await siblingNameTaken(db, 'stock_location', parent, name, id)) throw new ValidationError({ non_field_errors: [DUPLICATE_NAME_MESSAGE] });
  const changes: Record<string, unknown> = {};
  for (const key of ['description', 'structural', 'external', 'custom_icon'] as const) {
    if (values[key] !== undefined) changes[key] = values[key];
  }
  changes.name = name;
  changes.parent_id = parent;
  await db.updateTable('stock_location').set(changes).where('id', '=', id).execute();
  if (name !== current.name || parent !== current.parent_id) await rebuildSubtree(db, 'stock_location', id);
}

/**
 * Deletes a location. By default its child locations and its stock items move to its parent;
 * `deleteSubLocations` deletes the whole subtree (its stock then moves to the parent unless
 * `deleteStockItems`), `deleteStockItems` deletes the stock (of the location, or of the whole
 * subtree). Barcode links of deleted objects go too. Run inside a transaction.
 */
export async function deleteLocation(db: Executor, id: number, opts: { deleteSubLocations: boolean; deleteStockItems: boolean }): Promise<void> {
  const node = await db.selectFrom('stock_location').select(['id', 'parent_id', 'tree_path']).where('id', '=', id).executeTakeFirstOrThrow();
  const parent = node.parent_id;
  const subtree = await db.selectFrom('stock_location').select(['id', 'tree_path']).where('tree_path', 'like', `${node.tree_path}%`).execute();
  const below = subtree.filter((s) => s.id !== id).map((s) => s.id);
  const itemScope = opts.deleteSubLocations ? [id, ...below] : [id];

  const items = await db.selectFrom('stock_item').select('id').where('location_id', 'in', itemScope).execute();
  if (opts.deleteStockItems) await deleteStockItems(db, items.map((i) => i.id));
  else if (items.length > 0) await db.updateTable('stock_item').set({ location_id: parent }).where('location_id', 'in', itemScope).execute();

  if (opts.deleteSubLocations) {
    if (below.length > 0) {
      await db.updateTable('stock_location').set({ parent_id: null }).where('id', 'in', below).execute();
      await deleteBarcodeLinks(db, 'stocklocation', below);
      await db.deleteFrom('stock_location').where('id', 'in', below).execute();
    }
  } else {
    const children = await db.selectFrom('stock_location').select('id').where('parent_id', '=', id).execute();
    if (children.length > 0) {
      await db.updateTable('stock_location').set({ parent_id: parent }).where('parent_id', '=', id).execute();
      for (const c of children) await rebuildSubtree(db, 'stock_location', c.id);
    }
  }
  await deleteBarcodeLinks(db, 'stocklocation', [id]);
  await db.deleteFrom('stock_location').where('id', '=', id).execute();
}
