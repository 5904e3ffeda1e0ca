import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  ALL_STATUS_CLASSES,
  BuildStatus,
  PurchaseOrderStatus,
  ReturnOrderLineStatus,
  ReturnOrderStatus,
  SalesOrderStatus,
  statusBody,
  StockHistoryCode,
  StockStatus,
  type StatusClass,
} from './enums.js';

const StatusValueSchema = Type.Object({ key: Type.Integer(), name: Type.String(), label: Type.String(), color: Type.String() });
const StatusBodySchema = Type.Object({ status_class: Type.String(), values: Type.Record(Type.String(), StatusValueSchema) });

const ENDPOINTS: ReadonlyArray<[string, StatusClass]> = [
  ['/api/stock/status/', StockStatus],
  ['/api/stock/track/status/', StockHistoryCode],
  ['/api/order/po/status/', PurchaseOrderStatus],
  ['/api/order/so/status/', SalesOrderStatus],
  ['/api/order/ro/status/', ReturnOrderStatus],
  ['/api/order/ro-line/status/', ReturnOrderLineStatus],
  ['/api/build/status/', BuildStatus],
];

/** Status-code endpoints (core-api.md §2.2): authenticated, never paginated. */
export async function statusRoutes(app: FastifyInstance): Promise<void> {
  for (const [url, cls] of ENDPOINTS) {
    const body = statusBody(cls);
    app.get(url, { schema: { tags: ['status'], summary: `${cls.className} codes`, response: { 200: StatusBodySchema } } }, async () => body);
  }
  const all = Object.fromEntries(ALL_STATUS_CLASSES.map((cls) => [cls.className, statusBody(cls)]));
  app.get(
    '/api/generic/status/',
    { schema: { tags: ['status'], summary: 'Every status class', response: { 200: Type.Record(Type.String(), StatusBodySchema) } } },
    async () => all,
  );
}
