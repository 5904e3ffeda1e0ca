/**
 * Prepared queries (db/prepared.ts): built and compiled once per shape, run with each call's
 * own values, on the database or inside a transaction.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../../src/db/connection.js';
import { prepared } from '../../src/db/prepared.js';
import { statementName } from '../../src/db/statement-names.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createTestDatabase, testDialect, type TestDatabase } from '../helpers/database.js';

describe('prepared queries', () => {
  let t: TestDatabase;
  const ids: number[] = [];

  before(async () => {
    t = await createTestDatabase();
    for (const name of ['alpha', 'beta', 'gamma']) {
      const row = await t.database.kysely.insertInto('auth_group').values({ name }).returning('id').executeTakeFirstOrThrow();
      ids.push(row.id);
    }
  });
  after(() => t.drop());

  it('binds each call\'s own values, not those it was compiled with', async () => {
    const byId = prepared((db, a: { id: number }) => db.selectFrom('auth_group').select('name').where('id', '=', a.id));
    assert.deepEqual(await byId.execute(t.database.kysely, { id: ids[0] as number }), [{ name: 'alpha' }]);
    assert.deepEqual(await byId.execute(t.database.kysely, { id: ids[2] as number }), [{ name: 'gamma' }]);
    assert.equal(await byId.executeTakeFirst(t.database.kysely, { id: -1 }), undefined);
  });

  it('compiles once per length of its list arguments', async () => {
    let builds = 0;
    const byIds = prepared((db, a: { ids: number[]; prefix: string }) => {
      builds += 1;
      return db.selectFrom('auth_group').select('name').where('id', 'in', a.ids).where('name', 'like', a.prefix).orderBy('name');
    });
    const names = async (list: number[], prefix: string) => (await byIds.execute(t.database.kysely, { ids: list, prefix })).map((r) => r.name);
    assert.deepEqual(await names([ids[0] as number, ids[1] as number], '%a'), ['alpha', 'beta']);
    assert.deepEqual(await names([ids[1] as number, ids[2] as number], 'g%'), ['gamma']);
    assert.equal(builds, 1, 'the same shape is built once');
    assert.deepEqual(await names([...ids], '%'), ['alpha', 'beta', 'gamma']);
    assert.deepEqual(await names([ids[1] as number], '%'), ['beta']);
    assert.equal(builds, 3, 'each new length is built once more');
    assert.deepEqual(await names([ids[0] as number, ids[2] as number], '%'), ['alpha', 'gamma']);
    assert.equal(builds, 3);
  });

  it('keeps the literals its builder wrote, binding only the arguments', async () => {
    const named = prepared((db, a: { name: string }) =>
      db.selectFrom('auth_group').select(['name', sql.lit(7).as('seven')]).where('name', '=', a.name).where('id', '>', 0),
    );
    const row = await named.executeTakeFirst(t.database.kysely, { name: 'beta' });
    assert.equal(row?.name, 'beta');
    assert.equal(Number(row?.seven), 7);
  });

  it('runs inside a transaction and sees its uncommitted rows, compiled once for both', async () => {
    let builds = 0;
    const byName = prepared((db, a: { name: string }) => {
      builds += 1;
      return db.selectFrom('auth_group').select('id').where('name', '=', a.name);
    });
    assert.equal((await byName.execute(t.database.kysely, { name: 'delta' })).length, 0);
    await assert.rejects(
      inTransaction(t.database, async (trx) => {
        await trx.insertInto('auth_group').values({ name: 'delta' }).execute();
        assert.equal((await byName.execute(trx, { name: 'delta' })).length, 1);
        assert.equal(builds, 1, 'a transaction of the same database uses the compiled statement');
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.equal((await byName.execute(t.database.kysely, { name: 'delta' })).length, 0);
  });

  it(
    testDialect() === 'postgres'
      ? 'runs as a named statement on PostgreSQL, parsed once per connection; built queries stay unnamed'
      : 'names its statement for PostgreSQL; built queries get no name',
    async () => {
      const byName = prepared((db, a: { name: string }) => db.selectFrom('auth_group').select('id').where('name', '=', a.name).where('id', '>', 0));
      const built = t.database.kysely.selectFrom('auth_group').select('name').where('id', '<', 0).compile();
      assert.equal(statementName(built.sql), undefined);
      // One connection, so that every query below runs in the same PostgreSQL session.
      const single = openDatabase(t.url, { poolSize: 1 });
      try {
        const sqlText = byName.compile(single.kysely, { name: 'x' }).sql;
        const name = statementName(sqlText);
        assert.match(name ?? '', /^stockscan_\d+$/);
        assert.deepEqual(await byName.execute(single.kysely, { name: 'beta' }), [{ id: ids[1] }]);
        assert.deepEqual(await byName.execute(single.kysely, { name: 'gamma' }), [{ id: ids[2] }]);
        await single.kysely.executeQuery(built);
        if (single.dialect !== 'postgres') return;
        const statements = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(single.kysely);
        assert.deepEqual(
          statements.rows.map((r) => ({ name: r.name, statement: r.statement })),
          [{ name, statement: sqlText }],
          'only the prepared query is a named statement, prepared once for both runs',
        );
      } finally {
        await single.close();
      }
    },
  );

  it('names only the shapes it keeps: a list of yet another length stays an unnamed statement', async () => {
    const byIds = prepared((db, a: { ids: number[] }) => db.selectFrom('auth_group').select('name').where('id', 'in', a.ids));
    const ofLength = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    for (let n = 1; n <= 32; n++) assert.notEqual(statementName(byIds.compile(t.database.kysely, { ids: ofLength(n) }).sql), undefined, `length ${n}`);
    assert.equal(statementName(byIds.compile(t.database.kysely, { ids: ofLength(33) }).sql), undefined);
    assert.equal(statementName(byIds.compile(t.database.kysely, { ids: ofLength(500) }).sql), undefined);
    assert.deepEqual((await byIds.execute(t.database.kysely, { ids: [...ids, ...ofLength(40).map((n) => -n)] })).length, 3);
  });

  /** A table outside the schema's types holding row 1, and a prepared `select *` of it by id. */
  async function tableReadWhole(table: string, columns: string, row: string) {
    await sql`create table ${sql.table(table)} (${sql.raw(columns)})`.execute(t.database.kysely);
    await sql`insert into ${sql.table(table)} values (${sql.raw(row)})`.execute(t.database.kysely);
    return prepared((db, a: { id: number }) => (db as unknown as Kysely<Record<string, { id: number }>>).selectFrom(table).selectAll().where('id', '=', a.id));
  }

  it('keeps answering after another connection adds a column to the table it reads', async () => {
    const everything = await tableReadWhole('prepared_shape', 'id integer primary key, name text not null', "1, 'one'");
    const single = openDatabase(t.url, { poolSize: 1 });
    const other = openDatabase(t.url, { poolSize: 1 });
    try {
      assert.deepEqual(await everything.execute(single.kysely, { id: 1 }), [{ id: 1, name: 'one' }]);
      // As a migration run by another process would.
      await sql`alter table prepared_shape add column note text`.execute(other.kysely);
      assert.deepEqual(await everything.execute(single.kysely, { id: 1 }), [{ id: 1, name: 'one', note: null }]);
      assert.deepEqual(await everything.execute(single.kysely, { id: 1 }), [{ id: 1, name: 'one', note: null }], 'and on later runs');
      await inTransaction(single, async (trx) => {
        assert.deepEqual(await everything.execute(trx, { id: 1 }), [{ id: 1, name: 'one', note: null }], 'and inside a transaction');
      });
    } finally {
      await single.close();
      await other.close();
    }
  });

  it('fails a transaction once when a table changed shape under a statement it runs, then answers', async () => {
    const everything = await tableReadWhole('prepared_shape_2', 'id integer primary key', '1');
    const single = openDatabase(t.url, { poolSize: 1 });
    try {
      assert.deepEqual(await everything.execute(single.kysely, { id: 1 }), [{ id: 1 }]);
      await sql`alter table prepared_shape_2 add column note text`.execute(t.database.kysely);
      const inside = inTransaction(single, (trx) => everything.execute(trx, { id: 1 }));
      if (single.dialect === 'postgres') {
        // The transaction has failed: its caller sees PostgreSQL's reason, not a retry's.
        await assert.rejects(inside, /cached plan must not change result type/);
      } else {
        assert.deepEqual(await inside, [{ id: 1, note: null }]);
      }
      assert.deepEqual(await everything.execute(single.kysely, { id: 1 }), [{ id: 1, note: null }]);
      assert.deepEqual(await inTransaction(single, (trx) => everything.execute(trx, { id: 1 })), [{ id: 1, note: null }]);
    } finally {
      await single.close();
    }
  });

  it('never reads the uncommitted rows of a transaction open on another request\'s behalf', async () => {
    const byName = prepared((db, a: { name: string }) => db.selectFrom('auth_group').select('name').where('name', '=', a.name));
    let inserted!: () => void;
    const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
    let finish!: () => void;
    const finishNow = new Promise<void>((resolve) => (finish = resolve));
    const transaction = inTransaction(t.database, async (trx) => {
      await trx.insertInto('auth_group').values({ name: 'epsilon' }).execute();
      inserted();
      await finishNow;
      throw new Error('roll back');
    });
    await insertedYet;
    // Outside the transaction's scope, as a concurrent request: on SQLite the one connection is
    // inside the transaction, so the read must wait for it instead of running at once.
    const read = byName.execute(t.database.kysely, { name: 'epsilon' });
    finish();
    await assert.rejects(transaction, /roll back/);
    assert.deepEqual(await read, []);
    assert.deepEqual(await byName.execute(t.database.kysely, { name: 'alpha' }), [{ name: 'alpha' }], 'and reads again once it is over');
  });
});
