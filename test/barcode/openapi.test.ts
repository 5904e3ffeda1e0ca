/**
 * `/api/schema/` documents every barcode endpoint with the request schemas of the published
 * API 435 schema (test/fixtures/inventree-api-435-barcode-section.txt): property names,
 * types, `required`, `maxLength`, `nullable` and defaults.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness } from '../helpers/app.js';

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  maxLength?: number;
  nullable?: boolean;
  default?: unknown;
  items?: JsonSchema;
}

/** The request-body schema of each endpoint in the seed text, keyed by "METHOD path". */
function seedRequestSchemas(): Map<string, JsonSchema> {
  const text = readFileSync(new URL('../../../test/fixtures/inventree-api-435-barcode-section.txt', import.meta.url), 'utf8');
  const parts = text.split(/\n((?:POST|GET|DELETE|PUT|PATCH) \/api\/barcode\/[^\n]*)\n/);
  const out = new Map<string, JsonSchema>();
  for (let i = 1; i < parts.length; i += 2) {
    const head = (parts[i] as string).trim();
    const body = parts[i + 1] as string;
    const at = body.indexOf('Schema of the request body');
    if (at < 0 || out.has(head)) continue;
    const start = body.indexOf('{', at);
    let depth = 0;
    let end = start;
    for (; end < body.length; end++) {
      if (body[end] === '{') depth++;
      else if (body[end] === '}' && --depth === 0) break;
    }
    out.set(head, JSON.parse(body.slice(start, end + 1)) as JsonSchema);
  }
  return out;
}

describe('OpenAPI document of the barcode section', () => {
  let h: Harness;
  let doc: { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> }; responses?: unknown }>> };
  before(async () => {
    h = await createHarness();
    doc = (await h.request({ method: 'GET', url: '/api/schema/' })).json();
  });
  after(() => h.close());

  const seed = seedRequestSchemas();

  it('finds every endpoint of the seed', () => {
    assert.equal(seed.size, 8);
    for (const path of [
      '/api/barcode/',
      '/api/barcode/generate/',
      '/api/barcode/link/',
      '/api/barcode/unlink/',
      '/api/barcode/po-allocate/',
      '/api/barcode/po-receive/',
      '/api/barcode/so-allocate/',
      '/api/barcode/history/',
      '/api/barcode/history/{id}/',
    ]) {
      assert.ok(doc.paths[path], `missing ${path}`);
    }
    assert.ok(doc.paths['/api/barcode/history/']!.get);
    assert.ok(doc.paths['/api/barcode/history/']!.delete);
    assert.ok(doc.paths['/api/barcode/history/{id}/']!.get);
    assert.ok(doc.paths['/api/barcode/history/{id}/']!.delete);
  });

  it('documents Stockscan\'s further endpoints and the Idempotency-Key header', () => {
    const paths: [string, string[]][] = [
      ['/api/barcode/alias/', ['get', 'post']],
      ['/api/barcode/alias/{pk}/', ['delete']],
      ['/api/barcode/whois/', ['post']],
      ['/api/barcode/unmatched/', ['get']],
      ['/api/barcode/unmatched/dismiss/', ['post']],
      ['/api/barcode/ecia/', ['get', 'post']],
      ['/api/barcode/ecia/{pk}/', ['delete']],
    ];
    for (const [path, methods] of paths) {
      for (const method of methods) assert.ok(doc.paths[path]?.[method], `missing ${method} ${path}`);
    }
    for (const path of ['/api/barcode/link/', '/api/barcode/unlink/', '/api/barcode/po-allocate/', '/api/barcode/po-receive/', '/api/barcode/so-allocate/']) {
      const op = doc.paths[path]!.post as unknown as { parameters?: { in: string; name: string }[] };
      assert.ok(op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'), path);
    }
  });

  it('documents a scan-history row with every field of the seed\'s BarcodeScanResult', () => {
    const op = doc.paths['/api/barcode/history/{id}/']!.get as unknown as { responses: Record<string, { content: Record<string, { schema: JsonSchema }> }> };
    const item = op.responses['200']!.content['application/json']!.schema;
    const want: Record<string, string | undefined> = {
      pk: 'integer',
      data: 'string',
      timestamp: 'string',
      endpoint: 'string',
      result: 'boolean',
      user: 'integer',
      context: undefined,
      response: undefined,
      user_detail: 'object',
    };
    for (const [name, type] of Object.entries(want)) {
      const prop = item.properties?.[name];
      assert.ok(prop, `missing ${name}`);
      if (type !== undefined) assert.equal(prop.type, type, name);
    }
    for (const name of ['endpoint', 'user', 'user_detail']) assert.equal(item.properties?.[name]?.nullable, true, `${name} nullable`);
  });

  for (const [head, expected] of seed) {
    it(`${head}: request schema matches the seed`, () => {
      const [method, path] = head.split(' ') as [string, string];
      const op = doc.paths[path]?.[method.toLowerCase()];
      assert.ok(op, `no ${head}`);
      const actual = op.requestBody?.content['application/json']?.schema as JsonSchema;
      assert.ok(actual, `no request body for ${head}`);
      assert.deepEqual(Object.keys(actual.properties ?? {}).sort(), Object.keys(expected.properties ?? {}).sort(), head);
      assert.deepEqual([...(actual.required ?? [])].sort(), [...(expected.required ?? [])].sort(), `${head} required`);
      for (const [name, want] of Object.entries(expected.properties ?? {})) {
        const got = (actual.properties ?? {})[name] as JsonSchema;
        assert.equal(got.type, want.type, `${head} ${name} type`);
        assert.equal(Boolean(got.nullable), Boolean(want.nullable), `${head} ${name} nullable`);
        if (want.maxLength !== undefined) assert.equal(got.maxLength, want.maxLength, `${head} ${name} maxLength`);
        if (want.default !== undefined) assert.deepEqual(got.default, want.default, `${head} ${name} default`);
        if (want.items !== undefined) assert.equal(got.items?.type, want.items.type, `${head} ${name} items`);
      }
    });
  }
});
