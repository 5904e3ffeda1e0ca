/**
 * GS1 element strings (standards.md §4.1, §4.6 item 3), driven by the AI table in
 * `gs1-ai-table.ts`. Pure: no database, no HTTP. `parseGs1` never throws: bad data is rejected
 * with a reason, never guessed.
 *
 * Accepted forms:
 *  - element strings with FNC1 transmitted as GS (0x1D), with or without a leading AIM
 *    symbology identifier (`]C1`, `]d2`, `]Q3`, `]e0`, `]J1` …; or the identifier that scan
 *    repair removed, passed as `options.symbology`). A GS after a predefined-length value, a
 *    leading GS and a trailing GS are tolerated. Raw data behind a non-GS1 identifier (`]d1`,
 *    `]Q1`, `]E0` …) is refused: that symbol has no FNC1 in first position;
 *  - the GS1 Syntax Engine notation, where `^` stands for FNC1 (`^0112345678901231^991234`);
 *    `^` is outside every GS1 character set, so this cannot be confused with data;
 *  - the bracketed human-readable form `(01)…(10)…` (zxing-wasm's HRI text); `\(` is a
 *    literal bracket inside a value;
 *  - GS1 Digital Link URIs (`https://example.com/01/12312312312333/10/ABC?99=TEST`): the
 *    primary key and its qualifiers in the path (searched from the right, qualifiers in their
 *    allowed order), other AIs as numeric query parameters; values are percent-decoded; other
 *    query parameters (`linkType` …) and the fragment are ignored; a GTIN-8/12/13 in the path
 *    is padded to 14 digits.
 *
 * The input is expected trimmed (scan repair does this); control pictures such as ␝ are not
 * mapped here — they are rejected as characters outside the character set.
 *
 * Two-digit years use GS1's sliding century window: a year more than 50 years ahead of the
 * reference year belongs to the previous century, one 50 or more years behind to the next.
 */
import {
  GS1_AI_PREFIX_LENGTHS,
  gs1Ai,
  gs1AiMatches,
  gs1CharAllowed,
  gs1FixedLength,
  type Gs1AiDefinition,
  type Gs1AiPart,
} from './gs1-ai-table.js';
import { parseSymbologyIdentifier, type SymbologyInfo } from './repair.js';

const GS = '\x1d';

// --- types -------------------------------------------------------------------------------------

export interface Gs1Element {
  ai: string;
  title: string;
  /** The value as it appears in the data (percent-decoded for Digital Link). */
  raw: string;
  /**
   * The interpreted value: `YYYY-MM-DD` for dates (day 00 resolved to the month's last day),
   * `YYYY-MM-DDTHH:MM` for 7003, `YYYY-MM-DD/YYYY-MM-DD` for a 7007 range, a number for counts
   * (30, 37, 7004), measures (310n…369n with n decimals), amounts and percentages; otherwise
   * the raw text (GTINs keep their leading zeros).
   */
  value: string | number;
  /** Unit of a measure (`kg`, `m`, `l` …), `%` for 394n, or the ISO 4217 numeric currency code. */
  unit?: string;
}

export type Gs1Form = 'element-string' | 'hri' | 'digital-link';

export interface Gs1Measure {
  value: number;
  unit: string;
}

export interface Gs1Data {
  ok: true;
  form: Gs1Form;
  /** The AIM symbology identifier (`]d2` …), when known. */
  symbology?: string;
  symbologyName?: string;
  elements: Gs1Element[];
  /** Missing or forbidden AI pairings (reported, not rejected). */
  warnings: string[];
  sscc?: string;
  /** AI 01, 14 digits. */
  gtin?: string;
  /** AI 02: GTIN of the contained trade items. */
  content?: string;
  batch?: string;
  serial?: string;
  /** AI 22, consumer product variant. */
  cpv?: string;
  /** AI 20. */
  variant?: string;
  productionDate?: string;
  dueDate?: string;
  packagingDate?: string;
  bestBefore?: string;
  sellBy?: string;
  /** AI 17 (YYYY-MM-DD). */
  expiry?: string;
  /** AI 7003 (YYYY-MM-DDTHH:MM). */
  expiryTime?: string;
  /** AI 30 when present, else AI 37. */
  quantity?: number;
  /** AI 30. */
  variableCount?: number;
  /** AI 37. */
  count?: number;
  /** AI 400. */
  poNumber?: string;
  /** AI 241. */
  customerPartNumber?: string;
  /** AI 240. */
  additionalId?: string;
  ginc?: string;
  gsin?: string;
  /** AI 410. */
  shipToGln?: string;
  /** AI 414. */
  locationGln?: string;
  grai?: string;
  giai?: string;
  /** 310n (kg), 320n (lb) or 356n (troy oz), the first present. */
  netWeight?: Gs1Measure;
  /** AIs 90–99. */
  internal?: Record<string, string>;
}

export interface Gs1Rejection {
  ok: false;
  reason: string;
  /** The AI the reason is about, when there is one. */
  ai?: string;
  form?: Gs1Form;
  symbology?: string;
}

export type Gs1Result = Gs1Data | Gs1Rejection;

export interface Gs1ParseOptions {
  /** The AIM identifier scan repair removed (`]d2` …); one at the start of the text wins. */
  symbology?: string | null;
  /** Reference date for the century of two-digit years (default: now). */
  today?: Date;
}

// --- check digits and GTINs --------------------------------------------------------------------

function allDigits(text: string): boolean {
  return /^[0-9]+$/.test(text);
}

/** GS1 mod-10 check digit for the digits before it (weights 3, 1, 3 … from the right). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += (body.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether the last digit of a digit string (at least 2 digits) is its GS1 check digit. */
export function gs1CheckDigitValid(digits: string): boolean {
  if (digits.length < 2 || !allDigits(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/** Whether `digits` is a GTIN-8, -12, -13 or -14 with a correct check digit. */
export function gtinCheckDigitValid(digits: string): boolean {
  return [8, 12, 13, 14].includes(digits.length) && gs1CheckDigitValid(digits);
}

/** A GTIN-8/12/13/14 left-padded with zeros to 14 digits; undefined unless it is a valid GTIN. */
export function normalizeGtin(digits: string): string | undefined {
  return gtinCheckDigitValid(digits) ? digits.padStart(14, '0') : undefined;
}

// --- dates -------------------------------------------------------------------------------------

/** The four-digit year of a two-digit GS1 year, by the sliding window around `referenceYear`. */
export function gs1CenturyYear(yy: number, referenceYear: number): number {
  const century = referenceYear - (referenceYear % 100);
  const difference = yy - (referenceYear % 100);
  if (difference >= 51) return century - 100 + yy;
  if (difference <= -50) return century + 100 + yy;
  return century + yy;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// --- parsing -----------------------------------------------------------------------------------

class Reject {
  constructor(
    readonly reason: string,
    readonly ai?: string,
  ) {}
}

interface Context {
  referenceYear: number;
}

function showChar(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp >= 0x21 && cp <= 0x7e) return `'${ch}'`;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0xd800 && cp <= 0xdfff)) return hex;
  return `'${ch}' (${hex})`;
}

const CSET_NOTE: Readonly<Record<string, string>> = { N: ' (digits only)', X: '', Y: ' (CSET 39)' };

function checkDate(ai: string, text: string, dayZeroAllowed: boolean, ctx: Context): string {
  const yy = Number(text.slice(0, 2));
  const mm = Number(text.slice(2, 4));
  const dd = Number(text.slice(4, 6));
  if (mm < 1 || mm > 12) throw new Reject(`month ${text.slice(2, 4)} in AI ${ai}`, ai);
  const year = gs1CenturyYear(yy, ctx.referenceYear);
  const last = daysInMonth(year, mm);
  let day = dd;
  if (dd === 0) {
    if (!dayZeroAllowed) throw new Reject(`day 00 in AI ${ai}`, ai);
    day = last;
  } else if (dd > last) {
    throw new Reject(`day ${text.slice(4, 6)} in AI ${ai} (${year}-${pad(mm, 2)} has ${last} days)`, ai);
  }
  return `${year}-${pad(mm, 2)}-${pad(day, 2)}`;
}

function checkTime(ai: string, text: string): string {
  const hh = Number(text.slice(0, 2));
  const mi = Number(text.slice(2, 4));
  if (hh > 23) throw new Reject(`hour ${text.slice(0, 2)} in AI ${ai}`, ai);
  if (mi > 59) throw new Reject(`minute ${text.slice(2, 4)} in AI ${ai}`, ai);
  return `${text.slice(0, 2)}:${text.slice(2, 4)}`;
}

/** Checks one part's content; returns its interpretation for date and time parts. */
function checkPart(ai: string, part: Gs1AiPart, text: string, ctx: Context): string | undefined {
  for (const ch of text) {
    if (!gs1CharAllowed(part.cset, ch)) {
      throw new Reject(`character ${showChar(ch)} not allowed in AI ${ai}${CSET_NOTE[part.cset]}`, ai);
    }
  }
  switch (part.check) {
    case 'csum':
      if (!gs1CheckDigitValid(text)) {
        const expected = gs1CheckDigit(text.slice(0, -1));
        throw new Reject(`${part.keyName ?? 'GS1'} check digit wrong in AI ${ai} (expected ${expected})`, ai);
      }
      return undefined;
    case 'yymmd0':
      return checkDate(ai, text, true, ctx);
    case 'yymmdd':
      return checkDate(ai, text, false, ctx);
    case 'hhmm':
      return checkTime(ai, text);
    case 'zero':
      if (text !== '0') throw new Reject(`AI ${ai} value must start with 0`, ai);
      return undefined;
    case 'pieceOfTotal': {
      const piece = Number(text.slice(0, 2));
      const total = Number(text.slice(2, 4));
      if (piece < 1 || total < 1 || piece > total) {
        throw new Reject(`piece ${text.slice(0, 2)} of total ${text.slice(2, 4)} in AI ${ai} is not valid`, ai);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function decimalValue(digits: string, decimals: number): number {
  if (decimals === 0) return Number(digits);
  const padded = digits.padStart(decimals + 1, '0');
  return Number(`${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`);
}

/** Validates one AI value and builds its element. */
function buildElement(definition: Gs1AiDefinition, raw: string, ctx: Context): Gs1Element {
  const { ai, parts } = definition;
  if (raw === '') throw new Reject(`empty value for AI ${ai}`, ai);
  let min = 0;
  let max = 0;
  for (const part of parts) {
    if (!part.optional) min += part.min;
    max += part.max;
  }
  const fixed = gs1FixedLength(definition);
  if (raw.length > max) {
    const expected = fixed !== undefined ? `expected ${fixed}` : `at most ${max}`;
    throw new Reject(`AI ${ai} value too long (${raw.length} characters, ${expected})`, ai);
  }
  if (raw.length < min) {
    const expected = fixed !== undefined ? `expected ${fixed}` : `at least ${min}`;
    throw new Reject(`AI ${ai} value too short (${raw.length} character${raw.length === 1 ? '' : 's'}, ${expected})`, ai);
  }

  const texts: string[] = [];
  const interpretations: (string | undefined)[] = [];
  let pos = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as Gs1AiPart;
    const remaining = raw.length - pos;
    if (part.optional && remaining === 0) break;
    const take = i === parts.length - 1 ? remaining : part.max;
    const text = raw.slice(pos, pos + take);
    if (text.length < part.min || text.length > part.max) {
      throw new Reject(`AI ${ai} value has the wrong length (${raw.length} characters)`, ai);
    }
    interpretations.push(checkPart(ai, part, text, ctx));
    texts.push(text);
    pos += take;
  }

  const element: Gs1Element = { ai, title: definition.title, raw, value: raw };
  switch (definition.value) {
    case 'date':
      element.value = interpretations[0] as string;
      break;
    case 'datetime':
      element.value = `${interpretations[0]}T${interpretations[1]}`;
      break;
    case 'dates':
      element.value = interpretations.join('/');
      break;
    case 'integer':
      element.value = Number(raw);
      break;
    case 'decimal':
      element.value = decimalValue(raw, definition.decimals ?? 0);
      if (definition.unit !== undefined) element.unit = definition.unit;
      break;
    case 'currencyDecimal':
      element.value = decimalValue(texts[1] as string, definition.decimals ?? 0);
      element.unit = texts[0] as string;
      break;
    default:
      break;
  }
  return element;
}

function lookupAi(ai: string): Gs1AiDefinition {
  const definition = gs1Ai(ai);
  if (definition === undefined) throw new Reject(`unknown AI ${ai}`, ai);
  return definition;
}

/** Element string with GS as FNC1. */
function parseElementString(data: string, ctx: Context): Gs1Element[] {
  const elements: Gs1Element[] = [];
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === GS) {
      pos++;
      continue;
    }
    const first = data[pos] as string;
    if (first < '0' || first > '9') {
      throw new Reject(`expected an AI at position ${pos}, found ${showChar(String.fromCodePoint(data.codePointAt(pos) as number))}`);
    }
    const prefix = data.slice(pos, pos + 2);
    if (!allDigits(prefix) || prefix.length < 2) throw new Reject(`incomplete AI '${prefix}' at position ${pos}`);
    const length = GS1_AI_PREFIX_LENGTHS.get(prefix);
    if (length === undefined) throw new Reject(`unknown AI ${prefix}`, prefix);
    const ai = data.slice(pos, pos + length);
    if (ai.length < length || !allDigits(ai)) throw new Reject(`incomplete AI '${ai}' at position ${pos}`);
    const definition = lookupAi(ai);
    pos += length;
    let end = pos;
    const limit = definition.predefined ? Math.min(data.length, pos + (gs1FixedLength(definition) as number)) : data.length;
    while (end < limit && data[end] !== GS) end++;
    elements.push(buildElement(definition, data.slice(pos, end), ctx));
    pos = end;
  }
  if (elements.length === 0) throw new Reject('no GS1 element in the data');
  return elements;
}

/** Bracketed human-readable form. */
function parseHri(data: string, ctx: Context): Gs1Element[] {
  const elements: Gs1Element[] = [];
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] !== '(') throw new Reject(`expected '(' at position ${pos}`);
    const close = data.indexOf(')', pos + 1);
    if (close < 0) throw new Reject(`unterminated AI bracket at position ${pos}`);
    const ai = data.slice(pos + 1, close);
    if (!/^[0-9]{2,4}$/.test(ai)) throw new Reject(`bad AI '(${ai.length > 8 ? `${ai.slice(0, 8)}…` : ai})' at position ${pos}`);
    const definition = lookupAi(ai);
    let value = '';
    let i = close + 1;
    while (i < data.length) {
      const ch = data[i] as string;
      if (ch === '\\' && data[i + 1] === '(') {
        value += '(';
        i += 2;
        continue;
      }
      if (ch === '(') break;
      value += ch;
      i++;
    }
    elements.push(buildElement(definition, value, ctx));
    pos = i;
  }
  return elements;
}

// --- Digital Link ------------------------------------------------------------------------------

const DIGITAL_LINK = /^https?:\/\/([^/?#\s]+)([^?#]*)(?:\?([^#]*))?(?:#[\s\S]*)?$/i;

function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Reject('bad percent-encoding in the Digital Link URI');
  }
}

function qualifiersAllowed(alternatives: readonly (readonly string[])[], qualifiers: readonly string[]): boolean {
  return alternatives.some((sequence) => {
    let at = -1;
    for (const qualifier of qualifiers) {
      const next = sequence.indexOf(qualifier, at + 1);
      if (next < 0) return false;
      at = next;
    }
    return true;
  });
}

interface DigitalLinkPath {
  key: number;
  segments: string[];
}

/** Finds the primary key in the path: the rightmost key whose qualifiers are allowed. */
function findDigitalLinkKey(path: string): DigitalLinkPath | string {
  const segments = path.split('/').filter((segment) => segment !== '');
  let problem = 'no GS1 Digital Link primary key in the URI path';
  for (let k = segments.length - 2; k >= 0; k -= 2) {
    const definition = gs1Ai(segments[k] as string);
    if (definition?.dlQualifiers === undefined) continue;
    const qualifiers: string[] = [];
    for (let q = k + 2; q < segments.length; q += 2) qualifiers.push(segments[q] as string);
    if (qualifiersAllowed(definition.dlQualifiers, qualifiers)) return { key: k, segments };
    problem = `Digital Link path qualifiers ${qualifiers.join(', ')} not allowed after AI ${definition.ai}`;
  }
  return problem;
}

function parseDigitalLink(data: string, ctx: Context): Gs1Element[] {
  const m = DIGITAL_LINK.exec(data);
  if (m === null) throw new Reject('not a GS1 Digital Link URI');
  const found = findDigitalLinkKey(m[2] as string);
  if (typeof found === 'string') throw new Reject(found);
  const elements: Gs1Element[] = [];
  for (let k = found.key; k < found.segments.length; k += 2) {
    const definition = lookupAi(found.segments[k] as string);
    let value = percentDecode(found.segments[k + 1] as string);
    if (definition.ai === '01' && /^[0-9]{8}$|^[0-9]{12,13}$/.test(value)) value = value.padStart(14, '0');
    elements.push(buildElement(definition, value, ctx));
  }
  const query = m[3];
  if (query !== undefined && query !== '') {
    for (const parameter of query.split('&')) {
      const eq = parameter.indexOf('=');
      const name = eq < 0 ? parameter : parameter.slice(0, eq);
      if (!/^[0-9]+$/.test(name)) continue;
      const definition = lookupAi(name);
      elements.push(buildElement(definition, percentDecode(eq < 0 ? '' : parameter.slice(eq + 1)), ctx));
    }
  }
  return elements;
}

// --- associations and summary ------------------------------------------------------------------

function checkDuplicates(elements: readonly Gs1Element[]): void {
  const seen = new Map<string, string>();
  for (const element of elements) {
    const before = seen.get(element.ai);
    if (before !== undefined && before !== element.raw) {
      throw new Reject(`AI ${element.ai} appears twice with different values`, element.ai);
    }
    seen.set(element.ai, element.raw);
  }
}

function pairingWarnings(elements: readonly Gs1Element[]): string[] {
  const warnings: string[] = [];
  const ais = [...new Set(elements.map((element) => element.ai))];
  const reported = new Set<string>();
  for (const ai of ais) {
    const definition = gs1Ai(ai) as Gs1AiDefinition;
    for (const group of definition.requires ?? []) {
      if (!ais.some((other) => group.some((pattern) => gs1AiMatches(other, pattern)))) {
        const needed = group.length === 1 ? `AI ${group[0]}` : `one of AIs ${group.join(', ')}`;
        warnings.push(`AI ${ai} (${definition.title}) requires ${needed}`);
      }
    }
    for (const pattern of definition.excludes ?? []) {
      for (const other of ais) {
        if (other === ai || !gs1AiMatches(other, pattern)) continue;
        const pair = [ai, other].sort().join('+');
        if (reported.has(pair)) continue;
        reported.add(pair);
        warnings.push(`AI ${ai} (${definition.title}) must not be used together with AI ${other}`);
      }
    }
  }
  return warnings;
}

type TextField =
  | 'sscc'
  | 'gtin'
  | 'content'
  | 'batch'
  | 'serial'
  | 'cpv'
  | 'variant'
  | 'productionDate'
  | 'dueDate'
  | 'packagingDate'
  | 'bestBefore'
  | 'sellBy'
  | 'expiry'
  | 'expiryTime'
  | 'poNumber'
  | 'customerPartNumber'
  | 'additionalId'
  | 'ginc'
  | 'gsin'
  | 'shipToGln'
  | 'locationGln'
  | 'grai'
  | 'giai';

const TEXT_FIELDS: Readonly<Record<string, TextField>> = {
  '00': 'sscc',
  '01': 'gtin',
  '02': 'content',
  '10': 'batch',
  '21': 'serial',
  '22': 'cpv',
  '20': 'variant',
  '11': 'productionDate',
  '12': 'dueDate',
  '13': 'packagingDate',
  '15': 'bestBefore',
  '16': 'sellBy',
  '17': 'expiry',
  '7003': 'expiryTime',
  '400': 'poNumber',
  '241': 'customerPartNumber',
  '240': 'additionalId',
  '401': 'ginc',
  '402': 'gsin',
  '410': 'shipToGln',
  '414': 'locationGln',
  '8003': 'grai',
  '8004': 'giai',
};

function summarise(data: Gs1Data): void {
  for (const element of data.elements) {
    const field = TEXT_FIELDS[element.ai];
    if (field !== undefined) {
      if (data[field] === undefined) data[field] = String(element.value);
    } else if (element.ai === '30') {
      data.variableCount ??= element.value as number;
    } else if (element.ai === '37') {
      data.count ??= element.value as number;
    } else if (/^(310|320|356)[0-9]$/.test(element.ai)) {
      data.netWeight ??= { value: element.value as number, unit: element.unit as string };
    } else if (/^9[0-9]$/.test(element.ai)) {
      data.internal ??= {};
      data.internal[element.ai] ??= element.raw;
    }
  }
  const quantity = data.variableCount ?? data.count;
  if (quantity !== undefined) data.quantity = quantity;
}

// --- entry points ------------------------------------------------------------------------------

interface Prepared {
  data: string;
  symbology: SymbologyInfo | null;
}

function prepare(text: string, symbologyHint: string | null | undefined): Prepared {
  const own = parseSymbologyIdentifier(text);
  if (own !== null) return { data: text.slice(own.id.length), symbology: own };
  const hint = symbologyHint ? parseSymbologyIdentifier(symbologyHint) : null;
  return { data: text, symbology: hint !== null && hint.id === symbologyHint ? hint : null };
}

function formOf(prepared: Prepared): Gs1Form | 'syntax-engine' | 'plain' {
  const { data, symbology } = prepared;
  if (data.startsWith('(')) return 'hri';
  if (data.startsWith('^')) return 'syntax-engine';
  if (symbology?.gs1 !== true && /^https?:\/\//i.test(data)) return 'digital-link';
  if (symbology !== null && !symbology.gs1) return 'plain';
  return 'element-string';
}

/** Parses GS1 data in any of the accepted forms; never throws. */
export function parseGs1(text: string, options: Gs1ParseOptions = {}): Gs1Result {
  const prepared = prepare(text, options.symbology);
  const form = formOf(prepared);
  const reportedForm: Gs1Form = form === 'syntax-engine' || form === 'plain' ? 'element-string' : form;
  const today = options.today ?? new Date();
  const ctx: Context = { referenceYear: Number.isNaN(today.getTime()) ? new Date().getUTCFullYear() : today.getUTCFullYear() };
  const symbology = prepared.symbology;
  try {
    if (prepared.data === '') throw new Reject('empty input');
    let elements: Gs1Element[];
    if (form === 'plain') {
      throw new Reject(`symbology ${symbology?.id} (${symbology?.name}) does not mark GS1 data`);
    } else if (form === 'hri') {
      elements = parseHri(prepared.data, ctx);
    } else if (form === 'digital-link') {
      elements = parseDigitalLink(prepared.data, ctx);
    } else if (form === 'syntax-engine') {
      elements = parseElementString(prepared.data.replace(/\^/g, GS), ctx);
    } else {
      elements = parseElementString(prepared.data, ctx);
    }
    checkDuplicates(elements);
    const result: Gs1Data = { ok: true, form: reportedForm, elements, warnings: pairingWarnings(elements) };
    if (symbology !== null) {
      result.symbology = symbology.id;
      result.symbologyName = symbology.name;
    }
    summarise(result);
    return result;
  } catch (error) {
    if (!(error instanceof Reject)) throw error;
    const rejection: Gs1Rejection = { ok: false, reason: error.reason, form: reportedForm };
    if (error.ai !== undefined) rejection.ai = error.ai;
    if (symbology !== null) rejection.symbology = symbology.id;
    return rejection;
  }
}

/**
 * A cheap decision for plugins: does this text claim to be GS1? True for a GS1 symbology
 * identifier (in the text or passed in), bracketed HRI starting with a known AI, the `^`
 * notation starting with a known AI prefix, or a Digital Link URI with a primary key in its
 * path. Unmarked raw data counts only when it parses completely and either starts with an
 * SSCC/GTIN (00, 01, 02, 03) or holds at least two elements — a plain EAN-13 such as
 * `4006381333931` would otherwise read as AI 400.
 */
export function looksLikeGs1(text: string, symbology?: string | null): boolean {
  const prepared = prepare(text, symbology);
  const { data } = prepared;
  if (data === '') return false;
  if (prepared.symbology?.gs1 === true) return true;
  const form = formOf(prepared);
  if (form === 'hri') {
    const m = /^\(([0-9]{2,4})\)/.exec(data);
    return m !== null && gs1Ai(m[1] as string) !== undefined;
  }
  if (form === 'syntax-engine') {
    const m = /^\^([0-9]{2})/.exec(data);
    return m !== null && GS1_AI_PREFIX_LENGTHS.has(m[1] as string);
  }
  if (form === 'digital-link') {
    const m = DIGITAL_LINK.exec(data);
    return m !== null && typeof findDigitalLinkKey(m[2] as string) !== 'string';
  }
  if (form === 'plain' || data[0] === undefined || data[0] < '0' || data[0] > '9') return false;
  const result = parseGs1(data);
  if (!result.ok) return false;
  return result.elements.length >= 2 || ['00', '01', '02', '03'].includes(result.elements[0]?.ai as string);
}
