/**
 * The shared "scan across plugins" step (barcode-api.md §2.0) and the response body it
 * produces: the first plugin that answers without an error wins; if none does, the first
 * one that answered with an error is reported; a plugin that throws is logged and skipped.
 */
import type { FastifyRequest } from 'fastify';
import type { Executor } from '../db/transaction.js';
import { barcodeHash } from './formats/hash.js';
import { matchedBlock, serialisedObject } from './objects.js';
import type { PluginRegistry } from './plugins/registry.js';
import type { BarcodePlugin, PluginContext, ScanInfo, ScanOutcome } from './plugins/types.js';

export interface PluginAnswer {
  plugin: BarcodePlugin | null;
  outcome: ScanOutcome | undefined;
}

function isEmpty(outcome: ScanOutcome): boolean {
  return outcome.objects.length === 0 && outcome.success === undefined && outcome.error === undefined && Object.keys(outcome.extra ?? {}).length === 0;
}

export interface ScanOptions {
  /** The request scanned for: its log gets the plugins' failures; needed for `withInstances`. */
  request?: FastifyRequest;
  info?: ScanInfo;
  /** Answers the plugins' barcode link look-ups instead of the database (for a caller that has already looked them up). */
  linkOf?: PluginContext['linkOf'];
  /**
   * The caller answers with the matched objects' blocks (`answerBody`): a plugin's look-up of
   * an object by id then serialises its instance at once, and the block reuses it.
   */
  withInstances?: boolean;
}

export async function scanAcrossPlugins(
  registry: PluginRegistry,
  plugins: readonly BarcodePlugin[],
  barcode: string,
  db: Executor,
  options: ScanOptions = {},
): Promise<PluginAnswer> {
  const { request, info, linkOf } = options;
  const settings = request?.server.ctx.settings;
  const objectOf: PluginContext['objectOf'] | undefined =
    options.withInstances === true && settings !== undefined ? (model, pk) => serialisedObject(db, model, pk, settings) : undefined;
  let firstError: PluginAnswer | undefined;
  for (const plugin of plugins) {
    let outcome: ScanOutcome | undefined;
    try {
      outcome = await plugin.scan(registry.context(plugin, db, { linkOf, objectOf }), barcode, info);
    } catch (error) {
      request?.log.warn({ err: error, plugin: plugin.slug }, 'barcode plugin failed');
      continue;
    }
    if (outcome === undefined || isEmpty(outcome)) continue;
    if (outcome.error !== undefined) {
      firstError ??= { plugin, outcome };
      continue;
    }
    return { plugin, outcome };
  }
  return firstError ?? { plugin: null, outcome: undefined };
}

export type ResponseBody = Record<string, unknown>;

/**
 * `{<model>: {pk, api_url, web_url, instance}, ...extra, success?, error?, plugin,
 * barcode_data, barcode_hash}` for a plugin answer. `withInstance(type)` decides whether the
 * serialised instance may be shown (the caller's view permission).
 */
export async function answerBody(
  db: Executor,
  answer: PluginAnswer,
  barcode: string,
  request: FastifyRequest | undefined,
  withInstance: (type: string) => Promise<boolean> = async () => true,
): Promise<ResponseBody> {
  const body: ResponseBody = {};
  const outcome = answer.outcome;
  if (outcome !== undefined) {
    for (const ref of outcome.objects) {
      const block = await matchedBlock(db, ref.type, ref.pk, request, ref.instance);
      if (!(await withInstance(ref.type))) delete block.instance;
      body[ref.type] = block;
    }
    Object.assign(body, outcome.extra ?? {});
    if (outcome.success !== undefined) body.success = outcome.success;
    if (outcome.error !== undefined) body.error = outcome.error;
  }
  body.plugin = answer.plugin?.name ?? null;
  body.barcode_data = barcode;
  body.barcode_hash = barcodeHash(barcode);
  return body;
}
