/** Sending a scan to a barcode endpoint and turning the answer into words. */
import { ApiError, explain, post, type Json, type JsonObject } from '../api';
import { matchedObjects, type MatchedObject } from '../models';
import { prepareScan, type ScanRepair } from './text';

export type ScanState = 'pending' | 'ok' | 'warn' | 'error';

export interface ScanEntry {
  id: number;
  at: Date;
  raw: string;
  data: string;
  repairs: ScanRepair[];
  state: ScanState;
  message: string;
  status?: number;
  answer?: JsonObject;
  objects: MatchedObject[];
}

let counter = 0;

export function newEntry(raw: string): ScanEntry & { rest: string[] } {
  const prepared = prepareScan(raw);
  counter += 1;
  return { id: counter, at: new Date(), raw, data: prepared.data, repairs: prepared.repairs, rest: prepared.rest, state: 'pending', message: 'Looking it up…', objects: [] };
}

/** Repairs the server reports (if it does) beside the browser's own. */
function serverRepairs(answer: JsonObject | undefined): ScanRepair[] {
  const list = answer?.repairs;
  if (!Array.isArray(list)) return [];
  return list.flatMap((r: Json) => {
    if (typeof r === 'string') return [{ kind: 'burst' as const, detail: r }];
    if (typeof r === 'object' && r !== null && !Array.isArray(r) && typeof r.detail === 'string') return [{ kind: String(r.kind ?? '') as ScanRepair['kind'], detail: r.detail }];
    return [];
  });
}

export interface ScanReply {
  status: number;
  answer: JsonObject | undefined;
  /** A failure in words, or undefined on success. */
  error?: string;
}

/** POSTs to a barcode endpoint; 400 answers carrying `error` are results, not exceptions. */
export async function sendScan(url: string, body: JsonObject): Promise<ScanReply> {
  try {
    const answer = await post<JsonObject>(url, body);
    return { status: 200, answer };
  } catch (error) {
    if (error instanceof ApiError) {
      const answer = error.object;
      if (answer !== undefined && typeof answer.error === 'string') return { status: error.status, answer, error: explain(answer.error) };
      return { status: error.status, answer, error: error.message };
    }
    throw error;
  }
}

const PLUGINS: Record<string, string> = {
  InvenTreeBarcode: 'a Stockscan barcode',
  DigiKeyPlugin: 'a DigiKey label',
  MouserPlugin: 'a Mouser label',
  LCSCPlugin: 'an LCSC label',
  TMEPlugin: 'a TME label',
};

/** What kind of barcode answered, in words. */
export function pluginName(plugin: Json | undefined): string {
  if (typeof plugin !== 'string') return 'a barcode';
  return PLUGINS[plugin] ?? `a barcode read by ${plugin}`;
}

/** Fills in an entry from a reply of POST /api/barcode/. */
export function settleScan(entry: ScanEntry, reply: ScanReply): ScanEntry {
  const objects = matchedObjects(reply.answer);
  const repairs = [...entry.repairs];
  for (const r of serverRepairs(reply.answer)) if (!repairs.some((x) => x.detail === r.detail)) repairs.push(r);
  if (reply.error !== undefined) return { ...entry, repairs, state: 'error', message: reply.error, status: reply.status, ...(reply.answer ? { answer: reply.answer } : {}), objects };
  const message = `Found: ${pluginName(reply.answer?.plugin)}.${objects.length === 0 ? ' It names nothing this app can show.' : ''}`;
  return { ...entry, repairs, state: 'ok', message, status: reply.status, ...(reply.answer ? { answer: reply.answer } : {}), objects };
}
