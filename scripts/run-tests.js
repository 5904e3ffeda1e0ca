#!/usr/bin/env node
// Runs the compiled test suite (dist/test/**/*.test.js) with node:test.
// Usage: npm test [-- <substring filter of test file paths>]
// DATABASE_URL picks the database kind (default: SQLite files in the temp directory);
// COVERAGE=1 adds node's coverage report.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const testDir = join(root, 'dist', 'test');

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = collect(testDir)
  .filter((f) => filters.length === 0 || filters.some((x) => relative(root, f).includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const args = ['--test', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 3}`];
if (process.env.COVERAGE === '1') args.push('--experimental-test-coverage');
const child = spawn(process.execPath, [...args, ...files], { stdio: 'inherit', env: process.env });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
