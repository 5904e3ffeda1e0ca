/** Starting and stopping one Stockscan server process. */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/connection.js';
import { migrateToLatest } from './db/migrator.js';
import { loadServerSecret } from './secrets.js';
import { bootstrapAdmin } from './users/bootstrap.js';
import { deleteExpiredSessions } from './users/sessions.js';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Print the generated admin password (true for the CLI). */
  announce?: (line: string) => void;
  /**
   * Apply pending migrations, create the start-up administrator and clear expired sessions
   * first (default true). Cluster workers skip it: their primary did it once for all.
   */
  prepare?: boolean;
}

/** What start-up does once per installation: migrations, the administrator, old sessions. */
export async function prepareDatabase(database: Database, config: Config, announce: (line: string) => void): Promise<void> {
  await migrateToLatest(database);
  const boot = await bootstrapAdmin(database, config.admin);
  if (boot.created !== undefined && boot.generatedPassword !== undefined) {
    announce(`Created superuser "${boot.created}" with password: ${boot.generatedPassword}`);
    announce('This password is shown only once. Change it, or set INVENTREE_ADMIN_USER / INVENTREE_ADMIN_PASSWORD.');
  }
  await deleteExpiredSessions(database.kysely);
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const announce = options.announce ?? (() => undefined);
  let log: FastifyBaseLogger | undefined;
  const database = openDatabase(config.databaseUrl, {
    poolSize: config.pgPoolSize,
    walCheckpointer: true,
    onCheckpointerError: (error) => {
      const message = 'the WAL checkpoint thread failed; the server checkpoints on its own commits from now on';
      if (log !== undefined) log.warn({ err: error }, message);
      else process.stderr.write(`${message}: ${error.message}\n`);
    },
  });
  try {
    if (options.prepare !== false) await prepareDatabase(database, config, announce);
    const secret = loadServerSecret(config.secretKey, config.dataDir);
    const app = await buildApp({
      database,
      secret,
      logger: { level: config.logLevel },
      trustProxy: config.trustProxy,
      http: { bodyLimit: config.bodyLimit, corsOrigins: config.corsOrigins, csrfTrustedOrigins: config.csrfTrustedOrigins },
    });
    log = app.log;
    const url = await app.listen({ port: config.port, host: config.host });
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        // Requests in flight finish; their keep-alive connections are closed as soon as they
        // go idle (not after the keep-alive timeout), and anything left after 30 s is cut.
        const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
        const deadline = setTimeout(() => app.server.closeAllConnections(), 30_000);
        try {
          await app.close();
        } finally {
          clearInterval(sweep);
          clearTimeout(deadline);
        }
        await database.close();
      })());
    return { app, database, url, stop };
  } catch (error) {
    await database.close();
    throw error;
  }
}
