/** Current time as stored in the database: ISO-8601 UTC text. */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

const DAY_MS = 86_400_000;
/** Today's date and the instant it ends (requests ask for it several times each). */
let currentDay = { text: '', endsAt: 0 };

/** Today's date (UTC) as `YYYY-MM-DD`. */
export function today(now?: Date): string {
  if (now !== undefined) return now.toISOString().slice(0, 10);
  const ms = Date.now();
  if (ms >= currentDay.endsAt || ms < currentDay.endsAt - DAY_MS) {
    const start = ms - (ms % DAY_MS);
    currentDay = { text: new Date(start).toISOString().slice(0, 10), endsAt: start + DAY_MS };
  }
  return currentDay.text;
}

/** `YYYY-MM-DD` plus a number of days. */
export function addDays(dateText: string, days: number): string {
  const d = new Date(`${dateText}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** DRF's datetime rendering in InvenTree: `YYYY-MM-DD HH:MM` (no seconds, no zone). */
export function apiDateTime(iso: string | null): string | null {
  if (iso === null) return null;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}
