/**
 * API fuzz (issue 6, hostile input): thousands of hostile requests to every barcode endpoint and
 * a sample of core endpoints — random bytes, 4095/4096-character strings, NUL, lone surrogates,
 * deep JSON, huge/negative/float/NaN-like numbers, wrong types, duplicated keys, wrong content
 * types, truncated bodies, keys beyond PostgreSQL's integer range. Every answer is a 2xx or a
 * 4xx with a JSON body of a documented error shape (core-api.md §6, barcode-api.md §1.3),
 * never a 5xx, never a stack trace; the server answers a health request afterwards, also over
 * a real socket after aborted and truncated uploads.
 *
 * Seeded (FUZZ_SEED replays a run; a failure prints the seed and the request).
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { check, control, formatToken, FUZZ_SEED, hostileString, loneSurrogate } from './arbitraries.js';

// --- what an answer must look like -----------------------------------------------------------

/** A DRF field-error value: a list of messages, nested objects or positional lists of them. */
function isFieldDetail(value: unknown): boolean {
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string' || isFieldDetail(v));
  if (value !== null && typeof value === 'object') return Object.values(value).every(isFieldDetail);
  return false;
}

/** The documented 4xx bodies: `{detail}`, field errors, a barcode dict with `error`, bulk-delete errors, or `["msg"]`. */
export function documentedErrorShape(body: unknown): boolean {
  if (Array.isArray(body)) return body.length > 0 && body.every((v) => typeof v === 'string');
  if (body === null || typeof body !== 'object') return false;
  const o = body as Record<string, unknown>;
  if (typeof o.detail === 'string') return true;
  if (typeof o.error === 'string') return true;
  // Bulk delete (barcode-api.md §2.8): `{"non_field_errors": "<message>"}`, a string value.
  if (Object.keys(o).length === 1 && typeof o.non_field_errors === 'string') return true;
  return Object.keys(o).length > 0 && Object.values(o).every(isFieldDetail);
}

const STACK_TRACE = /\n\s+at [^\n]+:\d+:\d+|node_modules|\bat async\b/;

function describeRequest(o: InjectOptions): string {
  const payload = o.payload === undefined ? '' : typeof o.payload === 'object' && !Buffer.isBuffer(o.payload) ? JSON.stringify(o.payload).slice(0, 400) : Buffer.isBuffer(o.payload) ? `<${o.payload.length} bytes> ${JSON.stringify(o.payload.subarray(0, 200).toString('latin1'))}` : JSON.stringify(String(o.payload).slice(0, 400));
  return `${o.method} ${String(o.url).slice(0, 300)} ${JSON.stringify(o.headers ?? {}).slice(0, 300)} ${payload}`;
}

function assertAcceptable(o: InjectOptions, res: LightMyRequestResponse): void {
  const where = () => `${describeRequest(o)}\n→ ${res.statusCode} ${res.body.slice(0, 600)}`;
  assert.ok((res.statusCode >= 200 && res.statusCode < 300) || (res.statusCode >= 400 && res.statusCode < 500), `status ${res.statusCode}: ${where()}`);
  assert.equal(STACK_TRACE.test(res.body), false, `stack trace in the answer: ${where()}`);
  if (res.body === '' || res.statusCode === 204) return;
  const type = String(res.headers['content-type'] ?? '');
  // The label renderer answers images on success; everything else is JSON.
  if (res.statusCode < 300 && String(o.url).startsWith('/api/barcode/render/') && /^image\//.test(type)) return;
  assert.ok(type.startsWith('application/json'), `content type ${type}: ${where()}`);
  const body = JSON.parse(res.body) as unknown;
  if (res.statusCode >= 400) assert.ok(documentedErrorShape(body), `undocumented error shape: ${where()}`);
}

/** Checks many requests and reports every unacceptable answer at once. */
class Collector {
  readonly failures: string[] = [];
  check(o: InjectOptions, res: LightMyRequestResponse): void {
    try {
      assertAcceptable(o, res);
    } catch (error) {
      if (this.failures.length < 40) this.failures.push((error as Error).message.split('\n').slice(0, 2).join(' '));
      else this.failures[40] = '…';
    }
  }
  done(): void {
    assert.deepEqual(this.failures, []);
  }
}

// --- hostile values --------------------------------------------------------------------------

const LONG_4095 = 'A'.repeat(4095);
const LONG_4096 = 'B'.repeat(4096);

const hugeNumber = fc.constantFrom(
  2147483647, 2147483648, -2147483648, -2147483649, 4294967296, 9007199254740991, 9007199254740993, 1e15, 1e21, 1e308, -1e308, 5e-324,
  -0, 0, -1, 1, 0.5, 1.5, -1.5, 2.5e9, 99999999999999999999,
);
const numericText = fc.constantFrom(
  'NaN', 'nan', 'Infinity', '-Infinity', 'inf', '1e999', '-1e999', '0x10', ' 1 ', '1_000', '٣', '１', '1.0', '1.', '.5', '-0', '+1', '',
  '2147483647', '2147483648', '-2147483649', '9223372036854775808', '99999999999999999999999999999', '1e308', '1e-400', '0.0000001',
  '123456789012345678901234567890.123456789', 'true', 'None', 'null', '1,5', '١٢٣',
);
const hostileText = fc.oneof(
  { arbitrary: hostileString(300), weight: 6 },
  { arbitrary: fc.constantFrom(LONG_4095, LONG_4096, `${LONG_4095}\u0000`, ` ${LONG_4095} `, '\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\ud83d', '😀'.repeat(2048)), weight: 2 },
  { arbitrary: fc.string({ unit: fc.oneof(control, loneSurrogate, formatToken), maxLength: 30 }), weight: 2 },
);
const scalar = fc.oneof(
  { arbitrary: hostileText, weight: 5 },
  { arbitrary: hugeNumber, weight: 3 },
  { arbitrary: numericText, weight: 3 },
  { arbitrary: fc.integer(), weight: 2 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.constantFrom(true, false, null), weight: 2 },
);

const KEYS = [
  'barcode', 'model', 'pk', 'part', 'stockitem', 'stocklocation', 'supplierpart', 'manufacturerpart', 'purchaseorder', 'salesorder',
  'salesordershipment', 'returnorder', 'build', 'location', 'supplier', 'line_item', 'line', 'shipment', 'quantity', 'auto_allocate',
  'sales_order', 'purchase_order', 'kind', 'data', 'company', 'items', 'filters', 'name', 'description', 'category', 'parent', 'status',
  'customer', 'reference', 'IPN', 'active', 'notes', 'SKU', 'MPN', 'manufacturer', 'order', 'batch', 'serial', 'serial_numbers',
  'expiry_date', 'target_date', 'purchase_price', 'pack_quantity', 'value', 'ids', 'all', 'is_primary', 'symbology', 'format', 'count',
  'barcodes', 'use_pack_size', 'minimum_stock', 'trackable', 'salable', 'purchaseable', 'link', '__proto__', 'constructor', '',
];
const key = fc.oneof({ arbitrary: fc.constantFrom(...KEYS), weight: 8 }, { arbitrary: hostileString(20), weight: 1 });

const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: scalar, weight: 6 },
    { arbitrary: fc.array(tie('value'), { maxLength: 4 }), weight: 1 },
    { arbitrary: fc.dictionary(key, tie('value'), { maxKeys: 4 }), weight: 1 },
  ),
})).value;

const bodyObject = fc.dictionary(key, value, { minKeys: 0, maxKeys: 6 });

function deep(n: number, open: string, inner: string, close: string): string {
  return open.repeat(n) + inner + close.repeat(n);
}

interface Body {
  payload?: string | Buffer;
  contentType?: string;
}

const contentType = fc.constantFrom(
  'application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1',
  'application/vnd.api+json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/xml',
  'application/octet-stream', '*/*', 'application/json, text/plain', 'application/jsonx', 'garbage',
);

/** Lone surrogates replaced (encodeURIComponent refuses them; the raw forms are sent elsewhere). */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function formEncode(o: Record<string, unknown>): string {
  return Object.entries(o)
    .map(([k, v]) => `${encodeURIComponent(wellFormed(k))}=${encodeURIComponent(wellFormed(String(typeof v === 'object' ? JSON.stringify(v) : v)))}`)
    .join('&');
}

const body: fc.Arbitrary<Body> = fc.oneof(
  // A JSON object of hostile fields.
  { arbitrary: bodyObject.map((o) => ({ payload: JSON.stringify(o), contentType: 'application/json' })), weight: 10 },
  // The same, under any content type (form-encoded where that is the type).
  {
    arbitrary: fc.tuple(bodyObject, contentType).map(([o, t]) => ({ payload: t.startsWith('application/x-www-form') ? formEncode(o) : JSON.stringify(o), contentType: t })),
    weight: 3,
  },
  // Any JSON value at the top level.
  { arbitrary: value.map((v) => ({ payload: JSON.stringify(v) ?? 'null', contentType: 'application/json' })), weight: 2 },
  // Random bytes.
  { arbitrary: fc.tuple(fc.uint8Array({ maxLength: 600 }), contentType).map(([b, t]) => ({ payload: Buffer.from(b), contentType: t })), weight: 2 },
  // Truncated JSON.
  {
    arbitrary: fc.tuple(bodyObject, fc.nat()).map(([o, n]) => {
      const text = JSON.stringify(o);
      return { payload: text.slice(0, n % Math.max(1, text.length)), contentType: 'application/json' };
    }),
    weight: 2,
  },
  // Duplicated keys, the later one of another type.
  {
    arbitrary: fc.tuple(fc.constantFrom('barcode', 'pk', 'model', 'part', 'quantity', 'items', 'purchase_order', 'sales_order'), scalar, scalar).map(([k, a, b]) => ({
      payload: `{${JSON.stringify(k)}: ${JSON.stringify(a)}, "model": "part", ${JSON.stringify(k)}: ${JSON.stringify(b)}}`,
      contentType: 'application/json',
    })),
    weight: 2,
  },
  // Deep nesting, alone or inside a known field.
  {
    arbitrary: fc.tuple(fc.constantFrom(50, 200, 1000, 5000, 100000), fc.constantFrom('array', 'object', 'field', 'items')).map(([n, kind]) => ({
      payload:
        kind === 'array' ? deep(n, '[', '1', ']')
        : kind === 'object' ? deep(n, '{"a":', '1', '}')
        : kind === 'field' ? `{"barcode": "x", "part": 1, "context": ${deep(n, '{"a":', '1', '}')}}`
        : `{"items": ${deep(n, '[', '{"pk": 1}', ']')}, "filters": ${deep(n, '{"a":', '1', '}')}}`,
      contentType: 'application/json',
    })),
    weight: 2,
  },
  // Escaped NUL and lone surrogates in keys and values; numbers beyond double range; prototype keys.
  {
    arbitrary: fc.constantFrom(
      '{"barcode": "\\u0000"}', '{"barcode": "a\\ud800b"}', '{"\\ud800": 1, "barcode": "x"}', '{"barcode": "\\udfff", "part": "\\u0000"}',
      '{"pk": 1e400, "model": "part"}', '{"pk": -1e400, "model": "part"}', '{"pk": 123456789012345678901234567890, "model": "part"}',
      '{"quantity": 1e400, "barcode": "x"}', '{"__proto__": {"x": 1}}', '{"constructor": {"prototype": {}}}', '', ' ', 'null', '[]', '""', '0',
      '{"barcode": "x"', '{"barcode"', '{', '\u0000', '\ufeff{"barcode": "x"}', '{"barcode": "x"}\u0000', '{"barcode": "x"} trailing',
    ).map((payload) => ({ payload, contentType: 'application/json' })),
    weight: 3,
  },
  // No body at all.
  { arbitrary: fc.constant({}), weight: 1 },
);

const QUERY_KEYS = [
  'limit', 'offset', 'search', 'ordering', 'part', 'location', 'model_type', 'result', 'user', 'data', 'symbology', 'format', 'barcode',
  'all', 'category', 'supplier', 'status', 'order', 'cascade', 'active', 'plugin', 'endpoint', 'kind', 'object_id', 'company', 'pk', 'id',
  'in_stock', 'outstanding', 'customer', 'parent', 'include_variants', 'width', 'size', 'scale',
];
const queryValue = fc.oneof(
  numericText.map(encodeURIComponent),
  hugeNumber.map((n) => encodeURIComponent(String(n))),
  hostileString(60).map((t) => encodeURIComponent(wellFormed(t))),
  fc.constantFrom('%', '%zz', '%00', '%ff', '%D8%00', '%ED%A0%80', '%C0%80', LONG_4096, '', '-', ',,', 'true', 'qrcode', 'datamatrix', 'code128', 'svg', 'png'),
);
const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.constantFrom('a[]', '%00', '__proto__')), queryValue), { maxLength: 4 }).map((pairs) =>
  pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`,
);

const pkSegment = fc.oneof(
  fc.constantFrom('1', '2', '0', '2147483647', '2147483648', '4294967296', '9223372036854775808', '99999999999999999999999999', '00000000001', '1'.repeat(99)),
  fc.nat().map(String),
);

interface Endpoint {
  methods: string[];
  path: string;
}

const BARCODE_ENDPOINTS: Endpoint[] = [
  { methods: ['POST'], path: '/api/barcode/' },
  { methods: ['POST'], path: '/api/barcode/generate/' },
  { methods: ['POST'], path: '/api/barcode/link/' },
  { methods: ['POST'], path: '/api/barcode/unlink/' },
  { methods: ['GET', 'DELETE'], path: '/api/barcode/history/' },
  { methods: ['GET', 'DELETE'], path: '/api/barcode/history/{pk}/' },
  { methods: ['POST'], path: '/api/barcode/po-allocate/' },
  { methods: ['POST'], path: '/api/barcode/po-receive/' },
  { methods: ['POST'], path: '/api/barcode/so-allocate/' },
  { methods: ['GET', 'POST'], path: '/api/barcode/alias/' },
  { methods: ['DELETE'], path: '/api/barcode/alias/{pk}/' },
  { methods: ['POST'], path: '/api/barcode/whois/' },
  { methods: ['GET'], path: '/api/barcode/unmatched/' },
  { methods: ['POST'], path: '/api/barcode/unmatched/dismiss/' },
  { methods: ['GET', 'POST'], path: '/api/barcode/ecia/' },
  { methods: ['DELETE'], path: '/api/barcode/ecia/{pk}/' },
  { methods: ['GET'], path: '/api/barcode/render/' },
];

const CORE_ENDPOINTS: Endpoint[] = [
  { methods: ['GET', 'POST'], path: '/api/part/' },
  { methods: ['GET', 'PATCH', 'PUT'], path: '/api/part/{pk}/' },
  { methods: ['GET', 'POST'], path: '/api/part/category/' },
  { methods: ['GET', 'POST'], path: '/api/stock/' },
  { methods: ['GET', 'PATCH'], path: '/api/stock/{pk}/' },
  { methods: ['POST'], path: '/api/stock/add/' },
  { methods: ['POST'], path: '/api/stock/remove/' },
  { methods: ['POST'], path: '/api/stock/count/' },
  { methods: ['POST'], path: '/api/stock/transfer/' },
  { methods: ['GET', 'POST'], path: '/api/stock/location/' },
  { methods: ['GET', 'PATCH'], path: '/api/stock/location/{pk}/' },
  { methods: ['GET'], path: '/api/stock/track/' },
  { methods: ['GET', 'POST'], path: '/api/company/' },
  { methods: ['GET', 'PATCH'], path: '/api/company/{pk}/' },
  { methods: ['GET', 'POST'], path: '/api/company/part/' },
  { methods: ['GET', 'POST'], path: '/api/company/part/manufacturer/' },
  { methods: ['GET', 'POST'], path: '/api/order/po/' },
  { methods: ['GET', 'PATCH'], path: '/api/order/po/{pk}/' },
  { methods: ['POST'], path: '/api/order/po/{pk}/receive/' },
  { methods: ['POST'], path: '/api/order/po/{pk}/issue/' },
  { methods: ['GET', 'POST'], path: '/api/order/po-line/' },
  { methods: ['GET', 'POST'], path: '/api/order/so/' },
  { methods: ['GET', 'PATCH'], path: '/api/order/so/{pk}/' },
  { methods: ['POST'], path: '/api/order/so/{pk}/allocate/' },
  { methods: ['GET', 'POST'], path: '/api/order/so-line/' },
  { methods: ['GET', 'POST'], path: '/api/order/so/shipment/' },
  { methods: ['POST'], path: '/api/order/so/shipment/{pk}/ship/' },
  { methods: ['GET', 'PATCH'], path: '/api/order/so-allocation/' },
  { methods: ['GET', 'POST'], path: '/api/order/ro/' },
  { methods: ['GET', 'POST'], path: '/api/build/' },
  { methods: ['GET', 'PATCH'], path: '/api/settings/global/{key}/' },
  { methods: ['GET', 'PATCH'], path: '/api/plugins/{plugin}/settings/{setting}/' },
];

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

/** `arbitrary` once in `every` draws, otherwise null. */
function rarely<T>(arbitrary: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> {
  return fc.oneof({ arbitrary: fc.constant(null), weight: every - 1 }, { arbitrary, weight: 1 });
}

function request(endpoints: Endpoint[], auth: Record<string, string>): fc.Arbitrary<InjectOptions> {
  return fc
    .record({
      endpoint: fc.constantFrom(...endpoints),
      methodPick: fc.nat(),
      otherMethod: rarely(fc.constantFrom(...OTHER_METHODS), 10),
      pk: pkSegment,
      settingKey: fc.constantFrom('BARCODE_RESULTS_MAX_NUM', 'BARCODE_STORE_RESULTS', 'INVENTREE_INSTANCE', 'BARCODE_GENERATION_PLUGIN', 'BARCODE_REPAIR_BURST', 'NOPE'),
      plugin: fc.constantFrom('inventreebarcode/settings/SHORT_BARCODE_PREFIX', 'inventreebarcode/settings/INTERNAL_BARCODE_FORMAT', 'digikeyplugin/settings/SUPPLIER_ID', 'tmeplugin/settings/SUPPLIER_ID'),
      query,
      body,
      idempotency: rarely(fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 }), 8),
      badAuth: rarely(fc.constantFrom('Token ', 'Token x', 'Bearer y', 'Basic !!!', 'Token ' + 'f'.repeat(4000)), 30),
    })
    .map((r) => {
      const method = r.otherMethod ?? (r.endpoint.methods[r.methodPick % r.endpoint.methods.length] as string);
      const path = r.endpoint.path
        .replace('{pk}', r.pk)
        .replace('{key}', r.settingKey)
        .replace('{plugin}/settings/{setting}', r.plugin);
      const headers: Record<string, string> = { ...(r.badAuth !== null ? { authorization: r.badAuth } : auth) };
      if (r.idempotency !== null) headers['idempotency-key'] = r.idempotency;
      const withBody = method !== 'GET' && method !== 'HEAD' && r.body.payload !== undefined;
      if (withBody && r.body.contentType !== undefined) headers['content-type'] = r.body.contentType;
      const o: InjectOptions = { method: method as InjectOptions['method'], url: `${path}${r.query}`, headers };
      if (withBody) o.payload = r.body.payload as string | Buffer;
      return o;
    });
}

// --- the tests -------------------------------------------------------------------------------

describe(`API fuzz (FUZZ_SEED=${FUZZ_SEED})`, () => {
  let h: Harness;
  let admin: TestUser;

  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    const fx = h.fx;
    const company = await fx.company({ name: 'Acme', is_supplier: true, is_customer: true, is_manufacturer: true });
    const category = await fx.category({ name: 'Parts' });
    const part = await fx.part({ name: 'Widget', category_id: category, salable: true, purchaseable: true });
    const location = await fx.location({ name: 'Store' });
    const item = await fx.stockItem({ part_id: part, location_id: location, quantity: 100 });
    const supplierPart = await fx.supplierPart({ part_id: part, supplier_id: company, sku: 'SKU-1' });
    await fx.manufacturerPart({ part_id: part, manufacturer_id: company, mpn: 'MPN-1' });
    const po = await fx.purchaseOrder({ supplier_id: company, status: 20 });
    await fx.poLine({ order_id: po, part_id: supplierPart, quantity: 10 });
    const so = await fx.salesOrder({ customer_id: company, status: 20 });
    await fx.soLine({ order_id: so, part_id: part, quantity: 5 });
    await fx.shipment({ order_id: so });
    await fx.returnOrder({ customer_id: company });
    await fx.build({ part_id: part });
    await fx.link('stockitem', item, 'LINKED-1');
    // Every plugin active, so that every parser sees the hostile text.
    for (const slug of ['digikeyplugin', 'mouserplugin', 'lcscplugin', 'tmeplugin', 'eciaplugin', 'gs1plugin']) {
      await h.request({ method: 'PATCH', url: `/api/plugins/${slug}/activate/`, headers: admin.auth, payload: { active: true } });
    }
  });
  after(() => h.close());

  async function health(): Promise<void> {
    const res = await h.request({ method: 'GET', url: '/api/', headers: admin.auth });
    assert.equal(res.statusCode, 200);
  }

  /** Answers by status, reported as a diagnostic so that a run shows what it reached. */
  function tally(counts: Map<number, number>, status: number): void {
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const summary = (counts: Map<number, number>) => [...counts].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ');

  it('every barcode endpoint answers hostile requests with a 2xx or a documented 4xx', async (t) => {
    const counts = new Map<number, number>();
    await check(
      fc.asyncProperty(request(BARCODE_ENDPOINTS, admin.auth), async (o) => {
        const res = await h.request(o);
        tally(counts, res.statusCode);
        assertAcceptable(o, res);
      }),
      Number(process.env.FUZZ_RUNS ?? 2500),
    );
    t.diagnostic(`answers: ${summary(counts)}`);
    await health();
  });

  it('every barcode endpoint answers each fixed hostile body with a 2xx or a documented 4xx', async () => {
    const bodies = [
      { barcode: LONG_4095 }, { barcode: LONG_4096 }, { barcode: `${LONG_4095}\u0000` }, { barcode: '\u0000' }, { barcode: '\ud800' },
      { barcode: 'x', part: 2147483648 }, { barcode: 'x', stockitem: '99999999999999999999' }, { barcode: 'x', purchase_order: -1 },
      { barcode: 'x', sales_order: 1e308, line: 1.5, shipment: 'NaN', quantity: 1e21 }, { barcode: 'x', quantity: 2147483648 },
      { barcode: 'x', quantity: -2147483649 }, { model: 'part', pk: 2147483648 }, { model: 'part', pk: 1e21 }, { model: 'part', pk: -1 },
      { items: [2147483648, 99999999999999] }, { items: ['1e400'] }, { filters: { id: 2147483648 } }, { filters: { id__in: [9e15] } },
      { filters: { user: '99999999999' } }, { filters: { result: 'maybe' } }, { kind: 'gtin', data: '0'.repeat(4096), part: 2147483648 },
      { company: 2147483648 }, { company: '1e999' }, { barcode: 5 }, { barcode: 1e308 }, { barcode: true }, { barcode: [] }, { barcode: {} },
      { barcode: null }, { ids: [2147483648] }, { pk: 2147483648 },
    ];
    const collector = new Collector();
    for (const endpoint of BARCODE_ENDPOINTS) {
      for (const method of endpoint.methods) {
        for (const pk of ['1', '2147483648', '99999999999999999999']) {
          const url = endpoint.path.replace('{pk}', pk);
          for (const payload of method === 'GET' ? [undefined] : bodies) {
            const o: InjectOptions = { method: method as InjectOptions['method'], url, headers: admin.auth, ...(payload !== undefined ? { payload } : {}) };
            collector.check(o, await h.request(o));
          }
          if (!endpoint.path.includes('{pk}')) break;
        }
      }
    }
    collector.done();
    await health();
  });

  it('a sample of core endpoints answers hostile requests with a 2xx or a documented 4xx', async (t) => {
    const counts = new Map<number, number>();
    await check(
      fc.asyncProperty(request(CORE_ENDPOINTS, admin.auth), async (o) => {
        const res = await h.request(o);
        tally(counts, res.statusCode);
        assertAcceptable(o, res);
      }),
      Number(process.env.FUZZ_RUNS ?? 1500),
    );
    t.diagnostic(`answers: ${summary(counts)}`);
    await health();
  });

  it('list filters and detail keys beyond the integer range are 4xx or empty, never 5xx', async () => {
    const huge = ['2147483648', '-2147483649', '99999999999999999999', '1e20', '%00'];
    const lists = ['/api/part/', '/api/stock/', '/api/stock/location/', '/api/company/', '/api/company/part/', '/api/order/po/', '/api/order/so/', '/api/order/po-line/', '/api/order/so-line/', '/api/order/so-allocation/', '/api/stock/track/', '/api/barcode/history/', '/api/barcode/alias/', '/api/barcode/unmatched/', '/api/build/', '/api/order/ro/', '/api/order/so/shipment/'];
    // Every filter name the list endpoints read.
    const params = [
      'ancestor', 'base_part', 'belongs_to', 'build', 'category', 'company', 'consumed_by', 'created_by', 'customer', 'default_location',
      'depth', 'group', 'item', 'limit', 'line', 'location', 'location_type', 'manufacturer', 'manufacturer_part', 'model', 'object_id',
      'offset', 'order', 'order_status', 'outcome', 'parent', 'part', 'pk', 'purchase_order', 'revision_of', 'sales_order', 'serial',
      'shipment', 'status', 'supplier', 'supplier_part', 'user', 'variant_of', 'exclude_tree', 'kind', 'result', 'reference',
    ];
    const collector = new Collector();
    for (const list of lists) {
      for (const param of params) {
        for (const v of huge) {
          for (const extra of param === 'location' || param === 'category' ? ['', '&cascade=false'] : ['']) {
            const o: InjectOptions = { method: 'GET', url: `${list}?${param}=${v}${extra}`, headers: admin.auth };
            collector.check(o, await h.request(o));
          }
        }
      }
    }
    collector.done();
    await health();
  });

  it('the server stays up after aborted, truncated and oversized uploads over a real socket', async () => {
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const raw = (text: string, endAfter = true) =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1');
        let answer = '';
        socket.on('data', (d) => (answer += d.toString('latin1')));
        socket.on('error', () => resolve(answer));
        socket.on('close', () => resolve(answer));
        socket.write(text, 'latin1', () => {
          if (endAfter) socket.end();
          else setImmediate(() => socket.destroy());
        });
      });
    const head = (path: string, length: number | string, extra = '') =>
      `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${admin.auth.authorization}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n${extra}\r\n`;
    const paths = BARCODE_ENDPOINTS.filter((e) => e.methods.includes('POST')).map((e) => e.path.replace('{pk}', '1'));
    for (const path of paths) {
      // Content-Length larger than the body, then the client goes away.
      await raw(`${head(path, 1000)}{"barcode": "trunc`, false);
      // Content-Length larger than the body, half-closed.
      const truncated = await raw(`${head(path, 1000)}{"barcode": "trunc`);
      if (truncated !== '') assert.match(truncated, /^HTTP\/1\.1 4\d\d /, truncated.slice(0, 200));
      // Content-Length smaller than the body: the rest is a malformed second request.
      const short = await raw(`${head(path, 5)}{"barcode": "0123456789"}`);
      assert.match(short, /^HTTP\/1\.1 [24]\d\d /, short.slice(0, 200));
      // Not a number, negative, over the body limit.
      for (const length of ['abc', '-1', String(2 ** 40)]) {
        const answer = await raw(`${head(path, length)}{}`);
        if (answer !== '') assert.match(answer, /^HTTP\/1\.1 4\d\d /, answer.slice(0, 200));
      }
      // Chunked body cut off in the middle.
      await raw(`POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${admin.auth.authorization}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{"barcode": "ab`, false);
    }
    const res = await fetch(`${address}/api/`, { headers: admin.auth });
    assert.equal(res.status, 200);
    // The fuzz may have unlinked anything: a fresh object and link prove scanning still works.
    const part = await h.fx.part({ name: 'After the storm' });
    await h.fx.link('part', part, 'AFTER-FUZZ-1');
    const scan = await fetch(`${address}/api/barcode/`, { method: 'POST', headers: { ...admin.auth, 'content-type': 'application/json' }, body: JSON.stringify({ barcode: 'AFTER-FUZZ-1' }) });
    assert.equal(scan.status, 200);
    assert.equal(((await scan.json()) as { part?: { pk: number } }).part?.pk, part);
  });
});
