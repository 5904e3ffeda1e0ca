/** Part categories and parts: `/api/part/...`. */
import type { FastifyInstance } from 'fastify';

export async function partRoutes(_app: FastifyInstance): Promise<void> {
  // Routes are added by the core inventory work (issue 3).
}
