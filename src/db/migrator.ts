import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Database, DialectName } from './connection.js';
import * as m0001 from './migrations/0001-platform.js';
import * as m0002 from './migrations/0002-inventory.js';
import * as m0003 from './migrations/0003-barcode.js';
import * as m0004 from './migrations/0004-barcode-extras.js';
import * as m0005 from './migrations/0005-performance.js';
import * as m0006 from './migrations/0006-unmatched-index.js';
import * as m0007 from './migrations/0007-supplier-lookups.js';
import * as m0008 from './migrations/0008-no-unmatched-index.js';

interface DialectMigration {
  up(db: Kysely<any>, dialect: DialectName): Promise<void>;
}

/** Every migration in order. Names are fixed once released: never rename or edit a released one. */
const MIGRATIONS: ReadonlyArray<[string, DialectMigration]> = [
  ['0001-platform', m0001],
  ['0002-inventory', m0002],
  ['0003-barcode', m0003],
  ['0004-barcode-extras', m0004],
  ['0005-performance', m0005],
  ['0006-unmatched-index', m0006],
  ['0007-supplier-lookups', m0007],
  ['0008-no-unmatched-index', m0008],
];

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, migration] of MIGRATIONS) {
      out[name] = { up: (db) => migration.up(db, this.dialect) };
    }
    return out;
  }
}

export class MigrationError extends Error {}

/** Applies every pending migration; each one runs in its own transaction. Returns the names applied. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = new Migrator({
    db: database.kysely,
    provider: new StaticMigrationProvider(database.dialect),
    migrationTableName: 'stockscan_migration',
    migrationLockTableName: 'stockscan_migration_lock',
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationError(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
