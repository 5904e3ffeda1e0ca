/**
 * The web app's files under /web/: every app route (the pages web_url values point at, D15)
 * answers the app, revalidated and locked to this origin by its Content-Security-Policy;
 * hashed assets are cached for a year; zxing-wasm's decoder comes from node_modules.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { after, before, describe, it } from 'node:test';
import { BARCODE_MODELS, webUrlOf } from '../../src/barcode/model-types.js';
import { APP_CSP, DEFAULT_WEB_DIST, staticRoutes, zxingWasm } from '../../src/web/static.js';
import { createHarness, type Harness } from '../helpers/app.js';
import { ensureWebBuild } from './helpers/server.js';

const YEAR = 'public, max-age=31536000, immutable';

describe('the web app under /web/', () => {
  let h: Harness;
  let index: string;
  before(async () => {
    await ensureWebBuild();
    index = readFileSync(join(DEFAULT_WEB_DIST, 'index.html'), 'utf8');
    h = await createHarness();
  });
  after(() => h.close());

  it('answers the app on /web, /web/ and every page route, without signing in', async () => {
    const paths = ['/web', '/web/', '/web/scan', '/web/login?next=%2Fweb%2F', '/web/labels?items=part:1', '/web/no/such/page', '/web/purchasing/manufacturer-part/3', '/web/sales/shipment/2'];
    for (const model of BARCODE_MODELS) {
      const url = webUrlOf(model, 7);
      if (url !== undefined) paths.push(url, `${url}/details`);
    }
    for (const path of paths) {
      const res = await h.request({ method: 'GET', url: path });
      assert.equal(res.statusCode, 200, path);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8', path);
      assert.equal(res.body, index, path);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.equal(res.headers['content-security-policy'], APP_CSP);
      assert.equal(res.headers['x-frame-options'], 'DENY');
    }
    // A bad token does not stand in the way of the page itself.
    const res = await h.request({ method: 'GET', url: '/web/scan', headers: { authorization: 'Token nonsense' } });
    assert.equal(res.statusCode, 200);
    assert.equal((await h.request({ method: 'HEAD', url: '/web/' })).statusCode, 200);
  });

  it('keeps the page to this origin: only its own scripts, styles and connections', () => {
    assert.match(APP_CSP, /default-src 'self'/);
    assert.match(APP_CSP, /connect-src 'self'(;|$)/);
    assert.match(APP_CSP, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.match(APP_CSP, /frame-ancestors 'none'/);
    const urls = [...index.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(urls.length >= 3, index);
    for (const url of urls) assert.match(url, /^\/web\//, `a same-origin URL: ${url}`);
  });

  it('serves the hashed assets for a year, and 404 for assets that do not exist', async () => {
    const assets = [...index.matchAll(/"(\/web\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), index);
    for (const asset of assets) {
      const res = await h.request({ method: 'GET', url: asset });
      assert.equal(res.statusCode, 200, asset);
      assert.equal(res.headers['cache-control'], YEAR);
      assert.match(String(res.headers['content-type']), asset.endsWith('.js') ? /^application\/javascript/ : /^text\/css/);
    }
    const missing = await h.request({ method: 'GET', url: '/web/assets/index-doesnotexist.js' });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { detail: 'Not found.' });
    const escape = await h.request({ method: 'GET', url: '/web/assets/..%2F..%2F..%2Fpackage.json' });
    assert.ok(escape.statusCode >= 400 && escape.statusCode < 500, `no way out of the app folder: ${escape.statusCode}`);
  });

  it('serves zxing-wasm\'s decoder from node_modules at a versioned URL', async () => {
    const wasm = zxingWasm();
    const res = await h.request({ method: 'GET', url: `/web/zxing/${wasm.version}/zxing_reader.wasm` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/wasm');
    assert.equal(res.headers['cache-control'], YEAR);
    assert.equal(res.rawPayload.length, statSync(wasm.file).size);
    assert.deepEqual(res.rawPayload.subarray(0, 4), Buffer.from([0x00, 0x61, 0x73, 0x6d]), 'a WebAssembly module');
    assert.equal((await h.request({ method: 'GET', url: '/web/zxing/0.0.1/zxing_reader.wasm' })).statusCode, 404);
    assert.equal((await h.request({ method: 'GET', url: `/web/zxing/${wasm.version}/zxing_full.wasm` })).statusCode, 404);
  });

  it('serves the icon and the manifest that let a phone add the app to its home screen', async () => {
    const icon = await h.request({ method: 'GET', url: '/web/icon.svg' });
    assert.equal(icon.statusCode, 200);
    assert.equal(icon.headers['content-type'], 'image/svg+xml');
    const manifest = await h.request({ method: 'GET', url: '/web/manifest.webmanifest' });
    assert.equal(manifest.statusCode, 200);
    assert.equal(JSON.parse(manifest.body).start_url, '/web/scan');
  });

  it('is read-only', async () => {
    const res = await h.request({ method: 'POST', url: '/web/scan', payload: {} });
    assert.equal(res.statusCode, 405);
    assert.deepEqual(res.json(), { detail: 'Method "POST" not allowed.' });
  });
});

describe('the web app when it has not been built', () => {
  let app: FastifyInstance;
  let empty: string;
  before(async () => {
    empty = mkdtempSync(join(tmpdir(), 'stockscan-noweb-'));
    app = Fastify();
    await app.register(staticRoutes, { webDir: empty });
    await app.ready();
  });
  after(async () => {
    await app.close();
    rmSync(empty, { recursive: true, force: true });
  });

  it('says how to build it instead of failing', async () => {
    const res = await app.inject({ method: 'GET', url: '/web/scan' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.body, /The web app has not been built/);
    assert.match(res.body, /npm run build/);
  });
});
