/**
 * `stockscan serve --workers N`: N server processes sharing one port (node:cluster), for
 * PostgreSQL. The primary prepares the database once, forks the workers, replaces a worker
 * that dies, and on SIGTERM/SIGINT asks every worker to finish its requests and stop.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';
import { openDatabase } from './db/connection.js';
import { loadServerSecret } from './secrets.js';
import { prepareDatabase, startServer } from './server.js';

export interface ClusterLog {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** JSON log lines in pino's shape, for the primary (which runs no Fastify instance). */
export function primaryLog(): ClusterLog {
  const line = (level: number, fields: Record<string, unknown>, msg: string) =>
    process.stdout.write(`${JSON.stringify({ level, time: Date.now(), pid: process.pid, role: 'primary', ...fields, msg })}\n`);
  return { info: (f, m) => line(30, f, m), error: (f, m) => line(50, f, m) };
}

/** Runs in the primary: prepares the database, forks, supervises. Resolves when all have stopped. */
export async function runPrimary(config: Config, workers: number, announce: (line: string) => void, log: ClusterLog = primaryLog()): Promise<number> {
  const database = openDatabase(config.databaseUrl, { poolSize: 2 });
  try {
    await prepareDatabase(database, config, announce);
  } finally {
    await database.close();
  }
  // Generate the secret file once, before the workers race to create it.
  loadServerSecret(config.secretKey, config.dataDir);

  let stopping = false;
  let listening = 0;
  const restarts: number[] = [];
  const fork = (): Worker => cluster.fork({ STOCKSCAN_CLUSTER_WORKER: '1' });

  return new Promise<number>((resolve) => {
    cluster.on('listening', (worker, address) => {
      listening += 1;
      if (listening === workers) {
        const host = address.address === null || address.address === undefined ? config.host : address.address;
        log.info({ url: `http://${host}:${address.port}`, workers, database: database.displayUrl }, 'Stockscan is ready');
      }
      void worker;
    });
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(0);
        return;
      }
      log.error({ worker: worker.process.pid, code, signal }, 'worker died; starting another');
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && (restarts[0] as number) < now - 60_000) restarts.shift();
      if (restarts.length > workers * 5) {
        log.error({}, 'workers keep dying; giving up');
        stopping = true;
        for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(1);
        return;
      }
      fork();
    });
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down: workers finish their requests in flight');
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      if (Object.keys(cluster.workers ?? {}).length === 0) resolve(0);
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
    for (let i = 0; i < workers; i++) fork();
  });
}

/** Runs in a worker: one server on the shared port, without preparing the database again. */
export async function runWorker(config: Config): Promise<void> {
  const server = await startServer(config, { prepare: false });
  const shutdown = (signal: string) => {
    server.app.log.info({ signal }, 'worker stopping: finishing requests in flight');
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => undefined);
}

export function isClusterWorker(): boolean {
  return cluster.isWorker && process.env.STOCKSCAN_CLUSTER_WORKER === '1';
}
