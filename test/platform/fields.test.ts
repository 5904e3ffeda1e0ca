import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as f from '../../src/http/fields.js';
import { ValidationError } from '../../src/http/errors.js';
import { pythonStrip } from '../../src/text/python-strip.js';

const ctx = { db: undefined as never };

async function errorsOf(form: f.ObjectField<any>, body: unknown): Promise<unknown> {
  try {
    await f.parseBody(form, body, ctx);
  } catch (e) {
    if (e instanceof ValidationError) return e.fields;
    throw e;
  }
  return undefined;
}

describe('form fields with DRF semantics', () => {
  const form = f.object({
    barcode: f.string({ maxLength: 10 }),
    note: f.string({ required: false, allowBlank: true }),
    count: f.integer({ required: false, min: 1 }),
    ratio: f.decimal({ required: false }),
    flag: f.boolean({ required: false }),
    kind: f.choice(['a', 'b'] as const, { required: false }),
    when: f.date({ required: false, nullable: true }),
    target: f.pk({ required: false, nullable: true, exists: async (_db, pk) => pk === 7 }),
    items: f.list(f.object({ q: f.decimal() }), { required: false }),
  });

  it('reports required, null and blank with DRF\'s messages', async () => {
    assert.deepEqual(await errorsOf(form, {}), { barcode: ['This field is required.'] });
    assert.deepEqual(await errorsOf(form, { barcode: null }), { barcode: ['This field may not be null.'] });
    assert.deepEqual(await errorsOf(form, { barcode: '   ' }), { barcode: ['This field may not be blank.'] });
  });

  it('trims with Python\'s whitespace set before checking lengths', async () => {
    const ok = await f.parseBody(form, { barcode: '\x1c  abc \x85' }, ctx);
    assert.equal(ok.barcode, 'abc');
    assert.deepEqual(await errorsOf(form, { barcode: `  ${'x'.repeat(11)}  ` }), { barcode: ['Ensure this field has no more than 10 characters.'] });
  });

  it('accepts numbers as strings and refuses other types', async () => {
    assert.equal((await f.parseBody(form, { barcode: 12345 }, ctx)).barcode, '12345');
    assert.deepEqual(await errorsOf(form, { barcode: true }), { barcode: ['Not a valid string.'] });
    assert.deepEqual(await errorsOf(form, { barcode: { a: 1 } }), { barcode: ['Not a valid string.'] });
    assert.deepEqual(await errorsOf(form, { barcode: ['a'] }), { barcode: ['Not a valid string.'] });
  });

  it('refuses NUL characters and lone surrogates', async () => {
    assert.deepEqual(await errorsOf(form, { barcode: 'a\u0000b' }), { barcode: ['Null characters are not allowed.'] });
    assert.deepEqual(await errorsOf(form, { barcode: 'a\ud800b' }), { barcode: ['Surrogate characters are not allowed: U+D800.'] });
  });

  it('collects the errors of every field at once', async () => {
    assert.deepEqual(await errorsOf(form, { count: 'x', ratio: 'y', flag: 'maybe', kind: 'c', when: '2026-02-30' }), {
      barcode: ['This field is required.'],
      count: ['A valid integer is required.'],
      ratio: ['A valid number is required.'],
      flag: ['Must be a valid boolean.'],
      kind: ['"c" is not a valid choice.'],
      when: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
    });
  });

  it('coerces integers, booleans and choices like DRF', async () => {
    const v = await f.parseBody(form, { barcode: 'x', count: ' 5 ', flag: 'True', kind: 'b', ratio: '2.5' }, ctx);
    assert.deepEqual([v.count, v.flag, v.kind, v.ratio], [5, true, 'b', 2.5]);
    assert.deepEqual(await errorsOf(form, { barcode: 'x', count: 0 }), { count: ['Ensure this value is greater than or equal to 1.'] });
  });

  it('checks relations: existence, type, and "" as null', async () => {
    assert.equal((await f.parseBody(form, { barcode: 'x', target: '7' }, ctx)).target, 7);
    assert.equal((await f.parseBody(form, { barcode: 'x', target: '' }, ctx)).target, null);
    assert.deepEqual(await errorsOf(form, { barcode: 'x', target: 8 }), { target: ['Invalid pk "8" - object does not exist.'] });
    assert.deepEqual(await errorsOf(form, { barcode: 'x', target: 'abc' }), { target: ['Incorrect type. Expected pk value, received str.'] });
    assert.deepEqual(await errorsOf(form, { barcode: 'x', target: true }), { target: ['Incorrect type. Expected pk value, received bool.'] });
    assert.deepEqual(await errorsOf(form, { barcode: 'x', target: 99999999999 }), { target: ['Invalid pk "99999999999" - object does not exist.'] });
  });

  it('reports nested list errors positionally', async () => {
    assert.deepEqual(await errorsOf(form, { barcode: 'x', items: [{ q: 1 }, { q: 'z' }, {}] }), {
      items: [{}, { q: ['A valid number is required.'] }, { q: ['This field is required.'] }],
    });
    assert.deepEqual(await errorsOf(form, { barcode: 'x', items: { q: 1 } }), { items: ['Expected a list of items but got type "dict".'] });
  });

  it('refuses a body that is not an object', async () => {
    assert.deepEqual(await errorsOf(form, 'text'), { non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] });
  });
});

describe('pythonStrip (D9)', () => {
  it('removes Python whitespace, including the information separators and NEL', () => {
    assert.equal(pythonStrip('\x1c\x1d\x1e\x1f\x85 \t\n\r\v\f abc \u3000\u2028'), 'abc');
  });
  it('keeps the BOM, which JavaScript trim() would remove', () => {
    assert.equal(pythonStrip('\ufeffabc\ufeff'), '\ufeffabc\ufeff');
    assert.notEqual('\ufeffabc'.trim(), pythonStrip('\ufeffabc'));
  });
  it('leaves inner whitespace and control characters alone', () => {
    assert.equal(pythonStrip('  a\x1db c  '), 'a\x1db c');
    assert.equal(pythonStrip(''), '');
    assert.equal(pythonStrip('   '), '');
  });
});
