/** Build orders: `/api/build/...`. */
import type { FastifyInstance } from 'fastify';

export async function buildRoutes(_app: FastifyInstance): Promise<void> {
  // Routes are added by the core inventory work (issue 3).
}
