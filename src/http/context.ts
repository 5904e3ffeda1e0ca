import type { Kysely } from 'kysely';
import type { Database } from '../db/connection.js';
import type { DataGeneration } from '../db/generation.js';
import type { DB } from '../db/schema.js';
import type { ServerSecret } from '../secrets.js';
import type { SettingsService } from '../settings/service.js';
import type { AuthUser } from '../users/users.js';
import type { Permissions } from '../users/roles.js';
import type { AuthCache } from '../users/auth-cache.js';
import type { LoginThrottle } from './throttle.js';
import type { PluginRegistry } from '../barcode/plugins/registry.js';

/** Options of the HTTP layer that come from the configuration. */
export interface HttpOptions {
  bodyLimit: number;
  corsOrigins: string[];
  csrfTrustedOrigins: string[];
}

export interface ActivePluginInfo {
  name: string;
  slug: string;
  version: string;
}

/** What every route can reach through `fastify.ctx`. */
export interface AppContext {
  readonly database: Database;
  readonly db: Kysely<DB>;
  readonly secret: ServerSecret;
  readonly settings: SettingsService;
  readonly loginThrottle: LoginThrottle;
  readonly http: HttpOptions;
  /** The barcode plugins, their activation and settings. */
  readonly plugins: PluginRegistry;
  /** The data generation the in-process caches are kept under. */
  readonly generation: DataGeneration;
  /** Tokens, users and permissions of token authentication, under the data generation. */
  readonly authCache: AuthCache;
}

export type AuthMethod = 'token' | 'basic' | 'session';

export interface AuthInfo {
  method: AuthMethod | null;
  tokenId: number | null;
  sessionId: number | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    /** The authenticated user, or null (anonymous). */
    user: AuthUser | null;
    authInfo: AuthInfo;
    /** The user's permissions, loaded once per request. */
    permissions(): Promise<Permissions>;
  }
  interface FastifyContextConfig {
    /** Route answers without authentication (e.g. `GET /api/`). */
    public?: boolean;
  }
}
