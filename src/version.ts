import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.js';

/** The InvenTree API version Stockscan implements (decision D1). */
export const API_VERSION = 435;

/** The InvenTree server version string Stockscan reports: the 1.2/1.3 line that API 435 belongs to. */
export const INVENTREE_COMPATIBLE_VERSION = '1.2.0';

interface PackageJson {
  version: string;
}

function readPackageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as PackageJson;
  return pkg.version;
}

/** Stockscan's own version, from package.json. */
export const STOCKSCAN_VERSION = readPackageVersion();
