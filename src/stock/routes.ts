/** Stock locations, stock items, tracking and stock actions: `/api/stock/...`. */
import type { FastifyInstance } from 'fastify';
import { locationRoutes } from './location-routes.js';
import { itemRoutes } from './item-routes.js';
import { actionRoutes, trackingRoutes } from './action-routes.js';

export async function stockRoutes(app: FastifyInstance): Promise<void> {
  await locationRoutes(app);
  await trackingRoutes(app);
  await actionRoutes(app);
  await itemRoutes(app);
}
