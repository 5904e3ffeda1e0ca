/**
 * Property-based tests of every barcode-format parser (src/barcode/formats/ and the pure
 * parsing helpers the plugins build on): for any text up to 4095 characters — full Unicode,
 * lone surrogates, control characters, GS/RS/EOT, AIM identifiers, fragments of every format —
 * each returns a result of its documented shape or its typed "not mine", and never throws.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { barcodeHash, hashInput } from '../../src/barcode/formats/hash.js';
import { parseJsonObject, parseShortBarcode, pythonInt, unicodeDigitsToInt } from '../../src/barcode/formats/internal.js';
import { iso15434Fields, mapEciaField, parseEcia } from '../../src/barcode/formats/iso15434.js';
import { isLcscBarcode, parseLcsc } from '../../src/barcode/formats/lcsc.js';
import { isTmeQr, parseTme } from '../../src/barcode/formats/tme.js';
import { looksLikeGs1, parseGs1 } from '../../src/barcode/formats/gs1.js';
import { gs1Ai, gs1CharAllowed } from '../../src/barcode/formats/gs1-ai-table.js';
import { parseSymbologyIdentifier, repairScan, type RepairKind } from '../../src/barcode/formats/repair.js';
import type { SupplierField } from '../../src/barcode/formats/supplier-fields.js';
import { plainGtin } from '../../src/barcode/gtin.js';
import { BARCODE_PLUGINS } from '../../src/barcode/plugins/index.js';
import { readGs1 } from '../../src/barcode/plugins/gs1.js';
import { isSupplierPlugin, mouserFields } from '../../src/barcode/plugins/suppliers.js';
import { internalCheck } from '../../src/barcode/prepare.js';
import { pythonStrip } from '../../src/text/python-strip.js';
import { check, hostileString, MAX_BARCODE } from './arbitraries.js';

const RUNS = 2000;

const SUPPLIER_FIELDS: ReadonlySet<SupplierField> = new Set<SupplierField>([
  'customer_order_number',
  'supplier_order_number',
  'packing_list_number',
  'ship_date',
  'customer_part_number',
  'supplier_part_number',
  'purchase_order_line',
  'quantity',
  'date_code',
  'lot_code',
  'country_of_origin',
  'manufacturer',
  'manufacturer_part_number',
]);

/** A supplier parser's answer: a plain object of standard field names to text ({} = not mine). */
function assertSupplierFields(fields: unknown): void {
  assert.equal(typeof fields, 'object');
  assert.notEqual(fields, null);
  assert.equal(Array.isArray(fields), false);
  for (const [key, value] of Object.entries(fields as object)) {
    assert.ok(SUPPLIER_FIELDS.has(key as SupplierField), `unknown field ${key}`);
    assert.equal(typeof value, 'string');
  }
}

const text = hostileString();
const prefix = hostileString(12);

describe('barcode parsers never throw on hostile text', () => {
  it('the hash: 32 lower-case hex digits of text without category C', () => {
    check(
      fc.property(text, (t) => {
        assert.match(barcodeHash(t), /^[0-9a-f]{32}$/);
        const input = hashInput(t);
        assert.equal(/\p{C}/u.test(input), false);
      }),
      RUNS,
    );
  });

  it('the short internal format: a two-character code and a number, or not mine', () => {
    check(
      fc.property(text, prefix, (t, p) => {
        const short = parseShortBarcode(t, p);
        if (short === undefined) return;
        assert.ok(t.startsWith(p));
        assert.match(short.code, /^[0-9A-Z $%*+,\-./:]{2}$/);
        if (short.pk !== undefined) assert.ok(Number.isSafeInteger(short.pk) && short.pk >= 0);
      }),
      RUNS,
    );
  });

  it('Unicode digits to an integer: a safe non-negative integer, or not mine', () => {
    check(
      fc.property(text, (t) => {
        const n = unicodeDigitsToInt(t);
        if (n !== undefined) assert.ok(Number.isSafeInteger(n) && n >= 0);
      }),
      RUNS,
    );
  });

  it('the JSON internal format: a plain object, or not mine', () => {
    /** The reference: whatever JSON.parse makes of the text, when that is a plain object. */
    const jsonObjectByParse = (t: string): unknown => {
      try {
        const v: unknown = JSON.parse(t);
        return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
      } catch {
        return undefined;
      }
    };
    const padded = fc.tuple(fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\ufeff', '\u000b') }), fc.json()).map(([pad, j]) => pad + j);
    check(
      fc.property(fc.oneof(text, padded, fc.json({ depthSize: 'medium' }), fc.jsonValue().map((v) => JSON.stringify(v) ?? '')), (t) => {
        const json = parseJsonObject(t);
        assert.deepEqual(json, jsonObjectByParse(t), 'the same as JSON.parse');
        if (json === undefined) return;
        assert.equal(typeof json, 'object');
        assert.equal(Array.isArray(json), false);
        assert.notEqual(json, null);
      }),
      RUNS,
    );
  });

  it("Python's int() of a JSON value: a safe integer, or not mine", () => {
    const value = fc.oneof(text, fc.jsonValue(), fc.double(), fc.bigInt().map((b) => b.toString()), fc.constantFrom('1_0', ' 42 ', '-٣', '+0', '1__0', '_1', 'Infinity'));
    check(
      fc.property(value, (v) => {
        const n = pythonInt(v);
        if (n !== undefined) assert.ok(Number.isSafeInteger(n));
      }),
      RUNS,
    );
  });

  it('ISO/IEC 15434 and ECIA: fields of text under standard names, or not mine', () => {
    check(
      fc.property(text, (t) => {
        const fields = iso15434Fields(t);
        if (fields === undefined) assert.deepEqual(parseEcia(t), {});
        else for (const field of fields) assert.equal(typeof field, 'string');
        assertSupplierFields(parseEcia(t));
        assertSupplierFields(mouserFields(t));
        const mapped = mapEciaField(t);
        if (mapped !== undefined) assert.ok(SUPPLIER_FIELDS.has(mapped[0]));
      }),
      RUNS,
    );
  });

  it('LCSC: fields only for a whole brace label', () => {
    check(
      fc.property(text, (t) => {
        const fields = parseLcsc(t);
        assertSupplierFields(fields);
        if (!isLcscBarcode(t)) assert.deepEqual(fields, {});
      }),
      RUNS,
    );
  });

  it('TME: fields of text under standard names, the order number cut at its slash', () => {
    check(
      fc.property(text, (t) => {
        assert.equal(typeof isTmeQr(t), 'boolean');
        const fields = parseTme(t);
        assertSupplierFields(fields);
        if (fields.supplier_order_number !== undefined) assert.equal(fields.supplier_order_number.includes('/'), false);
      }),
      RUNS,
    );
  });

  it("every supplier plugin's parser answers standard fields", () => {
    const parsers = BARCODE_PLUGINS.filter(isSupplierPlugin);
    assert.ok(parsers.length >= 4);
    check(
      fc.property(text, (t) => {
        for (const plugin of parsers) assertSupplierFields(plugin.parse(t));
      }),
      RUNS,
    );
  });

  it('GS1: elements of known AIs, or a rejection with a reason', () => {
    const symbology = fc.option(fc.constantFrom(']d2', ']Q3', ']C1', ']e0', ']d1', ']Q1', ']E0', ']', 'junk', ''), { nil: undefined });
    const today = fc.option(fc.date({ noInvalidDate: false }), { nil: undefined });
    check(
      fc.property(text, symbology, today, (t, s, d) => {
        const options = { ...(s !== undefined ? { symbology: s } : {}), ...(d !== undefined ? { today: d } : {}) };
        const result = parseGs1(t, options);
        if (result.ok) {
          assert.ok(Array.isArray(result.elements) && result.elements.length > 0);
          for (const element of result.elements) {
            assert.ok(gs1Ai(element.ai) !== undefined, `unknown AI ${element.ai}`);
            assert.ok(typeof element.value === 'string' || Number.isFinite(element.value));
          }
          assert.ok(Array.isArray(result.warnings));
        } else {
          assert.equal(typeof result.reason, 'string');
          assert.notEqual(result.reason, '');
        }
        assert.equal(typeof looksLikeGs1(t, s), 'boolean');
        const reading = readGs1(t, parseSymbologyIdentifier(s ?? ''));
        if (reading !== undefined) assert.ok(['gs1', 'gtin', 'rejected'].includes(reading.kind));
      }),
      RUNS,
    );
  });

  it('GS1 character sets and the AI table answer for any text', () => {
    check(
      fc.property(text, (t) => {
        const head = t.slice(0, 4);
        const definition = gs1Ai(head);
        if (definition !== undefined) assert.ok(/^[0-9]{2,4}$/.test(head));
        for (const ch of t.slice(0, 20)) {
          for (const cset of ['N', 'X', 'Y'] as const) assert.equal(typeof gs1CharAllowed(cset, ch), 'boolean');
        }
        const gtin = plainGtin(t);
        if (gtin !== undefined) assert.match(gtin, /^[0-9]{14}$/);
      }),
      RUNS,
    );
  });

  it('scan repair: a trimmed normalised text and known repairs, whatever the options and the check do', () => {
    const kinds = new Set<RepairKind>(['burst', 'symbology-identifier', 'control-pictures', 'iso15434-header', 'terminator', 'smart-quotes', 'uk-layout', 'german-layout']);
    const flag = fc.option(fc.boolean(), { nil: undefined });
    const checker = fc.constantFrom<'none' | 'internal' | 'throws' | 'always'>('none', 'internal', 'throws', 'always');
    check(
      fc.property(text, prefix, checker, fc.tuple(flag, flag, flag, flag, flag, flag, flag, flag), (t, p, c, flags) => {
        const [burst, symbologyIdentifier, controlPictures, iso15434Header, terminator, smartQuotes, ukLayout, germanLayout] = flags;
        const options = { burst, symbologyIdentifier, controlPictures, iso15434Header, terminator, smartQuotes, ukLayout, germanLayout } as Record<string, unknown>;
        for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
        if (c === 'internal') options.isInternal = internalCheck(p);
        if (c === 'throws') options.isInternal = () => { throw new Error('check failed'); };
        if (c === 'always') options.isInternal = () => true;
        const repaired = repairScan(t, options);
        assert.equal(repaired.input, t);
        assert.equal(pythonStrip(repaired.normalized), repaired.normalized);
        assert.ok(repaired.normalized.length <= t.length + 2 * MAX_BARCODE);
        for (const r of repaired.repairs) {
          assert.ok(kinds.has(r.kind));
          assert.equal(typeof r.detail, 'string');
        }
        for (const code of repaired.rest) assert.equal(typeof code, 'string');
        if (repaired.symbology !== null) assert.ok(t.includes(repaired.symbology.id));
      }),
      RUNS,
    );
  });

  it('AIM symbology identifiers: a known identifier at the start, or null', () => {
    check(
      fc.property(text, (t) => {
        const s = parseSymbologyIdentifier(t);
        if (s === null) return;
        assert.ok(t.startsWith(s.id));
        assert.equal(s.id.length, 3);
        assert.equal(typeof s.gs1, 'boolean');
      }),
      RUNS,
    );
  });
});
