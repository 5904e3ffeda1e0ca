#!/usr/bin/env node
// The `stockscan` command. The TypeScript sources are compiled to dist/ and bundled into
// dist/server/stockscan.js by `npm ci` (the "prepare" script) and by `npm start`; run
// `npm run build` after changing them.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/server/stockscan.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('stockscan: not built yet; run "npm run build" (or "npm ci") first\n');
  process.exit(1);
}
await import(entry.href);
