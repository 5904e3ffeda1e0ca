/**
 * Talking to the Stockscan API from the browser: the session cookie goes along by itself,
 * and every write carries the CSRF token (cookie `csrftoken`, header `X-CSRFToken`).
 * Failures become ApiErrors whose `message` says in plain words what went wrong.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Fired on window when the API answers 401: nobody is signed in any more. */
export const UNAUTHORIZED_EVENT = 'stockscan:unauthorized';

export function cookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The body as an object (barcode endpoints answer their result object with a 400). */
  get object(): JsonObject | undefined {
    return typeof this.body === 'object' && this.body !== null && !Array.isArray(this.body) ? (this.body as JsonObject) : undefined;
  }
}

/** Plain-words explanations of the API's own messages. */
const EXPLANATIONS: Record<string, string> = {
  'No match found for barcode data': 'Stockscan does not know this barcode. You can link it to something on that object’s page.',
  'Item has already been received': 'This label has been received before: the stock item created then carries it.',
  'No plugin match for supplier barcode':
    'No supplier plugin recognised this label for an order it could receive (wrong order, a part not on the order, or the supplier plugin is switched off).',
  'No matching plugin found for barcode data': 'Stockscan does not know this barcode.',
  'Barcode does not match an existing stock item': 'This barcode is not a stock item. Scan the label of a stock item.',
  'No matching line item found': 'The order has no line for this part.',
  'Multiple matching line items found': 'The order has several lines for this part: choose one.',
  'Insufficient stock available': 'This stock item does not have enough free stock for that quantity.',
  'Barcode matches existing item': 'This barcode already belongs to something else. Unlink it there first.',
  'Line item is already completed': 'Everything on this order line has already been received.',
  'Supplier part does not match line item': 'The label is for another part than the chosen order line.',
};

export function explain(message: string): string {
  const plain = EXPLANATIONS[message];
  return plain === undefined ? message : `${message}. ${plain}`;
}

function firstMessages(body: JsonObject): string[] {
  const out: string[] = [];
  for (const [field, value] of Object.entries(body)) {
    const messages = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
    if (messages.length === 0) continue;
    const label = field === 'non_field_errors' || field === 'detail' || field === 'error' ? '' : `${field.replace(/_/g, ' ')}: `;
    out.push(`${label}${messages.join(' ')}`);
  }
  return out;
}

/** What went wrong, for people (not for programs). */
export function describeFailure(status: number, body: unknown): string {
  const obj = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as JsonObject) : undefined;
  if (status === 0) return 'Cannot reach the Stockscan server. Check the network connection and try again.';
  if (obj !== undefined && Array.isArray(obj.errors)) {
    const messages = obj.errors.map((e) => (typeof e === 'object' && e !== null && !Array.isArray(e) ? String(e.message ?? '') : '')).filter((m) => m !== '');
    if (messages.length > 0) return messages.join(' ');
  }
  if (status === 401) return 'You are not signed in, or your session has ended. Sign in again.';
  const detail = obj !== undefined && typeof obj.detail === 'string' ? obj.detail : undefined;
  if (status === 403) {
    if (detail?.startsWith('CSRF Failed')) return 'This page’s security token is out of date. Reload the page and try again.';
    if (obj !== undefined && typeof obj.error === 'string') return `You are not allowed to do this: ${obj.error}`;
    return `You are not allowed to do this${detail === undefined ? '.' : `: ${detail}`}`;
  }
  if (status === 404) return detail === undefined ? 'Not found.' : `Not found: ${detail}`;
  if (status === 429) return detail ?? 'Too many attempts. Wait a little and try again.';
  if (status >= 500) return `The server failed (error ${status}). Try again; if it keeps failing, tell your administrator.`;
  if (obj !== undefined && typeof obj.error === 'string') return explain(obj.error);
  if (obj !== undefined) {
    const messages = firstMessages(obj);
    if (messages.length > 0) return messages.join('; ');
  }
  if (Array.isArray(body) && body.every((v) => typeof v === 'string')) return body.join(' ');
  return `The request failed (error ${status}).`;
}

export async function api<T = JsonObject>(method: string, url: string, body?: unknown, init: { signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method)) {
    const token = cookie('csrftoken');
    if (token !== undefined) headers['X-CSRFToken'] = token;
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(init.signal === undefined ? {} : { signal: init.signal }),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, null, describeFailure(0, null));
  }
  let data: unknown = undefined;
  const text = await response.text();
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    // A session that ended (signed out elsewhere, expired): the app goes back to the sign-in page.
    if (response.status === 401 && !url.startsWith('/api/auth/')) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    throw new ApiError(response.status, data, describeFailure(response.status, data));
  }
  return data as T;
}

export const get = <T = JsonObject>(url: string, signal?: AbortSignal) => api<T>('GET', url, undefined, signal === undefined ? {} : { signal });
export const post = <T = JsonObject>(url: string, body: unknown) => api<T>('POST', url, body);
export const del = <T = JsonObject>(url: string, body?: unknown) => api<T>('DELETE', url, body);

/** A query string from the defined values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
