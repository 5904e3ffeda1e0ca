/**
 * The range of the integer columns (PostgreSQL's `integer`; SQLite would hold more, but both
 * databases answer alike). A number outside it names no row, and PostgreSQL refuses it as a
 * parameter compared with an integer column, so it is checked before a query is built.
 */
export const MAX_INTEGER = 2147483647;
export const MIN_INTEGER = -2147483648;

/** Whether `n` could be the key of a row: a whole number from 1 to MAX_INTEGER. */
export function isPossibleKey(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1 && n <= MAX_INTEGER;
}

/** Whether `n` is a whole number an integer column can hold. */
export function fitsInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n >= MIN_INTEGER && n <= MAX_INTEGER;
}
