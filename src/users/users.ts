/** Users and groups: plain functions over the database. */
import type { Executor } from '../db/transaction.js';
import { nowIso } from '../util/time.js';
import { hashPassword } from './passwords.js';

export interface AuthUser {
  id: number;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  is_staff: boolean;
  is_superuser: boolean;
  is_active: boolean;
}

const USER_COLUMNS = ['id', 'username', 'email', 'first_name', 'last_name', 'is_staff', 'is_superuser', 'is_active'] as const;

type UserRow = { id: number; username: string; email: string; first_name: string; last_name: string; is_staff: unknown; is_superuser: unknown; is_active: unknown };

export function toAuthUser(row: UserRow): AuthUser {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    is_staff: Boolean(row.is_staff),
    is_superuser: Boolean(row.is_superuser),
    is_active: Boolean(row.is_active),
  };
}

export async function findUserById(db: Executor, id: number): Promise<AuthUser | undefined> {
  const row = await db.selectFrom('auth_user').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toAuthUser(row);
}

export async function findUserForLogin(db: Executor, username: string): Promise<(AuthUser & { password: string }) | undefined> {
  const row = await db
    .selectFrom('auth_user')
    .select([...USER_COLUMNS, 'password'])
    .where('username', '=', username)
    .executeTakeFirst();
  return row === undefined ? undefined : { ...toAuthUser(row), password: row.password };
}

export interface NewUser {
  username: string;
  password?: string | undefined;
  email?: string;
  first_name?: string;
  last_name?: string;
  is_staff?: boolean;
  is_superuser?: boolean;
  is_active?: boolean;
}

export async function createUser(db: Executor, user: NewUser): Promise<AuthUser> {
  const password = user.password === undefined || user.password === '' ? '' : await hashPassword(user.password);
  const row = await db
    .insertInto('auth_user')
    .values({
      username: user.username,
      password,
      email: user.email ?? '',
      first_name: user.first_name ?? '',
      last_name: user.last_name ?? '',
      is_staff: user.is_staff ?? false,
      is_superuser: user.is_superuser ?? false,
      is_active: user.is_active ?? true,
      date_joined: nowIso(),
    })
    .returning(USER_COLUMNS)
    .executeTakeFirstOrThrow();
  return toAuthUser(row);
}

export async function setPassword(db: Executor, userId: number, password: string): Promise<void> {
  await db
    .updateTable('auth_user')
    .set({ password: await hashPassword(password) })
    .where('id', '=', userId)
    .execute();
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('auth_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function groupsOfUser(db: Executor, userId: number): Promise<{ pk: number; name: string }[]> {
  const rows = await db
    .selectFrom('auth_group')
    .innerJoin('auth_user_group', 'auth_user_group.group_id', 'auth_group.id')
    .where('auth_user_group.user_id', '=', userId)
    .select(['auth_group.id', 'auth_group.name'])
    .orderBy('auth_group.name')
    .execute();
  return rows.map((r) => ({ pk: r.id, name: r.name }));
}

export async function recordLogin(db: Executor, userId: number): Promise<void> {
  await db.updateTable('auth_user').set({ last_login: nowIso() }).where('id', '=', userId).execute();
}
