import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { rowExists } from '../../src/db/exists.js';
import { ValidationError } from '../../src/http/errors.js';
import {
  detailFlag,
  filterText,
  inList,
  integerEquals,
  ListFilters,
  orderByClause,
  orderingOf,
  searchCondition,
  searchTerms,
  type Query,
} from '../../src/http/listing.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { Fixtures } from '../helpers/fixtures.js';

describe('list request helpers', () => {
  it('splits search text as DRF does: commas, Python whitespace, NUL dropped', () => {
    assert.deepEqual(searchTerms({}), []);
    assert.deepEqual(searchTerms({ search: '  ' }), []);
    assert.deepEqual(searchTerms({ search: 'a b,c,,d' }), ['a', 'b', 'c', 'd']);
    // U+001C and NEL separate words in Python; the BOM does not; NUL is removed.
    assert.deepEqual(searchTerms({ search: 'a\x1cb\x85c\ufeffd' }), ['a', 'b', 'c\ufeffd']);
    assert.deepEqual(searchTerms({ search: 'x\u0000y' }), ['xy']);
    assert.deepEqual(searchTerms({ search: ['first', 'second'] }), ['first']);
  });

  it('reads filter text stripped, and blank as absent', () => {
    assert.equal(filterText({ reference: ' PO-1\x1c' }, 'reference'), 'PO-1');
    assert.equal(filterText({ reference: ' ' }, 'reference'), undefined);
    assert.equal(filterText({}, 'reference'), undefined);
  });

  it('turns details on only for truthy spellings', () => {
    const q: Query = { a: 'True', b: 'off', c: 'maybe', d: '' };
    assert.equal(detailFlag(q, 'a', false), true);
    assert.equal(detailFlag(q, 'b', true), false);
    assert.equal(detailFlag(q, 'c', true), false);
    assert.equal(detailFlag(q, 'd', true), false);
    assert.equal(detailFlag(q, 'missing', true), true);
  });

  it('keeps the valid ordering fields, falling back when none is left', () => {
    const fields = { name: ['t.name'], reference: ['t.reference_int', 't.reference'] };
    assert.deepEqual(orderingOf({ ordering: 'bogus, -name ,reference' }, fields, '-reference'), [
      { keys: ['t.name'], desc: true },
      { keys: ['t.reference_int', 't.reference'], desc: false },
    ]);
    assert.deepEqual(orderingOf({ ordering: 'bogus' }, fields, '-reference'), [{ keys: ['t.reference_int', 't.reference'], desc: true }]);
    assert.deepEqual(orderingOf({}, fields), []);
    // Inherited object keys are not fields.
    assert.deepEqual(orderingOf({ ordering: 'constructor' }, fields), []);
  });
});

describe('list helpers against the database', () => {
  let db: TestDatabase;
  let fx: Fixtures;
  const ids: Record<string, number> = {};
  before(async () => {
    db = await createTestDatabase();
    fx = new Fixtures(db.database);
    ids.a = await fx.part({ name: 'Alpha 10%', ipn: 'red' });
    ids.b = await fx.part({ name: 'beta', ipn: 'xRed blue' });
    ids.c = await fx.part({ name: 'gamma', ipn: null });
  });
  after(() => db.drop());

  const names = async (where: ReturnType<typeof sql<unknown>>, order = sql`id`) =>
    (await sql<{ id: number }>`select id from part where ${where} order by ${order}`.execute(db.database.kysely)).rows.map((r) => r.id);

  it('matches every search term against some field, wildcards literal', async () => {
    const cond = (search: string) => searchCondition({ search }, ['name', 'ipn', (t) => sql`${t} = 'zeta'`])!;
    assert.deepEqual(await names(cond('RED')), [ids.a, ids.b]);
    assert.deepEqual(await names(cond('red blue')), [ids.b]);
    assert.deepEqual(await names(cond('10%')), [ids.a]);
    assert.deepEqual(await names(cond('%')), [ids.a]);
    assert.deepEqual(await names(cond('zeta')), [ids.a, ids.b, ids.c]);
    assert.equal(searchCondition({}, ['name']), undefined);
  });

  it('truncates integer filters and matches nothing out of range', async () => {
    assert.deepEqual(await names(integerEquals('id', ids.b! + 0.7)), [ids.b]);
    assert.deepEqual(await names(integerEquals('id', 1e12)), []);
    assert.deepEqual(await names(inList('id', [ids.a!, ids.c!])), [ids.a, ids.c]);
    assert.deepEqual(await names(inList('id', [])), []);
  });

  it('sorts nullable keys as PostgreSQL does, then by primary key', async () => {
    const by = (ordering: string, nullable: boolean) =>
      orderByClause(orderingOf({ ordering }, { ipn: [{ expr: 'ipn', nullable }] }), 'id');
    assert.deepEqual(await names(sql`1 = 1`, by('ipn', true)), [ids.a, ids.b, ids.c]);
    assert.deepEqual(await names(sql`1 = 1`, by('-ipn', true)), [ids.c, ids.b, ids.a]);
  });

  it('collects every bad filter into one 400', async () => {
    const filters = new ListFilters(db.database.kysely, { part: '9999', other: String(ids.a), n: 'x', d: '2020-02-30', m: '2020-13-01', ok: ` ${ids.b} ` });
    assert.equal(await filters.pk('part', rowExists('part')), undefined);
    assert.equal(await filters.pk('other', rowExists('part', { active: false })), undefined);
    assert.equal(await filters.pk('ok', rowExists('part')), ids.b);
    assert.equal(filters.number('n'), undefined);
    assert.equal(filters.date('d'), undefined);
    assert.equal(filters.date('m'), undefined);
    assert.throws(
      () => filters.check(),
      (e: unknown) =>
        e instanceof ValidationError &&
        JSON.stringify(e.fields) ===
          JSON.stringify({
            part: ['Select a valid choice. That choice is not one of the available choices.'],
            other: ['Select a valid choice. That choice is not one of the available choices.'],
            n: ['Enter a number.'],
            d: ['Enter a valid date.'],
            m: ['Enter a valid date.'],
          }),
    );
    const nulls = new ListFilters(db.database.kysely, { parent: 'None' });
    assert.equal(await nulls.pkOrNull('parent', rowExists('part')), null);
    nulls.check();
  });
});
