import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGs1 } from '../../src/barcode/formats/gs1.js';
import { parseSymbologyIdentifier, repairScan, type RepairOptions, type RepairedScan } from '../../src/barcode/formats/repair.js';

const GS = '\x1d';
const RS = '\x1e';
const EOT = '\x04';

/** The internal-format check the server supplies: a JSON object, or `INV-` + code + digits. */
function isInternal(text: string): boolean {
  if (/^INV-[0-9A-Z $%*+,\-./:]{2}[0-9]+$/.test(text)) return true;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

function repair(input: string, options: RepairOptions = {}): RepairedScan {
  return repairScan(input, { isInternal, ...options });
}

function kinds(result: RepairedScan): string[] {
  return result.repairs.map((r) => r.kind);
}

/** The DigiKey label of InvenTree #7637 (standards.md §4.7), with real control characters. */
const DIGIKEY_7637 =
  `[)>${RS}06${GS}P182${GS}1PS3B-PH-K-S${GS}30P455-1720-ND${GS}K${GS}1K87684816${GS}10K105867004${GS}9D2022-05${GS}` +
  `1TS30784-17${GS}11K1${GS}4LMY${GS}Q2${GS}11ZPICK${GS}12Z926627${GS}13Z999999${GS}20Z${'0'.repeat(101)}${RS}${EOT}`;

function asControlPictures(text: string): string {
  return text.replace(/\x1d/g, '\u241d').replace(/\x1e/g, '\u241e').replace(/\x04/g, '\u2404');
}

describe('AIM symbology identifiers (§4.2)', () => {
  it('recognises the identifiers of the table, with names and the GS1 flag', () => {
    const expected: [string, string, boolean][] = [
      [']C0', 'Code 128', false],
      [']C1', 'GS1-128', true],
      [']C2', 'Code 128 (FNC1 in second position)', false],
      [']d1', 'Data Matrix', false],
      [']d2', 'GS1 DataMatrix', true],
      [']d4', 'Data Matrix (ECI)', false],
      [']d5', 'GS1 DataMatrix (ECI)', true],
      [']Q0', 'QR Code model 1', false],
      [']Q1', 'QR Code', false],
      [']Q3', 'GS1 QR Code', true],
      [']e0', 'GS1 DataBar', true],
      [']J0', 'DotCode', false],
      [']J1', 'GS1 DotCode', true],
      [']E0', 'EAN-13 / UPC-A / UPC-E', false],
      [']E3', 'EAN-13 / UPC-A / UPC-E with add-on', false],
      [']E4', 'EAN-8', false],
      [']A0', 'Code 39', false],
      [']I0', 'Interleaved 2 of 5', false],
      [']I1', 'Interleaved 2 of 5 (check digit validated)', false],
      [']L2', 'PDF417', false],
    ];
    for (const [id, name, gs1] of expected) {
      assert.deepEqual(parseSymbologyIdentifier(`${id}DATA`), { id, name, gs1 }, id);
    }
  });

  it('leaves text alone that does not start with a known identifier', () => {
    for (const text of ['', ']', ']d', ']W1abc', ']d-abc', 'x]d2abc', '[)>']) {
      assert.equal(parseSymbologyIdentifier(text), null, text);
    }
  });

  for (const [prefix, name] of [
    [']d2', 'GS1 DataMatrix'],
    [']C1', 'GS1-128'],
    [']Q3', 'GS1 QR Code'],
  ] as const) {
    it(`repairScan strips and records ${prefix}`, () => {
      const r = repair(`${prefix}011231231231233310ABC123${GS}99TESTING`);
      assert.equal(r.normalized, `011231231231233310ABC123${GS}99TESTING`);
      assert.deepEqual(r.symbology, { id: prefix, name, gs1: true });
      assert.deepEqual(r.repairs, [{ kind: 'symbology-identifier', detail: `${prefix} (${name}) removed` }]);
      const parsed = parseGs1(r.normalized, { symbology: r.symbology?.id });
      assert.ok(parsed.ok);
      assert.equal(parsed.symbology, prefix);
      assert.equal(parsed.gtin, '12312312312333');
    });
  }

  it('a non-GS1 identifier is stripped too, and says so', () => {
    const r = repair(']Q1{"part": 9}');
    assert.equal(r.normalized, '{"part": 9}');
    assert.deepEqual(r.symbology, { id: ']Q1', name: 'QR Code', gs1: false });
  });

  it('whitespace: trimmed before the identifier is looked for, and the data after it trimmed again', () => {
    const r = repair(` \r]d2${GS}0112345678901231${GS}\n`);
    assert.equal(r.symbology?.id, ']d2');
    assert.equal(r.normalized, '0112345678901231');
    assert.equal(repair(']Q1  INV-PA9 ').normalized, 'INV-PA9');
  });

  it('can be turned off', () => {
    const r = repair(']d20112345678901231', { symbologyIdentifier: false });
    assert.equal(r.normalized, ']d20112345678901231');
    assert.equal(r.symbology, null);
    assert.deepEqual(r.repairs, []);
  });
});

describe('control pictures and ISO 15434 headers (§4.5)', () => {
  it('the DigiKey label as zxing HRI text equals the control-character form', () => {
    const pictures = asControlPictures(DIGIKEY_7637);
    assert.notEqual(pictures, DIGIKEY_7637);
    assert.equal(DIGIKEY_7637.length, 235);
    const r = repair(pictures);
    assert.equal(r.normalized, DIGIKEY_7637);
    assert.equal(r.input, pictures);
    assert.deepEqual(r.repairs, [{ kind: 'control-pictures', detail: '␝ → GS ×15, ␞ → RS ×2, ␄ → EOT ×1' }]);
    // the control-character form itself needs no repair
    const untouched = repair(DIGIKEY_7637);
    assert.equal(untouched.normalized, DIGIKEY_7637);
    assert.deepEqual(untouched.repairs, []);
  });

  it('GS1 data with ␝ becomes parseable', () => {
    const r = repair('011231231231233310ABC123\u241d99TESTING');
    assert.equal(r.normalized, `011231231231233310ABC123${GS}99TESTING`);
    const parsed = parseGs1(r.normalized);
    assert.ok(parsed.ok);
    assert.equal(parsed.batch, 'ABC123');
    assert.deepEqual(parsed.internal, { '99': 'TESTING' });
  });

  it('a ␝ at the end is trimmed like a real GS', () => {
    assert.equal(repair('0112345678901231\u241d').normalized, '0112345678901231');
  });

  it('[)>06 + GS without the RS gets its RS back (with real GS or with ␝)', () => {
    const r = repair(`[)>06${GS}P123${GS}Q4${RS}${EOT}`);
    assert.equal(r.normalized, `[)>${RS}06${GS}P123${GS}Q4${RS}${EOT}`);
    assert.deepEqual(r.repairs, [{ kind: 'iso15434-header', detail: 'RS inserted after [)> (format 06)' }]);
    const p = repair('[)>06\u241dP123\u241dQ4');
    assert.equal(p.normalized, `[)>${RS}06${GS}P123${GS}Q4`);
    assert.deepEqual(kinds(p), ['control-pictures', 'iso15434-header']);
  });

  it('the old Mouser header and complete headers are left alone', () => {
    const mouser = `>[)>06${GS}K21421337${GS}14K033${GS}Q32`;
    assert.equal(repair(mouser).normalized, mouser);
    assert.deepEqual(repair(mouser).repairs, []);
    assert.deepEqual(repair(`[)>${RS}06${GS}P1`).repairs, []);
  });

  it('each family can be turned off', () => {
    const pictures = asControlPictures(DIGIKEY_7637);
    assert.equal(repair(pictures, { controlPictures: false }).normalized, pictures);
    assert.equal(repair(`[)>06${GS}P1`, { iso15434Header: false }).normalized, `[)>06${GS}P1`);
  });
});

describe('EOT terminators', () => {
  it('a trailing EOT after a code that is not an ISO 15434 message is removed', () => {
    const r = repair(`{"part": 9}${EOT}`);
    assert.equal(r.normalized, '{"part": 9}');
    assert.deepEqual(r.repairs, [{ kind: 'terminator', detail: 'trailing EOT removed' }]);
    assert.equal(repair(`INV-PA9\u2404`).normalized, 'INV-PA9');
  });
  it('the EOT ending an ISO 15434 message stays; the option turns the repair off', () => {
    assert.equal(repair(DIGIKEY_7637).normalized.endsWith(`${RS}${EOT}`), true);
    assert.equal(repair(`INV-PA9${EOT}`, { terminator: false }).normalized, `INV-PA9${EOT}`);
  });
});

describe('keyboard-layout repairs (§4.5, #10589, #4608)', () => {
  it('UK layout: {@part@: 9} → {"part": 9}', () => {
    const r = repair('{@part@: 9}');
    assert.equal(r.normalized, '{"part": 9}');
    assert.deepEqual(r.repairs, [{ kind: 'uk-layout', detail: 'UK keyboard layout: @ ↔ "' }]);
  });

  it('smart quotes: {“stocklocation”: 1} → {"stocklocation": 1}', () => {
    const r = repair('{“stocklocation”: 1}');
    assert.equal(r.normalized, '{"stocklocation": 1}');
    assert.deepEqual(r.repairs, [{ kind: 'smart-quotes', detail: 'typographic quotes “ ” „ ‟ → "' }]);
    assert.equal(repair('{„part“: 9}').normalized, '{"part": 9}');
  });

  it('German layout: INVßPA9 → INV-PA9', () => {
    const r = repair('INVßPA9');
    assert.equal(r.normalized, 'INV-PA9');
    assert.deepEqual(kinds(r), ['german-layout']);
  });

  it('families combine when no single one is enough', () => {
    const r = repair('{“part@: 9}');
    assert.equal(r.normalized, '{"part": 9}');
    assert.deepEqual(kinds(r), ['uk-layout', 'smart-quotes']);
  });

  it('only when the repaired text then parses as an internal barcode', () => {
    for (const text of ['user@example.com', '{@part: 9', 'Straße 5', '“quoted”', '{"part": 9}', 'INV-PA9']) {
      const r = repair(text);
      assert.equal(r.normalized, text, text);
      assert.deepEqual(r.repairs, [], text);
    }
  });

  it('not without an internal-format check, and not when the family is off', () => {
    assert.equal(repairScan('{@part@: 9}').normalized, '{@part@: 9}');
    assert.equal(repair('{@part@: 9}', { ukLayout: false }).normalized, '{@part@: 9}');
    assert.equal(repair('{“stocklocation”: 1}', { smartQuotes: false }).normalized, '{“stocklocation”: 1}');
    assert.equal(repair('INVßPA9', { germanLayout: false }).normalized, 'INVßPA9');
  });

  it('a check that throws counts as "not internal"', () => {
    const throwing = (): boolean => {
      throw new Error('boom');
    };
    const r = repairScan('{@part@: 9}\nINV-PA2', { isInternal: throwing });
    assert.equal(r.normalized, '{@part@: 9}');
    assert.deepEqual(r.rest, ['INV-PA2']);
  });

  it('the internal-format check decides, so the prefix can vary', () => {
    const custom = (text: string): boolean => /^ABC-[A-Z]{2}[0-9]+$/.test(text);
    assert.equal(repairScan('ABCßPA9', { isInternal: custom }).normalized, 'ABC-PA9');
    assert.equal(repairScan('INVßPA9', { isInternal: custom }).normalized, 'INVßPA9');
  });
});

describe('bursts of several codes (inventree-app#625)', () => {
  it('uses the first code and reports the rest', () => {
    const r = repair('INV-PA1\nINV-PA2\r\n\r\n  INV-SL3  \r');
    assert.equal(r.normalized, 'INV-PA1');
    assert.deepEqual(r.rest, ['INV-PA2', 'INV-SL3']);
    assert.deepEqual(r.repairs, [{ kind: 'burst', detail: '3 codes separated by line breaks; the first is used' }]);
  });

  it('repairs the first code after the split (identifier, control pictures)', () => {
    const r = repair(']d20112345678901231\u241d10A\n]d20112345678901231\u241d10B');
    assert.equal(r.normalized, `0112345678901231${GS}10A`);
    assert.equal(r.symbology?.id, ']d2');
    assert.deepEqual(r.rest, [']d20112345678901231\u241d10B']);
    assert.deepEqual(kinds(r), ['burst', 'symbology-identifier', 'control-pictures']);
  });

  it('a single code with trailing line breaks is no burst', () => {
    const r = repair('INV-PA1\r\n');
    assert.equal(r.normalized, 'INV-PA1');
    assert.deepEqual(r.rest, []);
    assert.deepEqual(r.repairs, []);
  });

  it('a multi-line internal JSON barcode is not split', () => {
    const r = repair('{\n  "part": 9\n}');
    assert.equal(r.normalized, '{\n  "part": 9\n}');
    assert.deepEqual(r.rest, []);
  });

  it('can be turned off', () => {
    const r = repair('INV-PA1\nINV-PA2', { burst: false });
    assert.equal(r.normalized, 'INV-PA1\nINV-PA2');
    assert.deepEqual(r.rest, []);
  });
});

describe('repairScan in general', () => {
  it('returns the input unchanged, the normalised text trimmed with Python\'s whitespace set', () => {
    const r = repairScan(`\x1c\x1f {"stockitem": 1}\x85\n`);
    assert.equal(r.input, `\x1c\x1f {"stockitem": 1}\x85\n`);
    assert.equal(r.normalized, '{"stockitem": 1}');
    assert.deepEqual(r.repairs, []);
    assert.equal(r.symbology, null);
    assert.deepEqual(r.rest, []);
    // U+FEFF is not whitespace for Python
    assert.equal(repairScan('\ufeffINV-PA9').normalized, '\ufeffINV-PA9');
  });

  it('leaves the supplier formats alone', () => {
    for (const text of [
      '{pbn:PICK2009291337,on:SO2009291337,pc:C312270,pm:ST-1-102-A01-T000-RS,qty:2,mc:,cc:1,pdi:34421807}',
      'QTY:1 PN:WBP-302 PO:19361337/1 CPO:PO-2023-06-08-001337 MFR:WISHERENTERPRISE MPN:WBP-302 RoHS https://www.tme.eu/details/WBP-302',
      'PWBP-302 1PMPNWBP-302 Q1 K19361337/1',
      `[)>${RS}06${GS}KP0-1337${GS}14K011${GS}1PMC34063ADR${GS}Q3${GS}11K073121337${GS}4LMX${GS}1VTI${RS}${EOT}`,
    ]) {
      const r = repair(text);
      assert.equal(r.normalized, text);
      assert.deepEqual(r.repairs, []);
    }
  });

  it('never throws', () => {
    let seed = 99;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pieces = [']', 'd', '2', 'Q', '1', '[)>', '06', GS, RS, EOT, '\u241d', '\u241e', '\u2404', '\n', '\r', ' ', '{', '}', '@', '"', '“', 'ß', 'INV-', 'PA', '9', '\ud800', '😀', '\x85'];
    for (let i = 0; i < 10000; i++) {
      let text = '';
      const count = Math.floor(next() * 16);
      for (let j = 0; j < count; j++) text += pieces[Math.floor(next() * pieces.length)];
      const r = repair(text);
      assert.equal(r.input, text);
      assert.equal(typeof r.normalized, 'string');
    }
  });
});
