/**
 * Serial numbers of stock items (core-api.md §7.5): expanding a request string such as
 * "1-5, 7" or "10+3" into a list, incrementing serials, the integer used for ordering, and the
 * uniqueness rule (per part template tree, or across all parts when the setting
 * SERIAL_NUMBER_GLOBALLY_UNIQUE is on). The messages are InvenTree's.
 */
import type { Executor } from '../db/transaction.js';
import type { SettingsService } from '../settings/service.js';

/** A serial-number string that cannot be expanded; `messages` are InvenTree's texts. */
export class SerialNumberError extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join('; '));
    this.name = 'SerialNumberError';
  }
}

/**
 * The serial after `serial`: the trailing digits are incremented keeping their width
 * ("A009" → "A010", "7" → "8"). A serial without trailing digits stays as it is, and no serial
 * at all gives "1".
 */
export function incrementSerial(serial: string | null | undefined): string {
  const text = (serial ?? '').trim();
  if (text === '') return '1';
  const m = /^(.*?)(\d+)$/s.exec(text);
  if (m === null) return text;
  const prefix = m[1] ?? '';
  const digits = m[2] ?? '';
  const next = (BigInt(digits) + 1n).toString().padStart(digits.length, '0');
  return `${prefix}${next}`;
}

/** The integer a serial sorts by: its first run of digits (0 when it has none), clipped to 2^31-1. */
export function serialToInt(serial: string | null | undefined): number {
  const m = /\d+/.exec(serial ?? '');
  if (m === null) return 0;
  const n = Number(m[0]);
  return Number.isFinite(n) ? Math.min(n, 0x7fffffff) : 0x7fffffff;
}

/**
 * Expands a serial-number string for `expectedQuantity` items.
 * - values separated by commas or whitespace: "1, 2 ,3";
 * - ranges "1-5"; sequences "<start>+" (as many as needed) and "<start>+<n>" (start and n more);
 * - "~" stands for the next serial after `latest`.
 * When the string holds exactly `expectedQuantity` groups, each group is taken literally.
 * Throws SerialNumberError with every problem found.
 */
export function extractSerialNumbers(input: string, expectedQuantity: number, latest: string | null): string[] {
  if (!Number.isInteger(expectedQuantity)) throw new SerialNumberError(['Invalid quantity provided']);
  let text = input.trim();
  if (text === '') throw new SerialNumberError(['Empty serial number string']);

  let next = incrementSerial(latest);
  while (text.includes('~')) {
    text = text.replace('~', next);
    next = incrementSerial(next);
  }

  const groups = text.split(/[\s,]+/);
  const serials: string[] = [];
  const errors: string[] = [];
  const addError = (message: string) => {
    if (!errors.includes(message)) errors.push(message);
  };
  const addSerial = (value: string) => {
    const serial = value.trim();
    if (serial === '') return;
    if (serials.includes(serial)) addError(`Duplicate serial: ${serial}`);
    else serials.push(serial);
  };

  if (groups.length === expectedQuantity) {
    for (const group of groups) addSerial(group);
    if (errors.length > 0) throw new SerialNumberError(errors);
    return serials;
  }

  for (const raw of groups) {
    const remaining = expectedQuantity - serials.length;
    const group = raw.trim();
    if (group.includes('-')) {
      const parts = group.split('-');
      if (parts.length !== 2) {
        addSerial(group);
        continue;
      }
      const [a, b] = parts as [string, string];
      if (a === b) {
        addError(`Invalid group range: ${group}`);
        continue;
      }
      const items: string[] = [];
      let current = a;
      let count = 0;
      while (!items.includes(current)) {
        items.push(current);
        count += 1;
        current = incrementSerial(current);
        if (current === b) {
          items.push(b);
          break;
        }
        if (count > remaining) break;
      }
      if (items.length > remaining) addError(`Group range ${group} exceeds allowed quantity (${expectedQuantity})`);
      else if (items.length > 0 && items[0] === a && items[items.length - 1] === b) for (const s of items) addSerial(s);
      else addError(`Invalid group range: ${group}`);
    } else if (group.includes('+')) {
      const parts = group.split('+');
      if (parts.length > 2) {
        addError(`Invalid group sequence: ${group}`);
        continue;
      }
      let sequenceCount = Math.max(0, expectedQuantity - serials.length);
      const countText = parts[1] ?? '';
      if (countText !== '') {
        if (!/^\s*[+-]?\d+\s*$/.test(countText)) {
          addError(`Invalid group sequence: ${group}`);
          continue;
        }
        sequenceCount = Number.parseInt(countText, 10) + 1;
      }
      const items: string[] = [];
      let value = parts[0] ?? '';
      while (!items.includes(value) && items.length < sequenceCount) {
        items.push(value);
        value = incrementSerial(value);
      }
      if (items.length === sequenceCount) for (const s of items) addSerial(s);
      else addError(`Invalid group sequence: ${group}`);
    } else {
      addSerial(group);
    }
  }

  if (errors.length > 0) throw new SerialNumberError(errors);
  if (serials.length === 0) throw new SerialNumberError(['No serial numbers found']);
  if (serials.length !== expectedQuantity) {
    throw new SerialNumberError([`Number of unique serial numbers (${serials.length}) must match quantity (${expectedQuantity})`]);
  }
  return serials;
}

/** The root of a part's template tree (the first id of its tree_path). */
export function treeRootOf(treePath: string, partId: number): number {
  const first = treePath.split('/').find((s) => s !== '');
  return first === undefined ? partId : Number(first);
}

/**
 * The serials among `serials` already used by stock of the part's template tree (of any part
 * when SERIAL_NUMBER_GLOBALLY_UNIQUE is on), in the order given. `exceptItemId` skips one item
 * (the one being edited).
 */
export async function findConflictingSerials(
  db: Executor,
  settings: SettingsService,
  partId: number,
  serials: readonly string[],
  exceptItemId?: number,
): Promise<string[]> {
  if (serials.length === 0) return [];
  let q = db.selectFrom('stock_item').select('stock_item.serial').where('stock_item.serial', 'in', [...new Set(serials)]);
  if (!(await settings.getGlobalBool('SERIAL_NUMBER_GLOBALLY_UNIQUE', db))) {
    const part = await db.selectFrom('part').select(['id', 'tree_path']).where('id', '=', partId).executeTakeFirst();
    const root = part === undefined ? partId : treeRootOf(part.tree_path, part.id);
    q = q.innerJoin('part', 'part.id', 'stock_item.part_id').where('part.tree_path', 'like', `/${root}/%`);
  }
  if (exceptItemId !== undefined) q = q.where('stock_item.id', '!=', exceptItemId);
  const taken = new Set((await q.execute()).map((r) => r.serial));
  return serials.filter((s) => taken.has(s));
}

/** The highest serial (by its integer form) used by stock of the part's template tree, or null. */
export async function latestSerialNumber(db: Executor, partId: number): Promise<string | null> {
  const part = await db.selectFrom('part').select(['id', 'tree_path']).where('id', '=', partId).executeTakeFirst();
  if (part === undefined) return null;
  const root = treeRootOf(part.tree_path, part.id);
  const row = await db
    .selectFrom('stock_item')
    .innerJoin('part', 'part.id', 'stock_item.part_id')
    .select('stock_item.serial')
    .where('part.tree_path', 'like', `/${root}/%`)
    .where('stock_item.serial', 'is not', null)
    .where('stock_item.serial', '!=', '')
    .orderBy('stock_item.serial_int', 'desc')
    .orderBy('stock_item.id', 'desc')
    .executeTakeFirst();
  return row?.serial ?? null;
}
