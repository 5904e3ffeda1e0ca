/**
 * InvenTree's two internal barcode formats (barcode-api.md §3.2–§3.4), both directions.
 * Pure: no database, no HTTP.
 *
 * - Short: `<prefix><code><digits>`, e.g. `INV-PA12`. The prefix is literal (and may be empty),
 *   the code is exactly two characters of `[0-9A-Z $%*+,-./:]` (InvenTree's class, comma
 *   included), the digits run to the end and may be any Unicode decimal digits, as Python's
 *   `\d` and `int()` accept them.
 * - JSON: an object whose key is a model type and whose value converts to an integer the way
 *   Python's `int()` does; `{"part": 10}` with one space after the colon when generated.
 */
import { pythonStrip } from '../../text/python-strip.js';

// --- Unicode decimal digits --------------------------------------------------------------------

const ND = /^\p{Nd}$/u;
let digitValues: Map<number, number> | undefined;

/** Value of every Unicode decimal digit (category Nd): digits come in runs of ten from 0 to 9. */
function digitTable(): Map<number, number> {
  if (digitValues !== undefined) return digitValues;
  const table = new Map<number, number>();
  let runStart = -1;
  for (let cp = 0; cp <= 0x1ffff; cp++) {
    if (ND.test(String.fromCodePoint(cp))) {
      if (runStart < 0) runStart = cp;
      table.set(cp, (cp - runStart) % 10);
    } else {
      runStart = -1;
    }
  }
  digitValues = table;
  return table;
}

/** Python `int()` of a string of Unicode decimal digits (no sign, no spaces). */
export function unicodeDigitsToInt(digits: string): number | undefined {
  if (/^[0-9]+$/.test(digits)) {
    const n = Number(digits);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  const table = digitTable();
  let n = 0;
  for (const ch of digits) {
    const v = table.get(ch.codePointAt(0) as number);
    if (v === undefined) return undefined;
    n = n * 10 + v;
    if (!Number.isSafeInteger(n)) return undefined;
  }
  return n;
}

// --- Short format ------------------------------------------------------------------------------

/** InvenTree's code class `[0-9A-Z $%*+-./:]`, where `+-.` is a range that includes the comma. */
const CODE_CLASS = '[0-9A-Z $%*+,\\-./:]';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const shortRegexCache = new Map<string, RegExp>();

function shortRegex(prefix: string): RegExp {
  let re = shortRegexCache.get(prefix);
  if (re === undefined) {
    re = new RegExp(`^${escapeRegex(prefix)}(${CODE_CLASS}{2})(\\p{Nd}+)$`, 'u');
    if (shortRegexCache.size > 64) shortRegexCache.clear();
    shortRegexCache.set(prefix, re);
  }
  return re;
}

export interface ShortBarcode {
  code: string;
  /** The number, or undefined when it is too large to be any key. */
  pk: number | undefined;
}

/** Parses `<prefix><code><digits>`; undefined when the text does not have that shape. */
export function parseShortBarcode(text: string, prefix: string): ShortBarcode | undefined {
  const m = shortRegex(prefix).exec(text);
  if (m === null) return undefined;
  return { code: m[1] as string, pk: unicodeDigitsToInt(m[2] as string) };
}

export function generateShortBarcode(prefix: string, code: string, pk: number): string {
  return `${prefix}${code}${pk}`;
}

// --- JSON format -------------------------------------------------------------------------------

/** JSON's whitespace: space, tab, line feed, carriage return. */
function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/**
 * The decoded JSON object, or undefined when the text is not a JSON object. A text whose first
 * character after JSON whitespace is not `{` cannot be one, and is answered without
 * `JSON.parse`: most barcodes are not JSON, and a failed parse throws (an exception with its
 * stack, several microseconds per scan).
 */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  let start = 0;
  while (start < text.length && isJsonSpace(text.charCodeAt(start))) start++;
  if (text.charCodeAt(start) !== 0x7b) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}

const PY_INT_TEXT = /^[+-]?\p{Nd}+(?:_\p{Nd}+)*$/u;

/**
 * Python's `int(value)` for a decoded JSON value: ints as they are, floats truncated, booleans
 * as 1/0, text with optional sign, surrounding whitespace and `_` separators. Undefined where
 * Python raises (ValueError for bad text, TypeError for null, lists and objects — Stockscan
 * treats both as "not this model" instead of failing, so such a barcode can still be linked
 * and found).
 */
export function pythonInt(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    const n = Math.trunc(value);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = pythonStrip(value);
  if (!PY_INT_TEXT.test(text)) return undefined;
  const negative = text.startsWith('-');
  const digits = text.replace(/^[+-]/, '').replace(/_/g, '');
  const n = unicodeDigitsToInt(digits);
  return n === undefined ? undefined : negative ? -n : n;
}

/** The JSON form InvenTree generates: `{"<model type>": <pk>}` with Python's spacing. */
export function generateJsonBarcode(modelType: string, pk: number): string {
  return `{${JSON.stringify(modelType)}: ${pk}}`;
}
