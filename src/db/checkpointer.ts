/**
 * WAL checkpoints off the event loop, for the SQLite server.
 *
 * In WAL mode every commit appends pages to the write-ahead log, and by default the connection
 * that commits past 1 000 pages copies the log back into the database file and syncs both
 * files, inside that commit, on the event loop: every ~second under load, all requests in
 * flight waited for it (about a third of the scans' p99, docs/performance.md, "Fourth
 * round"). The server instead leaves checkpoints to a worker thread with its own connection
 * (db/checkpoint-thread.ts), which copies the log after commits without blocking readers or
 * writers. The server's own connection keeps a far larger automatic checkpoint as a safety
 * net: should the thread fail or fall behind, the log still stops growing at
 * SAFETY_NET_PAGES, and a thread that dies gives the connection back SQLite's default.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

/** Passed to the thread. */
export interface CheckpointThreadData {
  /** Absolute path of better-sqlite3, resolved here (the thread has no module context). */
  driverPath: string;
  file: string;
  /** How often the thread looks for new commits, in ms. */
  intervalMs: number;
}

/** What one run of the thread did. */
export interface CheckpointReport {
  /** Pages in the log, and how many of them are copied back, after its last checkpoint. */
  frames: number;
  copied: number;
  /** Checkpoints it made (more than one when commits landed during one). */
  rounds: number;
  /** The whole log was copied with no commit since: the next write starts the log over. */
  caughtUp: boolean;
}

export interface Checkpointer {
  /** Stops the thread (its connection closed) and gives the connection SQLite's default back. */
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  intervalMs?: number;
  /** Called after every checkpoint the thread made (tests, diagnostics). */
  onReport?: (report: CheckpointReport) => void;
  /** Called when the thread fails (after the connection got SQLite's own checkpoints back). */
  onError?: (error: Error) => void;
}

/** SQLite's default automatic checkpoint, in pages. */
const SQLITE_DEFAULT_PAGES = 1000;
/** The server connection's own automatic checkpoint while the thread runs. */
export const SAFETY_NET_PAGES = 10_000;
const DEFAULT_INTERVAL_MS = 200;

export function startCheckpointer(connection: BetterSqlite3.Database, file: string, options: CheckpointerOptions = {}): Checkpointer {
  const data: CheckpointThreadData = {
    driverPath: createRequire(import.meta.url).resolve('better-sqlite3'),
    file,
    intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
  };
  const worker = new Worker(new URL('./checkpoint-thread.js', import.meta.url), {
    workerData: data,
    // It holds one statement and a timer; a small heap keeps its memory small.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
  });
  // The thread never keeps the process alive: `stop()` or process exit ends it.
  worker.unref();
  connection.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  let stopped = false;
  const fallBack = () => {
    if (connection.open) connection.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_PAGES}`);
  };
  worker.on('message', (report: CheckpointReport) => options.onReport?.(report));
  // A thread that could not open the file, or died, leaves checkpoints to the connection.
  worker.on('error', (error) => {
    fallBack();
    options.onError?.(error);
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(() => {
    if (!stopped) fallBack();
  });
  return {
    async stop() {
      if (stopped) return exited;
      stopped = true;
      // Held by the thread until it has ended, so that awaiting this keeps the process alive.
      worker.ref();
      worker.postMessage('stop');
      await exited;
      fallBack();
    },
  };
}
