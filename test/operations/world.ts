/**
 * A running installation for process-level tests: a fresh database with the demo workshop,
 * a superuser with a token, and server processes started with the real `stockscan` command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { runCli, startCliServer, type ServerProcess } from '../helpers/cli.js';
import { freshDatabaseUrl } from '../helpers/database.js';

export interface Installation {
  env: Record<string, string>;
  token: string;
  servers: ServerProcess[];
  /** Starts another server process on the same database. */
  start(): Promise<ServerProcess>;
  /** A direct connection for checking invariants. */
  open(): Database;
  close(): Promise<void>;
}

export async function installation(): Promise<Installation> {
  const fresh = await freshDatabaseUrl();
  const dataDir = mkdtempSync(join(tmpdir(), 'stockscan-ops-'));
  const env = {
    DATABASE_URL: fresh.url,
    STOCKSCAN_DATA_DIR: dataDir,
    STOCKSCAN_SECRET_KEY: 'operations-test-secret-key',
    INVENTREE_ADMIN_USER: 'boss',
    INVENTREE_ADMIN_PASSWORD: 'boss-password-1',
  };
  const demo = await runCli(['demo'], env);
  if (demo.code !== 0) throw new Error(`demo failed: ${demo.stderr}`);
  // The first start creates the administrator; the token command needs it.
  const first = await startCliServer(env);
  const token = (await runCli(['token', 'boss', '--name', 'ops'], env)).stdout.trim();
  const servers: ServerProcess[] = [first];
  return {
    env,
    token,
    servers,
    async start() {
      const s = await startCliServer(env);
      servers.push(s);
      return s;
    },
    open: () => openDatabase(fresh.url, { poolSize: 2 }),
    async close() {
      for (const s of servers) await s.stop('SIGKILL');
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  body: Record<string, any>;
}

/** POST/GET with the installation's token; a refused connection answers status 0. */
export async function call(base: string, token: string, method: string, path: string, body?: unknown): Promise<Answer> {
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Token ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, any>) };
  } catch {
    return { status: 0, body: {} };
  }
}

/** The TME demo label with an extra, ignored token: the same line, a different label (hash). */
export function tmeLabel(n: number): string {
  return `QTY:1 PN:WBP-302 PO:19361337/1 MPN:WBP-302 LABEL:${n}`;
}

export interface Invariants {
  /** Lines whose received packs do not match the stock received against them. */
  receiptMismatches: string[];
  /** Stock items allocated beyond their quantity. */
  overAllocated: number[];
  /** Barcode links pointing at stock items that do not exist. */
  danglingLinks: number;
}

/** What must hold after any sequence of requests, crashes included. */
export async function invariants(database: Database): Promise<Invariants> {
  const db = database.kysely;
  const lines = await db
    .selectFrom('purchase_order_line as l')
    .innerJoin('supplier_part as sp', 'sp.id', 'l.part_id')
    .innerJoin('part as p', 'p.id', 'sp.part_id')
    .select(['l.id', 'l.order_id', 'l.part_id', 'l.received', 'sp.pack_quantity_native', 'p.virtual'])
    .execute();
  const receiptMismatches: string[] = [];
  for (const line of lines) {
    if (line.virtual) continue;
    const stock = await db
      .selectFrom('stock_item')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('quantity'), eb.val(0)).as('q'))
      .where('purchase_order_id', '=', line.order_id)
      .where('supplier_part_id', '=', line.part_id)
      .executeTakeFirstOrThrow();
    const expected = Number(line.received) * Number(line.pack_quantity_native);
    if (Math.abs(Number(stock.q) - expected) > 1e-6) receiptMismatches.push(`line ${line.id}: received ${expected}, stock ${stock.q}`);
  }
  const allocations = await db
    .selectFrom('sales_order_allocation as a')
    .innerJoin('stock_item as i', 'i.id', 'a.item_id')
    .select(['i.id', 'i.quantity'])
    .select((eb) => eb.fn.sum<number>('a.quantity').as('allocated'))
    .groupBy(['i.id', 'i.quantity'])
    .execute();
  const overAllocated = allocations.filter((a) => Number(a.allocated) > Number(a.quantity) + 1e-6).map((a) => a.id);
  const dangling = await db
    .selectFrom('barcode_link as b')
    .leftJoin('stock_item as i', 'i.id', 'b.object_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('b.model_type', '=', 'stockitem')
    .where('i.id', 'is', null)
    .executeTakeFirstOrThrow();
  return { receiptMismatches, overAllocated, danglingLinks: Number(dangling.n) };
}
