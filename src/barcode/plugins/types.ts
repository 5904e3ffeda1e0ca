/**
 * The barcode plugin contract. A plugin reads a barcode and answers what it found, in
 * InvenTree's terms (barcode-api.md §2.0, §6.1): the objects it matched, optionally a
 * `success` text, or an `error`, plus extra keys of its own (supplier plugins add
 * `company: {pk}`). Plugins are built once at start-up; per-request state comes in the
 * context.
 */
import type { Executor } from '../../db/transaction.js';
import type { SettingDefinition } from '../../settings/definitions.js';
import type { BarcodeModel, BarcodeModelType } from '../model-types.js';

export type PluginMixin = 'barcode' | 'supplier-barcode' | 'settings';

export interface PluginContext {
  db: Executor;
  /** A setting of this plugin, in its stored text form. */
  setting(key: string): Promise<string>;
  /** Stores a setting of this plugin (validated like an API write). */
  setSetting(key: string, value: string): Promise<void>;
}

export interface MatchedRef {
  type: BarcodeModelType;
  pk: number;
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
  scan(ctx: PluginContext, barcode: string): Promise<ScanOutcome | undefined>;
  /** Generates this plugin's barcode text for an object (generation-capable plugins only). */
  generate?(ctx: PluginContext, model: BarcodeModel, pk: number): Promise<string>;
}
