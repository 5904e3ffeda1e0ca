/**
 * Browser tests: the real server (startServer, as `npm start` runs it) on a real port with a
 * fresh database, the demo workshop loaded, and Debian's Chromium driven by playwright-core.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../../src/config.js';
import { openDatabase, type Database } from '../../../src/db/connection.js';
import { migrateToLatest } from '../../../src/db/migrator.js';
import { loadDemo, type DemoResult } from '../../../src/demo/loader.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { grantRoles, type RulesetChanges } from '../../../src/users/admin.js';
import { setPasswordHashCost } from '../../../src/users/passwords.js';
import type { RulesetName } from '../../../src/users/roles.js';
import { createUser, type AuthUser } from '../../../src/users/users.js';
import { freshDatabaseUrl, testDialect } from '../../helpers/database.js';
import { Fixtures } from '../../helpers/fixtures.js';

setPasswordHashCost(4);

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts');
const WEB_DIST = join(ROOT, 'dist', 'web');

// --- the built app ----------------------------------------------------------------------------

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Sources the web bundle is built from (the app and the shared scan-repair module). */
function sourcesMtime(): number {
  return Math.max(
    newestMtime(join(ROOT, 'web')),
    newestMtime(join(ROOT, 'src', 'barcode', 'formats', 'repair.ts')),
    newestMtime(join(ROOT, 'src', 'text', 'python-strip.ts')),
  );
}

function upToDate(): boolean {
  const index = join(WEB_DIST, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= sourcesMtime();
}

/**
 * `npm test` builds the app first (pretest); a run of the compiled tests alone (tsc, then
 * scripts/run-tests.js) gets it built here, once, under a lock shared by the test processes.
 */
export async function ensureWebBuild(): Promise<void> {
  if (upToDate()) return;
  const lock = join(ROOT, 'dist', '.web-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another test process to build the web app');
      await new Promise((r) => setTimeout(r, 500));
      if (upToDate()) return;
    }
  }
  try {
    if (!upToDate()) {
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(ROOT, 'web', 'vite.config.ts'), '--logLevel', 'warn'], {
        cwd: ROOT,
        stdio: 'inherit',
      });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

// --- the server -------------------------------------------------------------------------------

export interface WebServer {
  url: string;
  server: RunningServer;
  /** A second connection to the same database, for fixtures and checks. */
  database: Database;
  fx: Fixtures;
  demo: DemoResult;
  admin: { username: string; password: string; user: AuthUser };
  user(name: string, roles: Partial<Record<RulesetName, RulesetChanges>>, extra?: { is_staff?: boolean }): Promise<{ username: string; password: string }>;
  stop(): Promise<void>;
}

export async function startWebServer(): Promise<WebServer> {
  await ensureWebBuild();
  const fresh = await freshDatabaseUrl();
  const dataDir = mkdtempSync(join(tmpdir(), 'stockscan-web-'));
  const database = openDatabase(fresh.url, { poolSize: 4 });
  await migrateToLatest(database);
  const password = 'admin-password-1';
  const admin = await createUser(database.kysely, { username: 'admin', password, is_superuser: true, is_staff: true });
  const demo = await loadDemo(database, { userId: admin.id });
  const config = {
    ...loadConfig({ DATABASE_URL: fresh.url, STOCKSCAN_DATA_DIR: dataDir, STOCKSCAN_SECRET_KEY: 'web-test-secret-key-0123456789', LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1' }),
    pgPoolSize: 4,
  };
  const server = await startServer(config, { prepare: false });
  let counter = 0;
  return {
    url: server.url.replace('localhost', '127.0.0.1'),
    server,
    database,
    fx: new Fixtures(database),
    demo,
    admin: { username: 'admin', password, user: admin },
    async user(name, roles, extra = {}) {
      const pw = `${name}-password-1`;
      const user = await createUser(database.kysely, { username: name, password: pw, ...extra });
      await grantRoles(database, user.id, `${name}-group-${++counter}`, roles);
      return { username: name, password: pw };
    },
    async stop() {
      await server.stop();
      await database.close();
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// --- the browser ------------------------------------------------------------------------------

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Requests the pages made to anywhere but the server. */
  outside: string[];
  /** Every URL requested from the server, in order. */
  requested: string[];
  pageErrors: string[];
  /** Console errors other than the browser's note on each 4xx answer (CSP violations, exceptions). */
  consoleErrors: string[];
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** A .y4m or .mjpeg file the fake camera plays. */
  fakeVideo?: string;
  viewport?: { width: number; height: number };
}

export async function launchBrowser(origin: string, options: LaunchOptions = {}): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'stockscan-chromium-'));
  // Playwright adds --headless and --user-data-dir=<profile> itself.
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ];
  if (options.fakeVideo !== undefined) {
    args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${options.fakeVideo}`);
  }
  // A persistent context is how playwright starts Chromium with a user-data-dir of our own.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args,
    viewport: options.viewport ?? { width: 412, height: 915 },
    deviceScaleFactor: 1,
    hasTouch: false,
    permissions: options.fakeVideo !== undefined ? ['camera'] : [],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const outside: string[] = [];
  const requested: string[] = [];
  const pageErrors: string[] = [];
  context.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (url === origin || url.startsWith(`${origin}/`)) requested.push(url.slice(origin.length));
    else outside.push(url);
  });
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // Chromium logs every 4xx answer of a fetch; the app expects some (401 before signing in,
    // 400 for an unknown barcode, 404 for a missing inbox).
    if (message.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) consoleErrors.push(message.text());
  });
  page.setDefaultTimeout(15_000);
  return {
    context,
    page,
    outside,
    requested,
    pageErrors,
    consoleErrors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function signIn(page: Page, origin: string, username: string, password: string, path = '/web/'): Promise<void> {
  await page.goto(`${origin}${path}`);
  await page.waitForURL(/\/web\/login/);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/web/login'));
}

/** Saves a screenshot under test-artifacts/ (named per database kind). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}-${testDialect()}.png`);
  await page.screenshot({ path: file, fullPage });
  return relative(ROOT, file);
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

export function writeArtifact(name: string, data: Buffer | string): string {
  const file = artifactPath(name);
  writeFileSync(file, data);
  return file;
}

/** Signs out through the header (behind the menu button on a phone screen). */
export async function signOut(page: Page): Promise<void> {
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/web\/login/);
}

/** Form controls of the page without an accessible name (label, aria-label, text or title). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const named = (el) => {
      const aria = (el.getAttribute('aria-label') || '').trim();
      if (aria) return true;
      const by = el.getAttribute('aria-labelledby');
      if (by && by.split(/\\s+/).some((id) => (document.getElementById(id)?.textContent || '').trim())) return true;
      if (el.labels && [...el.labels].some((l) => l.textContent.trim())) return true;
      if (el.tagName === 'BUTTON' && el.textContent.trim()) return true;
      return Boolean((el.getAttribute('title') || '').trim());
    };
    return [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => el.type !== 'hidden' && !named(el))
      .map((el) => el.outerHTML.slice(0, 160));
  })()`);
}
