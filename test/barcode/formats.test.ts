import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { barcodeHash } from '../../src/barcode/formats/hash.js';
import { generateJsonBarcode, generateShortBarcode, parseJsonObject, parseShortBarcode, pythonInt, unicodeDigitsToInt } from '../../src/barcode/formats/internal.js';

describe('barcode hash (§3.5, D9, D10)', () => {
  const vectors: [string, string][] = [
    ['xyz-123', 'bc39d07e9a395c7b5658c231bf910fae'],
    ['555555555555555555555555', '4aa63f5e55e85c1f842796bf74896dbb'],
    ['{"blbla": 10007}', '2f5dba5c83a360599ba7665b2a4131c6'],
    ['A-TEST-BARCODE-STRING', '3d59ca755c793639dd69da2cd077a54f'],
    ['blbla=10004', '9e5ae7fc20568ed4814c10967bba8b65'],
    ['blbla=10008', '800791c0833aceb87c65d804ee14f15d'],
    ['abcde', 'ab56b4d92b40713acc5af89985d4b786'],
    ['ABCDE', '2ecdde3959051d913f61b14579ea136d'],
    ['12345', '827ccb0eea8a706c4c34a16891f84e7b'],
    ['abc\x1Ddef', 'e80b5017098950fc58aad83c8c14978e'],
    ['abcdef', 'e80b5017098950fc58aad83c8c14978e'],
    ['  xyz-123\n', 'bc39d07e9a395c7b5658c231bf910fae'],
    ['xyz\u200B-123', 'bc39d07e9a395c7b5658c231bf910fae'],
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['INV-SL5', 'd9f32f2b8c95ec50a2c29f63fc0348c7'],
    ['{"stocklocation": 5}', '4670566b40f5894328bab4cc0e6b659d'],
    ['{"part": 9}', 'a5aac721d4420109759424f311246c0b'],
    ['INV-PA9', '74ad41a513990d9ce6675531231ef164'],
    ['  {"stockitem": 1}\n', '0935819378143b8ec32b3d9548f52ade'],
  ];
  for (const [input, hash] of vectors) {
    it(`${JSON.stringify(input)} → ${hash}`, () => assert.equal(barcodeHash(input), hash));
  }
  it('removes the BOM, soft hyphen and private-use characters but keeps spaces and U+2028', () => {
    assert.equal(barcodeHash('\ufeffxyz-123'), barcodeHash('xyz-123'));
    assert.equal(barcodeHash('xyz\u00ad-123\ue000'), barcodeHash('xyz-123'));
    assert.notEqual(barcodeHash('xyz 123'), barcodeHash('xyz123'));
    assert.notEqual(barcodeHash('xyz\u2028123'), barcodeHash('xyz123'));
  });
});

describe('short format (§3.3)', () => {
  it('parses prefix, two-character code and digits', () => {
    assert.deepEqual(parseShortBarcode('INV-PA10', 'INV-'), { code: 'PA', pk: 10 });
    assert.deepEqual(parseShortBarcode('INV-SI123', 'INV-'), { code: 'SI', pk: 123 });
    assert.deepEqual(parseShortBarcode('INV-PA005', 'INV-'), { code: 'PA', pk: 5 });
    assert.deepEqual(parseShortBarcode('TESTSP1', 'TEST'), { code: 'SP', pk: 1 });
    assert.deepEqual(parseShortBarcode('SP1', ''), { code: 'SP', pk: 1 });
  });
  it('accepts every character of InvenTree\'s code class, the comma included', () => {
    for (const code of ['ZZ', '0 ', '$%', '*+', ',-', './', ':A']) assert.deepEqual(parseShortBarcode(`INV-${code}7`, 'INV-'), { code, pk: 7 });
  });
  it('refuses lower case, a space before the digits, missing digits and a wrong prefix', () => {
    assert.equal(parseShortBarcode('inv-pa5', 'INV-'), undefined);
    assert.equal(parseShortBarcode('INV-pa5', 'INV-'), undefined);
    assert.equal(parseShortBarcode('INV-PA 5', 'INV-'), undefined);
    assert.equal(parseShortBarcode('INV-PA', 'INV-'), undefined);
    assert.equal(parseShortBarcode('XINV-PA5', 'INV-'), undefined);
    assert.equal(parseShortBarcode('INV-PA5X', 'INV-'), undefined);
    assert.equal(parseShortBarcode('INV-P5', 'INV-'), undefined);
  });
  it('takes the prefix literally', () => {
    assert.deepEqual(parseShortBarcode('a.b*PA1', 'a.b*'), { code: 'PA', pk: 1 });
    assert.equal(parseShortBarcode('axbbPA1', 'a.b*'), undefined);
  });
  it('reads Unicode decimal digits as Python does', () => {
    assert.deepEqual(parseShortBarcode('INV-PA\u0661\u0662', 'INV-'), { code: 'PA', pk: 12 });
    assert.equal(unicodeDigitsToInt('\uff15'), 5);
    assert.equal(unicodeDigitsToInt('\u{1D7D9}'), 1);
  });
  it('generates prefix + code + pk', () => {
    assert.equal(generateShortBarcode('INV-', 'SL', 5), 'INV-SL5');
    assert.equal(generateShortBarcode('', 'SL', 5), 'SL5');
  });
});

describe('JSON format (§3.2)', () => {
  it('decodes objects only', () => {
    assert.deepEqual(parseJsonObject('{"part": 1}'), { part: 1 });
    assert.equal(parseJsonObject('123456789'), undefined);
    assert.equal(parseJsonObject("['foo', 'bar']"), undefined);
    assert.equal(parseJsonObject('[1, 2]'), undefined);
    assert.equal(parseJsonObject('null'), undefined);
  });

  it('reads an object after JSON whitespace, and only after JSON whitespace (as JSON.parse does)', () => {
    assert.deepEqual(parseJsonObject(' \t\r\n{"part": 1} \n'), { part: 1 });
    // Not JSON whitespace: JSON.parse refuses them, so these are not JSON objects.
    for (const lead of ['\u00a0', '\ufeff', '\u2028', '\u000b', '\u000c', 'x']) assert.equal(parseJsonObject(`${lead}{"part": 1}`), undefined, JSON.stringify(lead));
    assert.equal(parseJsonObject(''), undefined);
    assert.equal(parseJsonObject('   '), undefined);
    assert.equal(parseJsonObject('{"part": 1'), undefined);
    assert.equal(parseJsonObject('{nope'), undefined);
  });
  it('converts values with Python int() semantics', () => {
    assert.equal(pythonInt(5), 5);
    assert.equal(pythonInt('5'), 5);
    assert.equal(pythonInt(' 5 '), 5);
    assert.equal(pythonInt(5.7), 5);
    assert.equal(pythonInt(true), 1);
    assert.equal(pythonInt(false), 0);
    assert.equal(pythonInt('1_000'), 1000);
    assert.equal(pythonInt('-3'), -3);
    assert.equal(pythonInt('5.0'), undefined);
    assert.equal(pythonInt('abc'), undefined);
    assert.equal(pythonInt(null), undefined);
    assert.equal(pythonInt([1]), undefined);
    assert.equal(pythonInt({ a: 1 }), undefined);
  });
  it('generates Python-style JSON with one space after the colon', () => {
    assert.equal(generateJsonBarcode('stocklocation', 5), '{"stocklocation": 5}');
  });
});
