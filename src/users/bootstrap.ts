/**
 * Start-up accounts: the administrator named by INVENTREE_ADMIN_USER (created when missing),
 * or, on an empty database without those variables, `admin` with a random password that is
 * printed once.
 */
import type { Database } from '../db/connection.js';
import type { AdminBootstrap } from '../config.js';
import { randomPassword } from './passwords.js';
import { countUsers, createUser, findUserForLogin } from './users.js';

export interface BootstrapResult {
  created: string | undefined;
  /** Set when the password was generated here and must be shown to the operator. */
  generatedPassword: string | undefined;
}

export async function bootstrapAdmin(database: Database, admin: AdminBootstrap | undefined): Promise<BootstrapResult> {
  const db = database.kysely;
  if (admin !== undefined) {
    if ((await findUserForLogin(db, admin.username)) !== undefined) return { created: undefined, generatedPassword: undefined };
    const password = admin.password && admin.password !== '' ? admin.password : randomPassword();
    await createUser(db, { username: admin.username, password, email: admin.email, is_staff: true, is_superuser: true, is_active: true });
    return { created: admin.username, generatedPassword: admin.password ? undefined : password };
  }
  if ((await countUsers(db)) > 0) return { created: undefined, generatedPassword: undefined };
  const password = randomPassword();
  await createUser(db, { username: 'admin', password, is_staff: true, is_superuser: true, is_active: true });
  return { created: 'admin', generatedPassword: password };
}
