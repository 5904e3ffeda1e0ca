/** Shared set-up for the sales-order tests: rows inserted directly with `h.fx`, and request shortcuts. */
import type { LightMyRequestResponse } from 'fastify';
import type { Harness, TestUser } from '../helpers/app.js';

export interface SalesWorld {
  customer: number;
  otherCustomer: number;
  supplier: number;
  part: number;
  location: number;
}

export async function salesWorld(h: Harness): Promise<SalesWorld> {
  return {
    customer: await h.fx.company({ name: 'ACME Retail', is_customer: true, is_supplier: false }),
    otherCustomer: await h.fx.company({ name: 'Bolt Shop', is_customer: true, is_supplier: false }),
    supplier: await h.fx.company({ name: 'Parts Inc', is_customer: false, is_supplier: true }),
    part: await h.fx.part({ name: 'Widget', salable: true }),
    location: await h.fx.location({ name: 'Shelf' }),
  };
}

export interface Client {
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
}

/** Requests as `user`, JSON bodies. */
export function client(h: Harness, user: TestUser): Client {
  const send = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE') => (url: string, payload?: unknown) =>
    h.request({ method, url, headers: user.auth, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { get: send('GET'), post: send('POST'), put: send('PUT'), patch: send('PATCH'), delete: send('DELETE') };
}

export function sorted(keys: Iterable<string>): string[] {
  return [...keys].sort();
}

/** Keys of a SalesOrder object as listed (no `notes`, no `customer_detail`). */
export const SALES_ORDER_KEYS = [
  'pk',
  'created_by',
  'creation_date',
  'issue_date',
  'start_date',
  'target_date',
  'description',
  'line_items',
  'completed_lines',
  'link',
  'project_code',
  'project_code_label',
  'project_code_detail',
  'reference',
  'responsible',
  'responsible_detail',
  'contact',
  'contact_detail',
  'address',
  'address_detail',
  'status',
  'status_text',
  'status_custom_key',
  'barcode_hash',
  'overdue',
  'parameters',
  'tags',
  'customer',
  'customer_reference',
  'shipment_date',
  'total_price',
  'order_currency',
  'shipments_count',
  'completed_shipments_count',
  'allocated_lines',
  'updated_at',
];
