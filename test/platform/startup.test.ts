/**
 * What start-up loads: the database driver of the database in use only, and no barcode
 * renderer until an image is drawn (src/db/drivers.ts, src/web/render.ts). Checked in child
 * processes, whose module caches start empty.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';

const DIST_SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Runs an ES module body in a fresh Node.js process and returns what it printed. */
function runFresh(body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', body], { cwd: DIST_SRC }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

/** Prints which of the heavy packages are in the (shared) CommonJS module cache. */
const REPORT_LOADED = `
  const { createRequire } = await import('node:module');
  const cache = createRequire(import.meta.url).cache;
  const loaded = (name) => Object.keys(cache).some((file) => file.includes('/node_modules/' + name + '/'));
  console.log(JSON.stringify({ pg: loaded('pg'), sqlite: loaded('better-sqlite3') }));
`;

describe('start-up loads only what it needs', () => {
  it('a SQLite database loads better-sqlite3 and not pg', async () => {
    const out = await runFresh(`
      const { openDatabase } = await import('${DIST_SRC}db/connection.js');
      const db = openDatabase('sqlite::memory:');
      await db.kysely.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
      ${REPORT_LOADED}
      await db.close();
    `);
    assert.deepEqual(JSON.parse(out), { pg: false, sqlite: true });
  });

  it('a PostgreSQL database loads pg and not better-sqlite3 (no connection is made until a query)', async () => {
    const out = await runFresh(`
      const { openDatabase } = await import('${DIST_SRC}db/connection.js');
      const db = openDatabase('postgres://nobody@127.0.0.1:1/none');
      ${REPORT_LOADED}
      await db.close();
    `);
    assert.deepEqual(JSON.parse(out), { pg: true, sqlite: false });
  });

  it('bwip-js is loaded when the first barcode is drawn, not with the application', async () => {
    // A module resolution hook (it runs in its own thread) appends every URL it resolves to a file.
    const dir = mkdtempSync(join(tmpdir(), 'stockscan-startup-'));
    const seen = join(dir, 'resolved.txt');
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(seen, '');
    writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';
       export async function resolve(specifier, context, next) {
         const result = await next(specifier, context);
         appendFileSync(${JSON.stringify(seen)}, result.url + '\\n');
         return result;
       }`,
    );
    try {
      const out = await runFresh(`
        const { register } = await import('node:module');
        const { readFileSync } = await import('node:fs');
        register(${JSON.stringify(pathToFileURL(hooks).href)});
        const bwipSeen = () => readFileSync(${JSON.stringify(seen)}, 'utf8').includes('/node_modules/bwip-js/');
        await import('${DIST_SRC}app.js');
        const afterApp = bwipSeen();
        const { renderBarcode } = await import('${DIST_SRC}web/render.js');
        const image = await renderBarcode('INV-SI1', 'qrcode', 'svg');
        console.log(JSON.stringify({ afterApp, afterDrawing: bwipSeen(), svg: image.body.toString('utf8').startsWith('<svg') }));
      `);
      assert.deepEqual(JSON.parse(out), { afterApp: false, afterDrawing: true, svg: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
