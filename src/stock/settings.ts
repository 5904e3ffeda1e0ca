/**
 * Boolean global settings read through the caller's executor. Stock services run inside a
 * transaction, and on SQLite the one connection belongs to that transaction: a read through
 * the shared SettingsService would wait for it forever.
 */
import type { Executor } from '../db/transaction.js';
import { coerceBoolean } from '../http/fields.js';
import { GLOBAL_SETTINGS } from '../settings/definitions.js';

export async function globalBool(db: Executor, key: string): Promise<boolean> {
  const def = GLOBAL_SETTINGS.find((s) => s.key === key);
  if (def === undefined) throw new Error(`unknown global setting ${key}`);
  const row = await db.selectFrom('setting_global').select('value').where('key', '=', key).executeTakeFirst();
  return coerceBoolean(row?.value ?? def.default) ?? false;
}
