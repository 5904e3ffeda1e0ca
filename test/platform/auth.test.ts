import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { LoginThrottle } from '../../src/http/throttle.js';
import { basicAuth, createHarness, type Harness, type TestUser } from '../helpers/app.js';

function cookiesOf(res: { headers: Record<string, unknown> }): Record<string, string> {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [String(raw)];
  return Object.fromEntries(list.map((c: string) => c.split(';')[0]!.split('=') as [string, string]));
}

describe('token authentication', () => {
  let h: Harness;
  let alice: TestUser;
  before(async () => {
    h = await createHarness();
    alice = await h.user('alice');
  });
  after(() => h.close());

  it('accepts a valid token', async () => {
    const res = await h.request({ method: 'GET', url: '/api/user/me/', headers: alice.auth });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().username, 'alice');
  });

  it('issues keys of the form inv-<40 hex>-<yyyymmdd>', () => {
    assert.match(alice.token, /^inv-[0-9a-f]{40}-\d{8}$/);
  });

  it('refuses an unknown key with 401 and WWW-Authenticate: Token', async () => {
    const res = await h.request({ method: 'GET', url: '/api/user/me/', headers: { authorization: 'Token inv-nope' } });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), { detail: 'Invalid token.' });
    assert.equal(res.headers['www-authenticate'], 'Token');
  });

  it('refuses a header without a key', async () => {
    const res = await h.request({ method: 'GET', url: '/api/user/me/', headers: { authorization: 'Token' } });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), { detail: 'Invalid token header. No credentials provided.' });
  });

  it('refuses revoked and expired tokens with their own messages', async () => {
    const bob = await h.user('bob');
    await h.db.database.kysely.updateTable('api_token').set({ revoked: true }).where('user_id', '=', bob.user.id).execute();
    let res = await h.request({ method: 'GET', url: '/api/user/me/', headers: bob.auth });
    assert.deepEqual([res.statusCode, res.json()], [401, { detail: 'Token has been revoked' }]);

    const carol = await h.user('carol');
    await h.db.database.kysely.updateTable('api_token').set({ expiry: '2000-01-01' }).where('user_id', '=', carol.user.id).execute();
    res = await h.request({ method: 'GET', url: '/api/user/me/', headers: carol.auth });
    assert.deepEqual([res.statusCode, res.json()], [401, { detail: 'Token has expired' }]);
  });

  it('refuses the token of an inactive user', async () => {
    const dave = await h.user('dave');
    await h.db.database.kysely.updateTable('auth_user').set({ is_active: false }).where('id', '=', dave.user.id).execute();
    const res = await h.request({ method: 'GET', url: '/api/user/me/', headers: dave.auth });
    assert.deepEqual([res.statusCode, res.json()], [401, { detail: 'User inactive or deleted.' }]);
  });

  it('records last_seen on use', async () => {
    const row = await h.db.database.kysely.selectFrom('api_token').select('last_seen').where('user_id', '=', alice.user.id).executeTakeFirstOrThrow();
    assert.equal(row.last_seen, new Date().toISOString().slice(0, 10));
  });

  it('answers 401 with DRF\'s message when no credentials are sent', async () => {
    const res = await h.request({ method: 'GET', url: '/api/user/me/' });
    assert.deepEqual([res.statusCode, res.json()], [401, { detail: 'Authentication credentials were not provided.' }]);
    assert.equal(res.headers['www-authenticate'], 'Token');
  });
});

describe('basic authentication and the token endpoints (D3)', () => {
  let h: Harness;
  let alice: TestUser;
  before(async () => {
    h = await createHarness();
    alice = await h.user('alice');
  });
  after(() => h.close());

  for (const path of ['/api/user/token/', '/api/user/me/token/']) {
    it(`${path} returns {token, name, expiry} for Basic credentials`, async () => {
      const res = await h.request({ method: 'GET', url: `${path}?name=python-test`, headers: basicAuth('alice', alice.password) });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/json');
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['expiry', 'name', 'token']);
      assert.equal(body.name, 'python-test');
      assert.match(body.token, /^inv-[0-9a-f]{40}-\d{8}$/);
      assert.match(body.expiry, /^\d{4}-\d{2}-\d{2}$/);
    });
  }

  it('returns the same token for the same active name on both paths', async () => {
    const a = (await h.request({ method: 'GET', url: '/api/user/token/?name=mobile', headers: basicAuth('alice', alice.password) })).json();
    const b = (await h.request({ method: 'GET', url: '/api/user/me/token/?name=mobile', headers: basicAuth('alice', alice.password) })).json();
    const c = (await h.request({ method: 'GET', url: '/api/user/token/?name=other', headers: basicAuth('alice', alice.password) })).json();
    assert.equal(a.token, b.token);
    assert.notEqual(a.token, c.token);
    const works = await h.request({ method: 'GET', url: '/api/user/me/', headers: { authorization: `Token ${a.token}` } });
    assert.equal(works.statusCode, 200);
  });

  it('issues a new token once the old one of that name is revoked', async () => {
    const first = (await h.request({ method: 'GET', url: '/api/user/token/?name=rev', headers: basicAuth('alice', alice.password) })).json();
    const list = (await h.request({ method: 'GET', url: '/api/user/tokens/', headers: alice.auth })).json() as { id: number; name: string }[];
    const id = list.find((t) => t.name === 'rev')!.id;
    assert.equal((await h.request({ method: 'DELETE', url: `/api/user/tokens/${id}/`, headers: alice.auth })).statusCode, 204);
    const second = (await h.request({ method: 'GET', url: '/api/user/token/?name=rev', headers: basicAuth('alice', alice.password) })).json();
    assert.notEqual(first.token, second.token);
    const old = await h.request({ method: 'GET', url: '/api/user/me/', headers: { authorization: `Token ${first.token}` } });
    assert.deepEqual(old.json(), { detail: 'Token has been revoked' });
  });

  it('sanitises the token name', async () => {
    const res = await h.request({ method: 'GET', url: `/api/user/token/?name=${encodeURIComponent('my <b>phone</b> one\u0007')}`, headers: basicAuth('alice', alice.password) });
    assert.equal(res.json().name, 'my-phone-one');
  });

  it('refuses a wrong password with DRF\'s message', async () => {
    const res = await h.request({ method: 'GET', url: '/api/user/token/', headers: basicAuth('alice', 'wrong') });
    assert.deepEqual([res.statusCode, res.json()], [401, { detail: 'Invalid username/password.' }]);
    const unknown = await h.request({ method: 'GET', url: '/api/user/token/', headers: basicAuth('nobody', 'x') });
    assert.deepEqual([unknown.statusCode, unknown.json()], [401, { detail: 'Invalid username/password.' }]);
  });

  it('refuses malformed Basic headers', async () => {
    const res = await h.request({ method: 'GET', url: '/api/user/me/', headers: { authorization: 'Basic !!!' } });
    assert.deepEqual(res.json(), { detail: 'Invalid basic header. Credentials not correctly base64 encoded.' });
    const empty = await h.request({ method: 'GET', url: '/api/user/me/', headers: { authorization: 'Basic' } });
    assert.deepEqual(empty.json(), { detail: 'Invalid basic header. No credentials provided.' });
  });

  it('refuses an inactive user with Basic', async () => {
    const eve = await h.user('eve', { is_active: false });
    const res = await h.request({ method: 'GET', url: '/api/user/token/', headers: basicAuth('eve', eve.password) });
    assert.deepEqual([res.statusCode, res.json()], [401, { detail: 'User inactive or deleted.' }]);
  });

  it('requires authentication for the token endpoint', async () => {
    assert.equal((await h.request({ method: 'GET', url: '/api/user/token/' })).statusCode, 401);
  });
});

describe('secrets at rest (D18)', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('never stores a token or a password in plain text', async () => {
    const user = await h.user('frank', { password: 'correct horse battery' });
    const res = await h.request({ method: 'GET', url: '/api/user/token/?name=x', headers: basicAuth('frank', 'correct horse battery') });
    const key = res.json().token as string;
    const db = h.db.database.kysely;
    const tokens = await db.selectFrom('api_token').selectAll().execute();
    const dump = JSON.stringify(tokens);
    for (const secret of [key, user.token, key.slice(4, 44), user.token.slice(4, 44)]) assert.ok(!dump.includes(secret), 'token found in the database');
    const row = await db.selectFrom('auth_user').select('password').where('username', '=', 'frank').executeTakeFirstOrThrow();
    assert.match(row.password, /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.ok(!row.password.includes('correct horse'));
    const sessions = JSON.stringify(await db.selectFrom('session').selectAll().execute());
    assert.ok(sessions.length > 2);
    const cookie = cookiesOf(res).sessionid!;
    assert.ok(!sessions.includes(cookie));
  });

  it('shows only a redacted token in the token list', async () => {
    const g = await h.user('gina');
    const list = (await h.request({ method: 'GET', url: '/api/user/tokens/', headers: g.auth })).json() as { token: string; in_use: boolean }[];
    assert.equal(list.length, 1);
    assert.equal(list[0]!.token, `${g.token.slice(0, 8)}${'*'.repeat(g.token.length - 20)}${g.token.slice(-12)}`);
    assert.equal(list[0]!.in_use, true);
  });

  it('lists only the caller\'s own tokens', async () => {
    const a = await h.user('hank');
    await h.user('ivy');
    const list = (await h.request({ method: 'GET', url: '/api/user/tokens/?all_users=true', headers: a.auth })).json() as { user: number }[];
    assert.ok(list.every((t) => t.user === a.user.id));
  });

  it('a copy of the database does not authenticate under another server secret', async () => {
    const { buildApp } = await import('../../src/app.js');
    const { ServerSecret } = await import('../../src/secrets.js');
    const j = await h.user('jack');
    const other = await buildApp({ database: h.db.database, secret: new ServerSecret('a-completely-different-secret') });
    try {
      const res = await other.inject({ method: 'GET', url: '/api/user/me/', headers: j.auth });
      assert.equal(res.statusCode, 401);
    } finally {
      await other.close();
    }
  });
});

describe('session authentication and CSRF', () => {
  let h: Harness;
  let alice: TestUser;
  let session: Record<string, string>;
  before(async () => {
    h = await createHarness();
    alice = await h.user('alice');
    const res = await h.request({ method: 'GET', url: '/api/user/token/?name=web', headers: basicAuth('alice', alice.password) });
    session = cookiesOf(res);
    assert.ok(session.sessionid);
    assert.ok(session.csrftoken);
  });
  after(() => h.close());

  const cookieHeader = () => `sessionid=${session.sessionid}; csrftoken=${session.csrftoken}`;

  it('authenticates safe requests with the session cookie', async () => {
    const res = await h.request({ method: 'GET', url: '/api/user/me/', headers: { cookie: cookieHeader() } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().username, 'alice');
  });

  it('refuses a session write without the CSRF header', async () => {
    const res = await h.request({ method: 'PATCH', url: '/api/user/me/', headers: { cookie: cookieHeader() }, payload: { first_name: 'A' } });
    assert.deepEqual([res.statusCode, res.json()], [403, { detail: 'CSRF Failed: CSRF token missing.' }]);
  });

  it('refuses a session write with a wrong CSRF token', async () => {
    const res = await h.request({
      method: 'PATCH',
      url: '/api/user/me/',
      headers: { cookie: cookieHeader(), 'x-csrftoken': 'wrong' },
      payload: { first_name: 'A' },
    });
    assert.deepEqual([res.statusCode, res.json()], [403, { detail: 'CSRF Failed: CSRF token incorrect.' }]);
  });

  it('refuses a session write from a foreign origin', async () => {
    const res = await h.request({
      method: 'PATCH',
      url: '/api/user/me/',
      headers: { cookie: cookieHeader(), 'x-csrftoken': session.csrftoken!, origin: 'http://evil.example' },
      payload: { first_name: 'A' },
    });
    assert.equal(res.statusCode, 403);
    assert.match(res.json().detail, /^CSRF Failed: Origin checking failed/);
  });

  it('accepts a session write with the right CSRF token', async () => {
    const res = await h.request({
      method: 'PATCH',
      url: '/api/user/me/',
      headers: { cookie: cookieHeader(), 'x-csrftoken': session.csrftoken! },
      payload: { first_name: 'Alice' },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().first_name, 'Alice');
  });

  it('does not CSRF-check token-authenticated writes', async () => {
    const res = await h.request({ method: 'PATCH', url: '/api/user/me/', headers: alice.auth, payload: { last_name: 'Smith' } });
    assert.equal(res.statusCode, 200);
  });

  it('treats an expired session as anonymous', async () => {
    await h.db.database.kysely.updateTable('session').set({ expires: '2000-01-01T00:00:00.000Z' }).execute();
    const res = await h.request({ method: 'GET', url: '/api/user/me/', headers: { cookie: cookieHeader() } });
    assert.equal(res.statusCode, 401);
  });
});

describe('failed-login throttling', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness({ loginThrottle: new LoginThrottle({ windowMs: 60_000, slowAfter: 2, blockAfter: 4, delayMs: 10, maxKeys: 100 }) });
    await h.user('target');
  });
  after(() => h.close());

  it('slows and then refuses repeated failures for one username with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await h.request({ method: 'GET', url: '/api/user/me/', headers: basicAuth('target', `bad-${i}`) })).statusCode);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
    const blocked = await h.request({ method: 'GET', url: '/api/user/me/', headers: basicAuth('target', 'target-password-1') });
    assert.equal(blocked.statusCode, 429);
    assert.match(blocked.json().detail, /^Request was throttled\. Expected available in \d+ seconds?\.$/);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
  });

  it('throttles by client address across usernames too', async () => {
    const t = new LoginThrottle({ windowMs: 60_000, slowAfter: 10, blockAfter: 3, delayMs: 0, maxKeys: 100 });
    for (const name of ['a', 'b', 'c']) t.recordFailure([`user:${name}`, 'addr:10.0.0.9']);
    assert.equal(t.verdict(['user:d', 'addr:10.0.0.9']).action, 'block');
    assert.equal(t.verdict(['user:d', 'addr:10.0.0.8']).action, 'allow');
  });

  it('lifts the block once the window has passed', () => {
    let now = 0;
    const t = new LoginThrottle({ windowMs: 1000, slowAfter: 1, blockAfter: 2, delayMs: 0, maxKeys: 100 }, () => now);
    t.recordFailure(['user:x']);
    assert.equal(t.verdict(['user:x']).action, 'delay');
    t.recordFailure(['user:x']);
    assert.equal(t.verdict(['user:x']).action, 'block');
    now = 1500;
    assert.equal(t.verdict(['user:x']).action, 'allow');
  });
});

describe('sessions table', () => {
  it('is cleaned of expired rows at start-up', async () => {
    const h = await createHarness();
    try {
      const { deleteExpiredSessions } = await import('../../src/users/sessions.js');
      const u = await h.user('sam');
      await h.db.database.kysely
        .insertInto('session')
        .values({ key_lookup: 'x', user_id: u.user.id, csrf_token: 'y', created: '2000-01-01', expires: '2000-01-02T00:00:00.000Z' })
        .execute();
      await deleteExpiredSessions(h.db.database.kysely);
      const n = await h.db.database.kysely.selectFrom('session').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 0);
    } finally {
      await h.close();
    }
  });
});
