/** Parser-level cases of supplier-barcodes.md §9.1 and the hash vectors of §5.4. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { barcodeHash } from '../../src/barcode/formats/hash.js';
import { parseEcia } from '../../src/barcode/formats/iso15434.js';
import { isLcscBarcode, parseLcsc } from '../../src/barcode/formats/lcsc.js';
import { isTmeQr, parseTme } from '../../src/barcode/formats/tme.js';
import { mouserFields } from '../../src/barcode/plugins/suppliers.js';
import {
  DIGIKEY_7637,
  DIGIKEY_BARCODE,
  DIGIKEY_BARCODE_2,
  DIGIKEY_BARCODE_3,
  LCSC_BARCODE,
  MOUSER_BARCODE,
  MOUSER_BARCODE_OLD,
  TME_DATAMATRIX_CODE,
  TME_QRCODE,
} from './samples.js';

describe('ISO 15434 / ECIA parser', () => {
  it('1. DigiKey: seven fields, unused identifiers ignored', () => {
    assert.deepEqual(parseEcia(DIGIKEY_BARCODE), {
      supplier_part_number: '296-LM358BIDDFRCT-ND',
      manufacturer_part_number: 'LM358BIDDFR',
      customer_order_number: '',
      supplier_order_number: '72991337',
      packing_list_number: '1',
      country_of_origin: 'PH',
      quantity: '10',
    });
  });
  it('2. DigiKey 30P: SKU, no MPN', () => {
    assert.deepEqual(parseEcia(DIGIKEY_BARCODE_2), {
      supplier_part_number: '296-LM358BIDDFRCT-ND',
      customer_order_number: '',
      supplier_order_number: '72991337',
      packing_list_number: '1',
      country_of_origin: 'PH',
      quantity: '10',
    });
  });
  it('3. the later of P and 30P wins', () => {
    const f = parseEcia(DIGIKEY_BARCODE_3);
    assert.equal(f.supplier_part_number, 'nonsense');
    assert.equal(f.manufacturer_part_number, 'nonsense');
  });
  it('4. issue #7637: 30P overrides P182, RS EOT trailer removed', () => {
    assert.deepEqual(parseEcia(DIGIKEY_7637), {
      supplier_part_number: '455-1720-ND',
      manufacturer_part_number: 'S3B-PH-K-S',
      customer_order_number: '',
      supplier_order_number: '87684816',
      date_code: '2022-05',
      lot_code: 'S30784-17',
      packing_list_number: '1',
      country_of_origin: 'MY',
      quantity: '2',
    });
  });
  it('5. Mouser: K and 14K; the Mouser rule copies K to the supplier order number', () => {
    const parsed = parseEcia(MOUSER_BARCODE);
    assert.deepEqual(parsed, {
      customer_order_number: 'P0-1337',
      purchase_order_line: '011',
      manufacturer_part_number: 'MC34063ADR',
      quantity: '3',
      packing_list_number: '073121337',
      country_of_origin: 'MX',
      manufacturer: 'TI',
    });
    assert.equal(mouserFields(MOUSER_BARCODE).supplier_order_number, 'P0-1337');
  });
  it('6. the legacy Mouser header is normalised', () => {
    assert.deepEqual(mouserFields(MOUSER_BARCODE_OLD), {
      customer_order_number: '21421337',
      purchase_order_line: '033',
      manufacturer_part_number: 'LDK320ADU33R',
      quantity: '32',
      packing_list_number: '060931337',
      country_of_origin: 'CN',
      manufacturer: 'STMicro',
      supplier_order_number: '21421337',
    });
  });
  it('Mouser labels without K or Q lose just those fields', () => {
    const noK = mouserFields(MOUSER_BARCODE.replace('\x1dKP0-1337', ''));
    assert.equal(noK.customer_order_number, undefined);
    assert.equal(noK.supplier_order_number, undefined);
    assert.equal(noK.manufacturer_part_number, 'MC34063ADR');
    assert.equal(mouserFields(MOUSER_BARCODE.replace('\x1dQ3', '')).quantity, undefined);
  });
  it('7. an empty K is kept as ""', () => {
    assert.deepEqual(parseEcia('[)>\x1e06\x1dK\x1d1K123'), { customer_order_number: '', supplier_order_number: '123' });
  });
  it('8–10. anything without the exact header gives no fields', () => {
    assert.deepEqual(parseEcia('[)>06\x1dP1'), {});
    assert.deepEqual(parseEcia(LCSC_BARCODE), {});
    assert.deepEqual(parseEcia(TME_QRCODE), {});
    assert.deepEqual(parseEcia(` ${DIGIKEY_BARCODE}`), {});
  });
});

describe('LCSC parser', () => {
  it('11. extracts the four known keys', () => {
    assert.deepEqual(parseLcsc(LCSC_BARCODE), {
      manufacturer_part_number: 'ST-1-102-A01-T000-RS',
      supplier_part_number: 'C312270',
      quantity: '2',
      supplier_order_number: 'SO2009291337',
    });
  });
  it('12. refuses malformed labels; a repeated key takes the later value', () => {
    for (const text of ['{a:b,}', '{a:b:c}', '{:b}', '{a}']) assert.deepEqual(parseLcsc(text), {}, text);
    assert.deepEqual(parseLcsc('{pc:C1,pc:C2}'), { supplier_part_number: 'C2' });
  });
  it('recognises exactly the shapes of §3.3', () => {
    const cases: [string, boolean][] = [
      ['{a:b}', true],
      ['{a:}', true],
      ['{:b}', false],
      ['{a:b,}', false],
      ['{a:b,c:d}', true],
      ['{a:b:c}', false],
      ['{ a : b }', true],
      ['{a}', false],
    ];
    for (const [text, ok] of cases) assert.equal(isLcscBarcode(text), ok, text);
    assert.deepEqual(parseLcsc('{ pc : C1 }'), {});
  });
});

describe('TME parser', () => {
  it('13. QR text', () => {
    assert.deepEqual(parseTme(TME_QRCODE), {
      quantity: '1',
      supplier_part_number: 'WBP-302',
      supplier_order_number: '19361337',
      customer_order_number: 'PO-2023-06-08-001337',
      manufacturer_part_number: 'WBP-302',
    });
  });
  it('14. the old 2D format keeps the slash in K', () => {
    assert.deepEqual(parseTme(TME_DATAMATRIX_CODE), {
      supplier_part_number: 'WBP-302',
      manufacturer_part_number: 'MPNWBP-302',
      quantity: '1',
      customer_order_number: '19361337/1',
    });
  });
  it('15. reaches its ISO 15434 branch (D14)', () => {
    assert.deepEqual(parseTme(DIGIKEY_BARCODE), parseEcia(DIGIKEY_BARCODE));
  });
  it('16. splits items on the first colon instead of failing (D14)', () => {
    assert.deepEqual(parseTme('a:b c:d:e'), {});
    assert.deepEqual(parseTme('QTY:2 PN:AB:CD'), { quantity: '2', supplier_part_number: 'AB:CD' });
  });
  it('recognises the QR shape as InvenTree does', () => {
    const cases: [string, boolean][] = [
      ['QTY:1 X', true],
      ['QTY:1', false],
      ['X QTY:1', false],
      ['a:b:c d', false],
      ['a:b c:d:e', true],
      ['QTY:1\tPN:X', true],
      [':b c', false],
      ['a: c', false],
    ];
    for (const [text, ok] of cases) assert.equal(isTmeQr(text), ok, text);
  });
  it('cuts a supplier order number at its first slash', () => {
    assert.equal(parseTme('QTY:1 PO:123/4/5').supplier_order_number, '123');
  });
});

describe('supplier label hashes (§5.4)', () => {
  const vectors: [string, string, string][] = [
    ['DIGIKEY_7637', DIGIKEY_7637, '41426d2aeca6432f71b14960f7a9fee5'],
    ['DIGIKEY_BARCODE', DIGIKEY_BARCODE, '9a599c571f304b44fe32c466c5142a1e'],
    ['DIGIKEY_BARCODE_2', DIGIKEY_BARCODE_2, '7dde8c4c0f84704e503dc1010208edef'],
    ['DIGIKEY_BARCODE_3', DIGIKEY_BARCODE_3, 'a7e4a06f89efe50d9f164df5f6add862'],
    ['MOUSER_BARCODE', MOUSER_BARCODE, '7ba170f11aeabf663c63a65f363411b0'],
    ['MOUSER_BARCODE_OLD', MOUSER_BARCODE_OLD, '6cc20b0be1564dc063d723fcebd2d18d'],
    ['LCSC_BARCODE', LCSC_BARCODE, '373ebd42854d7fa105b56dd561d91805'],
    ['TME_QRCODE', TME_QRCODE, 'f5959a35ae744c468ea5001aa6dde373'],
    ['TME_DATAMATRIX_CODE', TME_DATAMATRIX_CODE, '687f24fd4a3d2e18f53b07bb6210cea9'],
  ];
  for (const [name, text, hash] of vectors) it(`17. ${name}`, () => assert.equal(barcodeHash(text), hash));
  it('18. control characters do not change the hash', () => {
    assert.equal(barcodeHash('[)>\x1e06\x1dPX'), barcodeHash('[)>06PX'));
  });
});
