/** LocationBrief, the `location_detail` object (core-api.md §7.4): `{pk, name, pathstring}`. */
import { Type, type Static } from '@sinclair/typebox';
import type { Executor } from '../db/transaction.js';

export const LocationBriefSchema = Type.Object({ pk: Type.Integer(), name: Type.String(), pathstring: Type.String() });
export type LocationBrief = Static<typeof LocationBriefSchema>;

export async function loadLocationBriefs(db: Executor, ids: readonly (number | null)[]): Promise<Map<number, LocationBrief>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('stock_location').select(['id', 'name', 'pathstring']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, { pk: r.id, name: r.name, pathstring: r.pathstring }]));
}
