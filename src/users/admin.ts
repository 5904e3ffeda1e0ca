/**
 * User, group and ruleset administration (the `/api/user/...` write endpoints): plain
 * functions; every multi-row change runs in one transaction.
 */
import type { Database } from '../db/connection.js';
import { inTransaction, isUniqueViolation, type Executor } from '../db/transaction.js';
import { ValidationError } from '../http/errors.js';
import { hashPassword } from './passwords.js';
import { RULESET_NAMES, withImpliedPermissions } from './roles.js';
import { createUser, findUserById, groupsOfUser, type AuthUser, type NewUser } from './users.js';

const USERNAME = /^[\p{L}\p{N}_.@+-]+$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateUsername(username: string): void {
  if (!USERNAME.test(username)) {
    throw new ValidationError({
      username: ['Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.'],
    });
  }
}

export function validateEmail(email: string): void {
  if (email !== '' && !EMAIL.test(email)) throw new ValidationError({ email: ['Enter a valid email address.'] });
}

/** Django's default password validators that need no word list. */
export function validatePassword(password: string, username: string): void {
  const errors: string[] = [];
  if ([...password].length < 8) errors.push('This password is too short. It must contain at least 8 characters.');
  if (/^\d+$/.test(password)) errors.push('This password is entirely numeric.');
  if (username !== '' && password.toLowerCase() === username.toLowerCase()) errors.push('The password is too similar to the username.');
  if (errors.length > 0) throw new ValidationError({ password: errors });
}

async function checkGroupsExist(db: Executor, groups: number[]): Promise<void> {
  if (groups.length === 0) return;
  const found = await db.selectFrom('auth_group').select('id').where('id', 'in', groups).execute();
  const known = new Set(found.map((g) => g.id));
  const missing = groups.find((g) => !known.has(g));
  if (missing !== undefined) throw new ValidationError({ groups: [`Invalid pk "${missing}" - object does not exist.`] });
}

async function setGroups(db: Executor, userId: number, groups: number[]): Promise<void> {
  await db.deleteFrom('auth_user_group').where('user_id', '=', userId).execute();
  const unique = [...new Set(groups)];
  if (unique.length > 0) {
    await db
      .insertInto('auth_user_group')
      .values(unique.map((group_id) => ({ user_id: userId, group_id })))
      .execute();
  }
}

/** The fields of a user an admin may change, and the user's groups. */
export type UserChanges = Partial<NewUser> & { groups?: number[] };

function duplicateUsername(): ValidationError {
  return new ValidationError({ username: ['A user with that username already exists.'] });
}

export async function createUserWithGroups(database: Database, data: UserChanges & { username: string }): Promise<AuthUser> {
  validateUsername(data.username);
  if (data.email !== undefined) validateEmail(data.email);
  if (data.password !== undefined) validatePassword(data.password, data.username);
  try {
    return await inTransaction(database, async (trx) => {
      await checkGroupsExist(trx, data.groups ?? []);
      const user = await createUser(trx, data);
      await setGroups(trx, user.id, data.groups ?? []);
      return user;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateUsername();
    throw e;
  }
}

export async function updateUser(database: Database, userId: number, data: UserChanges): Promise<AuthUser> {
  if (data.username !== undefined) validateUsername(data.username);
  if (data.email !== undefined) validateEmail(data.email);
  const password = data.password === undefined ? undefined : data.password;
  if (password !== undefined) {
    const current = await findUserById(database.kysely, userId);
    validatePassword(password, data.username ?? current?.username ?? '');
  }
  const hashed = password === undefined ? undefined : await hashPassword(password);
  try {
    return await inTransaction(database, async (trx) => {
      const { groups, password: _plain, ...columns } = data;
      const set = { ...columns, ...(hashed !== undefined ? { password: hashed } : {}) };
      if (Object.keys(set).length > 0) await trx.updateTable('auth_user').set(set).where('id', '=', userId).execute();
      if (groups !== undefined) {
        await checkGroupsExist(trx, groups);
        await setGroups(trx, userId, groups);
      }
      const user = await findUserById(trx, userId);
      if (user === undefined) throw new Error('user vanished during update');
      return user;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateUsername();
    throw e;
  }
}

export async function userWithGroups(db: Executor, user: AuthUser) {
  return { user, groups: await groupsOfUser(db, user.id) };
}

// --- groups ----------------------------------------------------------------------------------

function duplicateGroup(): ValidationError {
  return new ValidationError({ name: ['group with this name already exists.'] });
}

/** Creates a group with one (empty) ruleset per ruleset name, as InvenTree does. */
export async function createGroup(database: Database, name: string): Promise<{ id: number; name: string }> {
  try {
    return await inTransaction(database, async (trx) => {
      const group = await trx.insertInto('auth_group').values({ name }).returning(['id', 'name']).executeTakeFirstOrThrow();
      await trx
        .insertInto('ruleset')
        .values(RULESET_NAMES.map((rulesetName) => ({ group_id: group.id, name: rulesetName })))
        .execute();
      return group;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateGroup();
    throw e;
  }
}

export async function renameGroup(db: Executor, id: number, name: string): Promise<void> {
  try {
    await db.updateTable('auth_group').set({ name }).where('id', '=', id).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateGroup();
    throw e;
  }
}

export interface RulesetChanges {
  can_view?: boolean;
  can_add?: boolean;
  can_change?: boolean;
  can_delete?: boolean;
}

/** Updates a ruleset, applying InvenTree's implied permissions. */
export async function updateRuleset(database: Database, id: number, changes: RulesetChanges) {
  return inTransaction(database, async (trx) => {
    const current = await trx.selectFrom('ruleset').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const next = withImpliedPermissions({
      can_view: changes.can_view ?? Boolean(current.can_view),
      can_add: changes.can_add ?? Boolean(current.can_add),
      can_change: changes.can_change ?? Boolean(current.can_change),
      can_delete: changes.can_delete ?? Boolean(current.can_delete),
    });
    await trx.updateTable('ruleset').set(next).where('id', '=', id).execute();
    return { ...current, ...next };
  });
}

/** Grants a user exactly these roles through a group of their own (used by the CLI and tests). */
export async function grantRoles(
  database: Database,
  userId: number,
  groupName: string,
  roles: Partial<Record<(typeof RULESET_NAMES)[number], RulesetChanges>>,
): Promise<number> {
  const group = await createGroup(database, groupName);
  await inTransaction(database, async (trx) => {
    await trx.insertInto('auth_user_group').values({ user_id: userId, group_id: group.id }).execute();
    for (const [name, changes] of Object.entries(roles)) {
      const next = withImpliedPermissions({
        can_view: changes?.can_view ?? false,
        can_add: changes?.can_add ?? false,
        can_change: changes?.can_change ?? false,
        can_delete: changes?.can_delete ?? false,
      });
      await trx.updateTable('ruleset').set(next).where('group_id', '=', group.id).where('name', '=', name).execute();
    }
  });
  return group.id;
}
