#!/usr/bin/env node
// Bundles the compiled server (dist/src/cli.js and everything it imports) into one ES module,
// dist/server/stockscan.js, which bin/stockscan.js and `npm start` run. One file instead of
// several hundred modules takes Node.js far less time to resolve and load at start-up
// (docs/performance.md, "Third round"). Run by `npm run build:server` after tsc.
//
// Left outside the bundle: Node's own modules; the database drivers (better-sqlite3 has a
// native addon; each is loaded only for its kind of database); bwip-js and zxing-wasm (loaded
// on first use, zxing-wasm's .wasm file is served from node_modules).
// The bundle sits two directories below the project root, as dist/src/*.js do: src/paths.ts
// finds the root from there.
import { rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${root}dist/server`;
const EXTERNAL = ['better-sqlite3', 'pg', 'pg-native', 'bwip-js', 'zxing-wasm'];

const external = (id) =>
  id.startsWith('node:') || builtinModules.includes(id) || EXTERNAL.some((name) => id === name || id.startsWith(`${name}/`));

/** One ES module in dist/server from one compiled entry in dist/src. */
function bundle(entry, name, what) {
  return build({
    input: `${root}dist/src/${entry}`,
    platform: 'node',
    external,
    output: {
      file: `${outDir}/${name}`,
      format: 'esm',
      codeSplitting: false,
      sourcemap: true,
      // Smaller code parses faster. Function and class names are kept (not mangled): logs name
      // errors by their classes, and Fastify names plugins after their functions.
      minify: {
        compress: { keepNames: { function: true, class: true } },
        mangle: { keepNames: { function: true, class: true } },
      },
      banner: `// Stockscan ${what}, built by scripts/bundle-server.js from dist/src: do not edit.`,
    },
    logLevel: 'warn',
  });
}

rmSync(outDir, { recursive: true, force: true });
await bundle('cli.js', 'stockscan.js', 'server bundle');
// The SQLite checkpointer's worker thread (src/db/checkpointer.ts) is its own entry: the server
// starts it from the file beside itself, `new URL('./checkpoint-thread.js', import.meta.url)`.
await bundle('db/checkpoint-thread.js', 'checkpoint-thread.js', 'checkpoint thread');
