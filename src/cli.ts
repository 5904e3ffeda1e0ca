#!/usr/bin/env node
/**
 * The `stockscan` command: `npx stockscan <command>` or `npm run cli -- <command>`.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from './config.js';
import { openDatabase, parseDatabaseUrl, redactUrl, type Database } from './db/connection.js';
import { backupSqlite } from './db/backup.js';
import { isClusterWorker, runPrimary, runWorker } from './cluster.js';
import { migrateToLatest } from './db/migrator.js';
import { loadServerSecret } from './secrets.js';
import { applyHeapGrowth } from './memory.js';
import { startServer } from './server.js';
import { validatePassword, validateUsername } from './users/admin.js';
import { sanitizeTokenName, getOrCreateToken } from './users/tokens.js';
import { createUser, findUserForLogin } from './users/users.js';
import { ValidationError } from './http/errors.js';
import { DemoRefused, loadDemo } from './demo/loader.js';
import { formatSummary } from './demo/summary.js';
import { STOCKSCAN_VERSION, API_VERSION } from './version.js';

const HELP = `Stockscan ${STOCKSCAN_VERSION}: a barcode server that speaks InvenTree's API ${API_VERSION}.

Usage: stockscan <command> [options]

Commands:
  serve                     Start the server (applies pending migrations first).
      --port N              Port to listen on (default: $PORT or 8000).
      --host ADDR           Address to listen on (default: $HOST or 127.0.0.1;
                            0.0.0.0 lets phones and scanners on your network connect).
      --workers N           Run N server processes on the one port (default: $STOCKSCAN_WORKERS
                            or 1). Needs PostgreSQL; SQLite serves one process.
  migrate                   Apply pending database migrations and exit.
  backup <file>             Copy the SQLite database to <file> while the server runs (a
                            consistent online backup). For PostgreSQL use pg_dump.
  createsuperuser           Create an active superuser (staff) account.
      --username NAME       Login name (asked for when missing and a terminal is attached).
      --email ADDR          E-mail address (optional).
      --password PW         Password (asked for when missing; or set $STOCKSCAN_PASSWORD).
  token <username>          Print an API token for a user (the same one again for the same name).
      --name NAME           Token name (default: "cli").
  demo                      Load a small electronics workshop to try Stockscan with: parts,
                            stock in a warehouse with shelves and bins, the suppliers DigiKey,
                            Mouser, LCSC and TME with placed orders, sales orders, linked
                            barcodes and the supplier plugins activated. Prints barcodes to
                            try. Refuses a database that already holds inventory data.
      --force               Load it into a database that already holds other data.
  help                      Show this help.

Environment:
  DATABASE_URL              sqlite:<path> (default sqlite:./data/stockscan.db)
                            or postgres://user@host:port/database
  PORT, HOST                Where the server listens (default 127.0.0.1:8000).
  INVENTREE_ADMIN_USER, INVENTREE_ADMIN_PASSWORD, INVENTREE_ADMIN_EMAIL
                            Create this superuser at start-up when it does not exist.
  STOCKSCAN_SECRET_KEY      Server secret for tokens and sessions (default: generated
                            once into ./data/secret_key). Share it between processes.
  STOCKSCAN_DATA_DIR        Data directory (default ./data).
  LOG_LEVEL                 fatal, error, warn, info (default), debug, trace.

Examples:
  npx stockscan serve --host 0.0.0.0
  npx stockscan createsuperuser --username alice --email alice@example.com
  npx stockscan token alice --name scanner-1
  npx stockscan demo
`;

class UsageError extends Error {}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function withDatabase<T>(config: Config, work: (db: Database) => Promise<T>): Promise<T> {
  const database = openDatabase(config.databaseUrl, { poolSize: 2 });
  try {
    await migrateToLatest(database);
    return await work(database);
  } finally {
    await database.close();
  }
}

function ask(question: string, hidden = false): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    if (hidden) {
      const writable = rl as unknown as { _writeToOutput: (s: string) => void };
      writable._writeToOutput = (s: string) => {
        if (s.includes(question)) process.stdout.write(s);
      };
    }
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stdout.write('\n');
      resolve(answer);
    });
  });
}

async function commandServe(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' }, workers: { type: 'string' } }, strict: true });
  const effective: Config = {
    ...config,
    ...(values.port !== undefined ? { port: Number(values.port) } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.workers !== undefined ? { workers: Number(values.workers) } : {}),
  };
  if (!Number.isInteger(effective.port) || effective.port < 0 || effective.port > 65535) throw new UsageError('--port must be a port number');
  if (!Number.isInteger(effective.workers) || effective.workers < 1 || effective.workers > 64) throw new UsageError('--workers must be a whole number from 1 to 64');
  const heapGrowthPercent = applyHeapGrowth(effective.heapGrowthPercent);
  if (isClusterWorker()) {
    await runWorker(effective);
    return;
  }
  if (effective.workers > 1) {
    if (parseDatabaseUrl(effective.databaseUrl).dialect === 'sqlite') {
      throw new UsageError('SQLite serves one process: use PostgreSQL (DATABASE_URL=postgres://...) to run several workers');
    }
    process.exit(await runPrimary(effective, effective.workers, say));
  }
  const server = await startServer(effective, { announce: say });
  server.app.log.info({ url: server.url, database: server.database.displayUrl, heapGrowthPercent }, 'Stockscan is ready');
  const shutdown = (signal: string) => {
    server.app.log.info({ signal }, 'shutting down: finishing requests in flight');
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

async function commandBackup(config: Config, args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  const target = positionals[0];
  if (target === undefined || positionals.length > 1) throw new UsageError('usage: stockscan backup <file>');
  const parsed = parseDatabaseUrl(config.databaseUrl);
  if (parsed.dialect !== 'sqlite') {
    throw new UsageError('backup copies SQLite databases; for PostgreSQL use pg_dump (see docs/operations.md)');
  }
  const result = await backupSqlite(parsed.target, target);
  say(`Backed up ${redactUrl(config.databaseUrl)} to ${result.file} (${result.pages} pages, integrity ok)`);
}

async function commandMigrate(config: Config): Promise<void> {
  const database = openDatabase(config.databaseUrl, { poolSize: 2 });
  try {
    const applied = await migrateToLatest(database);
    say(applied.length === 0 ? 'No pending migrations.' : `Applied: ${applied.join(', ')}`);
  } finally {
    await database.close();
  }
}

async function commandCreateSuperuser(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { username: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' } },
    strict: true,
  });
  const interactive = process.stdin.isTTY === true;
  const username = values.username ?? (interactive ? (await ask('Username: ')).trim() : undefined);
  if (!username) throw new UsageError('--username is required');
  const email = values.email ?? (interactive && values.username === undefined ? (await ask('Email address (optional): ')).trim() : '');
  let password = values.password ?? process.env.STOCKSCAN_PASSWORD;
  if (password === undefined && interactive) {
    password = await ask('Password: ', true);
    if ((await ask('Password (again): ', true)) !== password) throw new UsageError('the passwords do not match');
  }
  if (password === undefined || password === '') throw new UsageError('--password is required (or set STOCKSCAN_PASSWORD)');
  try {
    validateUsername(username);
    validatePassword(password, username);
  } catch (e) {
    if (e instanceof ValidationError) throw new UsageError(Object.values(e.fields).flat().join(' '));
    throw e;
  }
  await withDatabase(config, async (database) => {
    if ((await findUserForLogin(database.kysely, username)) !== undefined) throw new UsageError(`user "${username}" already exists`);
    await createUser(database.kysely, { username, email, password, is_staff: true, is_superuser: true, is_active: true });
  });
  say(`Superuser "${username}" created.`);
}

async function commandToken(config: Config, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { name: { type: 'string' } }, allowPositionals: true, strict: true });
  const username = positionals[0];
  if (username === undefined || positionals.length > 1) throw new UsageError('usage: stockscan token <username> [--name NAME]');
  const secret = loadServerSecret(config.secretKey, config.dataDir);
  const token = await withDatabase(config, async (database) => {
    const user = await findUserForLogin(database.kysely, username);
    if (user === undefined) throw new UsageError(`no user "${username}"`);
    if (!user.is_active) throw new UsageError(`user "${username}" is not active`);
    return getOrCreateToken(database.kysely, secret, user.id, sanitizeTokenName(values.name ?? 'cli'), { source: 'cli' });
  });
  say(token.key);
}

async function commandDemo(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { force: { type: 'boolean' } }, strict: true });
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const summary = await withDatabase(config, async (database) => {
    try {
      const result = await loadDemo(database, { force: values.force === true });
      return formatSummary(result, { database: database.displayUrl, baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${config.port}` });
    } catch (e) {
      if (!(e instanceof DemoRefused)) throw e;
      const hint =
        e.reason === 'not-empty'
          ? 'run "stockscan demo --force" to add the demo data anyway'
          : e.reason === 'already-loaded'
            ? 'load it into an empty database to start over'
            : 'the demo data collides with data already there';
      throw new UsageError(`${e.message}; nothing was loaded (${hint})`);
    }
  });
  say(summary);
}

export async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...args] = argv;
  try {
    if (command === 'help' || command === '--help' || command === '-h') {
      say(HELP);
      return 0;
    }
    if (command === '--version' || command === 'version') {
      say(STOCKSCAN_VERSION);
      return 0;
    }
    if (args.includes('--help') || args.includes('-h')) {
      say(HELP);
      return 0;
    }
    const config = loadConfig();
    switch (command) {
      case 'serve':
        await commandServe(config, args);
        return -1;
      case 'migrate':
        await commandMigrate(config);
        return 0;
      case 'backup':
        await commandBackup(config, args);
        return 0;
      case 'createsuperuser':
        await commandCreateSuperuser(config, args);
        return 0;
      case 'token':
        await commandToken(config, args);
        return 0;
      case 'demo':
        await commandDemo(config, args);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}" (see "stockscan help")`);
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`stockscan: ${message}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

const code = await main(process.argv.slice(2));
// -1: a server is running; let it keep the process alive.
if (code >= 0) process.exit(code);
