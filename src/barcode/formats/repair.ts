/**
 * Scan repair (standards.md §3 item 1, §4.2, §4.5, §4.6 step 1): undoes the damage that
 * scanners, keyboard wedges and camera decoders do to barcode text before any plugin sees it,
 * and records every change it makes. Pure: no database, no HTTP. Never throws.
 *
 * Steps, in this order (each family can be switched off through `RepairOptions`):
 *  1. Trim with Python's whitespace set (decision D9), as the server does with every barcode.
 *  2. `burst`: several codes in one scan, separated by CR and/or LF (inventree-app#625) — the
 *     first code is used, the others are returned trimmed and otherwise untouched in `rest`
 *     (each can be repaired on its own). Not applied when the whole text already is an internal
 *     barcode (a pretty-printed JSON object).
 *  3. `symbologyIdentifier`: an AIM symbology identifier `]` + letter + modifier at the very
 *     start (after trimming, so a stray leading space or CR does not hide it) is removed and
 *     reported in `symbology`, with whether it marks GS1 data (FNC1 in first position).
 *     The data after the identifier is trimmed again: the identifier is not part of the data,
 *     and the server would have trimmed the data had the scanner not added the identifier.
 *     A GS right after the identifier is a leading FNC1 and carries no data.
 *  4. `controlPictures`: ␝ ␞ ␄ (U+241D, U+241E, U+2404, as zxing-wasm's HRI text mode and
 *     DigiKey's API produce them) become GS, RS and EOT.
 *  5. `iso15434Header`: `[)>NN` + GS without the RS after `[)>` gets its RS back.
 *  6. `terminator`: EOT characters at the end of a text that is not an ISO/IEC 15434 message
 *     (a wedge configured to end scans with EOT) are removed.
 *  7. Keyboard layouts — `ukLayout` (`@` ↔ `"`, the UK layout swaps them), `smartQuotes`
 *     (“ ” „ ‟ → `"`) and `germanLayout` (`ß` → `-`) — only when an `isInternal` check is
 *     given, the text does not pass it as it is, and passes it after the repair. Single
 *     families are tried first, then all enabled families together (in the order above).
 *  8. The result is trimmed once more (a mapped ␝ at the end is trimmed like a real GS).
 *
 * `normalized` is what the plugins should parse. Hashing is the caller's business: the server
 * (barcode/prepare.ts) applies InvenTree's hash algorithm (decision D10) to the normalised text,
 * so a label read with control pictures finds the object linked with real control characters.
 */
import { pythonStrip } from '../../text/python-strip.js';

const GS = '\x1d';
const RS = '\x1e';
const EOT = '\x04';

// --- AIM symbology identifiers (§4.2) ----------------------------------------------------------

export interface SymbologyInfo {
  /** The identifier as transmitted, e.g. `]d2`. */
  id: string;
  name: string;
  /** The symbol carries GS1 element strings (FNC1 in first position). */
  gs1: boolean;
}

/** Symbology by the identifier's letter (AIM / ISO/IEC 15424). */
const SYMBOLOGY_LETTERS: Readonly<Record<string, string>> = {
  A: 'Code 39',
  B: 'Telepen',
  C: 'Code 128',
  D: 'Code One',
  E: 'EAN/UPC',
  F: 'Codabar',
  G: 'Code 93',
  H: 'Code 11',
  I: 'Interleaved 2 of 5',
  J: 'DotCode',
  K: 'Code 16K',
  L: 'PDF417',
  M: 'MSI',
  N: 'Anker',
  O: 'Codablock',
  P: 'Plessey',
  Q: 'QR Code',
  R: 'Straight 2 of 5 (2-bar start/stop)',
  S: 'Straight 2 of 5 (3-bar start/stop)',
  U: 'MaxiCode',
  X: 'Other symbology',
  Z: 'Non-barcode data',
  d: 'Data Matrix',
  e: 'GS1 DataBar',
  h: 'Han Xin Code',
  z: 'Aztec Code',
};

/** Names of specific letter + modifier combinations. */
const SYMBOLOGY_NAMES: Readonly<Record<string, string>> = {
  ']C0': 'Code 128',
  ']C1': 'GS1-128',
  ']C2': 'Code 128 (FNC1 in second position)',
  ']C4': 'Code 128 (ISBT 128 concatenation)',
  ']d0': 'Data Matrix ECC 000-140',
  ']d1': 'Data Matrix',
  ']d2': 'GS1 DataMatrix',
  ']d3': 'Data Matrix (FNC1 in second position)',
  ']d4': 'Data Matrix (ECI)',
  ']d5': 'GS1 DataMatrix (ECI)',
  ']d6': 'Data Matrix (FNC1 in second position, ECI)',
  ']Q0': 'QR Code model 1',
  ']Q1': 'QR Code',
  ']Q2': 'QR Code (ECI)',
  ']Q3': 'GS1 QR Code',
  ']Q4': 'GS1 QR Code (ECI)',
  ']Q5': 'QR Code (FNC1 in second position)',
  ']Q6': 'QR Code (FNC1 in second position, ECI)',
  ']e0': 'GS1 DataBar',
  ']J0': 'DotCode',
  ']J1': 'GS1 DotCode',
  ']E0': 'EAN-13 / UPC-A / UPC-E',
  ']E1': 'EAN/UPC two-digit add-on',
  ']E2': 'EAN/UPC five-digit add-on',
  ']E3': 'EAN-13 / UPC-A / UPC-E with add-on',
  ']E4': 'EAN-8',
  ']I0': 'Interleaved 2 of 5',
  ']I1': 'Interleaved 2 of 5 (check digit validated)',
};

/** Identifiers whose symbol carries GS1 element strings. Every GS1 DataBar identifier does. */
const GS1_IDENTIFIERS = new Set([']C1', ']d2', ']d5', ']Q3', ']Q4', ']J1']);

const IDENTIFIER = /^\](.)([0-9A-Za-z])/;

/**
 * The AIM symbology identifier at the start of `text`, or null. Only identifiers with a known
 * symbology letter and an alphanumeric modifier are recognised.
 */
export function parseSymbologyIdentifier(text: string): SymbologyInfo | null {
  const m = IDENTIFIER.exec(text);
  if (m === null) return null;
  const letter = m[1] as string;
  const family = SYMBOLOGY_LETTERS[letter];
  if (family === undefined) return null;
  const id = m[0];
  return { id, name: SYMBOLOGY_NAMES[id] ?? family, gs1: letter === 'e' || GS1_IDENTIFIERS.has(id) };
}

// --- repair ------------------------------------------------------------------------------------

export type RepairKind =
  | 'burst'
  | 'symbology-identifier'
  | 'control-pictures'
  | 'iso15434-header'
  | 'terminator'
  | 'smart-quotes'
  | 'uk-layout'
  | 'german-layout';

export interface ScanRepair {
  kind: RepairKind;
  detail: string;
}

export interface RepairedScan {
  /** The text as received. */
  input: string;
  /** The repaired first code, for the plugins to parse. */
  normalized: string;
  symbology: SymbologyInfo | null;
  repairs: ScanRepair[];
  /** The further codes of a burst (trimmed, not repaired). */
  rest: string[];
}

/** Tells whether a text is an internal barcode (JSON object or short form); supplied by the caller. */
export type InternalBarcodeCheck = (text: string) => boolean;

export interface RepairOptions {
  /** Enables the keyboard-layout repairs: they apply only when the result passes this check. */
  isInternal?: InternalBarcodeCheck;
  burst?: boolean;
  symbologyIdentifier?: boolean;
  controlPictures?: boolean;
  iso15434Header?: boolean;
  terminator?: boolean;
  smartQuotes?: boolean;
  ukLayout?: boolean;
  germanLayout?: boolean;
}

const CONTROL_PICTURES: Readonly<Record<string, string>> = {
  '\u241d': GS,
  '\u241e': RS,
  '\u2404': EOT,
};
const CONTROL_PICTURE_NAMES: Readonly<Record<string, string>> = {
  '\u241d': '␝ → GS',
  '\u241e': '␞ → RS',
  '\u2404': '␄ → EOT',
};
const CONTROL_PICTURE_RE = /[\u241d\u241e\u2404]/g;

const LINE_BREAK = /\r\n|\r|\n/;

const HEADER_WITHOUT_RS = /^\[\)>(\d\d)\x1d/;

function mapControlPictures(text: string, repairs: ScanRepair[]): string {
  const counts = new Map<string, number>();
  const mapped = text.replace(CONTROL_PICTURE_RE, (ch) => {
    counts.set(ch, (counts.get(ch) ?? 0) + 1);
    return CONTROL_PICTURES[ch] as string;
  });
  if (counts.size > 0) {
    const parts = ['\u241d', '\u241e', '\u2404']
      .filter((ch) => counts.has(ch))
      .map((ch) => `${CONTROL_PICTURE_NAMES[ch]} ×${counts.get(ch)}`);
    repairs.push({ kind: 'control-pictures', detail: parts.join(', ') });
  }
  return mapped;
}

function isIso15434(text: string): boolean {
  return text.startsWith('[)>') || text.startsWith('>[)>');
}

interface LayoutFamily {
  kind: 'smart-quotes' | 'uk-layout' | 'german-layout';
  detail: string;
  apply: (text: string) => string;
}

const LAYOUT_FAMILIES: Readonly<Record<LayoutFamily['kind'], LayoutFamily>> = {
  'smart-quotes': {
    kind: 'smart-quotes',
    detail: 'typographic quotes “ ” „ ‟ → "',
    apply: (text) => text.replace(/[\u201c\u201d\u201e\u201f]/g, '"'),
  },
  'uk-layout': {
    kind: 'uk-layout',
    detail: 'UK keyboard layout: @ ↔ "',
    apply: (text) => text.replace(/[@"]/g, (ch) => (ch === '@' ? '"' : '@')),
  },
  'german-layout': {
    kind: 'german-layout',
    detail: 'German keyboard layout: ß → -',
    apply: (text) => text.replace(/ß/g, '-'),
  },
};

function repairLayout(text: string, isInternal: InternalBarcodeCheck, enabled: LayoutFamily[], repairs: ScanRepair[]): string {
  if (enabled.length === 0 || isInternal(text)) return text;
  const attempts: LayoutFamily[][] = enabled.map((family) => [family]);
  if (enabled.length > 1) attempts.push(enabled);
  for (const families of attempts) {
    let candidate = text;
    for (const family of families) candidate = family.apply(candidate);
    if (candidate === text) continue;
    if (!isInternal(candidate)) continue;
    for (const family of families) {
      if (family.apply(text) !== text) repairs.push({ kind: family.kind, detail: family.detail });
    }
    return candidate;
  }
  return text;
}

/** The caller's check, where an exception counts as "not internal" (repairScan never throws). */
function safeCheck(check: InternalBarcodeCheck): InternalBarcodeCheck {
  return (text) => {
    try {
      return check(text) === true;
    } catch {
      return false;
    }
  };
}

/** Repairs one scan; see the module comment for the steps. Never throws. */
export function repairScan(input: string, options: RepairOptions = {}): RepairedScan {
  const isInternal = options.isInternal === undefined ? undefined : safeCheck(options.isInternal);
  const repairs: ScanRepair[] = [];
  let rest: string[] = [];
  let symbology: SymbologyInfo | null = null;
  let text = pythonStrip(input);

  if (options.burst !== false && LINE_BREAK.test(text) && !(isInternal?.(text) ?? false)) {
    const codes = text
      .split(LINE_BREAK)
      .map((code) => pythonStrip(code))
      .filter((code) => code !== '');
    text = codes[0] ?? '';
    rest = codes.slice(1);
    if (rest.length > 0) {
      repairs.push({ kind: 'burst', detail: `${codes.length} codes separated by line breaks; the first is used` });
    }
  }

  if (options.symbologyIdentifier !== false) {
    symbology = parseSymbologyIdentifier(text);
    if (symbology !== null) {
      text = pythonStrip(text.slice(symbology.id.length));
      repairs.push({ kind: 'symbology-identifier', detail: `${symbology.id} (${symbology.name}) removed` });
    }
  }

  if (options.controlPictures !== false) text = mapControlPictures(text, repairs);

  if (options.iso15434Header !== false) {
    const m = HEADER_WITHOUT_RS.exec(text);
    if (m !== null) {
      text = `[)>${RS}${m[1]}${GS}${text.slice(m[0].length)}`;
      repairs.push({ kind: 'iso15434-header', detail: `RS inserted after [)> (format ${m[1]})` });
    }
  }

  if (options.terminator !== false && text.endsWith(EOT) && !isIso15434(text)) {
    let end = text.length;
    while (end > 0 && text[end - 1] === EOT) end--;
    text = text.slice(0, end);
    repairs.push({ kind: 'terminator', detail: 'trailing EOT removed' });
  }

  if (isInternal !== undefined) {
    const enabled: LayoutFamily[] = [];
    // UK first: applied after the smart-quote repair it would swap the quotes just restored.
    if (options.ukLayout !== false) enabled.push(LAYOUT_FAMILIES['uk-layout']);
    if (options.smartQuotes !== false) enabled.push(LAYOUT_FAMILIES['smart-quotes']);
    if (options.germanLayout !== false) enabled.push(LAYOUT_FAMILIES['german-layout']);
    text = repairLayout(text, isInternal, enabled, repairs);
  }

  return { input, normalized: pythonStrip(text), symbology, repairs, rest };
}
