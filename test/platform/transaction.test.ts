import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inTransaction } from '../../src/db/transaction.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

describe('inTransaction', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t.drop());

  it('commits all rows together', async () => {
    await inTransaction(t.database, async (trx) => {
      await trx.insertInto('auth_group').values({ name: 'a' }).execute();
      await trx.insertInto('auth_group').values({ name: 'b' }).execute();
    });
    const names = (await t.database.kysely.selectFrom('auth_group').select('name').orderBy('name').execute()).map((r) => r.name);
    assert.deepEqual(names, ['a', 'b']);
  });

  it('writes nothing when any part fails', async () => {
    await assert.rejects(
      inTransaction(t.database, async (trx) => {
        await trx.insertInto('auth_group').values({ name: 'c' }).execute();
        await trx.insertInto('auth_group').values({ name: 'a' }).execute();
      }),
    );
    const names = (await t.database.kysely.selectFrom('auth_group').select('name').execute()).map((r) => r.name);
    assert.ok(!names.includes('c'));
  });

  it('does not deadlock when code inside reads through the root instance', async () => {
    const result = await inTransaction(t.database, async (trx) => {
      await trx.insertInto('auth_group').values({ name: 'inside' }).execute();
      const rows = await t.database.kysely.selectFrom('auth_group').select('name').execute();
      return rows.length;
    });
    assert.ok(result >= 2);
  });

  it('joins an open transaction when called inside one: all or nothing together', async () => {
    await assert.rejects(
      inTransaction(t.database, async (trx) => {
        await trx.insertInto('auth_group').values({ name: 'outer' }).execute();
        await inTransaction(t.database, async (inner) => {
          await inner.insertInto('auth_group').values({ name: 'inner' }).execute();
        });
        throw new Error('abort after the inner work');
      }),
      /abort/,
    );
    const names = (await t.database.kysely.selectFrom('auth_group').select('name').execute()).map((r) => r.name);
    assert.ok(!names.includes('outer') && !names.includes('inner'));
  });

  it('lets other work wait for, not interleave with, an open transaction', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = inTransaction(t.database, async (trx) => {
      await trx.insertInto('auth_group').values({ name: 'slow' }).execute();
      order.push('first-wrote');
      await gate;
      order.push('first-done');
    });
    await new Promise((r) => setTimeout(r, 20));
    const second = inTransaction(t.database, async (trx) => {
      const row = await trx.selectFrom('auth_group').select('name').where('name', '=', 'slow').executeTakeFirst();
      order.push(row === undefined ? 'second-saw-nothing' : 'second-saw-slow');
    });
    await new Promise((r) => setTimeout(r, 20));
    release();
    await Promise.all([first, second]);
    if (t.database.dialect === 'sqlite') assert.deepEqual(order, ['first-wrote', 'first-done', 'second-saw-slow']);
    else assert.deepEqual(order.slice(0, 1), ['first-wrote']);
  });
});
