/**
 * The two trees (part categories and stock locations). Each node stores its `parent_id`,
 * `level`, `pathstring` (names from the root joined by "/") and `tree_path` (ids from the
 * root, "/1/4/9/"), so "this node and everything below it" is one indexed prefix match.
 * Moving or renaming a node rewrites its subtree in the caller's transaction.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from './transaction.js';

export type TreeTable = 'part_category' | 'stock_location';

export const PATHSTRING_MAX = 250;

/** InvenTree's pathstring: names joined by "/", the middle elided when over 250 characters. */
export function buildPathstring(names: readonly string[]): string {
  const path = names.join('/');
  if (path.length <= PATHSTRING_MAX) return path;
  const keep = PATHSTRING_MAX - 3;
  return `${path.slice(0, Math.ceil(keep / 2))}...${path.slice(path.length - Math.floor(keep / 2))}`;
}

interface NodeRow {
  id: number;
  name: string;
  parent_id: number | null;
  tree_path: string;
  pathstring: string;
  level: number;
}

async function loadNode(db: Executor, table: TreeTable, id: number): Promise<NodeRow | undefined> {
  return db.selectFrom(table).select(['id', 'name', 'parent_id', 'tree_path', 'pathstring', 'level']).where('id', '=', id).executeTakeFirst();
}

/** Ids of the node's ancestors, root first (from its tree_path). */
export function ancestorIds(treePath: string): number[] {
  return treePath
    .split('/')
    .filter((s) => s !== '')
    .map(Number)
    .slice(0, -1);
}

/** Sets tree_path, level and pathstring of a freshly inserted node. */
export async function placeNewNode(db: Executor, table: TreeTable, id: number): Promise<void> {
  const node = await loadNode(db, table, id);
  if (node === undefined) throw new Error(`${table} ${id} not found`);
  const parent = node.parent_id === null ? undefined : await loadNode(db, table, node.parent_id);
  const names = parent === undefined ? [node.name] : [...(await namesFromRoot(db, table, parent)), node.name];
  await db
    .updateTable(table)
    .set({ tree_path: `${parent?.tree_path ?? '/'}${id}/`, level: parent === undefined ? 0 : parent.level + 1, pathstring: buildPathstring(names) })
    .where('id', '=', id)
    .execute();
}

/**
 * `column` names `nodeId` or a node below it. Also serves the part variant tree, whose
 * `part.tree_path` follows the same scheme.
 */
export function subtreeCondition(table: TreeTable | 'part', column: string | Expression<unknown>, nodeId: number): RawBuilder<SqlBool> {
  const ref = typeof column === 'string' ? sql.ref(column) : column;
  return sql<SqlBool>`${ref} in (select n.id from ${sql.table(table)} n where n.tree_path like ${`%/${Math.trunc(nodeId)}/%`})`;
}

/** True when `candidateId` is `nodeId` itself or one of its descendants. */
export async function isSelfOrDescendant(db: Executor, table: TreeTable, nodeId: number, candidateId: number): Promise<boolean> {
  const candidate = await loadNode(db, table, candidateId);
  return candidate !== undefined && candidate.tree_path.includes(`/${nodeId}/`);
}

/**
 * Recomputes tree_path, level and pathstring for a node and all its descendants, after its
 * name or parent changed.
 */
export async function rebuildSubtree(db: Executor, table: TreeTable, id: number): Promise<void> {
  const node = await loadNode(db, table, id);
  if (node === undefined) return;
  const oldPrefix = node.tree_path;
  const subtree = await db
    .selectFrom(table)
    .select(['id', 'name', 'parent_id', 'tree_path', 'pathstring', 'level'])
    .where('tree_path', 'like', `${oldPrefix}%`)
    .execute();
  const parent = node.parent_id === null ? undefined : await loadNode(db, table, node.parent_id);
  const byParent = new Map<number | null, NodeRow[]>();
  for (const row of subtree) {
    if (row.id === id) continue;
    const list = byParent.get(row.parent_id) ?? [];
    list.push(row);
    byParent.set(row.parent_id, list);
  }
  const parentNames = parent === undefined ? [] : await namesFromRoot(db, table, parent);
  const visit = async (row: NodeRow, prefix: string, names: string[], level: number) => {
    const treePath = `${prefix}${row.id}/`;
    const path = [...names, row.name];
    await db.updateTable(table).set({ tree_path: treePath, level, pathstring: buildPathstring(path) }).where('id', '=', row.id).execute();
    for (const child of byParent.get(row.id) ?? []) await visit(child, treePath, path, level + 1);
  };
  await visit(node, parent?.tree_path ?? '/', parentNames, parent === undefined ? 0 : parent.level + 1);
}

async function namesFromRoot(db: Executor, table: TreeTable, node: NodeRow): Promise<string[]> {
  const ids = [...ancestorIds(node.tree_path), node.id];
  const rows = await db.selectFrom(table).select(['id', 'name']).where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r.name]));
  return ids.map((i) => byId.get(i) ?? '');
}

/** True when a sibling (same parent) other than `exceptId` already has this name. */
export async function siblingNameTaken(db: Executor, table: TreeTable, parentId: number | null, name: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom(table).select('id').where('name', '=', name);
  q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}
