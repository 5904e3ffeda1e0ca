/**
 * Order references (core-api.md §7.8): each kind of order has a pattern setting such as
 * `PO-{ref:04d}`. A reference must match its pattern (the `{ref}` placeholder matches one or
 * more digits, so `PO-7` and `PO-0007` are both valid); when omitted, the next one is the
 * highest number so far plus one, formatted with the pattern.
 */
import { ValidationError } from '../http/errors.js';
import type { Executor } from '../db/transaction.js';
import { MAX_INTEGER } from '../db/keys.js';

export type ReferencedTable = 'purchase_order' | 'sales_order' | 'return_order' | 'build';

export const REFERENCE_SETTINGS: Record<ReferencedTable, string> = {
  purchase_order: 'PURCHASEORDER_REFERENCE_PATTERN',
  sales_order: 'SALESORDER_REFERENCE_PATTERN',
  return_order: 'RETURNORDER_REFERENCE_PATTERN',
  build: 'BUILDORDER_REFERENCE_PATTERN',
};

const PLACEHOLDER = /\{ref(?::(0?)(\d+)d)?\}/;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function referenceRegex(pattern: string): RegExp {
  const m = PLACEHOLDER.exec(pattern);
  if (m === null) return new RegExp(`^${escapeRegex(pattern)}$`);
  const before = pattern.slice(0, m.index);
  const after = pattern.slice(m.index + m[0].length);
  return new RegExp(`^${escapeRegex(before)}(\\d+)${escapeRegex(after)}$`);
}

export function formatReference(pattern: string, n: number): string {
  return pattern.replace(PLACEHOLDER, (_all, zero: string | undefined, width: string | undefined) => {
    const digits = String(n);
    if (width === undefined) return digits;
    return digits.padStart(Number(width), zero === '0' ? '0' : ' ').replace(/ /g, '0');
  });
}

/** Checks a reference against the pattern and returns its number. */
export function parseReference(pattern: string, reference: string): number {
  if (reference.trim() === '') throw new ValidationError({ reference: ['Reference field cannot be empty'] });
  const m = referenceRegex(pattern).exec(reference);
  if (m === null) throw new ValidationError({ reference: [`Reference must match required pattern: ${pattern}`] });
  const n = m[1] === undefined ? 0 : Number.parseInt(m[1], 10);
  return Number.isSafeInteger(n) && n <= MAX_INTEGER ? n : MAX_INTEGER;
}

/** The next reference: highest number so far plus one. */
export async function nextReference(db: Executor, table: ReferencedTable, pattern: string): Promise<{ reference: string; number: number }> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('reference_int').as('top'))
    .executeTakeFirst();
  let n = Number(row?.top ?? 0) + 1;
  // Skip numbers whose formatted reference is already taken (e.g. set by hand).
  for (;;) {
    const reference = formatReference(pattern, n);
    const taken = await db.selectFrom(table).select('id').where('reference', '=', reference).executeTakeFirst();
    if (taken === undefined) return { reference, number: n };
    n += 1;
  }
}
