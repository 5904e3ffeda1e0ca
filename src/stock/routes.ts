/** Stock locations, stock items, tracking and stock actions: `/api/stock/...`. */
import type { FastifyInstance } from 'fastify';

export async function stockRoutes(_app: FastifyInstance): Promise<void> {
  // Routes are added by the core inventory work (issue 3).
}
