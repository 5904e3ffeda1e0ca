/**
 * Shared fast-check arbitraries for the robustness tests: hostile barcode text (full Unicode,
 * lone surrogates, control characters, ISO 15434 separators, AIM symbology identifiers,
 * fragments of every format the parsers know), and the seed every property runs with.
 *
 * The seed comes from FUZZ_SEED when set (to replay a failure), otherwise it is drawn once per
 * process; every failure message names it.
 */
import fc from 'fast-check';

export const FUZZ_SEED: number = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : (Date.now() ^ (process.pid << 8)) >>> 0;

/** The longest barcode the API accepts (barcode-api.md §1.2). */
export const MAX_BARCODE = 4095;

/** Runs a property with the shared seed; a failure reports it, and how to replay it. */
export function check<T>(property: fc.IProperty<T> | fc.IAsyncProperty<T>, numRuns: number): Promise<void> | void {
  const params: fc.Parameters<T> = { seed: FUZZ_SEED, numRuns };
  const report = (error: unknown): never => {
    let text = error instanceof Error ? error.message : String(error);
    const cause = error instanceof Error ? error.cause : undefined;
    if (cause !== undefined) text += `\ncause: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`;
    throw new Error(`property failed with FUZZ_SEED=${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED} node scripts/run-tests.js test/robustness)\n${text}`);
  };
  if (property.isAsync()) return fc.assert(property as fc.IAsyncProperty<T>, params).catch(report);
  try {
    fc.assert(property as fc.IProperty<T>, params);
  } catch (error) {
    report(error);
  }
}

const fromCodes = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCharCode(c));

/** One lone surrogate half (an invalid UTF-16 code unit on its own). */
export const loneSurrogate = fromCodes(0xd800, 0xdfff);

/** C0 controls and DEL, with GS/RS/EOT/NUL weighted up. */
export const control = fc.oneof(fromCodes(0x00, 0x1f), fc.constantFrom('\x00', '\x1d', '\x1e', '\x04', '\x7f', '\r', '\n', '\t'));

/** Any Unicode code point (surrogate pairs for the astral planes). */
export const anyCodePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });

/** Fragments of the formats: identifiers, headers, keys, codes, digits of other scripts. */
export const formatToken = fc.constantFrom(
  ']d2', ']Q3', ']C1', ']e0', ']J1', ']d1', ']Q1', ']E0', ']X0', ']z', ']',
  '[)>\x1e06\x1d', '[)>06\x1d', '>[)>06\x1d', '\x1e\x04', '[)>', '\x1d', '\x1e', '\x04',
  '␝', '␞', '␄',
  'INV-', 'PA', 'SL', 'SI', 'BO', 'MP', 'SP', 'PO', 'SO', 'SS', 'RO', 'ZZ',
  '{', '}', '"', ':', ',', '[', ']', '{"part": ', '{"stockitem": "', '1_000', '-', '+', '1e309', 'NaN',
  '{pbn:', 'pc:', 'pm:', 'qty:', 'on:', 'QTY:', ' PN:', ' PO:', ' MPN:', ' CPO:', '/',
  '(01)', '(10)', '(17)', '(21)', '(30)', '(3103)', '(7003)', '(99)', '\\(', '^01', '^',
  '01', '10', '17', '21', '00', '400', '3103', '7007', '8200',
  'https://id.example/01/', '09506000134352', '/10/', '/21/', '?99=', '%', '%2F', '%zz', '#',
  '1P', '30P', '1K', '11K', '4K', 'Q', '1T', '9D', 'K', 'P',
  '٣', '۹', '߀', '१', '𝟗', '０', '½', 'Ⅻ',
  '\u00a0', '\u2028', '\u200b', '\ufeff', '\u0085', '\u3000', ' ', 'ß', '@', '“', '”',
  '0', '1', '9', '12345678901234567890',
);

const printable = fromCodes(0x20, 0x7e);

/** One unit of hostile text. */
export const hostileUnit = fc.oneof(
  { arbitrary: printable, weight: 6 },
  { arbitrary: formatToken, weight: 5 },
  { arbitrary: control, weight: 2 },
  { arbitrary: anyCodePoint, weight: 3 },
  { arbitrary: loneSurrogate, weight: 1 },
);

/** Cuts to at most `max` UTF-16 code units (a cut may split a pair: one more lone surrogate). */
const cut = (max: number) => (text: string) => (text.length > max ? text.slice(0, max) : text);

/**
 * Hostile text of at most `max` code units: mostly short (where the interesting structure is),
 * sometimes near the limit.
 */
export function hostileString(max = MAX_BARCODE): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.string({ unit: hostileUnit, maxLength: 80 }).map(cut(max)), weight: 8 },
    { arbitrary: fc.string({ unit: hostileUnit, minLength: 200, maxLength: 1500 }).map(cut(max)), weight: 1 },
    { arbitrary: fc.string({ unit: hostileUnit, minLength: max - 10, maxLength: max }).map(cut(max)), weight: 1 },
  );
}

/** Arbitrary Unicode text including lone surrogates and controls (for the hash). */
export const randomUnicode = fc.string({
  unit: fc.oneof({ arbitrary: anyCodePoint, weight: 8 }, { arbitrary: loneSurrogate, weight: 1 }, { arbitrary: control, weight: 2 }, { arbitrary: formatToken, weight: 2 }),
  maxLength: 300,
});
