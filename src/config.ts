import { resolve } from 'node:path';

export interface AdminBootstrap {
  username: string;
  password: string | undefined;
  email: string;
}

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  /** Directory for the SQLite file's neighbours: the generated secret key, backups. */
  dataDir: string;
  secretKey: string | undefined;
  admin: AdminBootstrap | undefined;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  logLevel: string;
  /** Origins allowed to make cross-site requests (CORS); empty means CORS is off. */
  corsOrigins: string[];
  /** Origins trusted for CSRF checks on session-authenticated writes, besides the request's own host. */
  csrfTrustedOrigins: string[];
  /** Number of worker processes for `serve` (node:cluster); 1 means a single process. */
  workers: number;
  /** Connections per process in the PostgreSQL pool. */
  pgPoolSize: number;
  /** Trust X-Forwarded-For/-Proto/-Host from a reverse proxy. */
  trustProxy: boolean;
  /**
   * How far V8 lets the JavaScript heap grow past what survived its last full collection, in
   * percent, for `serve` (memory.ts); 0 leaves the choice to V8.
   */
  heapGrowthPercent: number;
}

export const DEFAULT_PORT = 8000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATA_DIR = './data';
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_HEAP_GROWTH_PERCENT = 50;

/** An integer variable from `min` to `max`, or `fallback` when unset or empty. */
function parseInteger(name: string, value: string | undefined, fallback: number, min: number, max: number, expected: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be ${expected}, got "${value}"`);
  return n;
}

function parsePort(value: string | undefined, fallback: number): number {
  return parseInteger('PORT', value, fallback, 0, 65535, 'an integer between 0 and 65535');
}

function parsePositiveInt(name: string, value: string | undefined, fallback: number): number {
  return parseInteger(name, value, fallback, 1, Number.MAX_SAFE_INTEGER, 'a positive integer');
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Reads the configuration from environment variables (documented in the README). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.STOCKSCAN_DATA_DIR ?? DEFAULT_DATA_DIR);
  const databaseUrl = env.DATABASE_URL && env.DATABASE_URL !== '' ? env.DATABASE_URL : `sqlite:${resolve(dataDir, 'stockscan.db')}`;
  const adminUser = env.INVENTREE_ADMIN_USER;
  return {
    port: parsePort(env.PORT, DEFAULT_PORT),
    host: env.HOST && env.HOST !== '' ? env.HOST : DEFAULT_HOST,
    databaseUrl,
    dataDir,
    secretKey: env.STOCKSCAN_SECRET_KEY && env.STOCKSCAN_SECRET_KEY !== '' ? env.STOCKSCAN_SECRET_KEY : undefined,
    admin:
      adminUser && adminUser !== ''
        ? { username: adminUser, password: env.INVENTREE_ADMIN_PASSWORD, email: env.INVENTREE_ADMIN_EMAIL ?? '' }
        : undefined,
    bodyLimit: parsePositiveInt('STOCKSCAN_BODY_LIMIT', env.STOCKSCAN_BODY_LIMIT, DEFAULT_BODY_LIMIT),
    logLevel: env.LOG_LEVEL && env.LOG_LEVEL !== '' ? env.LOG_LEVEL : 'info',
    corsOrigins: splitList(env.STOCKSCAN_CORS_ORIGINS),
    csrfTrustedOrigins: splitList(env.STOCKSCAN_CSRF_TRUSTED_ORIGINS),
    workers: parsePositiveInt('STOCKSCAN_WORKERS', env.STOCKSCAN_WORKERS, 1),
    pgPoolSize: parsePositiveInt('STOCKSCAN_PG_POOL_SIZE', env.STOCKSCAN_PG_POOL_SIZE, 10),
    trustProxy: ['1', 'true', 'yes', 'on'].includes((env.STOCKSCAN_TRUST_PROXY ?? '').toLowerCase()),
    heapGrowthPercent: parseInteger('STOCKSCAN_HEAP_GROWTH', env.STOCKSCAN_HEAP_GROWTH, DEFAULT_HEAP_GROWTH_PERCENT, 0, 1000, 'a whole number from 0 to 1000'),
  };
}
