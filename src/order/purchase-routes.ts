/** Purchase orders, their lines and receiving: `/api/order/po/...`, `/api/order/po-line/...`. */
import type { FastifyInstance } from 'fastify';

export async function purchaseOrderRoutes(_app: FastifyInstance): Promise<void> {
  // Routes are added by the core inventory work (issue 3).
}
