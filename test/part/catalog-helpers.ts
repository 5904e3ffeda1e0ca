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

/**
 * What inventree-python's InventreeObject does over HTTP (clients.md §1.2): GETs carry a JSON
 * body `{}`, writes add `?format=json`, filters send Python booleans (`True`/`False`), list
 * replies may be arrays or pages, `count()` reads `count` from a `limit=1` page, `reload()`
 * needs `pk`, and `save()` PATCHes the whole object it holds unless given data.
 */
export interface PyObject {
  url: string;
  data: Record<string, any>;
}

export class PythonClient {
  constructor(
    private readonly h: Harness,
    private readonly user: TestUser,
  ) {}

  private async request(method: Method, path: string, body: unknown, query: Record<string, unknown> = {}): Promise<any> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) params.set(k, typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));
    const qs = params.toString();
    const res = await this.h.request({
      method,
      url: `/api/${path}${qs ? `?${qs}` : ''}`,
      headers: { ...this.user.auth, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    if (res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode} on ${method} ${path}: ${res.body}`);
    if (method !== 'DELETE' && res.headers['content-type'] !== 'application/json') throw new Error(`InvalidJSONError: ${String(res.headers['content-type'])}`);
    return method === 'DELETE' ? undefined : res.json();
  }

  async list(url: string, filters: Record<string, unknown> = {}): Promise<PyObject[]> {
    let response = await this.request('GET', url, {}, filters);
    if (!Array.isArray(response)) response = response.results;
    return (response as Record<string, any>[]).filter((d) => 'pk' in d).map((d) => this.wrap(url, d));
  }

  async count(url: string, filters: Record<string, unknown> = {}): Promise<number> {
    return (await this.request('GET', url, {}, { ...filters, limit: 1 })).count;
  }

  async create(url: string, data: Record<string, unknown>): Promise<PyObject> {
    return this.wrap(url, await this.request('POST', url, data, { format: 'json' }));
  }

  async reload(obj: PyObject): Promise<void> {
    const data = await this.request('GET', obj.url, {});
    if (data === null || typeof data !== 'object' || Object.keys(data).length === 0 || !Number.isInteger(Number(data.pk))) throw new Error('reload: invalid data');
    obj.data = data;
  }

  async save(obj: PyObject, data?: Record<string, unknown>): Promise<void> {
    obj.data = await this.request('PATCH', obj.url, data ?? obj.data, { format: 'json' });
  }

  private wrap(url: string, data: Record<string, any>): PyObject {
    const pk = Number(data.pk);
    if (!Number.isInteger(pk) || pk <= 0) throw new TypeError(`invalid pk ${data.pk}`);
    // The client joins `<URL>/<pk>/`; urljoin collapses the double slash.
    return { url: `${url.replace(/\/$/, '')}/${pk}/`, data };
  }
}
