/**
 * The barcode plugin contract. A plugin reads a barcode and answers what it found, in
 * InvenTree's terms (barcode-api.md §2.0, §6.1): the objects it matched, optionally a
 * `success` text, or an `error`, plus extra keys of its own (supplier plugins add
 * `company: {pk}`). Plugins are built once at start-up; per-request state comes in the
 * context.
 */
import type { Database } from '../../db/connection.js';
import type { Executor } from '../../db/transaction.js';
import type { SettingDefinition } from '../../settings/definitions.js';
import type { SettingsService } from '../../settings/service.js';
import type { SymbologyInfo } from '../formats/repair.js';
import type { BarcodeModel, BarcodeModelType } from '../model-types.js';

export type PluginMixin = 'barcode' | 'supplier-barcode' | 'settings';

export interface PluginContext {
  db: Executor;
  /** A setting of this plugin, in its stored text form. */
  setting(key: string): Promise<string>;
  /** Stores a setting of this plugin (validated like an API write). */
  setSetting(key: string, value: string): Promise<void>;
  /** The barcode link of a barcode hash, whichever object it belongs to. */
  linkOf(hash: string): Promise<LinkRef | undefined>;
  /**
   * The object `pk` of `model` if it exists, undefined if not; with its matched block's
   * `instance` when the caller will answer with one (the scan endpoints), so that one query
   * both finds and serialises it.
   */
  objectOf(model: BarcodeModel, pk: number): Promise<FoundObject | undefined>;
}

/** An object a plugin looked up (`PluginContext.objectOf`). */
export interface FoundObject {
  instance?: Record<string, unknown>;
}

/** A barcode link as plugins see it. */
export interface LinkRef {
  id: number;
  model_type: string;
  object_id: number;
}

/** What scan repair learnt about a barcode besides its text (e.g. the removed AIM identifier). */
export interface ScanInfo {
  symbology: SymbologyInfo | null;
}

/** How a plugin found an object (reported by `POST /api/barcode/whois/`, not by scans). */
export type MatchVia = 'internal-short' | 'internal-json' | 'link' | 'gtin' | 'po-number' | 'supplier-label';

export interface MatchedRef {
  type: BarcodeModelType;
  pk: number;
  via?: MatchVia;
  /** The barcode link (`barcode_link.id`) the object was found through. */
  link?: number;
  /** Its matched block's `instance`, when the plugin's look-up already serialised it. */
  instance?: Record<string, unknown>;
}

export interface ScanOutcome {
  /** Matched objects, each answered as a matched block under its model type. */
  objects: MatchedRef[];
  success?: string;
  error?: string;
  /** Further keys copied into the response as they are (e.g. `company: {pk}`). */
  extra?: Record<string, unknown>;
}

export interface BarcodePlugin {
  /** The key (slug), e.g. `inventreebarcode`. */
  readonly slug: string;
  /** The `plugin` value in responses, e.g. `InvenTreeBarcode` (decision D19). */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly version: string;
  readonly author: string;
  /** Built in: always installed. Mandatory: always active. */
  readonly builtin: boolean;
  readonly mandatory: boolean;
  /** Active on a fresh database. */
  readonly activeByDefault: boolean;
  readonly mixins: readonly PluginMixin[];
  readonly settings: readonly SettingDefinition[];
  /** Reads a barcode; undefined means "not mine". May throw: the caller logs and skips it. */
  scan(ctx: PluginContext, barcode: string, info?: ScanInfo): Promise<ScanOutcome | undefined>;
  /**
   * Receives a purchase-order line from a scanned label (`po-receive`, supplier-barcodes.md
   * §6.2); undefined means "not mine". Runs inside the po-receive transaction. May throw: the
   * caller logs and skips the plugin.
   */
  receive?(ctx: PluginContext, barcode: string, options: ReceiveOptions, info?: ScanInfo): Promise<ReceiveAnswer | undefined>;
  /** Generates this plugin's barcode text for an object (generation-capable plugins only). */
  generate?(ctx: PluginContext, model: BarcodeModel, pk: number): Promise<string>;
}

export interface ReceiveOptions {
  supplier: number | null;
  purchaseOrder: number | null;
  location: number | null;
  lineItem: number | null;
  autoAllocate: boolean;
  userId: number | null;
  database: Database;
  settings: SettingsService;
}

export interface LineItemAnswer {
  pk: number;
  quantity: number;
  supplier_part: number;
  purchase_order: number;
  location: number | null;
  /** GS1 labels: what the received stock item gets (the names of the PO receive endpoint's items). */
  batch_code?: string;
  expiry_date?: string;
  serial_numbers?: string;
}

/** What a plugin answers in po-receive; `error` without `lineitem` for the early refusals. */
export interface ReceiveAnswer {
  lineitem?: LineItemAnswer;
  success?: string;
  action_required?: string;
  error?: string;
}
