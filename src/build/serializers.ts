/** The Build (build order) API object (core-api.md §7.15), built in batches for a page of rows. */
import { Type, type Static } from '@sinclair/typebox';
import type { Selectable } from 'kysely';
import { barcodeHashesOfRows } from '../barcode/links.js';
import type { BuildTable } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { Nullable } from '../http/schema.js';
import { fullName, loadPartBriefs, PartBriefSchema } from '../part/brief.js';
import { BUILD_ACTIVE, BuildStatus, statusLabel } from '../status/enums.js';
import { isOverdue, loadNestedUsers, NestedUserSchema } from '../order/common.js';

export type BuildRow = Selectable<BuildTable>;

export const BuildSchema = Type.Object({
  pk: Type.Integer(),
  title: Type.String(),
  barcode_hash: Type.String(),
  batch: Nullable(Type.String()),
  creation_date: Nullable(Type.String()),
  completed: Type.Number(),
  completion_date: Nullable(Type.String()),
  destination: Nullable(Type.Integer()),
  external: Type.Boolean(),
  parent: Nullable(Type.Integer()),
  part: Type.Integer(),
  part_name: Type.String(),
  part_detail: Type.Optional(Nullable(PartBriefSchema)),
  project_code: Nullable(Type.Integer()),
  project_code_label: Nullable(Type.String()),
  project_code_detail: Nullable(Type.Object({}, { additionalProperties: true })),
  overdue: Type.Boolean(),
  reference: Type.String(),
  sales_order: Nullable(Type.Integer()),
  quantity: Type.Number(),
  start_date: Nullable(Type.String()),
  status: Type.Integer(),
  status_text: Type.String(),
  status_custom_key: Type.Integer(),
  target_date: Nullable(Type.String()),
  take_from: Nullable(Type.Integer()),
  notes: Type.Optional(Type.String()),
  link: Type.String(),
  issued_by: Nullable(Type.Integer()),
  issued_by_detail: NestedUserSchema,
  responsible: Nullable(Type.Integer()),
  responsible_detail: Nullable(Type.Object({}, { additionalProperties: true })),
  priority: Type.Integer(),
  level: Type.Integer(),
});
export type BuildBody = Static<typeof BuildSchema>;

export interface BuildOptions {
  partDetail?: boolean;
  notes?: boolean;
}

/** Depth of each build in its parent tree (0 for a build without parent), walking up in batches. */
export async function buildLevels(db: Executor, rows: readonly { id: number; parent_id: number | null }[]): Promise<Map<number, number>> {
  const parentOf = new Map<number, number | null>(rows.map((r) => [r.id, r.parent_id]));
  let missing = [...new Set(rows.map((r) => r.parent_id).filter((p): p is number => p !== null && !parentOf.has(p)))];
  for (let guard = 0; missing.length > 0 && guard < 1000; guard++) {
    const found = await db.selectFrom('build').select(['id', 'parent_id']).where('id', 'in', missing).execute();
    for (const b of found) parentOf.set(b.id, b.parent_id);
    for (const id of missing) if (!parentOf.has(id)) parentOf.set(id, null);
    missing = [...new Set(found.map((b) => b.parent_id).filter((p): p is number => p !== null && !parentOf.has(p)))];
  }
  const levels = new Map<number, number>();
  for (const r of rows) {
    let level = 0;
    const seen = new Set<number>([r.id]);
    for (let p = r.parent_id; p !== null && p !== undefined && !seen.has(p); p = parentOf.get(p) ?? null) {
      seen.add(p);
      level += 1;
    }
    levels.set(r.id, level);
  }
  return levels;
}

export async function serializeBuilds(db: Executor, rows: readonly BuildRow[], opts: BuildOptions = {}): Promise<BuildBody[]> {
  if (rows.length === 0) return [];
  const partIds = rows.map((r) => r.part_id);
  const [hashes, parts, names, users, levels] = await Promise.all([
    barcodeHashesOfRows(db, 'build', rows),
    opts.partDetail ? loadPartBriefs(db, partIds) : Promise.resolve(new Map()),
    db.selectFrom('part').select(['id', 'name', 'ipn', 'revision']).where('id', 'in', [...new Set(partIds)]).execute(),
    loadNestedUsers(
      db,
      rows.map((r) => r.issued_by_id),
    ),
    buildLevels(db, rows),
  ]);
  const partNames = new Map(names.map((p) => [p.id, fullName(p)]));
  return rows.map((r) => {
    const status = Number(r.status);
    const body: BuildBody = {
      pk: r.id,
      title: r.title,
      barcode_hash: hashes.get(r.id) ?? '',
      batch: r.batch,
      creation_date: r.creation_date,
      completed: Number(r.completed),
      completion_date: r.completion_date,
      destination: r.destination_id,
      external: Boolean(r.external),
      parent: r.parent_id,
      part: r.part_id,
      part_name: partNames.get(r.part_id) ?? '',
      project_code: null,
      project_code_label: null,
      project_code_detail: null,
      overdue: isOverdue(r.target_date, status, BUILD_ACTIVE),
      reference: r.reference,
      sales_order: r.sales_order_id,
      quantity: Number(r.quantity),
      start_date: r.start_date,
      status,
      status_text: statusLabel(BuildStatus, status),
      status_custom_key: status,
      target_date: r.target_date,
      take_from: r.take_from_id,
      link: r.link,
      issued_by: r.issued_by_id,
      issued_by_detail: r.issued_by_id === null ? null : (users.get(r.issued_by_id) ?? null),
      responsible: null,
      responsible_detail: null,
      priority: Number(r.priority),
      level: levels.get(r.id) ?? 0,
    };
    if (opts.partDetail) body.part_detail = parts.get(r.part_id) ?? null;
    if (opts.notes) body.notes = r.notes;
    return body;
  });
}
