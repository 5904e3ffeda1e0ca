/**
 * Regression tests of the defects the security work found, one block each, plus a self-test
 * of the leak detectors the other files rely on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { headerProblems, stackTraceIn } from './checks.js';

describe('defect: OPTIONS answered every signed-in user, whatever their permissions', () => {
  // core-api.md §4.3: GET and OPTIONS map to the verb view; action endpoints keep their role.
  let h: Harness;
  let nobody: TestUser;
  let partViewer: TestUser;
  let stockViewer: TestUser;
  let stockChanger: TestUser;
  before(async () => {
    h = await createHarness();
    nobody = await h.user('nobody');
    partViewer = await h.user('part-viewer', { roles: { part: { can_view: true } } });
    stockViewer = await h.user('stock-viewer', { roles: { stock: { can_view: true } } });
    stockChanger = await h.user('stock-changer', { roles: { stock: { can_change: true } } });
  });
  after(() => h.close());

  const options = (url: string, user?: TestUser) => h.request({ method: 'OPTIONS', url, headers: user?.auth ?? {} });

  it('a model path needs view on the model', async () => {
    const refused = await options('/api/part/', nobody);
    assert.equal(refused.statusCode, 403);
    assert.deepEqual(refused.json(), { detail: 'You do not have permission to perform this action.' });
    assert.equal((await options('/api/part/1/', stockViewer)).statusCode, 403);
    const allowed = await options('/api/part/', partViewer);
    assert.equal(allowed.statusCode, 200);
    assert.equal(typeof allowed.json().actions.POST, 'object', 'the form description is still there for those who may read');
  });

  it('an action path without GET needs the role of the action', async () => {
    assert.equal((await options('/api/stock/count/', stockViewer)).statusCode, 403);
    assert.equal((await options('/api/stock/count/', stockChanger)).statusCode, 200);
    assert.equal((await options('/api/order/po/1/receive/', stockChanger)).statusCode, 403);
  });

  it('staff-only paths stay staff-only, open paths stay open, anonymous callers get 401', async () => {
    assert.equal((await options('/api/version/', partViewer)).statusCode, 403);
    assert.equal((await options('/api/barcode/link/', nobody)).statusCode, 200);
    assert.equal((await options('/api/barcode/history/', nobody)).statusCode, 200);
    assert.equal((await options('/api/user/me/', nobody)).statusCode, 200);
    const anonymous = await options('/api/part/');
    assert.equal(anonymous.statusCode, 401);
    assert.equal((await options('/api/')).statusCode, 200);
  });
});

describe("defect: URLs the router refuses got Fastify's own answer, without the security headers", () => {
  // A path that is not valid percent-encoding, or a parameter over 100 characters, never
  // reached a route or a hook: the answer had Fastify's body, no X-Content-Type-Options,
  // X-Frame-Options or Referrer-Policy, and (D2) was not `application/json` exactly.
  let h: Harness;
  let root: TestUser;
  before(async () => {
    h = await createHarness();
    root = await h.user('root', { is_superuser: true, is_staff: true });
  });
  after(() => h.close());

  for (const url of ['/api/part/%E0%A4%A/', '/api/%/', `/api/part/${'1'.repeat(150)}/`, `/api/settings/global/${'A'.repeat(150)}/`]) {
    it(`${url.slice(0, 40)} → the API catch-all 404`, async () => {
      for (const headers of [root.auth, {}]) {
        const res = await h.request({ method: 'GET', url, headers });
        assert.equal(res.statusCode, 404);
        assert.deepEqual(res.json(), { detail: 'API endpoint not found', url: `http://localhost:80${url}` });
        assert.equal(res.headers['content-type'], 'application/json');
        assert.deepEqual(headerProblems(res), []);
      }
    });
  }

  it('outside the API the plain 404', async () => {
    const res = await h.request({ method: 'GET', url: '/web/%E0%A4%A' });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { detail: 'Not found.' });
    assert.deepEqual(headerProblems(res), []);
  });

  it('a POST with a body gets the same answer', async () => {
    const res = await h.request({ method: 'POST', url: '/api/barcode/%zz/', headers: root.auth, payload: { barcode: 'x' } });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(headerProblems(res), []);
  });
});

describe('the leak detectors', () => {
  it('find V8 stack frames and source paths', () => {
    const error = new Error('boom');
    assert.ok(stackTraceIn(String(error.stack)) !== undefined);
    for (const text of [
      '{"detail":"x\\n    at Object.<anonymous> (/srv/app/dist/src/app.js:10:5)"}',
      'at async run (node:internal/process/task_queues:95:5)',
      '{"error":"/work/stockscan/node_modules/fastify/lib/reply.js"}',
      '{"path":"src/http/auth.ts"}',
      'failed in dist/src/barcode/routes.js',
      'file:///srv/app/x.mjs',
    ]) {
      assert.ok(stackTraceIn(text) !== undefined, text);
    }
  });

  it('leave ordinary bodies alone', () => {
    for (const text of [
      '{"detail":"Date and time at which the scan was made"}',
      '{"name":"Part at the back","description":"look at /api/part/3/"}',
      '{"web_url":"/web/part/3","api_url":"/api/part/3/"}',
      '{"barcode":"INV-PA3","note":"at 10:05"}',
    ]) {
      assert.equal(stackTraceIn(text), undefined, text);
    }
  });
});
