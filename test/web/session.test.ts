/**
 * Browser sign-in and sign-out through the django-allauth-style endpoints InvenTree's web UI
 * calls: POST /api/auth/v1/auth/login, GET|DELETE /api/auth/v1/auth/session. The session is
 * the API's own (cookie `sessionid` plus `csrftoken`); writes made with it need X-CSRFToken.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { LoginThrottle } from '../../src/http/throttle.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

const LOGIN = '/api/auth/v1/auth/login';
const SESSION = '/api/auth/v1/auth/session';

interface Cookie {
  name: string;
  value: string;
  httpOnly?: boolean;
  sameSite?: string;
  path?: string;
  maxAge?: number;
  expires?: Date;
}

function cookieOf(res: LightMyRequestResponse, name: string): Cookie | undefined {
  return (res.cookies as Cookie[]).find((c) => c.name === name);
}

function sessionHeaders(res: LightMyRequestResponse): Record<string, string> {
  const session = cookieOf(res, 'sessionid')!.value;
  const csrf = cookieOf(res, 'csrftoken')!.value;
  return { cookie: `sessionid=${session}; csrftoken=${csrf}`, 'x-csrftoken': csrf };
}

const UNAUTHENTICATED = { status: 401, data: { flows: [{ id: 'login' }] }, meta: { is_authenticated: false } };

describe('browser sessions (allauth-style endpoints)', () => {
  let h: Harness;
  let alice: TestUser;
  before(async () => {
    h = await createHarness();
    alice = await h.user('alice', { first_name: 'Alice', last_name: 'Liddell', email: 'alice@example.com', roles: { stock: { can_view: true } } });
  });
  after(() => h.close());

  const login = (payload: unknown, headers: Record<string, string> = {}) => h.request({ method: 'POST', url: LOGIN, payload: payload as object, headers });
  const sessions = async () => (await h.db.database.kysely.selectFrom('session').select(['id', 'user_id']).execute()).length;

  it('signs in: the allauth answer, a session cookie and a readable CSRF cookie', async () => {
    const before = await sessions();
    const res = await login({ username: 'alice', password: alice.password });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(body.data.user, { id: alice.user.id, display: 'Alice Liddell', has_usable_password: true, email: 'alice@example.com', username: 'alice' });
    assert.equal(body.status, 200);
    assert.deepEqual(body.meta, { is_authenticated: true });
    assert.equal(body.data.methods.length, 1);
    assert.equal(body.data.methods[0].method, 'password');
    assert.equal(body.data.methods[0].username, 'alice');
    assert.ok(Math.abs(body.data.methods[0].at - Date.now() / 1000) < 60);
    const session = cookieOf(res, 'sessionid')!;
    const csrf = cookieOf(res, 'csrftoken')!;
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    assert.equal(session.path, '/');
    assert.equal(session.maxAge, 14 * 24 * 60 * 60);
    assert.equal(csrf.httpOnly, undefined, 'the page reads the CSRF token from its cookie');
    assert.equal(await sessions(), before + 1);
    const user = await h.db.database.kysely.selectFrom('auth_user').select('last_login').where('id', '=', alice.user.id).executeTakeFirstOrThrow();
    assert.ok(user.last_login !== null, 'the login is recorded');

    // The cookie authenticates API calls; writes need the CSRF header too.
    const headers = sessionHeaders(res);
    const me = await h.request({ method: 'GET', url: '/api/user/me/', headers: { cookie: headers.cookie! } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().username, 'alice');
    const who = await h.request({ method: 'GET', url: SESSION, headers: { cookie: headers.cookie! } });
    assert.equal(who.statusCode, 200);
    assert.equal(who.json().data.user.username, 'alice');
    assert.equal(who.json().meta.is_authenticated, true);
    const noCsrf = await h.request({ method: 'POST', url: '/api/barcode/', headers: { cookie: headers.cookie! }, payload: { barcode: 'INV-SL1' } });
    assert.equal(noCsrf.statusCode, 403);
    assert.deepEqual(noCsrf.json(), { detail: 'CSRF Failed: CSRF token missing.' });
    const withCsrf = await h.request({ method: 'POST', url: '/api/barcode/', headers, payload: { barcode: 'NOTHING-HERE' } });
    assert.equal(withCsrf.statusCode, 400);
    assert.equal(withCsrf.json().error, 'No match found for barcode data');
  });

  it('refuses wrong credentials with allauth\'s error body (the same for an unknown user)', async () => {
    for (const payload of [
      { username: 'alice', password: 'wrong' },
      { username: 'nobody', password: 'wrong' },
    ]) {
      const res = await login(payload);
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), {
        status: 400,
        errors: [{ message: 'The username and/or password you specified are not correct.', code: 'username_password_mismatch', param: 'password' }],
      });
      assert.equal(cookieOf(res, 'sessionid'), undefined);
    }
  });

  it('names every missing or malformed field', async () => {
    let res = await login({});
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      status: 400,
      errors: [
        { message: 'This field is required.', code: 'required', param: 'username' },
        { message: 'This field is required.', code: 'required', param: 'password' },
      ],
    });
    res = await login({ username: 'alice', password: 12345 });
    assert.deepEqual(res.json(), { status: 400, errors: [{ message: 'Enter a valid value.', code: 'invalid', param: 'password' }] });
    res = await login([1, 2]);
    assert.equal(res.statusCode, 400);
  });

  it('refuses an inactive account only after the right password', async () => {
    const bob = await h.user('bob', { is_active: false });
    let res = await login({ username: 'bob', password: 'wrong' });
    assert.equal(res.json().errors[0].code, 'username_password_mismatch');
    res = await login({ username: 'bob', password: bob.password });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { status: 400, errors: [{ message: 'This account is inactive.', code: 'account_inactive' }] });
  });

  it('refuses a sign-in posted from another origin (login CSRF), and accepts its own', async () => {
    let res = await login({ username: 'alice', password: alice.password }, { origin: 'https://evil.example' });
    assert.equal(res.statusCode, 403);
    assert.deepEqual(res.json(), { detail: 'CSRF Failed: Origin checking failed - https://evil.example does not match any trusted origins.' });
    res = await login({ username: 'alice', password: alice.password }, { origin: 'http://localhost:80' });
    assert.equal(res.statusCode, 200);
  });

  it('signs out: ends the session, clears both cookies, and needs the CSRF header', async () => {
    const signedIn = await login({ username: 'alice', password: alice.password });
    const headers = sessionHeaders(signedIn);
    const count = await sessions();

    const refused = await h.request({ method: 'DELETE', url: SESSION, headers: { cookie: headers.cookie! } });
    assert.equal(refused.statusCode, 403);
    assert.deepEqual(refused.json(), { detail: 'CSRF Failed: CSRF token missing.' });
    assert.equal(await sessions(), count, 'a forged sign-out changes nothing');

    const out = await h.request({ method: 'DELETE', url: SESSION, headers });
    assert.equal(out.statusCode, 401);
    assert.deepEqual(out.json(), UNAUTHENTICATED);
    assert.equal(cookieOf(out, 'sessionid')?.value, '');
    assert.equal(cookieOf(out, 'csrftoken')?.value, '');
    assert.equal(await sessions(), count - 1);
    const after = await h.request({ method: 'GET', url: SESSION, headers: { cookie: headers.cookie! } });
    assert.equal(after.statusCode, 401);
    assert.deepEqual(after.json(), UNAUTHENTICATED);
    assert.equal((await h.request({ method: 'GET', url: '/api/user/me/', headers: { cookie: headers.cookie! } })).statusCode, 401);

    // Signing out without a session is harmless.
    const nobody = await h.request({ method: 'DELETE', url: SESSION });
    assert.equal(nobody.statusCode, 401);
    assert.deepEqual(nobody.json(), UNAUTHENTICATED);
  });

  it('starts a new session on every sign-in, ending the one the browser had', async () => {
    const first = await login({ username: 'alice', password: alice.password });
    const headers = sessionHeaders(first);
    const count = await sessions();
    const second = await login({ username: 'alice', password: alice.password }, headers);
    assert.equal(second.statusCode, 200);
    assert.notEqual(cookieOf(second, 'sessionid')!.value, cookieOf(first, 'sessionid')!.value);
    assert.equal(await sessions(), count, 'the old session is gone, the new one is there');
    assert.equal((await h.request({ method: 'GET', url: SESSION, headers: { cookie: headers.cookie! } })).statusCode, 401);
  });

  it('reports only browser sessions: a token is not one', async () => {
    const res = await h.request({ method: 'GET', url: SESSION, headers: alice.auth });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), UNAUTHENTICATED);
    assert.equal((await h.request({ method: 'GET', url: SESSION })).statusCode, 401);
  });

  it('answers only its own methods', async () => {
    const res = await h.request({ method: 'GET', url: LOGIN });
    assert.equal(res.statusCode, 405);
    assert.deepEqual(res.json(), { detail: 'Method "GET" not allowed.' });
    assert.equal((await h.request({ method: 'POST', url: SESSION, payload: {} })).statusCode, 405);
  });
});

describe('browser sign-in throttling', () => {
  let h: Harness;
  let carol: TestUser;
  before(async () => {
    h = await createHarness({ loginThrottle: new LoginThrottle({ windowMs: 60_000, slowAfter: 100, blockAfter: 2, delayMs: 0, maxKeys: 100 }) });
    carol = await h.user('carol');
  });
  after(() => h.close());

  it('refuses further attempts with 429 after repeated failures, even with the right password', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await h.request({ method: 'POST', url: LOGIN, payload: { username: 'carol', password: 'wrong' } });
      assert.equal(res.statusCode, 400);
    }
    const res = await h.request({ method: 'POST', url: LOGIN, payload: { username: 'carol', password: carol.password } });
    assert.equal(res.statusCode, 429);
    assert.deepEqual(res.json(), { status: 429, errors: [{ message: 'Too many failed login attempts. Try again later.', code: 'too_many_login_attempts' }] });
    assert.match(String(res.headers['retry-after']), /^\d+$/);
  });
});

describe('browser sign-in from a trusted origin', () => {
  let h: Harness;
  let dave: TestUser;
  before(async () => {
    h = await createHarness({ http: { csrfTrustedOrigins: ['https://stock.example'] } });
    dave = await h.user('dave');
  });
  after(() => h.close());

  it('accepts the origins of STOCKSCAN_CSRF_TRUSTED_ORIGINS (a reverse proxy in front)', async () => {
    const trusted = await h.request({ method: 'POST', url: LOGIN, payload: { username: 'dave', password: dave.password }, headers: { origin: 'https://stock.example' } });
    assert.equal(trusted.statusCode, 200);
    const other = await h.request({ method: 'POST', url: LOGIN, payload: { username: 'dave', password: dave.password }, headers: { origin: 'https://other.example' } });
    assert.equal(other.statusCode, 403);
  });
});
