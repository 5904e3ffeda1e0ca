/**
 * Quantities are numeric(15,5) in the database and JavaScript numbers in code. Arithmetic on
 * them goes through `qty()` so that binary floating point never leaks digits beyond the five
 * decimal places the database keeps (0.1 + 0.2 → 0.3).
 */
export const QTY_DECIMALS = 5;
const SCALE = 10 ** QTY_DECIMALS;

export function qty(n: number): number {
  return Math.round(n * SCALE) / SCALE;
}

export function qtyAdd(...values: number[]): number {
  return qty(values.reduce((a, b) => a + Math.round(b * SCALE), 0) / SCALE);
}

export function qtySub(a: number, b: number): number {
  return qty((Math.round(a * SCALE) - Math.round(b * SCALE)) / SCALE);
}
