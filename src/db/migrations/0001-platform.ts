import type { Kysely } from 'kysely';
import type { DialectName } from '../connection.js';
import { withId } from '../migration-helpers.js';

/** Users, groups, rulesets, API tokens, sessions and settings. */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await withId(db.schema.createTable('auth_user'), dialect)
    .addColumn('username', 'varchar(150)', (c) => c.notNull().unique())
    .addColumn('password', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('email', 'varchar(254)', (c) => c.notNull().defaultTo(''))
    .addColumn('first_name', 'varchar(150)', (c) => c.notNull().defaultTo(''))
    .addColumn('last_name', 'varchar(150)', (c) => c.notNull().defaultTo(''))
    .addColumn('is_staff', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('is_superuser', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('date_joined', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_login', 'varchar(32)')
    .execute();

  await withId(db.schema.createTable('auth_group'), dialect)
    .addColumn('name', 'varchar(150)', (c) => c.notNull().unique())
    .execute();

  await db.schema
    .createTable('auth_user_group')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('auth_user.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('auth_group.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('auth_user_group_pk', ['user_id', 'group_id'])
    .execute();
  await db.schema.createIndex('auth_user_group_group_idx').on('auth_user_group').column('group_id').execute();

  await withId(db.schema.createTable('ruleset'), dialect)
    .addColumn('group_id', 'integer', (c) => c.notNull().references('auth_group.id').onDelete('cascade'))
    .addColumn('name', 'varchar(50)', (c) => c.notNull())
    .addColumn('can_view', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('can_add', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('can_change', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('can_delete', 'boolean', (c) => c.notNull().defaultTo(false))
    .addUniqueConstraint('ruleset_group_name_unique', ['group_id', 'name'])
    .execute();

  await withId(db.schema.createTable('api_token'), dialect)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('auth_user.id').onDelete('cascade'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull().defaultTo(''))
    .addColumn('key_lookup', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('key_encrypted', 'text', (c) => c.notNull())
    .addColumn('created', 'varchar(32)', (c) => c.notNull())
    .addColumn('expiry', 'varchar(10)', (c) => c.notNull())
    .addColumn('last_seen', 'varchar(10)')
    .addColumn('revoked', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('api_token_user_name_idx').on('api_token').columns(['user_id', 'name']).execute();

  await withId(db.schema.createTable('session'), dialect)
    .addColumn('key_lookup', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('auth_user.id').onDelete('cascade'))
    .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
    .addColumn('created', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('session_user_idx').on('session').column('user_id').execute();

  await db.schema
    .createTable('setting_global')
    .addColumn('key', 'varchar(50)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('setting_user')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('auth_user.id').onDelete('cascade'))
    .addColumn('key', 'varchar(50)', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('setting_user_pk', ['user_id', 'key'])
    .execute();
}
