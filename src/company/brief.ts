/** CompanyBrief, the `*_detail` object for companies (core-api.md §7.1). */
import { Type, type Static } from '@sinclair/typebox';
import { prepared } from '../db/prepared.js';
import type { Executor } from '../db/transaction.js';
import { Nullable } from '../http/schema.js';

export const CompanyBriefSchema = Type.Object({
  pk: Type.Integer(),
  active: Type.Boolean(),
  name: Type.String(),
  description: Type.String(),
  image: Nullable(Type.String()),
  thumbnail: Nullable(Type.String()),
  currency: Type.String(),
  tax_id: Type.String(),
});
export type CompanyBrief = Static<typeof CompanyBriefSchema>;

const companyBriefQuery = prepared((db, a: { ids: number[] }) =>
  db.selectFrom('company').select(['id', 'active', 'name', 'description', 'currency', 'tax_id']).where('id', 'in', a.ids),
);

export async function loadCompanyBriefs(db: Executor, ids: readonly (number | null)[]): Promise<Map<number, CompanyBrief>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await companyBriefQuery.execute(db, { ids: wanted });
  return new Map(
    rows.map((r) => [
      r.id,
      { pk: r.id, active: Boolean(r.active), name: r.name, description: r.description, image: null, thumbnail: null, currency: r.currency, tax_id: r.tax_id },
    ]),
  );
}
