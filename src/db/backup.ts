/**
 * Online backup of a SQLite database (`stockscan backup <file>`): SQLite's backup API copies a
 * consistent snapshot while the server keeps serving; the copy is then checked with
 * `integrity_check` before it is reported as done.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { betterSqlite3 } from './drivers.js';

export class BackupError extends Error {}

export async function backupSqlite(source: string, target: string): Promise<{ file: string; pages: number }> {
  const file = resolve(target);
  if (!existsSync(source)) throw new BackupError(`no database at ${source}`);
  if (existsSync(file)) throw new BackupError(`${file} exists already; choose a new file name`);
  const Sqlite = betterSqlite3();
  const db = new Sqlite(source, { readonly: true, fileMustExist: true });
  let pages = 0;
  try {
    db.pragma('busy_timeout = 10000');
    const result = await db.backup(file);
    pages = result.totalPages;
  } finally {
    db.close();
  }
  const copy = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`the copy failed its integrity check: ${String(check)}`);
  } finally {
    copy.close();
  }
  return { file, pages };
}
