#!/usr/bin/env node
// The `stockscan` command. The TypeScript sources are compiled to dist/ by `npm ci`
// (the "prepare" script) and by `npm start`; run `npm run build` after changing them.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('stockscan: not built yet; run "npm run build" (or "npm ci") first\n');
  process.exit(1);
}
await import(entry.href);
