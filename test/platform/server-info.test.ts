import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

describe('GET /api/ (D1)', () => {
  let h: Harness;
  let staff: TestUser;
  let plain: TestUser;
  before(async () => {
    h = await createHarness();
    staff = await h.user('staffer', { is_staff: true });
    plain = await h.user('plain');
  });
  after(() => h.close());

  it('answers without authentication with InvenTree identity and API 435 as an integer', async () => {
    const res = await h.request({ method: 'GET', url: '/api/' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    const body = res.json();
    assert.equal(body.server, 'InvenTree');
    assert.equal(body.apiVersion, 435);
    assert.equal(typeof body.apiVersion, 'number');
    assert.equal(typeof body.version, 'string');
    assert.ok(body.version.length > 0);
    assert.equal(body.instance, 'InvenTree');
    assert.equal(body.implementation, 'stockscan');
    for (const key of ['worker_running', 'plugins_enabled', 'email_configured', 'debug_mode', 'docker_mode']) {
      assert.equal(typeof body[key], 'boolean', key);
    }
    assert.deepEqual(body.settings, { sso_registration: false, registration_enabled: false, password_forgotten_enabled: false });
    assert.ok(Array.isArray(body.active_plugins));
  });

  it('hides the system fields from anonymous and non-staff callers and shows them to staff', async () => {
    const anon = (await h.request({ method: 'GET', url: '/api/' })).json();
    const user = (await h.request({ method: 'GET', url: '/api/', headers: plain.auth })).json();
    const admin = (await h.request({ method: 'GET', url: '/api/', headers: staff.auth })).json();
    for (const key of ['system_health', 'database', 'platform', 'installer']) {
      assert.equal(anon[key], null, key);
      assert.equal(user[key], null, key);
      assert.notEqual(admin[key], null, key);
    }
  });

  it('ignores bad credentials on this public endpoint', async () => {
    const res = await h.request({ method: 'GET', url: '/api/', headers: { authorization: 'Token nonsense' } });
    assert.equal(res.statusCode, 200);
  });

  it('reports the instance name setting', async () => {
    const admin = await h.user('root', { is_superuser: true, is_staff: true });
    const patch = await h.request({
      method: 'PATCH',
      url: '/api/settings/global/INVENTREE_INSTANCE/',
      headers: admin.auth,
      payload: { value: 'Workshop' },
    });
    assert.equal(patch.statusCode, 200);
    assert.equal((await h.request({ method: 'GET', url: '/api/' })).json().instance, 'Workshop');
  });

  it('serves /api/version/ to staff only', async () => {
    assert.equal((await h.request({ method: 'GET', url: '/api/version/', headers: plain.auth })).statusCode, 403);
    const res = await h.request({ method: 'GET', url: '/api/version/', headers: staff.auth });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().version.api, 435);
  });
});
