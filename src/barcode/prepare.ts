/**
 * Scan repair on the way in (standards.md §3 item 1, §4.5): every endpoint that reads a
 * barcode runs it through `prepareBarcode` before any plugin sees it. The repair families are
 * global settings (BARCODE_REPAIR_SYMBOLOGY, _CONTROL_PICTURES, _KEYBOARD, _BURST; all on by
 * default). What the plugins parse, what answers echo as `barcode_data`, what links store and
 * what the hash is computed over (InvenTree's algorithm, D10) is the repaired text; the answer
 * reports the repairs under `normalization` — only when something was repaired or a symbology
 * identifier was removed, so an untouched scan answers exactly as before.
 *
 * A repair never takes a barcode away from the object it is linked to or names: when the text
 * as received is itself a linked barcode, or an internal barcode of this server (the short form
 * with the configured prefix and a known code, or JSON naming a model type), it is used
 * unrepaired — so that every barcode `generate` makes scans back to its object, whatever the
 * SHORT_BARCODE_PREFIX (a prefix such as `]d2` or `␝` would otherwise be "repaired" away).
 */
import type { FastifyRequest } from 'fastify';
import type { Executor } from '../db/transaction.js';
import type { SettingsService } from '../settings/service.js';
import { barcodeHash } from './formats/hash.js';
import { parseJsonObject, parseShortBarcode } from './formats/internal.js';
import { repairScan, type RepairOptions, type SymbologyInfo } from './formats/repair.js';
import { noteNormalized } from './history.js';
import { findByHash } from './links.js';
import { BARCODE_MODEL_TYPES, barcodeModelByCode } from './model-types.js';
import { internalBarcodePlugin } from './plugins/internal.js';
import type { PluginRegistry } from './plugins/registry.js';
import type { ScanInfo } from './plugins/types.js';

export const REPAIR_SETTINGS = {
  symbology: 'BARCODE_REPAIR_SYMBOLOGY',
  controlPictures: 'BARCODE_REPAIR_CONTROL_PICTURES',
  keyboard: 'BARCODE_REPAIR_KEYBOARD',
  burst: 'BARCODE_REPAIR_BURST',
} as const;

export interface Normalization {
  /** The barcode as received (after the usual trimming). */
  input: string;
  normalized: string;
  symbology: { id: string; name: string; gs1: boolean } | null;
  repairs: { kind: string; detail: string }[];
  /** Further codes of a multi-code scan (trimmed, not used). */
  rest: string[];
}

export interface PreparedBarcode {
  /** The text to parse, echo and link: repaired, or the barcode as received. */
  data: string;
  /** InvenTree's hash of `data`. */
  hash: string;
  info: ScanInfo;
  /** Present when a repair changed the text or a symbology identifier was removed. */
  normalization?: Normalization;
}

export interface PrepareContext {
  db: Executor;
  settings: SettingsService;
  plugins: PluginRegistry;
}

/** Characters only the keyboard-layout repairs act on. */
const KEYBOARD_DAMAGE = /[@"\u201c\u201d\u201e\u201fß]/;

/** Is `text` an internal barcode: the short form with a known code, or JSON naming a model type? */
export function internalCheck(prefix: string): (text: string) => boolean {
  return (text) => {
    const short = parseShortBarcode(text, prefix);
    if (short !== undefined) return barcodeModelByCode(short.code) !== undefined;
    const json = parseJsonObject(text);
    return json !== undefined && BARCODE_MODEL_TYPES.some((t) => Object.prototype.hasOwnProperty.call(json, t));
  };
}

async function repairOptions(ctx: PrepareContext, barcode: string): Promise<RepairOptions> {
  // One read of the global settings for all four switches.
  const values = await ctx.settings.getGlobals(Object.values(REPAIR_SETTINGS));
  const on = (key: string) => values.get(key) !== 'False';
  const keyboard = on(REPAIR_SETTINGS.keyboard);
  const options: RepairOptions = {
    burst: on(REPAIR_SETTINGS.burst),
    symbologyIdentifier: on(REPAIR_SETTINGS.symbology),
    controlPictures: on(REPAIR_SETTINGS.controlPictures),
    iso15434Header: on(REPAIR_SETTINGS.controlPictures),
    terminator: on(REPAIR_SETTINGS.controlPictures),
    smartQuotes: keyboard,
    ukLayout: keyboard,
    germanLayout: keyboard,
  };
  // The internal-format check is needed by the keyboard repairs, and by the burst split (a
  // pretty-printed internal JSON barcode is one code).
  if ((keyboard && KEYBOARD_DAMAGE.test(barcode)) || (options.burst && /[\r\n]/.test(barcode))) {
    options.isInternal = internalCheck(await ctx.plugins.setting(internalBarcodePlugin, 'SHORT_BARCODE_PREFIX', ctx.db));
  }
  return options;
}

/** Whether the text as received must not be repaired: it is an internal or a linked barcode. */
async function keepAsReceived(ctx: PrepareContext, barcode: string, options: RepairOptions): Promise<boolean> {
  const isInternal = options.isInternal ?? internalCheck(await ctx.plugins.setting(internalBarcodePlugin, 'SHORT_BARCODE_PREFIX', ctx.db));
  if (isInternal(barcode)) return true;
  return (await findByHash(ctx.db, barcodeHash(barcode))) !== undefined;
}

function symbologyView(s: SymbologyInfo | null): Normalization['symbology'] {
  return s === null ? null : { id: s.id, name: s.name, gs1: s.gs1 };
}

/**
 * Repairs a validated (trimmed) barcode. With `request`, the normalised text is also noted for
 * the request's scan-history row.
 */
export async function prepareBarcode(ctx: PrepareContext, barcode: string, request?: FastifyRequest): Promise<PreparedBarcode> {
  const options = await repairOptions(ctx, barcode);
  const repaired = repairScan(barcode, options);
  let prepared: PreparedBarcode;
  if (repaired.repairs.length === 0 || (repaired.normalized !== barcode && (await keepAsReceived(ctx, barcode, options)))) {
    prepared = { data: barcode, hash: barcodeHash(barcode), info: { symbology: null } };
  } else {
    prepared = {
      data: repaired.normalized,
      hash: barcodeHash(repaired.normalized),
      info: { symbology: repaired.symbology },
      normalization: {
        input: barcode,
        normalized: repaired.normalized,
        symbology: symbologyView(repaired.symbology),
        repairs: repaired.repairs.map((r) => ({ kind: r.kind, detail: r.detail })),
        rest: repaired.rest,
      },
    };
  }
  if (request !== undefined) noteNormalized(request, prepared.data);
  return prepared;
}

/** Adds `normalization` to an answer when the barcode was repaired. */
export function withNormalization<T extends Record<string, unknown>>(body: T, prepared: PreparedBarcode): T {
  if (prepared.normalization !== undefined) (body as Record<string, unknown>).normalization = prepared.normalization;
  return body;
}
