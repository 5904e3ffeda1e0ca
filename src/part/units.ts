/**
 * Physical quantities for supplier pack sizes (core-api.md §7.7): a pack quantity such as
 * `"100"`, `"2.5 m"` or `"50 cm"` is converted into the part's own units (`pack_quantity_native`),
 * as InvenTree does with pint. Stockscan knows the common units (length, mass, volume, time,
 * electrical units, with SI prefixes) and the counting words InvenTree adds (piece, each, dozen,
 * hundred, thousand). A part unit Stockscan does not know is accepted as an opaque label: a plain
 * number, or a quantity written in exactly that unit, is then taken as it stands.
 */

type Dimension =
  | 'dimensionless'
  | 'length'
  | 'area'
  | 'mass'
  | 'volume'
  | 'time'
  | 'current'
  | 'voltage'
  | 'resistance'
  | 'capacitance'
  | 'inductance'
  | 'power'
  | 'energy'
  | 'frequency'
  | 'charge';

interface UnitDef {
  dim: Dimension;
  /** Size in the dimension's base unit (m, m², kg, m³, s, A, V, Ω, F, H, W, J, Hz, C). */
  factor: number;
  /** Whether SI prefixes may be put in front of it. */
  prefixable: boolean;
}

const u = (dim: Dimension, factor: number, prefixable = false): UnitDef => ({ dim, factor, prefixable });

const UNITS: Record<string, UnitDef> = {
  // counting words (InvenTree's additions to pint)
  piece: u('dimensionless', 1),
  pieces: u('dimensionless', 1),
  each: u('dimensionless', 1),
  ea: u('dimensionless', 1),
  dozen: u('dimensionless', 12),
  dz: u('dimensionless', 12),
  hundred: u('dimensionless', 100),
  thousand: u('dimensionless', 1000),
  percent: u('dimensionless', 0.01),
  // length
  m: u('length', 1, true),
  meter: u('length', 1, true),
  meters: u('length', 1, true),
  metre: u('length', 1, true),
  metres: u('length', 1, true),
  in: u('length', 0.0254),
  inch: u('length', 0.0254),
  inches: u('length', 0.0254),
  ft: u('length', 0.3048),
  foot: u('length', 0.3048),
  feet: u('length', 0.3048),
  yd: u('length', 0.9144),
  yard: u('length', 0.9144),
  yards: u('length', 0.9144),
  mi: u('length', 1609.344),
  mile: u('length', 1609.344),
  miles: u('length', 1609.344),
  mil: u('length', 0.0000254),
  // area
  m2: u('area', 1),
  'm^2': u('area', 1),
  'm²': u('area', 1),
  // mass
  g: u('mass', 0.001, true),
  gram: u('mass', 0.001, true),
  grams: u('mass', 0.001, true),
  lb: u('mass', 0.45359237),
  lbs: u('mass', 0.45359237),
  pound: u('mass', 0.45359237),
  pounds: u('mass', 0.45359237),
  oz: u('mass', 0.028349523125),
  ounce: u('mass', 0.028349523125),
  ounces: u('mass', 0.028349523125),
  // volume
  l: u('volume', 0.001, true),
  L: u('volume', 0.001, true),
  liter: u('volume', 0.001, true),
  liters: u('volume', 0.001, true),
  litre: u('volume', 0.001, true),
  litres: u('volume', 0.001, true),
  gal: u('volume', 0.003785411784),
  gallon: u('volume', 0.003785411784),
  gallons: u('volume', 0.003785411784),
  // time
  s: u('time', 1, true),
  sec: u('time', 1),
  second: u('time', 1, true),
  seconds: u('time', 1, true),
  min: u('time', 60),
  minute: u('time', 60),
  minutes: u('time', 60),
  h: u('time', 3600),
  hr: u('time', 3600),
  hour: u('time', 3600),
  hours: u('time', 3600),
  day: u('time', 86400),
  days: u('time', 86400),
  // electrical
  A: u('current', 1, true),
  amp: u('current', 1, true),
  ampere: u('current', 1, true),
  V: u('voltage', 1, true),
  volt: u('voltage', 1, true),
  ohm: u('resistance', 1, true),
  ohms: u('resistance', 1, true),
  'Ω': u('resistance', 1, true),
  F: u('capacitance', 1, true),
  farad: u('capacitance', 1, true),
  H: u('inductance', 1, true),
  henry: u('inductance', 1, true),
  W: u('power', 1, true),
  watt: u('power', 1, true),
  J: u('energy', 1, true),
  joule: u('energy', 1, true),
  Wh: u('energy', 3600, true),
  Hz: u('frequency', 1, true),
  hertz: u('frequency', 1, true),
  C: u('charge', 1, true),
  Ah: u('charge', 3600, true),
};

const SYMBOL_PREFIXES: Record<string, number> = {
  p: 1e-12,
  n: 1e-9,
  u: 1e-6,
  µ: 1e-6,
  μ: 1e-6,
  m: 1e-3,
  c: 1e-2,
  d: 1e-1,
  da: 1e1,
  h: 1e2,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

const WORD_PREFIXES: Record<string, number> = {
  pico: 1e-12,
  nano: 1e-9,
  micro: 1e-6,
  milli: 1e-3,
  centi: 1e-2,
  deci: 1e-1,
  kilo: 1e3,
  mega: 1e6,
  giga: 1e9,
};

interface Resolved {
  dim: Dimension;
  factor: number;
}

/** The dimension and size of a unit name (with an optional SI prefix), or undefined. */
export function resolveUnit(name: string): Resolved | undefined {
  const text = name.trim();
  if (text === '') return { dim: 'dimensionless', factor: 1 };
  const exact = UNITS[text];
  if (exact !== undefined) return { dim: exact.dim, factor: exact.factor };
  // Unit words are case-insensitive ("Meter", "PIECES"); symbols are not ("mm" is not "Mm").
  const word = text.length > 2 && /^[A-Za-z]+$/.test(text) ? UNITS[text.toLowerCase()] : undefined;
  if (word !== undefined) return { dim: word.dim, factor: word.factor };
  for (const table of [WORD_PREFIXES, SYMBOL_PREFIXES]) {
    for (const [prefix, scale] of Object.entries(table)) {
      if (!text.startsWith(prefix) || text.length === prefix.length) continue;
      const base = UNITS[text.slice(prefix.length)];
      if (base !== undefined && base.prefixable) return { dim: base.dim, factor: base.factor * scale };
    }
  }
  return undefined;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/;

export interface ParsedQuantity {
  magnitude: number;
  /** The unit text as written (`""` for a plain number). */
  unitText: string;
  unit: Resolved | undefined;
}

/** Splits `"2.5 m"` into 2.5 and `"m"`; a bare unit counts as one of it. */
export function parseQuantity(text: string): ParsedQuantity | undefined {
  let value = text.trim();
  // Imperial shorthand, as InvenTree: 3' → 3 feet, 2" → 2 inches.
  if (value.endsWith("'") && value.split("'").length === 2) value = `${value.slice(0, -1)} feet`;
  if (value.endsWith('"') && value.split('"').length === 2) value = `${value.slice(0, -1)} inches`;
  const m = NUMBER.exec(value);
  const magnitude = m === null ? 1 : Number(m[0]);
  const unitText = (m === null ? value : value.slice(m[0].length)).trim();
  if (!Number.isFinite(magnitude)) return undefined;
  if (m === null && unitText === '') return undefined;
  return { magnitude, unitText, unit: resolveUnit(unitText) };
}

export class PackQuantityError extends Error {}

/**
 * The pack size in the part's units: blank means one; a plain number is taken in the part's
 * units; a quantity with units must convert to them. Throws PackQuantityError with the message
 * InvenTree reports under `pack_quantity`.
 */
export function packQuantityNative(packQuantity: string, partUnits: string | null): number {
  const original = packQuantity.trim() === '' ? '1' : packQuantity.trim();
  const units = (partUnits ?? '').trim();
  const parsed = parseQuantity(original);
  const cannotConvert = () => new PackQuantityError(units === '' ? 'Invalid quantity provided' : `Could not convert ${original} to ${units}`);
  if (parsed === undefined) throw cannotConvert();
  let native: number;
  if (parsed.unit === undefined) {
    // A unit Stockscan does not know: only "exactly the part's units" can be taken as is.
    if (units !== '' && parsed.unitText === units) native = parsed.magnitude;
    else throw cannotConvert();
  } else if (parsed.unit.dim === 'dimensionless') {
    native = parsed.magnitude * parsed.unit.factor;
  } else if (units === '') {
    throw new PackQuantityError('Pack units must be compatible with the base part units');
  } else {
    const target = resolveUnit(units);
    if (target === undefined) {
      if (parsed.unitText === units) native = parsed.magnitude;
      else throw cannotConvert();
    } else if (target.dim !== parsed.unit.dim) {
      throw cannotConvert();
    } else {
      native = (parsed.magnitude * parsed.unit.factor) / target.factor;
    }
  }
  native = Number(native.toPrecision(12));
  if (!(native > 0)) throw new PackQuantityError('Pack units must be greater than zero');
  return native;
}
