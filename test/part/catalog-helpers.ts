/** Small request helpers shared by the catalogue tests (parts, categories, companies). */
import type { LightMyRequestResponse } from 'fastify';
import type { Harness, TestUser } from '../helpers/app.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Api {
  call(method: Method, url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload: unknown): Promise<LightMyRequestResponse>;
  put(url: string, payload: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

export function api(h: Harness, user: TestUser): Api {
  const call = (method: Method, url: string, payload?: unknown) =>
    h.request({ method, url, headers: user.auth, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
  return {
    call,
    get: (url) => call('GET', url),
    post: (url, payload) => call('POST', url, payload),
    put: (url, payload) => call('PUT', url, payload),
    patch: (url, payload) => call('PATCH', url, payload),
    del: (url) => call('DELETE', url),
  };
}

/** The pks of a list response (plain array or page). */
export function pks(res: LightMyRequestResponse): number[] {
  const body = res.json();
  const rows = Array.isArray(body) ? body : body.results;
  return rows.map((r: { pk: number }) => r.pk);
}

export const INVALID_CHOICE = 'Select a valid choice. That choice is not one of the available choices.';
