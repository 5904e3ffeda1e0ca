/**
 * Response serialisation (app.ts): a list's answer schema is the union of the bare array and
 * the page envelope; the serialiser picks the branch by the answer's JSON type, not by
 * validating every row against each branch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { arrayOrObjectBranches, lazySerializers } from '../../src/app.js';
import { listResponse } from '../../src/http/pagination.js';

const Item = Type.Object({ pk: Type.Integer(), name: Type.String() });

function serializerOf(schema: unknown): (data: unknown) => string {
  const factory = lazySerializers() as unknown as (external: unknown, options: unknown) => (route: unknown) => (data: unknown) => string;
  return factory({}, {})({ schema, method: 'GET', url: '/api/things/', httpStatus: '200' });
}

describe('list answers are serialised by the branch their type selects', () => {
  it('finds the array and the page branches of a list schema, and nothing in other schemas', () => {
    const branches = arrayOrObjectBranches(listResponse(Item));
    assert.equal(branches?.array.type, 'array');
    assert.equal(branches?.object.type, 'object');
    assert.equal(arrayOrObjectBranches(Item), undefined);
    assert.equal(arrayOrObjectBranches(Type.Union([Type.String(), Type.Null()])), undefined);
    assert.equal(arrayOrObjectBranches(Type.Union([Item, Item])), undefined);
  });

  it('serialises the bare array and the page envelope by their own schemas', () => {
    const serialize = serializerOf(listResponse(Item));
    assert.equal(serialize([{ pk: 1, name: 'a', extra: true }]), '[{"pk":1,"name":"a"}]');
    assert.equal(
      serialize({ count: 2, next: null, previous: 'http://x/api/things/?limit=1', results: [{ pk: 2, name: 'b' }] }),
      '{"count":2,"next":null,"previous":"http://x/api/things/?limit=1","results":[{"pk":2,"name":"b"}]}',
    );
    assert.equal(serialize([]), '[]');
  });

  it('writes a row as its schema says without first validating every row against the union', () => {
    // A driver may hand a count or a key over as text (PostgreSQL's bigint): the row's
    // schema writes it as a number. Choosing a union branch by validation refused such a row.
    const serialize = serializerOf(listResponse(Item));
    assert.equal(
      serialize({ count: 1, next: null, previous: null, results: [{ pk: '7', name: 'c' }] }),
      '{"count":1,"next":null,"previous":null,"results":[{"pk":7,"name":"c"}]}',
    );
    assert.equal(serialize([{ pk: '8', name: 'd' }]), '[{"pk":8,"name":"d"}]');
  });
});
