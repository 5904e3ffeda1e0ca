/**
 * Part categories (core-api.md §7.2): a tree kept with db/tree.ts. Sibling names are unique,
 * a category cannot move under itself or one of its descendants, a category holding parts
 * cannot become structural, and deleting a category hands its children and parts to its
 * parent (InvenTree's default). Every write runs in one transaction.
 */
import type { Database } from '../db/connection.js';
import { rowExists } from '../db/exists.js';
import { inTransaction, lockForCheck, type Executor } from '../db/transaction.js';
import { isSelfOrDescendant, placeNewNode, rebuildSubtree, siblingNameTaken } from '../db/tree.js';
import { notFound, ValidationError } from '../http/errors.js';
import * as f from '../http/fields.js';
import { CATEGORY_COLUMNS, type CategoryRow } from './category-serializers.js';
import { cleanStrings } from '../text/sanitize.js';

export const DUPLICATE_SIBLING = 'Duplicate names cannot exist under the same parent';
export const STRUCTURAL_WITH_PARTS = 'You cannot make this part category structural because some parts are already assigned to it!';

export const categoryExists = rowExists('part_category');
export const locationExists = rowExists('stock_location');

function categoryForm(partial: boolean) {
  return f.object({
    name: f.string({ maxLength: 100, required: !partial, description: 'Name' }),
    description: f.string({ maxLength: 250, allowBlank: true, required: false, description: 'Description (optional)' }),
    parent: f.pk({ exists: categoryExists, nullable: true, required: false, description: 'Parent category' }),
    default_location: f.pk({ exists: locationExists, nullable: true, required: false, description: 'Default location for parts in this category' }),
    default_keywords: f.string({ maxLength: 250, allowBlank: true, nullable: true, required: false, description: 'Default keywords for parts in this category' }),
    structural: f.boolean({ required: false, description: 'Parts may not be directly assigned to a structural category' }),
    icon: f.string({ maxLength: 100, allowBlank: true, nullable: true, required: false, description: 'Icon (optional)' }),
  });
}

export const CategoryCreateForm = categoryForm(false);
export const CategoryUpdateForm = categoryForm(true);
export type CategoryInput = f.Infer<typeof CategoryUpdateForm>;

export async function loadCategoryRow(db: Executor, id: number): Promise<CategoryRow> {
  const row = await db.selectFrom('part_category').select(CATEGORY_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('PartCategory');
  return row;
}

function columnsOf(input: CategoryInput) {
  const body = cleanStrings(input as Record<string, unknown>) as CategoryInput;
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.parent !== undefined ? { parent_id: body.parent } : {}),
    ...(body.default_location !== undefined ? { default_location_id: body.default_location } : {}),
    ...(body.default_keywords !== undefined ? { default_keywords: body.default_keywords ?? '' } : {}),
    ...(body.structural !== undefined ? { structural: body.structural } : {}),
    ...(body.icon !== undefined ? { icon: body.icon ?? '' } : {}),
  };
}

export async function createCategory(database: Database, input: f.Infer<typeof CategoryCreateForm>): Promise<number> {
  return inTransaction(database, async (trx) => {
    await lockForCheck(trx, database.dialect, 'part_category');
    const values = columnsOf(input);
    const name = values.name ?? '';
    const parent = values.parent_id ?? null;
    if (await siblingNameTaken(trx, 'part_category', parent, name)) throw new ValidationError({ non_field_errors: [DUPLICATE_SIBLING] });
    const row = await trx
      .insertInto('part_category')
      .values({ ...values, name })
      .returning('id')
      .executeTakeFirstOrThrow();
    await placeNewNode(trx, 'part_category', row.id);
    return row.id;
  });
}

export async function updateCategory(database: Database, id: number, input: CategoryInput): Promise<void> {
  await inTransaction(database, async (trx) => {
    await lockForCheck(trx, database.dialect, 'part_category');
    const current = await loadCategoryRow(trx, id);
    const values = columnsOf(input);
    const name = values.name ?? current.name;
    const parent = values.parent_id !== undefined ? values.parent_id : current.parent_id;
    const moved = parent !== current.parent_id;
    const errors: Record<string, string[]> = {};
    if (moved && parent !== null && (await isSelfOrDescendant(trx, 'part_category', id, parent))) errors.parent = ['Invalid choice'];
    if (values.structural === true && !Boolean(current.structural)) {
      const direct = await trx.selectFrom('part').select('id').where('category_id', '=', id).executeTakeFirst();
      if (direct !== undefined) errors.non_field_errors = [STRUCTURAL_WITH_PARTS];
    }
    if (Object.keys(errors).length === 0 && (moved || name !== current.name) && (await siblingNameTaken(trx, 'part_category', parent, name, id))) {
      errors.non_field_errors = [DUPLICATE_SIBLING];
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    if (Object.keys(values).length > 0) await trx.updateTable('part_category').set(values).where('id', '=', id).execute();
    if (moved || name !== current.name) await rebuildSubtree(trx, 'part_category', id);
  });
}

/**
 * Deletes a category; its child categories and its parts move up to its parent, and the
 * moved subtrees get their paths rebuilt, all in one transaction.
 */
export async function deleteCategory(database: Database, id: number): Promise<void> {
  await inTransaction(database, async (trx) => {
    await lockForCheck(trx, database.dialect, 'part_category');
    const current = await loadCategoryRow(trx, id);
    const children = await trx.selectFrom('part_category').select('id').where('parent_id', '=', id).execute();
    await trx.updateTable('part_category').set({ parent_id: current.parent_id }).where('parent_id', '=', id).execute();
    await trx.updateTable('part').set({ category_id: current.parent_id }).where('category_id', '=', id).execute();
    await trx.deleteFrom('part_category').where('id', '=', id).execute();
    for (const child of children) await rebuildSubtree(trx, 'part_category', child.id);
  });
}
