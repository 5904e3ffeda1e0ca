/** Stockscan's barcode endpoints beyond InvenTree's (docs/barcodes.md). */
import type { FastifyInstance } from 'fastify';
import { aliasRoutes } from './alias-routes.js';
import { eciaRoutes } from './ecia-routes.js';
import { unmatchedRoutes } from './unmatched-routes.js';
import { whoisRoutes } from './whois-routes.js';

export async function extraRoutes(app: FastifyInstance): Promise<void> {
  await app.register(aliasRoutes);
  await app.register(whoisRoutes);
  await app.register(unmatchedRoutes);
  await app.register(eciaRoutes);
}
