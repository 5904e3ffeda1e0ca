/**
 * Serves Stockscan's web app (built by Vite from web/ into dist/web) under `/web/`:
 * - `/web/assets/…`: the hashed bundles, cached for a year (their names change with their content);
 * - `/web/zxing/<version>/zxing_reader.wasm`: zxing-wasm's decoder, straight from node_modules,
 *   so the camera scanner never fetches anything from another origin;
 * - any other `/web/…` path (the pages `web_url` values point at, decision D15): the app's
 *   index.html, revalidated on every load, with a Content-Security-Policy that lets the page
 *   talk to this server only.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { WEB_BASE } from '../barcode/model-types.js';
import { PROJECT_ROOT } from '../paths.js';

/** Where `npm run build:web` puts the app. */
export const DEFAULT_WEB_DIST = join(PROJECT_ROOT, 'dist', 'web');

const require = createRequire(import.meta.url);

/** zxing-wasm's reader module and its version (the URL carries it, so it can be cached for good). */
export function zxingWasm(): { file: string; dir: string; version: string } {
  const file = require.resolve('zxing-wasm/reader/zxing_reader.wasm');
  const pkg = JSON.parse(readFileSync(join(dirname(file), '..', '..', 'package.json'), 'utf8')) as { version: string };
  return { file, dir: dirname(file), version: pkg.version };
}

export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stockscan</title></head>
<body><h1>The web app has not been built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds first) and reload this page.</p></body></html>`;

const YEAR = 365 * 24 * 60 * 60 * 1000;

export interface StaticOptions {
  /** Where the built app is (default dist/web). */
  webDir?: string;
}

export async function staticRoutes(app: FastifyInstance, options: StaticOptions = {}): Promise<void> {
  const wasm = zxingWasm();
  const webDir = options.webDir ?? DEFAULT_WEB_DIST;
  await app.register(fastifyStatic, { root: webDir, serve: false });

  const sendIndex = (reply: FastifyReply) => {
    reply.header('Content-Security-Policy', APP_CSP).header('Permissions-Policy', 'camera=(self), microphone=()');
    if (!existsSync(join(webDir, 'index.html'))) {
      return reply.code(503).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT);
    }
    reply.header('Cache-Control', 'no-cache');
    return reply.sendFile('index.html', webDir, { cacheControl: false });
  };

  const routeOptions = { config: { public: true }, schema: { hide: true } };
  app.get(WEB_BASE, routeOptions, async (_request, reply) => sendIndex(reply));
  app.get(`${WEB_BASE}/*`, routeOptions, async (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    if (rest.startsWith('assets/')) return reply.sendFile(rest, webDir, { maxAge: YEAR, immutable: true });
    if (rest.startsWith('zxing/')) {
      if (rest !== `zxing/${wasm.version}/zxing_reader.wasm`) return reply.callNotFound();
      return reply.sendFile('zxing_reader.wasm', wasm.dir, { maxAge: YEAR, immutable: true });
    }
    // Files Vite copies from web/public (icons, the manifest) sit at the top level.
    if (/^[\w.-]+\.(svg|png|ico|webmanifest|txt)$/.test(rest)) {
      const file = join(webDir, rest);
      if (existsSync(file) && statSync(file).isFile()) return reply.sendFile(rest, webDir, { maxAge: 60 * 60 * 1000 });
    }
    return sendIndex(reply);
  });
}
