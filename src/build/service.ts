/** Build-order writes (core-api.md §7.15): create, update, delete. Status changes are not part of this API slice. */
import { deleteBarcodeLinks } from '../barcode/links.js';
import type { Database } from '../db/connection.js';
import { inTransaction, type Executor } from '../db/transaction.js';
import { notFound, ValidationError } from '../http/errors.js';
import { insertWithReference, resolveReference, uniqueReference } from '../order/common.js';
import type { SettingsService } from '../settings/service.js';
import { today } from '../util/time.js';
import type { BuildInput } from './forms.js';
import type { BuildRow } from './serializers.js';

export const BUILD_STATUS = { PENDING: 10, PRODUCTION: 20, ON_HOLD: 25, CANCELLED: 30, COMPLETE: 40 } as const;

export async function requireBuild(db: Executor, id: number): Promise<BuildRow> {
  const row = await db.selectFrom('build').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('Build');
  return row;
}

function buildColumns(input: Partial<BuildInput>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const map: Record<string, string> = {
    part: 'part_id',
    destination: 'destination_id',
    take_from: 'take_from_id',
    parent: 'parent_id',
    sales_order: 'sales_order_id',
  };
  for (const key of ['title', 'part', 'quantity', 'batch', 'destination', 'take_from', 'parent', 'sales_order', 'start_date', 'target_date', 'external', 'priority', 'link', 'notes'] as const) {
    if (input[key] !== undefined) out[map[key] ?? key] = input[key];
  }
  return out;
}

/** A build cannot become its own parent, or the child of one of its descendants. */
async function checkParent(db: Executor, buildId: number, parentId: number | null | undefined): Promise<void> {
  if (parentId === null || parentId === undefined) return;
  const seen = new Set<number>();
  for (let p: number | null = parentId; p !== null && !seen.has(p); ) {
    if (p === buildId) throw new ValidationError({ parent: ['A build order cannot be its own parent or the parent of its ancestors'] });
    seen.add(p);
    const row: { parent_id: number | null } | undefined = await db.selectFrom('build').select('parent_id').where('id', '=', p).executeTakeFirst();
    p = row?.parent_id ?? null;
  }
}

export async function createBuild(database: Database, settings: SettingsService, input: BuildInput, userId: number | null): Promise<number> {
  return insertWithReference(database, settings, 'build', input.reference, async (ref) => {
    const row = await database.kysely
      .insertInto('build')
      .values({
        ...buildColumns(input),
        reference: ref.reference,
        reference_int: ref.reference_int,
        status: BUILD_STATUS.PENDING,
        creation_date: today(),
        issued_by_id: userId,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

export async function updateBuild(database: Database, settings: SettingsService, build: BuildRow, input: Partial<BuildInput>): Promise<void> {
  const changes = buildColumns(input);
  if (input.reference !== undefined && input.reference !== build.reference) {
    const ref = await resolveReference(database.kysely, settings, 'build', input.reference, build.id);
    changes.reference = ref.reference;
    changes.reference_int = ref.reference_int;
  }
  await checkParent(database.kysely, build.id, input.parent);
  if (Object.keys(changes).length === 0) return;
  await uniqueReference('build', database.kysely.updateTable('build').set(changes).where('id', '=', build.id).execute());
}

/** Only a cancelled build order may be deleted (InvenTree's BuildDetail.destroy). */
export async function deleteBuild(database: Database, build: BuildRow): Promise<void> {
  if (Number(build.status) !== BUILD_STATUS.CANCELLED) {
    throw new ValidationError({ non_field_errors: ['Build must be cancelled before it can be deleted'] });
  }
  await inTransaction(database, async (trx) => {
    await deleteBarcodeLinks(trx, 'build', [build.id]);
    await trx.deleteFrom('build').where('id', '=', build.id).execute();
  });
}
