/**
 * No response ever shows a stack trace, a password hash, the stored token columns (HMAC
 * look-up and ciphertext, D18), a session's secrets, or another user's token: several users
 * with several tokens walk every documented GET endpoint (lists with every detail flag on),
 * and the user and token endpoints, and every body and header is searched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { basicAuth, createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { createToken, revokeToken } from '../../src/users/tokens.js';
import { addDays, today } from '../../src/util/time.js';
import { headerProblems, stackTraceIn, visibleText } from './checks.js';
import { EXPECTATIONS, isRuleMap, RULESETS } from './expectations.js';
import { REQUESTS, World } from './requests.js';
import { documentedOperations } from './routes.js';

const DETAIL_FLAGS = [
  'user_detail',
  'item_detail',
  'part_detail',
  'location_detail',
  'supplier_detail',
  'manufacturer_detail',
  'manufacturer_part_detail',
  'customer_detail',
  'order_detail',
  'shipment_detail',
  'path_detail',
  'category_detail',
  'checked_by_detail',
  'issued_by_detail',
  'all_users',
]
  .map((f) => `${f}=true`)
  .join('&');

interface Walker {
  name: string;
  user: TestUser | undefined;
  /** Token keys this caller may see in full (its own). */
  ownKeys: Set<string>;
}

describe('no secrets in responses', () => {
  let h: Harness;
  let world: World;
  const walkers: Walker[] = [];
  const answers: { who: Walker; what: string; res: LightMyRequestResponse }[] = [];
  const sessionKeys: string[] = [];

  before(async () => {
    h = await createHarness();
    const root = await h.user('root', { is_superuser: true, is_staff: true, email: 'root@example.com' });
    const staffy = await h.user('staffy', { is_staff: true, roles: { admin: { can_view: true } } });
    const reader = Object.fromEntries(RULESETS.filter((r) => r !== 'admin').map((r) => [r, { can_view: true }]));
    const alice = await h.user('alice', { roles: reader, email: 'alice@example.com' });
    const writer = Object.fromEntries(RULESETS.filter((r) => r !== 'admin').map((r) => [r, { can_add: true, can_delete: true }]));
    const carol = await h.user('carol', { roles: writer });
    const bob = await h.user('bob');
    world = new World(h);
    await world.init(root);

    for (const [name, user] of Object.entries({ root, staffy, alice, carol, bob })) {
      const ownKeys = new Set([user.token]);
      // A second token through the token endpoint (Basic auth also opens a session).
      const res = await h.request({ method: 'GET', url: '/api/user/token/?name=phone', headers: basicAuth(user.user.username, user.password) });
      assert.equal(res.statusCode, 200);
      ownKeys.add(res.json().token);
      const cookie = res.cookies.find((c) => c.name === 'sessionid');
      if (cookie !== undefined) sessionKeys.push(cookie.value);
      // A revoked and an expired one.
      const revoked = await createToken(h.db.database.kysely, h.secret, user.user.id, 'old');
      await revokeToken(h.db.database.kysely, revoked.id);
      ownKeys.add(revoked.key);
      ownKeys.add((await createToken(h.db.database.kysely, h.secret, user.user.id, 'expired', { expiry: addDays(today(), -3) })).key);
      walkers.push({ name, user, ownKeys });
      // Some scan history of their own, with request context and responses.
      for (const barcode of [world.shortBarcode('part'), world.shortBarcode('stockitem'), `NOTHING-${name}`]) {
        await h.request({ method: 'POST', url: '/api/barcode/?source=walk', headers: user.auth, payload: { barcode, note: name } });
      }
    }
    walkers.push({ name: 'anonymous', user: undefined, ownKeys: new Set() });

    const ops = await documentedOperations(h.app);
    const gets = ops.filter((o) => o.method === 'GET');
    for (const who of walkers) {
      const headers = who.user?.auth ?? {};
      const record = async (what: string, url: string) => {
        answers.push({ who, what, res: await h.request({ method: 'GET', url, headers }) });
      };
      for (const op of gets.concat([{ method: 'GET', path: '/api/schema/', key: 'GET /api/schema/' }])) {
        const expectation = EXPECTATIONS[op.key];
        const variants = expectation !== undefined && isRuleMap(expectation) ? Object.keys(expectation) : [undefined];
        for (const variant of variants) {
          const maker = REQUESTS[op.key];
          assert.ok(maker, `no request for ${op.key}`);
          const { url } = await maker(world, { user: who.user }, variant);
          await record(op.key, url);
          if (!op.path.includes('{')) {
            await record(`${op.key} (detail flags)`, `${url}${url.includes('?') ? '&' : '?'}${DETAIL_FLAGS}`);
            await record(`${op.key} (page)`, `${url}${url.includes('?') ? '&' : '?'}limit=3&offset=1&${DETAIL_FLAGS}`);
          }
        }
      }
      // Every token and every user, one by one.
      for (const t of await h.db.database.kysely.selectFrom('api_token').select('id').execute()) await record('GET /api/user/tokens/{pk}/', `/api/user/tokens/${t.id}/`);
      for (const u of await h.db.database.kysely.selectFrom('auth_user').select('id').execute()) await record('GET /api/user/{pk}/', `/api/user/${u.id}/?${DETAIL_FLAGS}`);
    }
  });
  after(() => h.close());

  it('walks enough of the API to mean something', () => {
    assert.ok(answers.length > 600, `${answers.length} answers`);
    const ok = answers.filter((a) => a.res.statusCode === 200).length;
    assert.ok(ok > 400, `only ${ok} answers were 200`);
  });

  it('no answer carries a stack trace or a source path', () => {
    const found = answers.flatMap((a) => {
      const hit = stackTraceIn(visibleText(a.res));
      return hit === undefined ? [] : [`${a.what} as ${a.who.name}: …${hit}…`];
    });
    assert.deepEqual(found, []);
  });

  it('no answer carries a password hash', async () => {
    const hashes = (await h.db.database.kysely.selectFrom('auth_user').select('password').execute()).map((r) => r.password).filter((p) => p !== '');
    assert.ok(hashes.length >= 5 && hashes.every((p) => p.startsWith('scrypt$')));
    const found = answers.filter((a) => {
      const text = visibleText(a.res);
      return text.includes('scrypt$') || hashes.some((p) => text.includes(p.split('$').pop() as string));
    });
    assert.deepEqual(
      found.map((a) => `${a.what} as ${a.who.name}`),
      [],
    );
  });

  it('no answer carries the stored token or session columns', async () => {
    const db = h.db.database.kysely;
    const stored = [
      ...(await db.selectFrom('api_token').select(['key_lookup', 'key_encrypted']).execute()).flatMap((r) => [r.key_lookup, r.key_encrypted]),
      ...(await db.selectFrom('session').select('key_lookup').execute()).map((r) => r.key_lookup),
    ];
    assert.ok(stored.length >= 20);
    const found = answers.flatMap((a) => {
      const text = visibleText(a.res);
      return stored.filter((s) => text.includes(s)).map((s) => `${a.what} as ${a.who.name}: ${s.slice(0, 12)}…`);
    });
    assert.deepEqual(found, []);
  });

  it("no answer carries another user's token or session, even in part", async () => {
    const db = h.db.database.kysely;
    const rows = await db.selectFrom('api_token').select(['user_id', 'key_encrypted']).execute();
    const keys = rows.map((r) => ({ userId: r.user_id, key: h.secret.decrypt(r.key_encrypted) }));
    const csrf = await db.selectFrom('session').select(['user_id', 'csrf_token']).execute();
    const found: string[] = [];
    for (const a of answers) {
      const text = visibleText(a.res);
      const me = a.who.user?.user.id;
      for (const { userId, key } of keys) {
        if (userId === me) continue;
        // The 40 random hex characters: the redacted list form shows only 4 + 3 of them.
        const secret = key.slice(4, 44);
        for (let i = 0; i + 12 <= secret.length; i += 4) {
          if (text.includes(secret.slice(i, i + 12))) {
            found.push(`${a.what} as ${a.who.name}: token of user ${userId}`);
            break;
          }
        }
      }
      for (const s of csrf) if (s.user_id !== me && text.includes(s.csrf_token)) found.push(`${a.what} as ${a.who.name}: CSRF token of user ${s.user_id}`);
      for (const k of sessionKeys) if (text.includes(k)) found.push(`${a.what} as ${a.who.name}: a session key`);
    }
    assert.deepEqual(found, []);
  });

  it('a caller sees its own keys in full only where it asks for one (the token endpoints)', () => {
    const found = answers.flatMap((a) =>
      [...a.who.ownKeys]
        .filter((k) => visibleText(a.res).includes(k))
        .filter(() => !/^GET \/api\/user\/(me\/)?token\/$/.test(a.what))
        .map(() => `${a.what} as ${a.who.name}`),
    );
    assert.deepEqual(found, []);
  });

  it('token lists and details are redacted and limited to their owner (all_users only for superusers)', async () => {
    for (const w of walkers.filter((x) => x.user !== undefined)) {
      const user = w.user as TestUser;
      const list = await h.request({ method: 'GET', url: '/api/user/tokens/?all_users=true', headers: user.auth });
      assert.equal(list.statusCode, 200);
      const owners = new Set((list.json() as { user: number; token: string }[]).map((t) => t.user));
      if (w.name === 'root') assert.ok(owners.size >= 5, 'a superuser lists every user’s tokens');
      else assert.deepEqual([...owners], [user.user.id], `${w.name} lists only their own tokens`);
      for (const t of list.json() as { token: string }[]) assert.match(t.token, /^inv-[0-9a-f]{4}\*{33}[0-9a-f]{3}-\d{8}$/);
    }
  });

  it("a user can neither read nor revoke another user's token", async () => {
    const alice = walkers.find((w) => w.name === 'alice')?.user as TestUser;
    const bob = walkers.find((w) => w.name === 'bob')?.user as TestUser;
    const aliceTokens = await h.db.database.kysely.selectFrom('api_token').select('id').where('user_id', '=', alice.user.id).execute();
    for (const { id } of aliceTokens) {
      assert.equal((await h.request({ method: 'GET', url: `/api/user/tokens/${id}/`, headers: bob.auth })).statusCode, 404);
      const del = await h.request({ method: 'DELETE', url: `/api/user/tokens/${id}/`, headers: bob.auth });
      assert.equal(del.statusCode, 404);
      assert.deepEqual(del.json(), { detail: 'No ApiToken matches the given query.' });
    }
    assert.equal((await h.request({ method: 'GET', url: '/api/user/me/', headers: alice.auth })).statusCode, 200, "alice's token still works");
  });

  it('every answer of the walk carries the security headers', () => {
    const found = answers.flatMap((a) => headerProblems(a.res).map((p) => `${a.what} as ${a.who.name}: ${p}`));
    assert.deepEqual(found, []);
  });

  it('a server error answers the generic 500 body: no stack, no SQL, no path', async () => {
    const root = walkers.find((w) => w.name === 'root')?.user as TestUser;
    const db = h.db.database.kysely;
    await sql`ALTER TABLE stock_tracking RENAME TO stock_tracking_gone`.execute(db);
    try {
      const res = await h.request({ method: 'GET', url: '/api/stock/track/?limit=1', headers: root.auth });
      assert.equal(res.statusCode, 500);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['detail', 'error', 'error_class', 'path', 'status_code']);
      assert.equal(body.path, '/api/stock/track/');
      assert.equal(body.status_code, 500);
      assert.equal(body.detail, 'Error details can be found in the server log');
      assert.equal(stackTraceIn(visibleText(res)), undefined);
      assert.doesNotMatch(res.body, /stock_tracking|select|from /i, 'no SQL in the body');
      assert.deepEqual(headerProblems(res), []);
    } finally {
      await sql`ALTER TABLE stock_tracking_gone RENAME TO stock_tracking`.execute(db);
    }
  });
});
