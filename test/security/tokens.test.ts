/**
 * Tokens are checked on every request (core-api.md §3.1): one revoked or expired while a
 * client is using it is refused on the very next request, on every endpoint (the barcode
 * ones included), and a refused barcode request leaves no scan history. A user disabled or
 * stripped of a role mid-session loses access on the next request too. Every kind of answer,
 * errors included, carries the security headers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { revokeToken } from '../../src/users/tokens.js';
import { addDays, today } from '../../src/util/time.js';
import { headerProblems } from './checks.js';
import { EXPECTATIONS, isRuleMap } from './expectations.js';
import { REQUESTS, World } from './requests.js';
import { documentedOperations, type Operation } from './routes.js';

/**
 * The public operations answer a bad token as an anonymous caller (see below); the browser
 * sign-in takes its credentials from the body and speaks of the session cookie only.
 */
const PUBLIC = new Set(
  Object.entries(EXPECTATIONS)
    .filter(([, rule]) => !isRuleMap(rule) && (rule.kind === 'public' || rule.kind === 'browserSession'))
    .map(([key]) => key),
);

describe('tokens are checked on every request', () => {
  let h: Harness;
  let world: World;
  let root: TestUser;
  let ops: Operation[];

  before(async () => {
    h = await createHarness();
    root = await h.user('root', { is_superuser: true, is_staff: true });
    world = new World(h);
    await world.init(root);
    ops = await documentedOperations(h.app);
  });
  after(() => h.close());

  /** A superuser with a fresh token, and the token's row id. */
  async function session(name: string): Promise<{ user: TestUser; tokenId: number }> {
    const user = await h.user(name, { is_superuser: true, is_staff: true });
    const row = await h.db.database.kysely.selectFrom('api_token').select('id').where('user_id', '=', user.user.id).executeTakeFirstOrThrow();
    return { user, tokenId: row.id };
  }

  /** Sends every documented operation (each variant) with `auth`; returns those not refused with `detail`. */
  async function notRefused(user: TestUser, detail: string): Promise<string[]> {
    const wrong: string[] = [];
    for (const op of ops) {
      if (PUBLIC.has(op.key)) continue;
      const expectation = EXPECTATIONS[op.key];
      const variants = expectation !== undefined && isRuleMap(expectation) ? Object.keys(expectation) : [undefined];
      for (const variant of variants) {
        const request = await REQUESTS[op.key]!(world, { user }, variant);
        const res = await h.request({
          method: op.method as 'GET',
          url: request.url,
          headers: user.auth,
          ...(request.payload !== undefined && op.method !== 'GET' ? { payload: request.payload as object } : {}),
        });
        const ok = res.statusCode === 401 && res.json().detail === detail && res.headers['www-authenticate'] === 'Token';
        if (!ok) wrong.push(`${op.key}${variant ? ` [${variant}]` : ''}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        if (headerProblems(res).length > 0) wrong.push(`${op.key}: headers ${headerProblems(res).join(', ')}`);
      }
    }
    return wrong;
  }

  /** Scan-history rows written by requests (the requests' own fixture rows are named `row-…`). */
  const scanCount = async () =>
    Number(
      (await h.db.database.kysely.selectFrom('barcode_scan').select((eb) => eb.fn.countAll<number>().as('n')).where('data', 'not like', 'row-%').executeTakeFirstOrThrow()).n,
    );

  it('a token revoked through the API mid-session is refused on the next request, everywhere', async () => {
    const { user, tokenId } = await session('revoked-by-api');
    const scan = await h.request({ method: 'POST', url: '/api/barcode/', headers: user.auth, payload: { barcode: world.shortBarcode('part') } });
    assert.equal(scan.statusCode, 200, 'the token works before');
    // The same user revokes it from another client (the token endpoint with Basic auth gives one).
    const other = await h.request({ method: 'GET', url: '/api/user/token/?name=other', headers: { authorization: `Basic ${Buffer.from(`${user.user.username}:${user.password}`).toString('base64')}` } });
    const revoke = await h.request({ method: 'DELETE', url: `/api/user/tokens/${tokenId}/`, headers: { authorization: `Token ${other.json().token}` } });
    assert.equal(revoke.statusCode, 204);
    const before = await scanCount();
    assert.deepEqual(await notRefused(user, 'Token has been revoked'), []);
    assert.equal(await scanCount(), before, 'refused barcode requests are not logged');
  });

  it('a token revoking itself is refused from the next request on', async () => {
    const { user, tokenId } = await session('self-revoked');
    const revoke = await h.request({ method: 'DELETE', url: `/api/user/tokens/${tokenId}/`, headers: user.auth });
    assert.equal(revoke.statusCode, 204);
    const next = await h.request({ method: 'POST', url: '/api/barcode/link/', headers: user.auth, payload: { barcode: 'SELF-REVOKED-1', part: world.part } });
    assert.equal(next.statusCode, 401);
    assert.deepEqual(next.json(), { detail: 'Token has been revoked' });
    const linked = await h.db.database.kysely.selectFrom('barcode_link').select('id').where('data', '=', 'SELF-REVOKED-1').execute();
    assert.equal(linked.length, 0);
  });

  it('a token revoked in the database while in use is refused on the next request, everywhere', async () => {
    const { user, tokenId } = await session('revoked-in-db');
    assert.equal((await h.request({ method: 'GET', url: '/api/barcode/history/', headers: user.auth })).statusCode, 200);
    await revokeToken(h.db.database.kysely, tokenId);
    const before = await scanCount();
    assert.deepEqual(await notRefused(user, 'Token has been revoked'), []);
    assert.equal(await scanCount(), before);
  });

  it('a token that expires while in use is refused on the next request, everywhere', async () => {
    const { user, tokenId } = await session('expiring');
    const db = h.db.database.kysely;
    // Valid through its expiry day…
    await db.updateTable('api_token').set({ expiry: today() }).where('id', '=', tokenId).execute();
    const ok = await h.request({ method: 'POST', url: '/api/barcode/', headers: user.auth, payload: { barcode: world.shortBarcode('stockitem') } });
    assert.equal(ok.statusCode, 200);
    // …and refused once that day is past.
    await db.updateTable('api_token').set({ expiry: addDays(today(), -1) }).where('id', '=', tokenId).execute();
    const before = await scanCount();
    assert.deepEqual(await notRefused(user, 'Token has expired'), []);
    assert.equal(await scanCount(), before);
  });

  it('a user disabled mid-session is refused on the next request', async () => {
    const user = await h.user('disabled-later', { roles: { part: { can_view: true } } });
    assert.equal((await h.request({ method: 'POST', url: '/api/barcode/', headers: user.auth, payload: { barcode: world.shortBarcode('part') } })).statusCode, 200);
    const patch = await h.request({ method: 'PATCH', url: `/api/user/${user.user.id}/`, headers: root.auth, payload: { is_active: false } });
    assert.equal(patch.statusCode, 200);
    for (const [method, url, payload] of [
      ['GET', '/api/part/', undefined],
      ['POST', '/api/barcode/', { barcode: world.shortBarcode('part') }],
      ['POST', '/api/barcode/generate/', { model: 'part', pk: world.part }],
    ] as const) {
      const res = await h.request({ method, url, headers: user.auth, ...(payload ? { payload } : {}) });
      assert.equal(res.statusCode, 401, `${method} ${url}`);
      assert.deepEqual(res.json(), { detail: 'User inactive or deleted.' });
    }
  });

  it('a role taken away mid-session is refused on the next request (no permission is cached)', async () => {
    const user = await h.user('demoted', { roles: { part: { can_view: true, can_change: true } } });
    const ruleset = await h.db.database.kysely
      .selectFrom('ruleset')
      .innerJoin('auth_user_group', 'auth_user_group.group_id', 'ruleset.group_id')
      .select('ruleset.id')
      .where('auth_user_group.user_id', '=', user.user.id)
      .where('ruleset.name', '=', 'part')
      .executeTakeFirstOrThrow();
    const scan = () => h.request({ method: 'POST', url: '/api/barcode/', headers: user.auth, payload: { barcode: world.shortBarcode('part') } });
    const link = () => h.request({ method: 'POST', url: '/api/barcode/link/', headers: user.auth, payload: { barcode: `DEMOTED-${world.next()}`, part: world.part } });
    assert.equal((await scan()).statusCode, 200);
    assert.equal((await link()).statusCode, 200);
    const put = await h.request({ method: 'PATCH', url: `/api/user/ruleset/${ruleset.id}/`, headers: root.auth, payload: { can_view: false, can_change: false } });
    assert.equal(put.statusCode, 200);
    const refusedScan = await scan();
    assert.equal(refusedScan.statusCode, 403);
    assert.deepEqual(refusedScan.json(), { detail: 'User does not have permission to view this model' });
    const refusedLink = await link();
    assert.equal(refusedLink.statusCode, 403);
    assert.match(refusedLink.json().error, /do not have the required permissions/);
    assert.equal((await h.request({ method: 'GET', url: '/api/part/', headers: user.auth })).statusCode, 403);
  });

  it('an unknown token is refused with "Invalid token." everywhere', async () => {
    const fake: TestUser = { ...root, token: 'inv-0000000000000000000000000000000000000000-20260101', auth: { authorization: 'Token inv-0000000000000000000000000000000000000000-20260101' } };
    assert.deepEqual(await notRefused(fake, 'Invalid token.'), []);
  });

  it('the public endpoints answer a revoked token as an anonymous caller', async () => {
    const { user, tokenId } = await session('public-revoked');
    await revokeToken(h.db.database.kysely, tokenId);
    const info = await h.request({ method: 'GET', url: '/api/', headers: user.auth });
    assert.equal(info.statusCode, 200);
    assert.equal(info.json().database, null, 'no staff-only field for a revoked staff token');
  });
});

describe('security headers on every kind of answer', () => {
  let h: Harness;
  let root: TestUser;
  let bob: TestUser;

  before(async () => {
    h = await createHarness({ http: { corsOrigins: ['https://app.example.com'], bodyLimit: 4096 } });
    root = await h.user('root', { is_superuser: true, is_staff: true });
    bob = await h.user('bob');
  });
  after(() => h.close());

  const cases: { name: string; status: number; request: () => Promise<import('fastify').LightMyRequestResponse> }[] = [];
  const add = (name: string, status: number, request: () => Promise<import('fastify').LightMyRequestResponse>) => cases.push({ name, status, request });

  add('200 list', 200, () => h.request({ method: 'GET', url: '/api/part/', headers: root.auth }));
  add('200 public', 200, () => h.request({ method: 'GET', url: '/api/' }));
  add('201 create', 201, () => h.request({ method: 'POST', url: '/api/part/category/', headers: root.auth, payload: { name: 'Headers' } }));
  add('204 delete', 204, async () => {
    const id = await h.fx.location();
    return h.request({ method: 'DELETE', url: `/api/stock/location/${id}/`, headers: root.auth });
  });
  add('HEAD', 200, () => h.request({ method: 'HEAD', url: '/api/part/', headers: root.auth }));
  add('OPTIONS', 200, () => h.request({ method: 'OPTIONS', url: '/api/part/', headers: root.auth }));
  add('CORS preflight', 204, () =>
    h.request({ method: 'OPTIONS', url: '/api/part/', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } }),
  );
  add('400 validation', 400, () => h.request({ method: 'POST', url: '/api/part/', headers: root.auth, payload: {} }));
  add('400 bad JSON', 400, () => h.request({ method: 'POST', url: '/api/part/', headers: { ...root.auth, 'content-type': 'application/json' }, payload: '{nope' }));
  add('400 barcode no match', 400, () => h.request({ method: 'POST', url: '/api/barcode/', headers: root.auth, payload: { barcode: 'NOTHING' } }));
  add('401 anonymous', 401, () => h.request({ method: 'GET', url: '/api/part/' }));
  add('401 bad token', 401, () => h.request({ method: 'GET', url: '/api/part/', headers: { authorization: 'Token nope' } }));
  add('401 bad basic', 401, () => h.request({ method: 'GET', url: '/api/part/', headers: { authorization: 'Basic Ym9iOndyb25n' } }));
  add('403 role', 403, () => h.request({ method: 'GET', url: '/api/part/', headers: bob.auth }));
  add('403 CSRF', 403, async () => {
    const login = await h.request({ method: 'GET', url: '/api/user/token/', headers: { authorization: `Basic ${Buffer.from(`bob:${bob.password}`).toString('base64')}` } });
    const cookie = login.cookies.find((c) => c.name === 'sessionid');
    return h.request({ method: 'PATCH', url: '/api/user/me/', cookies: { sessionid: cookie?.value ?? '' }, payload: { first_name: 'x' } });
  });
  add('404 object', 404, () => h.request({ method: 'GET', url: '/api/part/999999/', headers: root.auth }));
  add('404 API catch-all', 404, () => h.request({ method: 'GET', url: '/api/nothing/here/' }));
  add('404 outside the API', 404, () => h.request({ method: 'GET', url: '/nothing/here' }));
  add('404 undecodable path', 404, () => h.request({ method: 'GET', url: '/api/part/%E0%A4%A/', headers: root.auth }));
  add('404 over-long path parameter', 404, () => h.request({ method: 'GET', url: `/api/part/${'9'.repeat(120)}/`, headers: root.auth }));
  add('405 method', 405, () => h.request({ method: 'DELETE', url: '/api/part/', headers: root.auth }));
  add('405 barcode GET', 405, () => h.request({ method: 'GET', url: '/api/barcode/link/', headers: root.auth }));
  add('413 body too large', 413, () => h.request({ method: 'POST', url: '/api/barcode/', headers: { ...root.auth, 'content-type': 'application/json' }, payload: JSON.stringify({ barcode: 'x'.repeat(5000) }) }));
  add('415 media type', 415, () => h.request({ method: 'POST', url: '/api/barcode/', headers: { ...root.auth, 'content-type': 'text/plain' }, payload: 'x' }));

  for (const c of cases) {
    it(`${c.name} → ${c.status} with the security headers`, async () => {
      const res = await c.request();
      assert.equal(res.statusCode, c.status, res.body);
      assert.deepEqual(headerProblems(res), []);
    });
  }
});
