/** Companies, manufacturer parts and supplier parts: `/api/company/...`. */
import type { FastifyInstance } from 'fastify';

export async function companyRoutes(_app: FastifyInstance): Promise<void> {
  // Routes are added by the core inventory work (issue 3).
}
