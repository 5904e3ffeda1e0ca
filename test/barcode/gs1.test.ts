import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  gs1CenturyYear,
  gs1CheckDigit,
  gs1CheckDigitValid,
  gtinCheckDigitValid,
  looksLikeGs1,
  normalizeGtin,
  parseGs1,
  type Gs1Data,
  type Gs1ParseOptions,
  type Gs1Rejection,
  type Gs1Result,
} from '../../src/barcode/formats/gs1.js';
import { GS1_AI_PREFIX_LENGTHS, GS1_AI_TABLE, gs1Ai, gs1AiMatches, gs1FixedLength } from '../../src/barcode/formats/gs1-ai-table.js';

const GS = '\x1d';
const TODAY = new Date('2026-06-15T12:00:00Z');

function ok(text: string, options: Gs1ParseOptions = {}): Gs1Data {
  const result = parseGs1(text, { today: TODAY, ...options });
  if (!result.ok) assert.fail(`${JSON.stringify(text)} rejected: ${result.reason}`);
  return result;
}

function rejected(text: string, reason: RegExp, options: Gs1ParseOptions = {}): Gs1Rejection {
  const result = parseGs1(text, { today: TODAY, ...options });
  if (result.ok) assert.fail(`${JSON.stringify(text)} accepted: ${JSON.stringify(result.elements)}`);
  assert.match(result.reason, reason);
  return result;
}

function pairs(result: Gs1Data): [string, string | number][] {
  return result.elements.map((element) => [element.ai, element.value]);
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomDigits(next: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(Math.floor(next() * 10));
  return out;
}

function withCheckDigit(body: string): string {
  return body + String(gs1CheckDigit(body));
}

const ELEMENTS_01_10_99: [string, string][] = [
  ['01', '12312312312333'],
  ['10', 'ABC123'],
  ['99', 'TESTING'],
];

describe('GS1 valid vectors (standards.md §4.7)', () => {
  it(']d2 element string: 01, 10, 99; GS1 DataMatrix', () => {
    const r = ok(`]d2011231231231233310ABC123${GS}99TESTING`);
    assert.deepEqual(pairs(r), ELEMENTS_01_10_99);
    assert.equal(r.symbology, ']d2');
    assert.equal(r.symbologyName, 'GS1 DataMatrix');
    assert.equal(r.form, 'element-string');
    assert.equal(r.gtin, '12312312312333');
    assert.equal(r.batch, 'ABC123');
    assert.deepEqual(r.internal, { '99': 'TESTING' });
    assert.deepEqual(r.elements[0], { ai: '01', title: 'GTIN', raw: '12312312312333', value: '12312312312333' });
    assert.deepEqual(r.warnings, []);
  });

  for (const [prefix, name] of [
    [']C1', 'GS1-128'],
    [']Q3', 'GS1 QR Code'],
    [']e0', 'GS1 DataBar'],
    [']J1', 'GS1 DotCode'],
  ] as const) {
    it(`the same data behind ${prefix} (${name})`, () => {
      const r = ok(`${prefix}011231231231233310ABC123${GS}99TESTING`);
      assert.deepEqual(pairs(r), ELEMENTS_01_10_99);
      assert.equal(r.symbology, prefix);
      assert.equal(r.symbologyName, name);
    });
  }

  it('without any prefix (GS1 inferred), and with the identifier passed by scan repair', () => {
    const plain = ok(`011231231231233310ABC123${GS}99TESTING`);
    assert.deepEqual(pairs(plain), ELEMENTS_01_10_99);
    assert.equal(plain.symbology, undefined);
    const hinted = ok(`011231231231233310ABC123${GS}99TESTING`, { symbology: ']d2' });
    assert.equal(hinted.symbology, ']d2');
    assert.equal(hinted.symbologyName, 'GS1 DataMatrix');
  });

  it('the bracketed HRI form as zxing-wasm returns it', () => {
    const r = ok('(01)12312312312333(10)ABC123(99)TESTING');
    assert.deepEqual(pairs(r), ELEMENTS_01_10_99);
    assert.equal(r.form, 'hri');
  });

  it('tolerates a trailing GS', () => {
    assert.deepEqual(pairs(ok(`]d2011231231231233310ABC123${GS}99TESTING${GS}`)), ELEMENTS_01_10_99);
  });

  it('tolerates a superfluous FNC1 after a fixed-length AI (syntax-engine ^ notation and GS)', () => {
    assert.deepEqual(pairs(ok('^0112345678901231^991234')), [
      ['01', '12345678901231'],
      ['99', '1234'],
    ]);
    assert.deepEqual(pairs(ok(`]C10112345678901231${GS}991234`)), [
      ['01', '12345678901231'],
      ['99', '1234'],
    ]);
    assert.deepEqual(pairs(ok(`${GS}0112345678901231${GS}${GS}991234`)), [
      ['01', '12345678901231'],
      ['99', '1234'],
    ]);
  });

  it('open-mSupply sample: 01, 17 (2014-07-04), 10 without separators after fixed AIs', () => {
    const r = ok(']d201095011015300031714070410AB-123');
    assert.deepEqual(pairs(r), [
      ['01', '09501101530003'],
      ['17', '2014-07-04'],
      ['10', 'AB-123'],
    ]);
    assert.equal(r.expiry, '2014-07-04');
    assert.equal(r.elements[1]?.raw, '140704');
  });

  it('01, 11 (day 00 = last day), 10, 400, 241, 30', () => {
    const r = ok(`01123456789012311125120010LOT${GS}400PO-4711${GS}241CPN-9${GS}3025`);
    assert.deepEqual(pairs(r), [
      ['01', '12345678901231'],
      ['11', '2025-12-31'],
      ['10', 'LOT'],
      ['400', 'PO-4711'],
      ['241', 'CPN-9'],
      ['30', 25],
    ]);
    assert.equal(r.productionDate, '2025-12-31');
    assert.equal(r.poNumber, 'PO-4711');
    assert.equal(r.customerPartNumber, 'CPN-9');
    assert.equal(r.quantity, 25);
    assert.equal(r.variableCount, 25);
    assert.equal(r.count, undefined);
  });

  it('…, 37 = 12 as the quantity (pairing rules reported as warnings, not rejected)', () => {
    const r = ok(`01095011015300031714070410AB-123${GS}3712`);
    assert.deepEqual(r.elements.at(-1), { ai: '37', title: 'COUNT', raw: '12', value: 12 });
    assert.equal(r.quantity, 12);
    assert.equal(r.count, 12);
    assert.ok(r.warnings.includes('AI 01 (GTIN) must not be used together with AI 37'));
    assert.ok(r.warnings.includes('AI 37 (COUNT) requires one of AIs 02, 8026'));
  });

  it('Digital Link in a plain QR code: 01 and 99 from the query string', () => {
    const r = ok(']Q1https://example.com/01/12312312312333?99=TEST');
    assert.deepEqual(pairs(r), [
      ['01', '12312312312333'],
      ['99', 'TEST'],
    ]);
    assert.equal(r.form, 'digital-link');
    assert.equal(r.symbology, ']Q1');
  });

  it('3103000750 after a GTIN is a net weight of 0.750 kg', () => {
    const r = ok('01123456789012313103000750');
    assert.deepEqual(r.elements[1], { ai: '3103', title: 'NET WEIGHT (kg)', raw: '000750', value: 0.75, unit: 'kg' });
    assert.deepEqual(r.netWeight, { value: 0.75, unit: 'kg' });
  });
});

describe('GS1 must-reject vectors (standards.md §4.7)', () => {
  it(']C10112345678901234: GTIN check digit wrong', () => {
    const r = rejected(']C10112345678901234', /^GTIN check digit wrong in AI 01 \(expected 1\)$/);
    assert.equal(r.ai, '01');
    assert.equal(r.symbology, ']C1');
  });
  it(']d2011234567890123117251300: month 13', () => {
    rejected(']d2011234567890123117251300', /^month 13 in AI 17$/);
  });
  it('(01)123456789012312(10)12345: fixed-length AI too long', () => {
    rejected('(01)123456789012312(10)12345', /^AI 01 value too long \(15 characters, expected 14\)$/);
  });
  it('(17)9(90)217 is not read as 17 990217', () => {
    rejected('(17)9(90)217', /^AI 17 value too short \(1 character, expected 6\)$/);
    // and the raw form cannot produce it either: a GS ends the predefined field early
    rejected(`179${GS}90217`, /^AI 17 value too short/);
  });
  it('(235)… with 29 characters exceeds X..28', () => {
    rejected('(235)ABCDEFGHIJKLMNOPQRSTUVWXYZ123', /^AI 235 value too long \(29 characters, at most 28\)$/);
    assert.equal(ok('(01)12312312312333(235)ABCDEFGHIJKLMNOPQRSTUVWXYZ12').elements[1]?.raw.length, 28);
  });
  it('empty values', () => {
    rejected('(10)(11)98765', /^empty value for AI 10$/);
    rejected('(10)12345(11)', /^empty value for AI 11$/);
    rejected(`]C110${GS}11251231`, /^empty value for AI 10$/);
  });
  it('^99~ABC: character outside CSET 82', () => {
    rejected('^99~ABC', /^character '~' not allowed in AI 99$/);
    rejected(']C199~ABC', /^character '~' not allowed in AI 99$/);
  });
  it('a control picture ␝ instead of GS is not normalised by the parser', () => {
    const r = rejected('011231231231233310ABC123\u241d99TESTING', /^character '␝' \(U\+241D\) not allowed in AI 10$/);
    assert.equal(r.ai, '10');
    assert.equal(looksLikeGs1('011231231231233310ABC123\u241d99TESTING'), false);
  });
});

describe('GS1 check digits and GTINs', () => {
  it('known identifiers', () => {
    for (const gtin of ['4006381333931', '036000291452', '96385074', '12345678901231', '09501101530003', '12312312312333']) {
      assert.equal(gtinCheckDigitValid(gtin), true, gtin);
    }
    assert.equal(gtinCheckDigitValid('12345678901234'), false);
    assert.equal(gs1CheckDigit('1234567890123'), 1);
    assert.equal(gs1CheckDigitValid('106141412345678908'), true); // SSCC
    assert.equal(gs1CheckDigitValid('106141412345678907'), false);
  });

  it('gtinCheckDigitValid refuses other lengths and non-digits', () => {
    for (const text of ['', '0', '1234567', '12345678901', '123456789012345', '4006381333931 ', '400638133393A', '４００６３８１３３３９３１']) {
      assert.equal(gtinCheckDigitValid(text), false, text);
    }
  });

  it('normalizeGtin pads GTIN-8/12/13 to 14 digits and refuses invalid ones', () => {
    assert.equal(normalizeGtin('96385074'), '00000096385074');
    assert.equal(normalizeGtin('036000291452'), '00036000291452');
    assert.equal(normalizeGtin('4006381333931'), '04006381333931');
    assert.equal(normalizeGtin('12345678901231'), '12345678901231');
    assert.equal(normalizeGtin('4006381333932'), undefined);
    assert.equal(normalizeGtin('123456789'), undefined);
  });

  it('property: every generated GTIN is valid, and any single changed digit is detected', () => {
    const next = random(42);
    for (let i = 0; i < 2000; i++) {
      const length = [8, 12, 13, 14][i % 4] as number;
      const gtin = withCheckDigit(randomDigits(next, length - 1));
      assert.equal(gtinCheckDigitValid(gtin), true, gtin);
      assert.equal(normalizeGtin(gtin), gtin.padStart(14, '0'));
      const at = Math.floor(next() * length);
      const old = gtin.charCodeAt(at) - 48;
      const changed = gtin.slice(0, at) + String((old + 1 + Math.floor(next() * 9)) % 10) + gtin.slice(at + 1);
      assert.equal(gtinCheckDigitValid(changed), false, `${gtin} → ${changed}`);
    }
  });

  it('property: generated GTIN + batch + expiry round-trip through raw, HRI and Digital Link forms', () => {
    const next = random(7);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-./_';
    for (let i = 0; i < 500; i++) {
      const gtin = withCheckDigit(randomDigits(next, 13));
      let batch = '';
      const batchLength = 1 + Math.floor(next() * 20);
      for (let j = 0; j < batchLength; j++) batch += alphabet[Math.floor(next() * alphabet.length)];
      const yy = 10 + Math.floor(next() * 60);
      const mm = 1 + Math.floor(next() * 12);
      const dd = Math.floor(next() * 29); // 00–28 exist in every month
      const date = `${yy}${String(mm).padStart(2, '0')}${String(dd).padStart(2, '0')}`;
      const raw = ok(`]d201${gtin}17${date}10${batch}`);
      const hri = ok(`(01)${gtin}(17)${date}(10)${batch}`);
      const link = ok(`https://id.example.org/01/${gtin}/10/${encodeURIComponent(batch)}?17=${date}`);
      assert.equal(raw.gtin, gtin);
      assert.equal(raw.batch, batch);
      assert.equal(hri.gtin, gtin);
      assert.equal(hri.batch, batch);
      assert.equal(hri.expiry, raw.expiry);
      assert.equal(link.gtin, gtin);
      assert.equal(link.batch, batch);
      assert.equal(link.expiry, raw.expiry);
      const year = gs1CenturyYear(yy, 2026);
      const last = new Date(Date.UTC(year, mm, 0)).getUTCDate();
      assert.equal(raw.expiry, `${year}-${String(mm).padStart(2, '0')}-${String(dd === 0 ? last : dd).padStart(2, '0')}`);
    }
  });
});

describe('GS1 dates', () => {
  it('day 00 is the last day of the month, leap years included', () => {
    assert.equal(ok('(01)12345678901231(17)240200').expiry, '2024-02-29');
    assert.equal(ok('(01)12345678901231(17)250200').expiry, '2025-02-28');
    assert.equal(ok('(01)12345678901231(15)250400').bestBefore, '2025-04-30');
  });
  it('rejects month 00, day 32 and days a month does not have', () => {
    rejected('(01)12345678901231(17)250015', /^month 00 in AI 17$/);
    rejected('(01)12345678901231(17)250132', /^day 32 in AI 17 \(2025-01 has 31 days\)$/);
    rejected('(01)12345678901231(17)250229', /^day 29 in AI 17 \(2025-02 has 28 days\)$/);
    assert.equal(ok('(01)12345678901231(17)240229').expiry, '2024-02-29');
    rejected('(01)12345678901231(11)250431', /^day 31 in AI 11/);
  });
  it('the sliding century window', () => {
    assert.equal(gs1CenturyYear(26, 2026), 2026);
    assert.equal(gs1CenturyYear(76, 2026), 2076); // 50 ahead: this century
    assert.equal(gs1CenturyYear(77, 2026), 1977); // 51 ahead: previous century
    assert.equal(gs1CenturyYear(0, 2026), 2000);
    assert.equal(gs1CenturyYear(5, 2095), 2105); // 90 behind: next century
    assert.equal(gs1CenturyYear(45, 2095), 2145); // 50 behind: next century
    assert.equal(gs1CenturyYear(46, 2095), 2046); // 49 behind: this century
    assert.equal(ok('(01)12345678901231(17)991231', { today: new Date('2026-01-01') }).expiry, '1999-12-31');
    assert.equal(ok('(01)12345678901231(17)991231', { today: new Date('2060-01-01') }).expiry, '2099-12-31');
  });
  it('every date AI fills its field', () => {
    const r = ok('(01)12345678901231(11)250101(12)250102(13)250103(15)250105(16)250106(17)250107(8020)R1');
    assert.equal(r.productionDate, '2025-01-01');
    assert.equal(r.dueDate, '2025-01-02');
    assert.equal(r.packagingDate, '2025-01-03');
    assert.equal(r.bestBefore, '2025-01-05');
    assert.equal(r.sellBy, '2025-01-06');
    assert.equal(r.expiry, '2025-01-07');
  });
  it('7003 expiry date and time; 7006 needs a real day; 7007 date or range', () => {
    const r = ok('0112345678901231' + '7003' + '2512312359');
    assert.equal(r.expiryTime, '2025-12-31T23:59');
    rejected('0112345678901231' + '7003' + '2512312400', /^hour 24 in AI 7003$/);
    rejected('0112345678901231' + '7003' + '2512312360', /^minute 60 in AI 7003$/);
    rejected('(01)12345678901231(7003)2512002359', /^day 00 in AI 7003$/);
    rejected('(01)12345678901231(7006)251200', /^day 00 in AI 7006$/);
    assert.equal(ok('(01)12345678901231(7007)250101').elements[1]?.value, '2025-01-01');
    assert.equal(ok('(01)12345678901231(7007)250101250131').elements[1]?.value, '2025-01-01/2025-01-31');
    rejected('(01)12345678901231(7007)25010125', /^AI 7007 value has the wrong length \(8 characters\)$/);
  });
});

describe('GS1 values, lengths and character sets', () => {
  it('decimal-position AIs: the last AI digit is the number of decimals', () => {
    assert.deepEqual(ok('(01)12345678901231(3100)000750').elements[1]?.value, 750);
    assert.deepEqual(ok('(01)12345678901231(3105)123456').elements[1]?.value, 1.23456);
    const lb = ok('(01)12345678901231(3202)001250');
    assert.deepEqual(lb.netWeight, { value: 12.5, unit: 'lb' });
    assert.deepEqual(ok('(00)106141412345678908(3302)001250').elements[1], {
      ai: '3302',
      title: 'GROSS WEIGHT (kg)',
      raw: '001250',
      value: 12.5,
      unit: 'kg',
    });
    assert.deepEqual(ok('(01)12345678901231(3922)1999').elements[1]?.value, 19.99);
    const price = ok('(01)12345678901231(30)1(3932)9781999').elements[2];
    assert.deepEqual(price, { ai: '3932', title: 'PRICE', raw: '9781999', value: 19.99, unit: '978' });
    rejected('(01)12345678901231(3106)000750', /^unknown AI 3106$/);
  });

  it('predefined-length AIs need no separator; other fixed-length AIs do', () => {
    // 422 is N3 but not predefined: without GS the following AI is swallowed
    rejected('0112345678901231422276' + '10ABC', /^AI 422 value too long \(8 characters, expected 3\)$/);
    assert.deepEqual(pairs(ok(`0112345678901231422276${GS}10ABC`)), [
      ['01', '12345678901231'],
      ['422', '276'],
      ['10', 'ABC'],
    ]);
    // 410–417 are predefined: two GLNs back to back
    const r = ok('410' + '9521234567899' + '414' + '9521234567905');
    assert.equal(r.shipToGln, '9521234567899');
    assert.equal(r.locationGln, '9521234567905');
  });

  it('a variable-length field runs to the next GS, not further', () => {
    assert.deepEqual(pairs(ok(`0112345678901231${'21'}SER${GS}10LOT${GS}3012`)), [
      ['01', '12345678901231'],
      ['21', 'SER'],
      ['10', 'LOT'],
      ['30', 12],
    ]);
    // without the GS the serial swallows the rest, and is then too long
    rejected(`011234567890123121SER10LOT123456789012345`, /^AI 21 value too long \(23 characters, at most 20\)$/);
  });

  it('unknown and incomplete AIs', () => {
    rejected('(23)ABC', /^unknown AI 23$/);
    rejected('(2300)ABC', /^unknown AI 2300$/);
    rejected('0112345678901231230ABC', /^unknown AI 230$/);
    rejected('0112345678901231' + '05123', /^unknown AI 05$/);
    rejected('01123456789012313', /^incomplete AI '3' at position 16$/);
    rejected('0112345678901231310', /^incomplete AI '310' at position 16$/);
    rejected('(1)X', /^bad AI '\(1\)' at position 0$/);
    rejected('(abc)X', /^bad AI/);
    rejected('(01', /^unterminated AI bracket/);
    rejected('hello', /^expected an AI at position 0, found 'h'$/);
    rejected('', /^empty input$/);
    rejected(']d2', /^empty input$/);
  });

  it('CSET 82: all 82 characters pass, the other printable ASCII characters do not', () => {
    const cset82 = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
    assert.equal(cset82.length, 82);
    assert.equal(ok(`(01)12345678901231(91)${cset82.replace('(', '\\(')}`).internal?.['91'], cset82);
    for (const ch of ' #$@[\\]^`{|}~') {
      const r = parseGs1(`0112345678901231${GS}91A${ch}B`);
      assert.equal(r.ok, false, JSON.stringify(ch));
    }
    rejected('(01)12345678901231(91)AéB', /^character 'é' \(U\+00E9\) not allowed in AI 91$/);
    rejected(`(01)12345678901231(10)A\x7fB`, /^character U\+007F not allowed in AI 10$/);
  });

  it('CSET 39 for AI 8010 and digits only for N fields', () => {
    assert.equal(ok('(8010)ABC#-/123').elements[0]?.raw, 'ABC#-/123');
    rejected('(8010)abc', /^character 'a' not allowed in AI 8010 \(CSET 39\)$/);
    rejected('(01)12345678901231(30)1A', /^character 'A' not allowed in AI 30 \(digits only\)$/);
  });

  it('HRI: an escaped bracket is a literal bracket', () => {
    const r = ok('(01)12345678901231(10)AB\\(C)(21)X');
    assert.equal(r.batch, 'AB(C)');
    assert.equal(r.serial, 'X');
  });

  it('composite AIs: GDTI, GRAI, ITIP, ship-to postcode', () => {
    const gdti = ok(`253${withCheckDigit('952123456789')}ABC`);
    assert.equal(gdti.elements[0]?.raw, `${withCheckDigit('952123456789')}ABC`);
    rejected(`253952123456789${(gs1CheckDigit('952123456789') + 1) % 10}ABC`, /^GDTI check digit wrong in AI 253/);
    const grai = ok(`80030${withCheckDigit('952123456789')}A1`);
    assert.equal(grai.grai, `0${withCheckDigit('952123456789')}A1`);
    rejected(`80031${withCheckDigit('952123456789')}`, /^AI 8003 value must start with 0$/);
    assert.equal(ok(`8006${withCheckDigit('1234567890123')}0102`).elements[0]?.ai, '8006');
    rejected(`8006${withCheckDigit('1234567890123')}0302`, /^piece 03 of total 02 in AI 8006 is not valid$/);
    assert.equal(ok('(421)276D-12345').elements[0]?.raw, '276D-12345');
    rejected('(414)9521234567890', /^GLN check digit wrong in AI 414 \(expected 9\)$/);
    rejected('(00)106141412345678907', /^SSCC check digit wrong in AI 00 \(expected 8\)$/);
  });

  it('summary fields', () => {
    const r = ok(
      `(00)106141412345678908(02)12345678901231(37)24(240)ADD(22)V1(20)07(401)GINC1(402)${withCheckDigit('9521234567890123')}(8004)ASSET-7(90)X(92)Y`,
    );
    assert.equal(r.sscc, '106141412345678908');
    assert.equal(r.content, '12345678901231');
    assert.equal(r.count, 24);
    assert.equal(r.quantity, 24);
    assert.equal(r.additionalId, 'ADD');
    assert.equal(r.cpv, 'V1');
    assert.equal(r.variant, '07');
    assert.equal(r.ginc, 'GINC1');
    assert.equal(r.gsin, withCheckDigit('9521234567890123'));
    assert.equal(r.giai, 'ASSET-7');
    assert.deepEqual(r.internal, { '90': 'X', '92': 'Y' });
  });

  it('the same AI twice: identical values pass, different values are rejected', () => {
    assert.equal(ok(`011234567890123110A${GS}0112345678901231`).elements.length, 3);
    rejected(`011234567890123110A${GS}10B`, /^AI 10 appears twice with different values$/);
  });

  it('missing and forbidden pairings are warnings', () => {
    assert.deepEqual(ok('(10)LOT').warnings, ['AI 10 (BATCH/LOT) requires one of AIs 01, 02, 8006, 8026']);
    assert.deepEqual(ok('(01)12345678901231(10)LOT').warnings, []);
    assert.deepEqual(ok('(01)12345678901231(3102)000100(3103)000100').warnings, [
      'AI 3102 (NET WEIGHT (kg)) must not be used together with AI 3103',
    ]);
    assert.deepEqual(ok('(414)9521234567899(254)EXT').warnings, []);
  });

  it('raw data behind a non-GS1 symbology identifier is refused', () => {
    rejected(']d1011231231231233310ABC123', /^symbology \]d1 \(Data Matrix\) does not mark GS1 data$/);
    rejected(']E04006381333931', /^symbology \]E0 \(EAN-13 \/ UPC-A \/ UPC-E\) does not mark GS1 data$/);
    rejected('011231231231233310ABC123', /does not mark GS1 data/, { symbology: ']Q1' });
    // HRI text in a plain symbol is still GS1 data
    assert.equal(ok(']d1(01)12312312312333').gtin, '12312312312333');
  });
});

describe('GS1 Digital Link', () => {
  it('primary key and qualifiers in the path, other AIs in the query; GTIN-13 padded', () => {
    const r = ok('https://example.com/01/12312312312333/22/V1/10/ABC/21/S%2F1?99=TEST&linkType=gs1:pip&17=261231#frag');
    assert.deepEqual(pairs(r), [
      ['01', '12312312312333'],
      ['22', 'V1'],
      ['10', 'ABC'],
      ['21', 'S/1'],
      ['99', 'TEST'],
      ['17', '2026-12-31'],
    ]);
    assert.equal(ok('https://id.gs1.org/01/4006381333931').gtin, '04006381333931');
    assert.equal(ok('HTTP://shop.example.com/products/x/01/09501101530003/10/AB-123').batch, 'AB-123');
  });

  it('other primary keys', () => {
    assert.equal(ok('https://example.com/00/106141412345678908').sscc, '106141412345678908');
    const r = ok('https://example.com/414/9521234567899/254/EXT');
    assert.equal(r.locationGln, '9521234567899');
    assert.equal(r.elements[1]?.raw, 'EXT');
    assert.equal(ok('https://example.com/8004/ASSET%2D7').giai, 'ASSET-7');
  });

  it('rejects bad qualifier orders, bad keys and bad values', () => {
    rejected('https://example.com/01/12312312312333/10/ABC/22/V1', /^Digital Link path qualifiers 10, 22 not allowed after AI 01$/);
    rejected('https://example.com/01/12312312312333/235/T/21/S', /not allowed after AI 01/);
    rejected('https://example.com/01/12312312312334', /^GTIN check digit wrong in AI 01/);
    rejected('https://example.com/products/123', /^no GS1 Digital Link primary key in the URI path$/);
    rejected('https://example.com/01/12312312312333/10/A%ZZ', /^bad percent-encoding/);
    rejected('https://example.com/01/12312312312333/10/A%20B', /^character ' ' \(U\+0020\) not allowed in AI 10$/);
    rejected('https://example.com/01/12312312312333?99=', /^empty value for AI 99$/);
    rejected('https://example.com/01/12312312312333?99', /^empty value for AI 99$/);
    rejected('https://example.com/01/12312312312333?123=X', /^unknown AI 123$/);
    rejected('https://example.com/01/12312312312333/10/A?10=B', /^AI 10 appears twice with different values$/);
  });

  it('a + in a value is a plus, not a space', () => {
    assert.equal(ok('https://example.com/01/12312312312333/10/A+B').batch, 'A+B');
  });
});

describe('looksLikeGs1', () => {
  const yes = [
    `]d2011231231231233310ABC123${GS}99TESTING`,
    ']C10112345678901234', // GS1 symbology: claimed, then rejected with a reason
    ']e0anything',
    `011231231231233310ABC123${GS}99TESTING`,
    '0112345678901231',
    '(01)12312312312333(10)ABC123',
    '(01)12345678901234', // bracketed HRI with a known AI: claimed even with a bad check digit
    '^0112345678901231^991234',
    'https://example.com/01/12312312312333?99=TEST',
    ']Q1https://example.com/01/12312312312333',
  ];
  const no = [
    '',
    'hello',
    '{"part": 9}',
    'INV-PA9',
    '4006381333931', // a plain EAN-13 would read as AI 400 alone
    '96385074', // a plain EAN-8 would read as AI 96 alone
    '0112345678901234', // no marker and a wrong check digit
    '(abc)def',
    '(23)X',
    '[)>\x1e06\x1dP123\x1dQ1\x1e\x04',
    '{pc:C138033,pm:RC0402FR-071ML,qty:10}',
    'QTY:1 PN:WBP-302 PO:19361337/1 MPN:WBP-302 RoHS https://www.tme.eu/details/WBP-302',
    'https://www.tme.eu/details/WBP-302',
    ']d1011231231231233310ABC123',
    ']Q3',
  ];
  for (const text of yes) it(`yes: ${JSON.stringify(text)}`, () => assert.equal(looksLikeGs1(text), true));
  for (const text of no) it(`no: ${JSON.stringify(text)}`, () => assert.equal(looksLikeGs1(text), false));
  it('uses the symbology identifier scan repair removed', () => {
    assert.equal(looksLikeGs1('4006381333931', ']C1'), true);
    assert.equal(looksLikeGs1('0112345678901231', ']Q1'), false);
    assert.equal(looksLikeGs1('0112345678901231', null), true);
  });
});

describe('GS1 AI table', () => {
  it('AIs are prefix-free: the first two digits fix the length', () => {
    for (const ai of GS1_AI_TABLE.keys()) {
      assert.equal(GS1_AI_PREFIX_LENGTHS.get(ai.slice(0, 2)), ai.length, ai);
    }
  });

  it('the predefined-length AIs are exactly 00–03, 11–17, 20, 31nn–36nn and 410–417, all fixed-length', () => {
    const predefined = [...GS1_AI_TABLE.values()].filter((d) => d.predefined).map((d) => d.ai);
    const expected = [...GS1_AI_TABLE.keys()].filter((ai) =>
      /^(0[0-3]|1[1-7]|20|3[1-6][0-9]{2}|41[0-7])$/.test(ai),
    );
    assert.deepEqual(predefined.sort(), expected.sort());
    for (const ai of predefined) assert.notEqual(gs1FixedLength(gs1Ai(ai)!), undefined, ai);
    assert.equal(gs1Ai('10')?.predefined, false);
    assert.equal(gs1Ai('422')?.predefined, false);
  });

  it('covers the AIs of §4.1 and the brief with their formats', () => {
    const formats: Record<string, string> = {
      '00': 'N18 csum',
      '01': 'N14 csum',
      '02': 'N14 csum',
      '03': 'N14 csum',
      '10': 'X1..20',
      '11': 'N6 yymmd0',
      '12': 'N6 yymmd0',
      '13': 'N6 yymmd0',
      '15': 'N6 yymmd0',
      '16': 'N6 yymmd0',
      '17': 'N6 yymmd0',
      '20': 'N2',
      '21': 'X1..20',
      '22': 'X1..20',
      '235': 'X1..28',
      '240': 'X1..30',
      '241': 'X1..30',
      '242': 'N1..6',
      '250': 'X1..30',
      '251': 'X1..30',
      '253': 'N13 csum + [X1..17]',
      '254': 'X1..20',
      '30': 'N1..8',
      '37': 'N1..8',
      '400': 'X1..30',
      '401': 'X1..30',
      '402': 'N17 csum',
      '403': 'X1..30',
      '420': 'X1..20',
      '421': 'N3 + X1..9',
      '422': 'N3',
      '7003': 'N6 yymmdd + N4 hhmm',
      '8003': 'N1 zero + N13 csum + [X1..16]',
      '8004': 'X1..30',
      '8005': 'N6',
      '8020': 'X1..25',
      '90': 'X1..30',
    };
    for (let d = 1; d <= 9; d++) formats[`9${d}`] = 'X1..90';
    for (let g = 410; g <= 417; g++) formats[String(g)] = 'N13 csum';
    for (const stem of ['310', '311', '312', '313', '314', '315', '316', '320', '330', '340', '356', '357', '360', '369']) {
      for (let d = 0; d <= 5; d++) formats[`${stem}${d}`] = 'N6';
    }
    for (const [ai, format] of Object.entries(formats)) {
      const definition = gs1Ai(ai);
      assert.ok(definition, `AI ${ai} missing`);
      const text = definition.parts
        .map((p) => {
          const size = p.min === p.max ? `${p.cset}${p.min}` : `${p.cset}${p.min}..${p.max}`;
          const body = p.check ? `${size} ${p.check}` : size;
          return p.optional ? `[${body}]` : body;
        })
        .join(' + ');
      assert.equal(text, format, `AI ${ai}`);
      assert.ok(definition.title.length > 0);
    }
    assert.equal(gs1Ai('3103')?.decimals, 3);
    assert.equal(gs1Ai('3103')?.unit, 'kg');
  });

  it('AI patterns', () => {
    assert.equal(gs1AiMatches('3103', '310n'), true);
    assert.equal(gs1AiMatches('3103', '31nn'), true);
    assert.equal(gs1AiMatches('3203', '310n'), false);
    assert.equal(gs1AiMatches('310', '310n'), false);
  });
});

describe('parseGs1 never throws', () => {
  it('random inputs over an alphabet of GS1 structure characters', () => {
    const next = random(2024);
    const pieces = [
      '0', '1', '2', '3', '4', '7', '8', '9', '01', '10', '17', '21', '31', '310', '8003', '99',
      GS, '(', ')', '\\', '\\(', '^', ']', ']d2', ']C1', ']Q1', ']E0', 'https://', 'http://x/', '/', '?', '&', '=', '%', '%2', '%41', '#',
      'A', 'a', '~', ' ', '\n', '\u241d', 'é', '\ud800', '\udc00', '😀', '\u0000',
    ];
    for (let i = 0; i < 20000; i++) {
      let text = '';
      const count = Math.floor(next() * 24);
      for (let j = 0; j < count; j++) text += pieces[Math.floor(next() * pieces.length)];
      let result: Gs1Result;
      try {
        result = parseGs1(text);
        looksLikeGs1(text);
      } catch (error) {
        assert.fail(`${JSON.stringify(text)} threw ${String(error)}`);
      }
      if (!result.ok) assert.equal(typeof result.reason, 'string');
      else assert.ok(result.elements.length > 0);
    }
  });

  it('a very long input', () => {
    const text = '0112345678901231' + '11251231'.repeat(2000);
    const r = parseGs1(text);
    assert.equal(r.ok, true);
    assert.equal(parseGs1('9'.repeat(100000)).ok, false);
  });
});
