/**
 * The body of the WAL checkpointer's worker thread (db/checkpointer.ts starts it). It opens
 * its own connection to the server's SQLite file and, whenever another connection has
 * committed since it last looked (`pragma data_version`), copies the write-ahead log back into
 * the database file with a PASSIVE checkpoint: one that never waits for, nor blocks, the
 * server's readers and writers. It repeats at once while the log grew during a checkpoint, so
 * that the log is found fully copied between two commits and the next write can start it
 * again from the beginning.
 *
 * Self-contained on purpose: it imports only Node.js's own modules and loads the driver from
 * the path the main thread resolved, so the same file runs from dist/src and from the bundle.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import type { CheckpointReport, CheckpointThreadData } from './checkpointer.js';

/** Back-to-back checkpoints at most, when commits keep landing while one runs. */
const MAX_CATCH_UP = 8;

const data = workerData as CheckpointThreadData;
const Sqlite = createRequire(import.meta.url)(data.driverPath) as typeof BetterSqlite3;
const db = new Sqlite(data.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
// This connection never writes rows; it must never checkpoint on its own schedule either.
db.pragma('wal_autocheckpoint = 0');
const dataVersion = db.prepare('pragma data_version').pluck();
const checkpoint = db.prepare('pragma wal_checkpoint(PASSIVE)');

let seen: unknown = dataVersion.get();
let timer: NodeJS.Timeout | undefined;

function run(): void {
  let version = dataVersion.get();
  if (version === seen) return schedule();
  let report: CheckpointReport = { frames: 0, copied: 0, rounds: 0, caughtUp: false };
  let complete = false;
  for (let round = 1; round <= MAX_CATCH_UP && !complete; round++) {
    const row = checkpoint.get() as { busy: number; log: number; checkpointed: number };
    report = { frames: row.log, copied: row.checkpointed, rounds: round, caughtUp: false };
    // The checkpoint copied the log as it was when it began. Only if nothing was committed
    // meanwhile is the log now wholly copied, so that the next write starts it over.
    const after = dataVersion.get();
    complete = after === version && row.checkpointed >= row.log;
    version = after;
  }
  report.caughtUp = complete;
  // Not caught up (commits kept landing): look again at the next tick even if none follow.
  seen = complete ? version : undefined;
  parentPort?.postMessage(report);
  schedule();
}

function schedule(): void {
  timer = setTimeout(run, data.intervalMs);
}

parentPort?.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  if (timer !== undefined) clearTimeout(timer);
  db.close();
  parentPort?.close();
});

schedule();
