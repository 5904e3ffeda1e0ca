/**
 * The part variant tree (core-api.md §7.3): a part's parent is its template (`variant_of`),
 * and `part.tree_path` holds the ids of the template chain down to the part, e.g. "/3/12/".
 * Ancestors are the templates above a part, descendants its variants at any depth.
 */
import { sql } from 'kysely';
import { ancestorIds } from '../db/tree.js';
import type { Executor } from '../db/transaction.js';

/** Ids of the templates above a part, root first, from its tree_path. */
export function templateChainIds(treePath: string): number[] {
  return ancestorIds(treePath);
}

/** The tree_path of a part placed under `parentPath` (or at the root). */
export function childTreePath(parentPath: string | null, id: number): string {
  return `${parentPath === null || parentPath === '' ? '/' : parentPath}${id}/`;
}

/** The templates above a part (root first, without the part itself). */
export async function partTemplateIds(db: Executor, partId: number): Promise<number[]> {
  const row = await db.selectFrom('part').select(['tree_path', 'variant_of_id']).where('id', '=', partId).executeTakeFirst();
  if (row === undefined) return [];
  if (row.tree_path === '') return row.variant_of_id === null ? [] : [...(await partTemplateIds(db, row.variant_of_id)), row.variant_of_id];
  return templateChainIds(row.tree_path);
}

/** The part itself followed by its templates, nearest first (so-allocate line matching). */
export async function partAndTemplateIds(db: Executor, partId: number): Promise<number[]> {
  return [partId, ...(await partTemplateIds(db, partId)).reverse()];
}

/** The variants of a part at any depth, optionally with the part itself. */
export async function partVariantIds(db: Executor, partId: number, includeSelf = true): Promise<number[]> {
  const row = await db.selectFrom('part').select('tree_path').where('id', '=', partId).executeTakeFirst();
  if (row === undefined) return [];
  if (row.tree_path === '') return includeSelf ? [partId] : [];
  const rows = await db.selectFrom('part').select('id').where('tree_path', 'like', `${row.tree_path}%`).orderBy('id').execute();
  return rows.map((r) => r.id).filter((id) => includeSelf || id !== partId);
}

/** True when `candidateId` is `partId` itself or one of its variants. */
export async function isPartSelfOrVariant(db: Executor, partId: number, candidateId: number): Promise<boolean> {
  if (partId === candidateId) return true;
  const row = await db.selectFrom('part').select('tree_path').where('id', '=', candidateId).executeTakeFirst();
  return row !== undefined && row.tree_path.includes(`/${partId}/`);
}

/**
 * Sets the tree_path of a part (after insert, or after its `variant_of` changed) and rewrites
 * the paths of all its variants. Call inside the writing transaction.
 */
export async function placePartInTree(db: Executor, partId: number): Promise<void> {
  const row = await db.selectFrom('part').select(['tree_path', 'variant_of_id']).where('id', '=', partId).executeTakeFirst();
  if (row === undefined) return;
  let parentPath: string | null = null;
  if (row.variant_of_id !== null) {
    const parent = await db.selectFrom('part').select('tree_path').where('id', '=', row.variant_of_id).executeTakeFirst();
    parentPath = parent?.tree_path ?? null;
  }
  const newPath = childTreePath(parentPath, partId);
  const oldPath = row.tree_path;
  if (oldPath === newPath) return;
  if (oldPath === '') {
    await db.updateTable('part').set({ tree_path: newPath }).where('id', '=', partId).execute();
    return;
  }
  await db
    .updateTable('part')
    .set({ tree_path: sql<string>`cast(${newPath} as varchar(2000)) || substr(tree_path, ${sql.lit(oldPath.length + 1)})` })
    .where('tree_path', 'like', `${oldPath}%`)
    .execute();
}
