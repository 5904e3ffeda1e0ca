/**
 * The first page of the stock list without sorting the whole table.
 *
 * The list's default ordering starts with the part name (core-api.md §7.5), a column of another
 * table, so no index on `stock_item` delivers it: the database joins and sorts every item to
 * answer the first 25 (1.7 s at a million items). But the items of the parts that come first by
 * name are a prefix of that ordering. Walking the parts in name order and counting their items
 * (one indexed count per batch of parts) finds the few parts whose items hold the first
 * `offset + limit` rows; the page is then sorted from those items alone.
 */
import type { Executor } from '../db/transaction.js';

/** Past this many parts the `in (...)` list would outgrow its use; the full sort is used. */
const MAX_PARTS = 2000;
/** Parts read per step: small first (the first page usually needs one or two), then growing. */
const FIRST_STEP = 2;
const MAX_STEP = 500;

/**
 * The ids of the parts, in name order (`desc`: reversed), whose stock items include the first
 * `needed` rows of any ordering that starts with the part name; all parts that share the name
 * of the last one are included, since their items interleave in the ordering. Undefined when
 * that takes more than MAX_PARTS parts.
 */
export async function partsHoldingFirstItems(db: Executor, needed: number, desc: boolean): Promise<number[] | undefined> {
  const direction = desc ? 'desc' : 'asc';
  const chosen: number[] = [];
  let covered = 0;
  let lastName: string | undefined;
  let after: { id: number; name: string } | undefined;
  for (let step = FIRST_STEP; ; step = Math.min(step * 4, MAX_STEP)) {
    let next = db.selectFrom('part').select(['id', 'name']).orderBy('name', direction).orderBy('id', direction).limit(step);
    if (after !== undefined) {
      const { id, name } = after;
      const beyond = desc ? '<' : '>';
      next = next.where((eb) => eb.or([eb('name', beyond, name), eb.and([eb('name', '=', name), eb('id', beyond, id)])]));
    }
    const parts = await next.execute();
    if (parts.length === 0) return chosen;
    const counts = await db
      .selectFrom('stock_item')
      .select((eb) => ['part_id', eb.fn.countAll<number>().as('n')])
      .where(
        'part_id',
        'in',
        parts.map((p) => p.id),
      )
      .groupBy('part_id')
      .execute();
    const itemsOf = new Map(counts.map((c) => [c.part_id, Number(c.n)]));
    for (const part of parts) {
      if (covered >= needed && part.name !== lastName) return chosen;
      if (chosen.length >= MAX_PARTS) return undefined;
      chosen.push(part.id);
      covered += itemsOf.get(part.id) ?? 0;
      lastName = part.name;
    }
    after = parts[parts.length - 1];
  }
}
