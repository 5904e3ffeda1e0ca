/**
 * The GS1 Application Identifier table the GS1 parser is driven by (standards.md §4.1).
 * Written by hand from the public facts of the GS1 General Specifications: for each AI its
 * parts (character set and length of each), whether it is one of the predefined-length AIs
 * that never need an FNC1 separator, the content checks of each part, how its value is
 * interpreted, its associations with other AIs and its Digital Link role.
 * Pure: no database, no HTTP.
 *
 * Character sets: `N` digits, `X` GS1 CSET 82, `Y` GS1 CSET 39.
 * Content checks:
 *  - `csum`  GS1 mod-10 check digit over the whole part (GTIN, SSCC, GLN, GSIN, GDTI …);
 *  - `yymmd0` a date YYMMDD where day 00 means the last day of the month;
 *  - `yymmdd` a date YYMMDD with a real day;
 *  - `hhmm`  a time of day; `zero` a part that must be `0`;
 *  - `pieceOfTotal` NNMM with 1 ≤ piece NN ≤ total MM.
 */

export type Gs1Cset = 'N' | 'X' | 'Y';
export type Gs1Check = 'csum' | 'yymmd0' | 'yymmdd' | 'hhmm' | 'zero' | 'pieceOfTotal';

export interface Gs1AiPart {
  cset: Gs1Cset;
  min: number;
  max: number;
  /** Only the last part can be optional: absent when nothing is left for it. */
  optional: boolean;
  check?: Gs1Check;
  /** Name used in check-digit messages, e.g. `GTIN`. */
  keyName?: string;
}

/** How the element's `value` is derived from its raw text. */
export type Gs1ValueKind =
  | 'text'
  | 'date' // YYYY-MM-DD
  | 'datetime' // YYYY-MM-DDTHH:MM (date part, then time part)
  | 'dates' // one date, or two as YYYY-MM-DD/YYYY-MM-DD
  | 'integer'
  | 'decimal' // the AI's last digit is the number of decimal places
  | 'currencyDecimal'; // ISO 4217 code (3 digits, kept as unit) + decimal amount

export interface Gs1AiDefinition {
  ai: string;
  title: string;
  parts: readonly Gs1AiPart[];
  /** Predefined length: never followed by an FNC1 separator (the total length is fixed). */
  predefined: boolean;
  value: Gs1ValueKind;
  /** Decimal places for `decimal` and `currencyDecimal` values. */
  decimals?: number;
  /** Unit of measure of a `decimal` value (310n → kg). */
  unit?: string;
  /** Every group needs at least one of its AIs (patterns: `n` matches any digit) in the data. */
  requires?: readonly (readonly string[])[];
  /** AIs (patterns) that must not appear together with this one. */
  excludes?: readonly string[];
  /** Digital Link primary key: the allowed qualifier sequences (each an ordered list). */
  dlQualifiers?: readonly (readonly string[])[];
}

// --- builders ----------------------------------------------------------------------------------

function fixed(cset: Gs1Cset, length: number, check?: Gs1Check, keyName?: string): Gs1AiPart {
  const part: Gs1AiPart = { cset, min: length, max: length, optional: false };
  if (check !== undefined) part.check = check;
  if (keyName !== undefined) part.keyName = keyName;
  return part;
}

function upTo(cset: Gs1Cset, max: number): Gs1AiPart {
  return { cset, min: 1, max, optional: false };
}

function optional(part: Gs1AiPart): Gs1AiPart {
  return { ...part, optional: true };
}

interface Extra {
  predefined?: boolean;
  value?: Gs1ValueKind;
  decimals?: number;
  unit?: string;
  requires?: readonly (readonly string[])[];
  excludes?: readonly string[];
  dlQualifiers?: readonly (readonly string[])[];
}

const table = new Map<string, Gs1AiDefinition>();

function define(ai: string, title: string, parts: Gs1AiPart[], extra: Extra = {}): void {
  const definition: Gs1AiDefinition = {
    ai,
    title,
    parts,
    predefined: extra.predefined ?? false,
    value: extra.value ?? 'text',
  };
  if (extra.decimals !== undefined) definition.decimals = extra.decimals;
  if (extra.unit !== undefined) definition.unit = extra.unit;
  if (extra.requires !== undefined) definition.requires = extra.requires;
  if (extra.excludes !== undefined) definition.excludes = extra.excludes;
  if (extra.dlQualifiers !== undefined) definition.dlQualifiers = extra.dlQualifiers;
  table.set(ai, definition);
}

/** Defines `<stem>0` … `<stem><last>` where the last digit is the number of decimals. */
function defineDecimals(stem: string, last: number, title: string, parts: Gs1AiPart[], extra: Extra): void {
  for (let d = 0; d <= last; d++) define(`${stem}${d}`, title, parts, { ...extra, decimals: d });
}

// Frequent association groups.
const TRADE_ITEM = ['01', '02', '8006', '8026'];
const GTIN_OR_CONTENT = ['01', '02'];
const SSCC_OR_GTIN = ['00', '01'];

// --- identification keys -----------------------------------------------------------------------

define('00', 'SSCC', [fixed('N', 18, 'csum', 'SSCC')], { predefined: true, dlQualifiers: [[]] });
define('01', 'GTIN', [fixed('N', 14, 'csum', 'GTIN')], {
  predefined: true,
  excludes: ['02', '255', '37'],
  dlQualifiers: [['22', '10', '21'], ['235']],
});
define('02', 'CONTENT', [fixed('N', 14, 'csum', 'GTIN')], { predefined: true, requires: [['37']] });
define('03', 'MTO GTIN', [fixed('N', 14, 'csum', 'GTIN')], { predefined: true });

// --- product attributes ------------------------------------------------------------------------

define('10', 'BATCH/LOT', [upTo('X', 20)], { requires: [TRADE_ITEM] });
define('11', 'PROD DATE', [fixed('N', 6, 'yymmd0')], { predefined: true, value: 'date', requires: [TRADE_ITEM] });
define('12', 'DUE DATE', [fixed('N', 6, 'yymmd0')], { predefined: true, value: 'date', requires: [['8020']] });
define('13', 'PACK DATE', [fixed('N', 6, 'yymmd0')], { predefined: true, value: 'date', requires: [TRADE_ITEM] });
define('15', 'BEST BEFORE or BEST BY', [fixed('N', 6, 'yymmd0')], { predefined: true, value: 'date', requires: [TRADE_ITEM] });
define('16', 'SELL BY', [fixed('N', 6, 'yymmd0')], { predefined: true, value: 'date', requires: [TRADE_ITEM] });
define('17', 'USE BY or EXPIRY', [fixed('N', 6, 'yymmd0')], {
  predefined: true,
  value: 'date',
  requires: [['01', '02', '255', '8006', '8026']],
});
define('20', 'VARIANT', [fixed('N', 2)], { predefined: true, requires: [TRADE_ITEM] });
define('21', 'SERIAL', [upTo('X', 20)], { requires: [['01', '8006']], excludes: ['235'] });
define('22', 'CPV', [upTo('X', 20)], { requires: [['01']] });
define('235', 'TPX', [upTo('X', 28)], { requires: [['01']] });
define('240', 'ADDITIONAL ID', [upTo('X', 30)], { requires: [TRADE_ITEM] });
define('241', 'CUST. PART No.', [upTo('X', 30)], { requires: [TRADE_ITEM] });
define('242', 'MTO VARIANT', [upTo('N', 6)], { requires: [TRADE_ITEM] });
define('243', 'PCN', [upTo('X', 20)], { requires: [['01']] });
define('250', 'SECONDARY SERIAL', [upTo('X', 30)], { requires: [['01', '8006'], ['21']] });
define('251', 'REF. TO SOURCE', [upTo('X', 30)], { requires: [['01', '8006']] });
define('253', 'GDTI', [fixed('N', 13, 'csum', 'GDTI'), optional(upTo('X', 17))], { dlQualifiers: [[]] });
define('254', 'GLN EXTENSION COMPONENT', [upTo('X', 20)], { requires: [['414']] });
define('255', 'GCN', [fixed('N', 13, 'csum', 'GCN'), optional(upTo('N', 12))], {
  excludes: ['01', '02', '415', '8006', '8020', '8026'],
  dlQualifiers: [[]],
});

// --- quantities and measures -------------------------------------------------------------------

define('30', 'VAR. COUNT', [upTo('N', 8)], { value: 'integer', requires: [GTIN_OR_CONTENT] });
define('37', 'COUNT', [upTo('N', 8)], { value: 'integer', requires: [['00'], ['02', '8026']] });

/** The measure groups 31nn–36nn: AI stem, title, unit, and whether it is a logistic measure. */
const MEASURES: ReadonlyArray<readonly [string, string, string, boolean]> = [
  ['310', 'NET WEIGHT (kg)', 'kg', false],
  ['311', 'LENGTH (m)', 'm', false],
  ['312', 'WIDTH (m)', 'm', false],
  ['313', 'HEIGHT (m)', 'm', false],
  ['314', 'AREA (m²)', 'm2', false],
  ['315', 'NET VOLUME (l)', 'l', false],
  ['316', 'NET VOLUME (m³)', 'm3', false],
  ['320', 'NET WEIGHT (lb)', 'lb', false],
  ['321', 'LENGTH (in)', 'in', false],
  ['322', 'LENGTH (ft)', 'ft', false],
  ['323', 'LENGTH (yd)', 'yd', false],
  ['324', 'WIDTH (in)', 'in', false],
  ['325', 'WIDTH (ft)', 'ft', false],
  ['326', 'WIDTH (yd)', 'yd', false],
  ['327', 'HEIGHT (in)', 'in', false],
  ['328', 'HEIGHT (ft)', 'ft', false],
  ['329', 'HEIGHT (yd)', 'yd', false],
  ['330', 'GROSS WEIGHT (kg)', 'kg', true],
  ['331', 'LENGTH (m), log', 'm', true],
  ['332', 'WIDTH (m), log', 'm', true],
  ['333', 'HEIGHT (m), log', 'm', true],
  ['334', 'AREA (m²), log', 'm2', true],
  ['335', 'VOLUME (l), log', 'l', true],
  ['336', 'VOLUME (m³), log', 'm3', true],
  ['337', 'KG PER m²', 'kg/m2', false],
  ['340', 'GROSS WEIGHT (lb)', 'lb', true],
  ['341', 'LENGTH (in), log', 'in', true],
  ['342', 'LENGTH (ft), log', 'ft', true],
  ['343', 'LENGTH (yd), log', 'yd', true],
  ['344', 'WIDTH (in), log', 'in', true],
  ['345', 'WIDTH (ft), log', 'ft', true],
  ['346', 'WIDTH (yd), log', 'yd', true],
  ['347', 'HEIGHT (in), log', 'in', true],
  ['348', 'HEIGHT (ft), log', 'ft', true],
  ['349', 'HEIGHT (yd), log', 'yd', true],
  ['350', 'AREA (in²)', 'in2', false],
  ['351', 'AREA (ft²)', 'ft2', false],
  ['352', 'AREA (yd²)', 'yd2', false],
  ['353', 'AREA (in²), log', 'in2', true],
  ['354', 'AREA (ft²), log', 'ft2', true],
  ['355', 'AREA (yd²), log', 'yd2', true],
  ['356', 'NET WEIGHT (t oz)', 'oz t', false],
  ['357', 'NET VOLUME (oz)', 'oz', false],
  ['360', 'NET VOLUME (qt)', 'qt', false],
  ['361', 'NET VOLUME (gal.)', 'gal', false],
  ['362', 'VOLUME (qt), log', 'qt', true],
  ['363', 'VOLUME (gal.), log', 'gal', true],
  ['364', 'VOLUME (in³)', 'in3', false],
  ['365', 'VOLUME (ft³)', 'ft3', false],
  ['366', 'VOLUME (yd³)', 'yd3', false],
  ['367', 'VOLUME (in³), log', 'in3', true],
  ['368', 'VOLUME (ft³), log', 'ft3', true],
  ['369', 'VOLUME (yd³), log', 'yd3', true],
];

for (const [stem, title, unit, logistic] of MEASURES) {
  defineDecimals(stem, 5, title, [fixed('N', 6)], {
    predefined: true,
    value: 'decimal',
    unit,
    requires: [stem === '337' ? ['01'] : logistic ? SSCC_OR_GTIN : GTIN_OR_CONTENT],
    excludes: [`${stem}n`],
  });
}

defineDecimals('390', 9, 'AMOUNT', [upTo('N', 15)], { value: 'decimal', requires: [['255', '8020']], excludes: ['390n', '391n'] });
defineDecimals('391', 9, 'AMOUNT', [fixed('N', 3), upTo('N', 15)], { value: 'currencyDecimal', requires: [['8020']], excludes: ['391n'] });
defineDecimals('392', 9, 'PRICE', [upTo('N', 15)], { value: 'decimal', requires: [['01']], excludes: ['392n', '393n'] });
defineDecimals('393', 9, 'PRICE', [fixed('N', 3), upTo('N', 15)], { value: 'currencyDecimal', requires: [['01']], excludes: ['393n'] });
defineDecimals('394', 3, 'PRCNT OFF', [fixed('N', 4)], { value: 'decimal', unit: '%', requires: [['255']], excludes: ['394n'] });
defineDecimals('395', 5, 'PRICE/UoM', [fixed('N', 6)], { value: 'decimal', excludes: ['395n', '8005'] });

// --- references, locations and parties ---------------------------------------------------------

define('400', 'ORDER NUMBER', [upTo('X', 30)]);
define('401', 'GINC', [upTo('X', 30)], { dlQualifiers: [[]] });
define('402', 'GSIN', [fixed('N', 17, 'csum', 'GSIN')], { dlQualifiers: [[]] });
define('403', 'ROUTE', [upTo('X', 30)], { requires: [['00']] });
const GLN_TITLES: ReadonlyArray<readonly [string, string]> = [
  ['410', 'SHIP TO LOC'],
  ['411', 'BILL TO'],
  ['412', 'PURCHASE FROM'],
  ['413', 'SHIP FOR LOC'],
  ['414', 'LOC No.'],
  ['415', 'PAY TO'],
  ['416', 'PROD/SERV LOC'],
  ['417', 'PARTY'],
];
for (const [ai, title] of GLN_TITLES) {
  const extra: Extra = { predefined: true };
  if (ai === '414') extra.dlQualifiers = [['254']];
  if (ai === '415') {
    extra.requires = [['8020']];
    extra.dlQualifiers = [['8020']];
  }
  if (ai === '417') extra.dlQualifiers = [[]];
  define(ai, title, [fixed('N', 13, 'csum', 'GLN')], extra);
}
define('420', 'SHIP TO POST', [upTo('X', 20)], { excludes: ['421'] });
define('421', 'SHIP TO POST', [fixed('N', 3), upTo('X', 9)]);
define('422', 'ORIGIN', [fixed('N', 3)], { requires: [TRADE_ITEM], excludes: ['426'] });
define('423', 'COUNTRY - INITIAL PROCESS', [upTo('N', 15)], { requires: [GTIN_OR_CONTENT], excludes: ['426'] });
define('424', 'COUNTRY - PROCESS', [fixed('N', 3)], { requires: [GTIN_OR_CONTENT], excludes: ['426'] });
define('425', 'COUNTRY - DISASSEMBLY', [upTo('N', 15)], { requires: [GTIN_OR_CONTENT], excludes: ['426'] });
define('426', 'COUNTRY - FULL PROCESS', [fixed('N', 3)], { requires: [GTIN_OR_CONTENT] });
define('427', 'ORIGIN SUBDIVISION', [upTo('X', 3)], { requires: [GTIN_OR_CONTENT, ['422']] });

// --- 7nnn ---------------------------------------------------------------------------------------

define('7001', 'NSN', [fixed('N', 13)], { requires: [TRADE_ITEM] });
define('7002', 'MEAT CUT', [upTo('X', 30)], { requires: [GTIN_OR_CONTENT] });
define('7003', 'EXPIRY TIME', [fixed('N', 6, 'yymmdd'), fixed('N', 4, 'hhmm')], { value: 'datetime', requires: [GTIN_OR_CONTENT] });
define('7004', 'ACTIVE POTENCY', [upTo('N', 4)], { value: 'integer', requires: [['01'], ['10']] });
define('7005', 'CATCH AREA', [upTo('X', 12)], { requires: [GTIN_OR_CONTENT] });
define('7006', 'FIRST FREEZE DATE', [fixed('N', 6, 'yymmdd')], { value: 'date', requires: [GTIN_OR_CONTENT] });
define('7007', 'HARVEST DATE', [fixed('N', 6, 'yymmdd'), optional(fixed('N', 6, 'yymmdd'))], { value: 'dates', requires: [GTIN_OR_CONTENT] });
define('7008', 'AQUATIC SPECIES', [upTo('X', 3)], { requires: [GTIN_OR_CONTENT] });
define('7009', 'FISHING GEAR TYPE', [upTo('X', 10)], { requires: [GTIN_OR_CONTENT] });
define('7010', 'PROD METHOD', [upTo('X', 2)], { requires: [GTIN_OR_CONTENT] });
define('7020', 'REFURB LOT', [upTo('X', 20)], { requires: [['01', '8006'], ['416']] });
define('7021', 'FUNC STAT', [upTo('X', 20)], { requires: [['01', '8006']] });
define('7022', 'REV STAT', [upTo('X', 20)], { requires: [['7021']] });
define('7023', 'GIAI - ASSEMBLY', [upTo('X', 30)]);
for (let d = 0; d <= 9; d++) {
  define(`703${d}`, `PROCESSOR # ${d}`, [fixed('N', 3), upTo('X', 27)], { requires: [GTIN_OR_CONTENT] });
}
const NHRN: ReadonlyArray<readonly [string, string]> = [
  ['710', 'NHRN PZN'],
  ['711', 'NHRN CIP'],
  ['712', 'NHRN CN'],
  ['713', 'NHRN DRN'],
  ['714', 'NHRN AIM'],
  ['715', 'NHRN NDC'],
];
for (const [ai, title] of NHRN) define(ai, title, [upTo('X', 20)], { requires: [['01']] });

// --- 8nnn ---------------------------------------------------------------------------------------

define('8001', 'DIMENSIONS', [fixed('N', 14)], { requires: [['01']] });
define('8002', 'CMT No.', [upTo('X', 20)]);
define('8003', 'GRAI', [fixed('N', 1, 'zero'), fixed('N', 13, 'csum', 'GRAI'), optional(upTo('X', 16))], { dlQualifiers: [[]] });
define('8004', 'GIAI', [upTo('X', 30)], { dlQualifiers: [[]] });
define('8005', 'PRICE PER UNIT', [fixed('N', 6)], { requires: [GTIN_OR_CONTENT] });
define('8006', 'ITIP', [fixed('N', 14, 'csum', 'GTIN'), fixed('N', 4, 'pieceOfTotal')], {
  excludes: ['01', '37'],
  dlQualifiers: [['22', '10', '21']],
});
define('8007', 'IBAN', [upTo('X', 34)], { requires: [['415']] });
define('8010', 'CPID', [upTo('Y', 30)], { dlQualifiers: [['8011']] });
define('8011', 'CPID SERIAL', [upTo('N', 12)], { requires: [['8010']] });
define('8012', 'VERSION', [upTo('X', 20)], { requires: [['01', '8006']] });
define('8017', 'GSRN - PROVIDER', [fixed('N', 18, 'csum', 'GSRN')], { excludes: ['8018'], dlQualifiers: [['8019']] });
define('8018', 'GSRN - RECIPIENT', [fixed('N', 18, 'csum', 'GSRN')], { excludes: ['8017'], dlQualifiers: [['8019']] });
define('8019', 'SRIN', [upTo('N', 10)], { requires: [['8017', '8018']] });
define('8020', 'REF No.', [upTo('X', 25)], { requires: [['415']] });
define('8026', 'ITIP CONTENT', [fixed('N', 14, 'csum', 'GTIN'), fixed('N', 4, 'pieceOfTotal')], {
  requires: [['37']],
  excludes: ['02', '8006'],
});
define('8200', 'PRODUCT URL', [upTo('X', 70)], { requires: [['01']] });

// --- company internal --------------------------------------------------------------------------

define('90', 'INTERNAL', [upTo('X', 30)]);
for (let d = 1; d <= 9; d++) define(`9${d}`, 'INTERNAL', [upTo('X', 90)]);

// --- look-ups ----------------------------------------------------------------------------------

export const GS1_AI_TABLE: ReadonlyMap<string, Gs1AiDefinition> = table;

/**
 * Length of the AIs that start with a two-digit prefix (GS1 AIs are prefix-free: the first two
 * digits fix the AI's length). Derived from the table; prefixes with no AI here are absent.
 */
const prefixLengths = new Map<string, number>();
for (const ai of table.keys()) {
  const prefix = ai.slice(0, 2);
  if (!prefixLengths.has(prefix)) prefixLengths.set(prefix, ai.length);
}
export const GS1_AI_PREFIX_LENGTHS: ReadonlyMap<string, number> = prefixLengths;

export function gs1Ai(ai: string): Gs1AiDefinition | undefined {
  return table.get(ai);
}

/** Total length of a definition's value when every part is fixed and required, else undefined. */
export function gs1FixedLength(definition: Gs1AiDefinition): number | undefined {
  let total = 0;
  for (const part of definition.parts) {
    if (part.optional || part.min !== part.max) return undefined;
    total += part.min;
  }
  return total;
}

/** Whether an AI matches a pattern such as `310n` or `31nn` (`n` stands for any digit). */
export function gs1AiMatches(ai: string, pattern: string): boolean {
  if (ai.length !== pattern.length) return false;
  for (let i = 0; i < ai.length; i++) {
    if (pattern[i] !== 'n' && pattern[i] !== ai[i]) return false;
  }
  return true;
}

// --- character sets ----------------------------------------------------------------------------

/** CSET 82: ! " % & ' ( ) * + , - . / 0–9 : ; < = > ? A–Z _ a–z. */
const CSET82 = /^[!"%-?A-Z_a-z]$/;
/** CSET 39: # - / 0–9 A–Z. */
const CSET39 = /^[#\-/0-9A-Z]$/;

export function gs1CharAllowed(cset: Gs1Cset, ch: string): boolean {
  if (cset === 'N') return ch >= '0' && ch <= '9' && ch.length === 1;
  if (cset === 'X') return CSET82.test(ch);
  return CSET39.test(ch);
}
