/**
 * Test harness: a migrated database, the application on it, and helpers for users, roles
 * and credentials. Requests go through `app.inject` (no socket) unless a test listens.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.js';
import { LoginThrottle } from '../../src/http/throttle.js';
import { ServerSecret } from '../../src/secrets.js';
import { grantRoles, type RulesetChanges } from '../../src/users/admin.js';
import { setPasswordHashCost } from '../../src/users/passwords.js';
import type { RulesetName } from '../../src/users/roles.js';
import { createToken } from '../../src/users/tokens.js';
import { createUser, type AuthUser, type NewUser } from '../../src/users/users.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { Fixtures } from './fixtures.js';

// Cheap hashes in tests; production uses the default cost.
setPasswordHashCost(4);

export const TEST_SECRET = 'test-secret-key-for-stockscan-tests';

export interface TestUser {
  user: AuthUser;
  password: string;
  token: string;
  /** `{ authorization: 'Token …' }` */
  auth: Record<string, string>;
}

export interface Harness {
  app: FastifyInstance;
  db: TestDatabase;
  secret: ServerSecret;
  /** Direct row inserts for test data. */
  fx: Fixtures;
  /** Creates a user with a token; roles are granted through a group of their own. */
  user(name: string, options?: Partial<NewUser> & { roles?: Partial<Record<RulesetName, RulesetChanges>> }): Promise<TestUser>;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createHarness(options: Partial<AppOptions> = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const secret = new ServerSecret(TEST_SECRET);
  const app = await buildApp({ database: db.database, secret, loginThrottle: new LoginThrottle(), ...options });
  await app.ready();
  let counter = 0;
  return {
    app,
    db,
    secret,
    fx: new Fixtures(db.database),
    async user(name, opts = {}) {
      const { roles, ...fields } = opts;
      const password = fields.password ?? `${name}-password-1`;
      const user = await createUser(db.database.kysely, { username: name, ...fields, password });
      if (roles !== undefined) await grantRoles(db.database, user.id, `${name}-group-${++counter}`, roles);
      const token = await createToken(db.database.kysely, secret, user.id, 'test');
      return { user, password, token: token.key, auth: { authorization: `Token ${token.key}` } };
    },
    request: (o) => app.inject(o),
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

export function basicAuth(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}
