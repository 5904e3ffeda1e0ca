/** Sales orders, lines, shipments and allocations: `/api/order/so/...`, `/api/order/so-line/...`, `/api/order/so-allocation/...`. */
import type { FastifyInstance } from 'fastify';

export async function salesOrderRoutes(_app: FastifyInstance): Promise<void> {
  // Routes are added by the core inventory work (issue 3).
}
