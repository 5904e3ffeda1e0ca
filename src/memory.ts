/**
 * The server's heap policy. Under load V8 lets the old generation grow to a multiple of what
 * survived its last full collection (a factor it picks between 1.1 and 4 from the measured GC
 * and allocation speeds), and a scan server promotes a little short-lived garbage with every
 * request (objects of requests in flight when the young generation is collected), so the heap,
 * and the process's RSS, climbed to ~2.5 times the live heap before a full collection brought
 * it back (docs/performance.md, ninth round). A fixed, smaller growth factor makes full
 * collections come earlier; each is short (the live heap is ~30 MB), so peak RSS falls by
 * ~25 MB at no measurable CPU cost. `--heap-growing-percent` is read by V8 at each collection,
 * so setting it at run time takes effect.
 */
import { setFlagsFromString } from 'node:v8';

const FLAG = '--heap-growing-percent';

/**
 * The V8 flag to set for a growth of `percent` (0: leave V8's own choice), or undefined when
 * nothing is to be set: also when node was started with the flag (the command line wins).
 */
export function heapGrowthFlag(percent: number, execArgv: readonly string[]): string | undefined {
  if (percent <= 0) return undefined;
  if (execArgv.some((arg) => arg === FLAG || arg.startsWith(`${FLAG}=`) || arg.startsWith('--heap_growing_percent'))) return undefined;
  return `${FLAG}=${percent}`;
}

/** Applies the heap growth of `percent` to this process; returns the percent set, or null when none was. */
export function applyHeapGrowth(percent: number): number | null {
  const flag = heapGrowthFlag(percent, process.execArgv);
  if (flag === undefined) return null;
  setFlagsFromString(flag);
  return percent;
}
