import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Permissions, RULESET_NAMES } from '../../src/users/roles.js';
import { basicAuth, createHarness, type Harness, type TestUser } from '../helpers/app.js';

describe('current user', () => {
  let h: Harness;
  let alice: TestUser;
  before(async () => {
    h = await createHarness();
    alice = await h.user('alice', { email: 'alice@example.com', first_name: 'Alice', roles: { stock: { can_view: true } } });
  });
  after(() => h.close());

  it('GET /api/user/me/ answers the keys clients read', async () => {
    const res = await h.request({ method: 'GET', url: '/api/user/me/', headers: alice.auth });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.pk, alice.user.id);
    assert.equal(body.username, 'alice');
    assert.equal(body.email, 'alice@example.com');
    assert.equal(body.first_name, 'Alice');
    assert.equal(body.last_name, '');
    assert.equal(body.is_staff, false);
    assert.equal(body.is_superuser, false);
    assert.equal(body.is_active, true);
    assert.equal(body.groups.length, 1);
    assert.equal(typeof body.groups[0].pk, 'number');
    assert.equal(typeof body.profile, 'object');
  });

  it('PATCH changes only first and last name', async () => {
    const res = await h.request({
      method: 'PATCH',
      url: '/api/user/me/',
      headers: alice.auth,
      payload: { first_name: 'Al', username: 'mallory', is_superuser: true },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.first_name, 'Al');
    assert.equal(body.username, 'alice');
    assert.equal(body.is_superuser, false);
  });
});

describe('roles (D3: both paths)', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  for (const path of ['/api/user/roles/', '/api/user/me/roles/']) {
    it(`${path} lists every ruleset in order, verbs or null`, async () => {
      const u = await h.user(`u${path.length}`, { roles: { stock: { can_view: true, can_change: true } } });
      const res = await h.request({ method: 'GET', url: path, headers: u.auth });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.user, u.user.id);
      assert.equal(body.username, u.user.username);
      assert.equal(body.is_staff, false);
      assert.equal(body.is_superuser, false);
      assert.deepEqual(Object.keys(body.roles), [...RULESET_NAMES]);
      assert.deepEqual(body.roles.stock, ['view', 'change']);
      assert.equal(body.roles.part, null);
      assert.equal(body.roles.admin, null);
      assert.deepEqual(body.permissions.stockitem.sort(), ['change', 'view']);
      assert.equal(body.permissions.part, undefined);
    });
  }

  it('gives a superuser all four verbs on every role', async () => {
    const root = await h.user('root', { is_superuser: true });
    const body = (await h.request({ method: 'GET', url: '/api/user/roles/', headers: root.auth })).json();
    for (const name of RULESET_NAMES) assert.deepEqual(body.roles[name], ['view', 'add', 'change', 'delete']);
    assert.deepEqual(body.permissions.purchaseorder.sort(), ['add', 'change', 'delete', 'view']);
  });
});

describe('permission evaluation', () => {
  it('grants a model verb through any ruleset covering the table', () => {
    const p = new Permissions(false, [{ name: 'build', can_view: true, can_add: false, can_change: false, can_delete: false }]);
    assert.equal(p.hasModel('part_part', 'view'), true);
    assert.equal(p.hasModel('stock_stockitem', 'view'), true);
    assert.equal(p.hasModel('stock_stockitem', 'change'), false);
    assert.equal(p.hasModel('order_purchaseorder', 'view'), false);
    assert.equal(p.hasRole('part', 'view'), false);
  });

  it('covers supplier parts by part or purchase_order', () => {
    const viaPart = new Permissions(false, [{ name: 'part', can_view: true, can_add: false, can_change: true, can_delete: false }]);
    const viaPo = new Permissions(false, [{ name: 'purchase_order', can_view: true, can_add: false, can_change: false, can_delete: false }]);
    assert.equal(viaPart.hasModel('company_supplierpart', 'change'), true);
    assert.equal(viaPo.hasModel('company_supplierpart', 'view'), true);
    assert.equal(viaPo.hasModel('company_supplierpart', 'change'), false);
  });

  it('combines rulesets of several groups', () => {
    const p = new Permissions(false, [
      { name: 'stock', can_view: true, can_add: false, can_change: false, can_delete: false },
      { name: 'stock', can_view: false, can_add: false, can_change: false, can_delete: true },
    ]);
    assert.equal(p.hasRole('stock', 'view'), true);
    assert.equal(p.hasRole('stock', 'delete'), true);
    assert.equal(p.hasRole('stock', 'add'), false);
  });

  it('ignores ruleset names unknown at API 435', () => {
    const p = new Permissions(false, [{ name: 'transfer_order', can_view: true, can_add: true, can_change: true, can_delete: true }]);
    assert.deepEqual(Object.keys(p.rolesObject()), [...RULESET_NAMES]);
    assert.ok(Object.values(p.rolesObject()).every((v) => v === null));
  });
});

describe('users, groups and rulesets administration', () => {
  let h: Harness;
  let root: TestUser;
  let staffAdmin: TestUser;
  let staffOnly: TestUser;
  let plain: TestUser;
  before(async () => {
    h = await createHarness();
    root = await h.user('root', { is_superuser: true, is_staff: true });
    staffAdmin = await h.user('staffadmin', { is_staff: true, roles: { admin: { can_view: true, can_add: true, can_change: true, can_delete: true } } });
    staffOnly = await h.user('staffonly', { is_staff: true });
    plain = await h.user('plain', { roles: { admin: { can_add: true, can_change: true } } });
  });
  after(() => h.close());

  it('lets every signed-in user read users', async () => {
    const res = await h.request({ method: 'GET', url: '/api/user/', headers: plain.auth });
    assert.equal(res.statusCode, 200);
    const users = res.json() as { username: string; password?: string }[];
    assert.ok(users.some((u) => u.username === 'root'));
    assert.ok(users.every((u) => u.password === undefined));
  });

  it('pages the user list with limit/offset and absolute next/previous URLs', async () => {
    const res = await h.request({ method: 'GET', url: '/api/user/?limit=2&offset=1', headers: plain.auth });
    const body = res.json();
    assert.equal(body.count, 4);
    assert.equal(body.results.length, 2);
    assert.equal(body.next, 'http://localhost/api/user/?limit=2&offset=3');
    assert.equal(body.previous, 'http://localhost/api/user/?limit=2');
    const last = (await h.request({ method: 'GET', url: '/api/user/?limit=2&offset=3', headers: plain.auth })).json();
    assert.equal(last.next, null);
    assert.equal(last.previous, 'http://localhost/api/user/?limit=2&offset=1');
    const count = (await h.request({ method: 'GET', url: '/api/user/?limit=1', headers: plain.auth })).json();
    assert.equal(count.count, 4);
  });

  it('filters users with capitalised booleans as the Python client sends them', async () => {
    const res = await h.request({ method: 'GET', url: '/api/user/?is_staff=True', headers: plain.auth });
    const names = (res.json() as { username: string }[]).map((u) => u.username).sort();
    assert.deepEqual(names, ['root', 'staffadmin', 'staffonly']);
    const off = await h.request({ method: 'GET', url: '/api/user/?is_staff=False', headers: plain.auth });
    assert.deepEqual((off.json() as { username: string }[]).map((u) => u.username), ['plain']);
  });

  it('refuses writes from non-staff and from staff without the admin role', async () => {
    const payload = { username: 'newbie', password: 'long-enough-pw' };
    assert.equal((await h.request({ method: 'POST', url: '/api/user/', headers: plain.auth, payload })).statusCode, 403);
    assert.equal((await h.request({ method: 'POST', url: '/api/user/', headers: staffOnly.auth, payload })).statusCode, 403);
  });

  it('lets staff with the admin role create a user who can then log in', async () => {
    const res = await h.request({
      method: 'POST',
      url: '/api/user/',
      headers: staffAdmin.auth,
      payload: { username: 'newbie', password: 'long-enough-pw', email: 'n@example.com' },
    });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.equal(body.username, 'newbie');
    assert.equal(body.password, undefined);
    const login = await h.request({ method: 'GET', url: '/api/user/token/', headers: basicAuth('newbie', 'long-enough-pw') });
    assert.equal(login.statusCode, 200);
  });

  it('validates new users with Django\'s messages', async () => {
    const dup = await h.request({ method: 'POST', url: '/api/user/', headers: root.auth, payload: { username: 'root' } });
    assert.deepEqual([dup.statusCode, dup.json()], [400, { username: ['A user with that username already exists.'] }]);
    const missing = await h.request({ method: 'POST', url: '/api/user/', headers: root.auth, payload: {} });
    assert.deepEqual(missing.json(), { username: ['This field is required.'] });
    const weak = await h.request({ method: 'POST', url: '/api/user/', headers: root.auth, payload: { username: 'weak', password: '1234' } });
    assert.deepEqual(weak.json().password, ['This password is too short. It must contain at least 8 characters.', 'This password is entirely numeric.']);
    const bad = await h.request({ method: 'POST', url: '/api/user/', headers: root.auth, payload: { username: 'has space' } });
    assert.match(bad.json().username[0], /^Enter a valid username/);
  });

  it('only lets a superuser grant superuser status', async () => {
    const res = await h.request({ method: 'POST', url: '/api/user/', headers: staffAdmin.auth, payload: { username: 'boss', is_superuser: true } });
    assert.equal(res.statusCode, 403);
    const ok = await h.request({ method: 'POST', url: '/api/user/', headers: root.auth, payload: { username: 'boss', is_superuser: true } });
    assert.equal(ok.statusCode, 201);
    assert.equal(ok.json().is_superuser, true);
  });

  it('creates a group with one ruleset per ruleset name and applies implied permissions', async () => {
    const g = await h.request({ method: 'POST', url: '/api/user/group/', headers: staffAdmin.auth, payload: { name: 'Storekeepers' } });
    assert.equal(g.statusCode, 201);
    const group = g.json();
    const rulesets = (await h.request({ method: 'GET', url: `/api/user/ruleset/?group=${group.pk}`, headers: staffAdmin.auth })).json() as {
      pk: number;
      name: string;
      can_view: boolean;
    }[];
    assert.deepEqual(rulesets.map((r) => r.name), [...RULESET_NAMES]);
    assert.ok(rulesets.every((r) => r.can_view === false));
    const stock = rulesets.find((r) => r.name === 'stock')!;
    const patched = await h.request({ method: 'PATCH', url: `/api/user/ruleset/${stock.pk}/`, headers: staffAdmin.auth, payload: { can_add: true } });
    assert.equal(patched.statusCode, 200);
    assert.deepEqual(
      { v: patched.json().can_view, a: patched.json().can_add, c: patched.json().can_change, d: patched.json().can_delete },
      { v: true, a: true, c: true, d: false },
    );

    const member = await h.request({ method: 'POST', url: '/api/user/', headers: staffAdmin.auth, payload: { username: 'keeper', groups: [group.pk] } });
    assert.equal(member.statusCode, 201);
    assert.deepEqual(member.json().groups, [{ pk: group.pk, name: 'Storekeepers' }]);
  });

  it('refuses an unknown group pk', async () => {
    const res = await h.request({ method: 'POST', url: '/api/user/', headers: root.auth, payload: { username: 'lost', groups: [999] } });
    assert.deepEqual([res.statusCode, res.json()], [400, { groups: ['Invalid pk "999" - object does not exist.'] }]);
  });

  it('changes and deletes users', async () => {
    const created = (await h.request({ method: 'POST', url: '/api/user/', headers: root.auth, payload: { username: 'temp' } })).json();
    const patched = await h.request({ method: 'PATCH', url: `/api/user/${created.pk}/`, headers: root.auth, payload: { is_active: false } });
    assert.equal(patched.json().is_active, false);
    assert.equal((await h.request({ method: 'DELETE', url: `/api/user/${created.pk}/`, headers: root.auth })).statusCode, 204);
    const gone = await h.request({ method: 'GET', url: `/api/user/${created.pk}/`, headers: root.auth });
    assert.deepEqual([gone.statusCode, gone.json()], [404, { detail: 'No User matches the given query.' }]);
  });
});
