/**
 * Token authentication, settings and plugins are cached in each server process under the data
 * generation (db/generation.ts, migration 0005). These cases change the cached data from a
 * second connection to the same database — what the CLI, another server process or plain SQL
 * does — and from this process, and check that the very next request sees the change. A
 * rolled-back write must leave nothing behind in a cache.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { CachedUnderGeneration } from '../../src/db/generation.js';
import { inTransaction, type Executor } from '../../src/db/transaction.js';
import { addDays, today } from '../../src/util/time.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

describe('caches of token authentication, settings and plugins', () => {
  let h: Harness;
  let other: Database;
  let part: number;

  before(async () => {
    h = await createHarness();
    // Another process on the same database.
    other = openDatabase(h.db.url, { poolSize: 2 });
    part = await h.fx.part({ name: 'Cached part' });
  });
  after(async () => {
    await other.close();
    await h.close();
  });

  const scan = (who: TestUser) => h.request({ method: 'POST', url: '/api/barcode/', headers: who.auth, payload: { barcode: `INV-PA${part}` } });
  const parts = (who: TestUser) => h.request({ method: 'GET', url: '/api/part/', headers: who.auth });
  /** Several requests, so that whatever is cached is cached. */
  async function warm(who: TestUser): Promise<void> {
    for (let i = 0; i < 3; i++) {
      assert.equal((await scan(who)).statusCode, 200);
      assert.equal((await parts(who)).statusCode, 200);
    }
  }
  const tokenId = async (who: TestUser) =>
    (await other.kysely.selectFrom('api_token').select('id').where('user_id', '=', who.user.id).executeTakeFirstOrThrow()).id;
  async function refused(who: TestUser, status: number, detail: string): Promise<void> {
    for (const res of [await scan(who), await parts(who)]) {
      assert.equal(res.statusCode, status);
      assert.deepEqual(res.json(), { detail });
    }
  }
  let n = 0;
  const viewer = () => h.user(`viewer-${++n}`, { roles: { part: { can_view: true } } });

  it('a token revoked by another process is refused on the next request', async () => {
    const u = await viewer();
    await warm(u);
    await other.kysely.updateTable('api_token').set({ revoked: true }).where('id', '=', await tokenId(u)).execute();
    await refused(u, 401, 'Token has been revoked');
  });

  it('a token deleted by another process is refused on the next request', async () => {
    const u = await viewer();
    await warm(u);
    await other.kysely.deleteFrom('api_token').where('id', '=', await tokenId(u)).execute();
    await refused(u, 401, 'Invalid token.');
  });

  it('a token whose expiry another process moves into the past is refused on the next request', async () => {
    const u = await viewer();
    await warm(u);
    await other.kysely.updateTable('api_token').set({ expiry: addDays(today(), -1) }).where('id', '=', await tokenId(u)).execute();
    await refused(u, 401, 'Token has expired');
  });

  it('a user disabled or deleted by another process is refused on the next request', async () => {
    const disabled = await viewer();
    await warm(disabled);
    await other.kysely.updateTable('auth_user').set({ is_active: false }).where('id', '=', disabled.user.id).execute();
    await refused(disabled, 401, 'User inactive or deleted.');
    const deleted = await viewer();
    await warm(deleted);
    await other.kysely.deleteFrom('auth_user').where('id', '=', deleted.user.id).execute();
    await refused(deleted, 401, 'Invalid token.');
  });

  it('roles taken away by another process (ruleset, membership, group, superuser) apply on the next request', async () => {
    const byRuleset = await viewer();
    await warm(byRuleset);
    await other.kysely.updateTable('ruleset').set({ can_view: false }).where('name', '=', 'part').where('group_id', 'in', (eb) => eb.selectFrom('auth_user_group').select('group_id').where('user_id', '=', byRuleset.user.id)).execute();
    assert.equal((await parts(byRuleset)).statusCode, 403);

    const byMembership = await viewer();
    await warm(byMembership);
    await other.kysely.deleteFrom('auth_user_group').where('user_id', '=', byMembership.user.id).execute();
    assert.equal((await parts(byMembership)).statusCode, 403);

    const byGroup = await viewer();
    await warm(byGroup);
    const group = await other.kysely.selectFrom('auth_user_group').select('group_id').where('user_id', '=', byGroup.user.id).executeTakeFirstOrThrow();
    await other.kysely.deleteFrom('auth_group').where('id', '=', group.group_id).execute();
    assert.equal((await parts(byGroup)).statusCode, 403);

    const demoted = await h.user(`super-${++n}`, { is_superuser: true });
    await warm(demoted);
    await other.kysely.updateTable('auth_user').set({ is_superuser: false }).where('id', '=', demoted.user.id).execute();
    assert.equal((await parts(demoted)).statusCode, 403);
  });

  it('roles granted by another process apply on the next request', async () => {
    const u = await h.user(`newcomer-${++n}`);
    assert.equal((await parts(u)).statusCode, 403);
    assert.equal((await parts(u)).statusCode, 403);
    await other.kysely.updateTable('auth_user').set({ is_superuser: true }).where('id', '=', u.user.id).execute();
    assert.equal((await parts(u)).statusCode, 200);
  });

  it('global settings and plugin activation changed by another process apply on the next request', async () => {
    const u = await viewer();
    await warm(u);
    const stored = async () => Number((await other.kysely.selectFrom('barcode_scan').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    await other.kysely.insertInto('setting_global').values({ key: 'BARCODE_STORE_RESULTS', value: 'False' }).onConflict((oc) => oc.column('key').doUpdateSet({ value: 'False' })).execute();
    const before = await stored();
    assert.equal((await scan(u)).statusCode, 200);
    assert.equal(await stored(), before, 'no history row once the setting is off');
    await other.kysely.updateTable('setting_global').set({ value: 'True' }).where('key', '=', 'BARCODE_STORE_RESULTS').execute();
    assert.equal((await scan(u)).statusCode, 200);
    assert.equal(await stored(), before + 1);

    const active = async () => (await h.request({ method: 'GET', url: '/api/plugins/?active=true', headers: (await h.user(`admin-${++n}`, { is_superuser: true, is_staff: true })).auth })).json() as { key: string }[];
    const keys = (await active()).map((p) => p.key);
    const optional = keys.find((k) => k !== 'inventreebarcode');
    assert.ok(optional !== undefined, 'an optional plugin is active');
    await other.kysely.insertInto('plugin_config').values({ key: optional, active: false }).onConflict((oc) => oc.column('key').doUpdateSet({ active: false })).execute();
    assert.ok(!(await active()).some((p) => p.key === optional));
    await other.kysely.updateTable('plugin_config').set({ active: true }).where('key', '=', optional).execute();
    assert.ok((await active()).some((p) => p.key === optional));
  });

  it('a revocation rolled back leaves the token working; a committed one in this process is refused', async () => {
    const u = await viewer();
    await warm(u);
    const id = await tokenId(u);
    await assert.rejects(
      inTransaction(h.db.database, async (trx) => {
        await trx.updateTable('api_token').set({ revoked: true }).where('id', '=', id).execute();
        // Requests made meanwhile must not cache the uncommitted state.
        throw new Error('roll back');
      }),
      /roll back/,
    );
    await warm(u);
    await h.db.database.kysely.updateTable('api_token').set({ revoked: true }).where('id', '=', id).execute();
    await refused(u, 401, 'Token has been revoked');
  });

  describe('the generation', () => {
    const generation = async () => Number((await other.kysely.selectFrom('data_generation').select('value').executeTakeFirstOrThrow()).value);

    it('changes with writes to cached data, in the writing transaction', async () => {
      const start = await generation();
      const u = await viewer();
      assert.notEqual(await generation(), start, 'creating a user, group and token changes it');
      const mid = await generation();
      await other.kysely.updateTable('auth_user').set({ email: 'x@example.com' }).where('id', '=', u.user.id).execute();
      const changed = await generation();
      assert.notEqual(changed, mid);
      await assert.rejects(
        inTransaction(other, async (trx) => {
          await trx.updateTable('auth_user').set({ email: 'y@example.com' }).where('id', '=', u.user.id).execute();
          throw new Error('roll back');
        }),
      );
      assert.equal(await generation(), changed, 'a rolled-back write leaves it');
    });

    it('is read once per request, however many caches the request consults', async () => {
      const u = await viewer();
      await warm(u);
      const { generation: current } = h.app.ctx;
      const before = current.freshReads;
      // Token, user and permissions (authentication), the global settings and the plugins.
      assert.equal((await scan(u)).statusCode, 200);
      assert.equal(current.freshReads - before, 1);
    });

    it('is read again within a request after this process has written', async () => {
      const { generation: current, database } = h.app.ctx;
      const u = await viewer();
      await current.within(current.openScope(), async () => {
        const first = await current.current();
        const reads = current.freshReads;
        assert.equal(await current.current(), first);
        assert.equal(current.freshReads, reads, 'a second look-up shares the first read');
        await database.kysely.updateTable('auth_user').set({ email: 'scoped@example.com' }).where('id', '=', u.user.id).execute();
        const after = await current.current();
        assert.equal(current.freshReads, reads + 1, 'a write of this process makes it read again');
        assert.notEqual(after, first, 'and that read sees the new generation');
        await inTransaction(database, (trx) => trx.updateTable('auth_user').set({ email: 'scoped2@example.com' }).where('id', '=', u.user.id).execute());
        assert.notEqual(await current.current(), after, 'so does a committed transaction');
      });
    });

    it('a setting changed by a request applies to the same request\'s later look-ups', async () => {
      const { generation: current, settings, database } = h.app.ctx;
      await current.within(current.openScope(), async () => {
        const before = await settings.getGlobalBool('BARCODE_STORE_RESULTS');
        // Written past the settings service (which would drop its cache itself).
        const store = (value: string) =>
          inTransaction(database, (trx) =>
            trx
              .insertInto('setting_global')
              .values({ key: 'BARCODE_STORE_RESULTS', value })
              .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
              .execute(),
          );
        await store(before ? 'False' : 'True');
        assert.equal(await settings.getGlobalBool('BARCODE_STORE_RESULTS'), !before);
        await store(before ? 'True' : 'False');
        assert.equal(await settings.getGlobalBool('BARCODE_STORE_RESULTS'), before);
      });
    });

    describe('a cached value read inside a transaction', () => {
      const KEY = 'BARCODE_STORE_RESULTS';
      const stored = async (db: Executor) => (await db.selectFrom('setting_global').select('value').where('key', '=', KEY).executeTakeFirst())?.value ?? '';
      const write = (db: Executor, value: string) =>
        db.insertInto('setting_global').values({ key: KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
      /** A cache of the setting's stored value under the server's generation, counting its loads. */
      function counted() {
        const counter = { loads: 0 };
        const cache = new CachedUnderGeneration(h.app.ctx.generation, (db) => {
          counter.loads += 1;
          return stored(db);
        });
        return { cache, counter };
      }

      it('is served from the cache while the transaction sees the generation it was loaded under', async () => {
        const { generation, database } = h.app.ctx;
        await write(database.kysely, 'True');
        const { cache, counter } = counted();
        assert.equal(await cache.get(database.kysely), 'True');
        assert.equal(counter.loads, 1);
        const reads = generation.transactionReadCount;
        await inTransaction(database, async (trx) => {
          assert.equal(await cache.get(trx), 'True');
          assert.equal(await cache.get(database.kysely), 'True', 'also through the root, inside the transaction');
        });
        assert.equal(counter.loads, 1, 'not loaded again');
        assert.equal(generation.transactionReadCount, reads + 1, 'one read of the generation, shared');
      });

      it("sees the transaction's own writes, and keeps nothing of a transaction rolled back", async () => {
        const { database } = h.app.ctx;
        await write(database.kysely, 'True');
        const { cache, counter } = counted();
        assert.equal(await cache.get(database.kysely), 'True');
        await assert.rejects(
          inTransaction(database, async (trx) => {
            await write(trx, 'False');
            assert.equal(await cache.get(trx), 'False', 'the uncommitted value, read through the transaction');
            throw new Error('roll back');
          }),
          /roll back/,
        );
        assert.equal(counter.loads, 2);
        assert.equal(await cache.get(database.kysely), 'True');
        assert.equal(counter.loads, 2, 'the value loaded in the transaction was not kept');
      });

      it('sees a write another process committed before it asked', async () => {
        const { database } = h.app.ctx;
        await write(database.kysely, 'True');
        const { cache } = counted();
        assert.equal(await cache.get(database.kysely), 'True');
        await write(other.kysely, 'False');
        assert.equal(await inTransaction(database, (trx) => cache.get(trx)), 'False');
      });
    });

    it('does not change with scans, last_seen or last_login', async () => {
      const u = await viewer();
      await warm(u);
      const before = await generation();
      await warm(u);
      await other.kysely.updateTable('api_token').set({ last_seen: '2000-01-01' }).where('user_id', '=', u.user.id).execute();
      await other.kysely.updateTable('auth_user').set({ last_login: new Date().toISOString() }).where('id', '=', u.user.id).execute();
      assert.equal(await generation(), before);
    });
  });
});
