/**
 * The floor for any Node.js endpoint: node:http, read the POST body, answer a fixed JSON object
 * of the size of a real scan answer. Run as a child process by the benchmark.
 *
 * With BARE_KIND=fastify the same answer comes from a minimal Fastify application instead (one
 * POST route, its JSON body parsed, no hooks, no logging): the floor of the framework
 * Stockscan is built on (`npm run bench -- --floor`).
 *
 * With BARE_KIND=scan (and BARE_DB, the database URL of a seeded installation) the minimal
 * Fastify application answers an internal short barcode (`INV-SI<pk>`) as the least a scan with
 * the project's stack can do: one prepared statement (better-sqlite3, or a named one through a
 * `pg` pool) reads the stock item with its part's name, the answer is that row under the item's
 * key, and a scan-history row is stored (the rows of one tick together, each answer sent once
 * its row is committed). No authentication beyond comparing the header, no hooks, no logging,
 * no serialiser of the InvenTree item shape, and the drivers used directly rather than through
 * Kysely: a lower bound for a scan, not a server anyone could run. BARE_HISTORY=off leaves the
 * history row out (what the row costs).
 */
import { createServer, type Server } from 'node:http';
import Fastify from 'fastify';

const body = process.env.BARE_BODY ?? '{}';

function announce(server: Server): void {
  const address = server.address();
  if (address !== null && typeof address === 'object') process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}` })}\n`);
}

async function fastifyServer(): Promise<Server> {
  const app = Fastify({ logger: false });
  app.post('/*', async (_request, reply) => reply.type('application/json').send(body));
  app.server.keepAliveTimeout = 72_000;
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server;
}

/** What the scan floor needs of its database: the item read and the history rows of a tick. */
interface ScanStore {
  item(pk: number): Promise<{ id: number } | undefined>;
  /** Stores the rows (barcode, timestamp, answer, result, plugin) durably, in one transaction. */
  record(rows: ScanRow[]): Promise<void>;
}

type ScanRow = [string, string, string, boolean, string | null];

const ITEM_COLUMNS = 'stock_item.*, part.name as part_name, part.description as part_description';
const HISTORY_COLUMNS = 'data, user_id, timestamp, endpoint, context, response, result, plugin';

async function sqliteStore(file: string): Promise<ScanStore> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  const item = db.prepare(`select ${ITEM_COLUMNS} from stock_item inner join part on part.id = stock_item.part_id where stock_item.id = ?`);
  const insert = db.prepare(`insert into barcode_scan (${HISTORY_COLUMNS}) values (?, null, ?, '/api/barcode/', '{}', ?, ?, ?)`);
  const writeAll = db.transaction((rows: ScanRow[]) => {
    for (const [data, timestamp, response, result, plugin] of rows) insert.run(data, timestamp, response, result ? 1 : 0, plugin);
  });
  return {
    item: async (pk) => item.get(pk) as { id: number } | undefined,
    record: async (rows) => writeAll(rows),
  };
}

/** One round trip per look-up (a named statement) and one per tick's history rows. */
async function postgresStore(url: string): Promise<ScanStore> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const text = `select ${ITEM_COLUMNS} from stock_item inner join part on part.id = stock_item.part_id where stock_item.id = $1`;
  return {
    item: async (pk) => (await pool.query<{ id: number }>({ name: 'floor-item', text, values: [pk] })).rows[0],
    record: async (rows) => {
      const values = rows.map((_, i) => `($${i * 5 + 1}, null, $${i * 5 + 2}, '/api/barcode/', '{}', $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`);
      await pool.query(`insert into barcode_scan (${HISTORY_COLUMNS}) values ${values.join(', ')}`, rows.flat());
    },
  };
}

async function scanServer(store: ScanStore): Promise<Server> {
  // One write at a time: the rows that arrive while one is committed go together in the next.
  let queue: { row: ScanRow; done: () => void }[] = [];
  let writing = false;
  const flush = async () => {
    writing = true;
    const batch = queue;
    queue = [];
    try {
      await store.record(batch.map((p) => p.row));
    } catch (error) {
      process.stderr.write(`scan floor: could not store the history rows: ${String(error)}\n`);
    } finally {
      for (const p of batch) p.done();
      writing = false;
      if (queue.length > 0) setImmediate(() => void flush());
    }
  };
  const record = (row: ScanRow) =>
    new Promise<void>((resolve) => {
      if (queue.push({ row, done: resolve }) === 1 && !writing) setImmediate(() => void flush());
    });
  const keepHistory = process.env.BARE_HISTORY !== 'off';
  const expected = `Token ${process.env.BARE_TOKEN ?? ''}`;
  const app = Fastify({ logger: false });
  app.post('/*', async (request, reply) => {
    if (request.headers.authorization !== expected) return reply.code(401).send({ detail: 'Invalid token.' });
    const barcode = String((request.body as { barcode?: unknown } | null)?.barcode ?? '');
    const match = /^INV-SI(\d+)$/.exec(barcode);
    const row = match === null ? undefined : await store.item(Number(match[1]));
    const answer =
      row === undefined
        ? JSON.stringify({ error: 'No match found for barcode data', barcode_data: barcode })
        : JSON.stringify({ stockitem: { pk: row.id, api_url: `/api/stock/${row.id}/`, instance: row }, plugin: 'InvenTreeBarcode', success: 'Match found for barcode data' });
    if (keepHistory) await record([barcode, new Date().toISOString(), answer, row !== undefined, row === undefined ? null : 'InvenTreeBarcode']);
    return reply.code(row === undefined ? 400 : 200).type('application/json').send(answer);
  });
  app.server.keepAliveTimeout = 72_000;
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server;
}

function httpServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 72_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function serverOfKind(kind: string | undefined): Promise<Server> {
  if (kind === 'fastify') return fastifyServer();
  if (kind === 'scan') {
    const url = process.env.BARE_DB ?? '';
    return scanServer(url.startsWith('postgres') ? await postgresStore(url) : await sqliteStore(url.replace(/^sqlite:/, '')));
  }
  return httpServer();
}

const server = await serverOfKind(process.env.BARE_KIND);
announce(server);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
