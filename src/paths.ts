import { fileURLToPath } from 'node:url';

/**
 * The project's root directory (where package.json and dist/ are). This module runs from
 * dist/src/ (compiled by tsc) or inside dist/server/stockscan.js (the bundle): both are two
 * directories below the root.
 */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
