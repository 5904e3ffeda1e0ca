import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/app.js';
import { ServerSecret } from '../../src/secrets.js';
import { createHarness, TEST_SECRET, type Harness, type TestUser } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';

describe('API conventions', () => {
  let h: Harness;
  let admin: TestUser;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
  });
  after(() => h.close());

  it('sends exactly application/json on success and error responses (D2)', async () => {
    for (const [url, headers] of [
      ['/api/', {}],
      ['/api/user/me/', admin.auth],
      ['/api/user/me/', {}],
      ['/api/nothing-here/', admin.auth],
    ] as const) {
      const res = await h.request({ method: 'GET', url, headers });
      assert.equal(res.headers['content-type'], 'application/json', url);
    }
  });

  it('answers unknown API paths with the catch-all 404 body and the absolute URL', async () => {
    const res = await h.request({ method: 'GET', url: '/api/does/not/exist/?x=1', headers: admin.auth });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { detail: 'API endpoint not found', url: 'http://localhost:80/api/does/not/exist/?x=1' });
  });

  it('does not redirect a known path without its trailing slash: it is a 404', async () => {
    const res = await h.request({ method: 'GET', url: '/api/user/me', headers: admin.auth });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().detail, 'API endpoint not found');
  });

  it('treats a non-integer pk in a path as an unknown endpoint', async () => {
    const res = await h.request({ method: 'GET', url: '/api/user/abc/', headers: admin.auth });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().detail, 'API endpoint not found');
  });

  it('answers a wrong method with 405, DRF body and an Allow header', async () => {
    const res = await h.request({ method: 'DELETE', url: '/api/user/me/', headers: admin.auth });
    assert.equal(res.statusCode, 405);
    assert.deepEqual(res.json(), { detail: 'Method "DELETE" not allowed.' });
    assert.match(String(res.headers.allow), /GET/);
    assert.match(String(res.headers.allow), /PATCH/);
    assert.doesNotMatch(String(res.headers.allow), /DELETE/);
  });

  it('checks credentials before the method, as DRF does', async () => {
    const res = await h.request({ method: 'DELETE', url: '/api/user/me/' });
    assert.equal(res.statusCode, 401);
  });

  it('answers OPTIONS with DRF metadata describing the writable fields', async () => {
    const res = await h.request({ method: 'OPTIONS', url: '/api/user/tokens/', headers: admin.auth });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(body.renders, ['application/json']);
    assert.equal(body.actions.POST.name.type, 'string');
    assert.equal(body.actions.POST.name.max_length, 100);
    assert.equal(body.actions.POST.name.required, false);
  });

  it('rejects malformed JSON with a 400 detail', async () => {
    const res = await h.request({
      method: 'POST',
      url: '/api/user/tokens/',
      headers: { ...admin.auth, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().detail, /^JSON parse error - /);
  });

  it('reads an empty JSON body as no data', async () => {
    const res = await h.request({
      method: 'POST',
      url: '/api/user/tokens/',
      headers: { ...admin.auth, 'content-type': 'application/json' },
      payload: '',
    });
    assert.equal(res.statusCode, 201);
  });

  it('rejects an unsupported content type with 415', async () => {
    const res = await h.request({
      method: 'POST',
      url: '/api/user/tokens/',
      headers: { ...admin.auth, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    assert.equal(res.statusCode, 415);
    assert.deepEqual(res.json(), { detail: 'Unsupported media type "text/plain" in request.' });
  });

  it('accepts form-encoded bodies', async () => {
    const res = await h.request({
      method: 'PATCH',
      url: '/api/user/me/',
      headers: { ...admin.auth, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'first_name=Ada',
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().first_name, 'Ada');
  });

  it('rejects an oversized body with 413', async () => {
    const res = await h.request({
      method: 'POST',
      url: '/api/user/tokens/',
      headers: { ...admin.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    assert.equal(res.statusCode, 413);
    assert.equal(typeof res.json().detail, 'string');
  });

  it('ignores a JSON body on GET and DELETE and the format=json parameter', async () => {
    const get = await h.request({
      method: 'GET',
      url: '/api/user/me/?format=json',
      headers: { ...admin.auth, 'content-type': 'application/json' },
      payload: '{}',
    });
    assert.equal(get.statusCode, 200);
    const created = await h.request({ method: 'POST', url: '/api/user/tokens/?format=json', headers: admin.auth, payload: { name: 'to-delete' } });
    assert.equal(created.statusCode, 201);
    const del = await h.request({
      method: 'DELETE',
      url: `/api/user/tokens/${created.json().id}/`,
      headers: { ...admin.auth, 'content-type': 'application/json' },
      payload: '{}',
    });
    assert.equal(del.statusCode, 204);
  });

  it('reports wrong field types as 400 field errors', async () => {
    const res = await h.request({ method: 'POST', url: '/api/user/tokens/', headers: admin.auth, payload: { name: ['a'], expiry: 'soon' } });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      name: ['Not a valid string.'],
      expiry: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
    });
  });

  it('answers a body that is not an object with non_field_errors', async () => {
    const res = await h.request({ method: 'POST', url: '/api/user/tokens/', headers: admin.auth, payload: [1, 2] });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
  });

  it('sends security headers', async () => {
    const res = await h.request({ method: 'GET', url: '/api/' });
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'DENY');
  });
});

describe('unhandled errors', () => {
  it('answer 500 with InvenTree\'s generic body and no stack trace', async () => {
    const db = await createTestDatabase();
    const app = await buildApp({ database: db.database, secret: new ServerSecret(TEST_SECRET) });
    app.get('/api/test-crash/', { config: { public: true } }, async () => {
      throw new TypeError('secret internal detail at /srv/app.js:12');
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/test-crash/' });
      assert.equal(res.statusCode, 500);
      assert.equal(res.headers['content-type'], 'application/json');
      const body = res.json();
      assert.equal(body.status_code, 500);
      assert.equal(body.path, '/api/test-crash/');
      assert.equal(body.error, 'TypeError');
      assert.doesNotMatch(res.body, /secret internal detail|app\.js|at /);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});

describe('CORS', () => {
  it('is off by default: no CORS headers, and preflights are not answered', async () => {
    const h = await createHarness();
    try {
      const res = await h.request({ method: 'GET', url: '/api/', headers: { origin: 'http://app.example' } });
      assert.equal(res.headers['access-control-allow-origin'], undefined);
      const pre = await h.request({ method: 'OPTIONS', url: '/api/barcode/', headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' } });
      assert.equal(pre.headers['access-control-allow-origin'], undefined);
    } finally {
      await h.close();
    }
  });

  it('allows the configured origins only, and answers their preflights without credentials', async () => {
    const h = await createHarness({ http: { corsOrigins: ['http://app.example'] } });
    try {
      const u = await h.user('u');
      const pre = await h.request({
        method: 'OPTIONS',
        url: '/api/barcode/',
        headers: { origin: 'http://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
      assert.equal(pre.statusCode, 204);
      assert.equal(pre.headers['access-control-allow-origin'], 'http://app.example');
      assert.match(String(pre.headers['access-control-allow-headers']), /Authorization/);
      assert.equal(pre.headers['access-control-allow-credentials'], undefined);
      const res = await h.request({ method: 'GET', url: '/api/user/me/', headers: { ...u.auth, origin: 'http://app.example' } });
      assert.equal(res.headers['access-control-allow-origin'], 'http://app.example');
      const other = await h.request({ method: 'GET', url: '/api/user/me/', headers: { ...u.auth, origin: 'http://evil.example' } });
      assert.equal(other.headers['access-control-allow-origin'], undefined);
    } finally {
      await h.close();
    }
  });
});
