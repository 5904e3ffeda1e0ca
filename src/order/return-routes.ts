/** Return orders and their lines: `/api/order/ro/...`, `/api/order/ro-line/...`. */
import type { FastifyInstance } from 'fastify';

export async function returnOrderRoutes(_app: FastifyInstance): Promise<void> {
  // Routes are added by the core inventory work (issue 3).
}
