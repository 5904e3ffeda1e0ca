import type { ColumnType, Generated, SqlBool } from 'kysely';

/**
 * Column conventions, identical on SQLite and PostgreSQL:
 * - integer primary keys `id`, generated from 1;
 * - booleans are `boolean` columns; SQLite returns 1/0, PostgreSQL true/false, so reads are
 *   typed `SqlBool` and must go through `Boolean()` (serialisers do);
 * - timestamps are ISO-8601 UTC text (`2026-11-28T01:02:03.456Z`), dates `YYYY-MM-DD` text:
 *   both sort correctly as text and read back the same on both databases;
 * - decimals are `numeric` and read as JavaScript numbers;
 * - JSON documents are text.
 */
export type Bool = ColumnType<SqlBool, boolean | undefined, boolean>;
export type Id = Generated<number>;

export interface UserTable {
  id: Id;
  username: string;
  /** scrypt hash (see users/passwords.ts); "" = no usable password. */
  password: string;
  email: string;
  first_name: string;
  last_name: string;
  is_staff: Bool;
  is_superuser: Bool;
  is_active: Bool;
  date_joined: string;
  last_login: string | null;
}

export interface GroupTable {
  id: Id;
  name: string;
}

export interface UserGroupTable {
  user_id: number;
  group_id: number;
}

export interface RulesetTable {
  id: Id;
  group_id: number;
  name: string;
  can_view: Bool;
  can_add: Bool;
  can_change: Bool;
  can_delete: Bool;
}

export interface ApiTokenTable {
  id: Id;
  user_id: number;
  name: string;
  /** HMAC-SHA256 of the key under the server secret: the look-up value (decision D18). */
  key_lookup: string;
  /** The key itself, AES-256-GCM encrypted under the server secret (decision D18). */
  key_encrypted: string;
  created: string;
  /** YYYY-MM-DD; the token is valid through this day. */
  expiry: string;
  last_seen: string | null;
  revoked: Bool;
  /** JSON: request details at creation. */
  metadata: string;
}

export interface SessionTable {
  id: Id;
  /** HMAC-SHA256 of the session cookie value. */
  key_lookup: string;
  user_id: number;
  /** The CSRF token bound to this session; the X-CSRFToken header must equal it. */
  csrf_token: string;
  created: string;
  expires: string;
}

export interface GlobalSettingTable {
  key: string;
  value: string;
}

export interface UserSettingTable {
  user_id: number;
  key: string;
  value: string;
}

export interface DB {
  auth_user: UserTable;
  auth_group: GroupTable;
  auth_user_group: UserGroupTable;
  ruleset: RulesetTable;
  api_token: ApiTokenTable;
  session: SessionTable;
  setting_global: GlobalSettingTable;
  setting_user: UserSettingTable;
}
