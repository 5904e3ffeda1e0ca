/**
 * InvenTree's input clean-up for text fields on create and update (core-api.md §1 "Input
 * sanitizing"): HTML tags are stripped and, except in markdown notes, line breaks removed.
 */

const HTML_TAG = /<\/?[A-Za-z!][^<>]*>/g;

export function cleanText(value: string, keepNewlines = false): string {
  const stripped = value.replace(HTML_TAG, '');
  return keepNewlines ? stripped : stripped.replace(/[\r\n]+/g, '');
}

/** Applies `cleanText` to every string value of a parsed body (notes keep their newlines). */
export function cleanStrings<T extends Record<string, unknown>>(body: T, notesKeys: readonly string[] = ['notes']): T {
  const out: Record<string, unknown> = { ...body };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === 'string') out[k] = cleanText(v, notesKeys.includes(k));
  }
  return out as T;
}
