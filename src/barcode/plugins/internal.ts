/**
 * The built-in plugin `InvenTreeBarcode` (barcode-api.md §3): InvenTree's own short and JSON
 * barcodes, and barcodes linked to objects. Always active. Its scan follows InvenTree's exact
 * order (§3.6): short format (an unknown code stops the search), JSON format, linked hash.
 */
import { barcodeHash } from '../formats/hash.js';
import { generateJsonBarcode, generateShortBarcode, parseJsonObject, parseShortBarcode, pythonInt } from '../formats/internal.js';
import { BARCODE_MODELS, barcodeModel, barcodeModelByCode, type BarcodeModel } from '../model-types.js';
import type { BarcodePlugin, PluginContext, ScanOutcome } from './types.js';

export const INTERNAL_PLUGIN_SLUG = 'inventreebarcode';
export const FOUND = 'Found matching item';

export const internalBarcodePlugin: BarcodePlugin = {
  slug: INTERNAL_PLUGIN_SLUG,
  name: 'InvenTreeBarcode',
  title: 'InvenTree Barcodes',
  description: 'Provides native support for barcodes',
  version: '2.2.0',
  author: 'Stockscan',
  builtin: true,
  mandatory: true,
  activeByDefault: true,
  mixins: ['barcode', 'settings'],
  settings: [
    {
      key: 'INTERNAL_BARCODE_FORMAT',
      name: 'Internal Barcode Format',
      description: 'Select an internal barcode format',
      type: 'choice',
      default: 'short',
      choices: [
        { value: 'json', display_name: 'JSON barcodes (human readable)' },
        { value: 'short', display_name: 'Short barcodes (space optimized)' },
      ],
    },
    {
      key: 'SHORT_BARCODE_PREFIX',
      name: 'Short Barcode Prefix',
      description: 'Customize the prefix used for short barcodes, may be useful for environments with multiple InvenTree instances',
      type: 'string',
      default: 'INV-',
    },
  ],

  async scan(ctx: PluginContext, barcode: string): Promise<ScanOutcome | undefined> {
    // 1. Short format: a known code is looked up; an unknown code ends the search.
    const short = parseShortBarcode(barcode, await ctx.setting('SHORT_BARCODE_PREFIX'));
    if (short !== undefined) {
      const model = barcodeModelByCode(short.code);
      if (model === undefined) return undefined;
      if (short.pk !== undefined) {
        const found = await ctx.objectOf(model, short.pk);
        if (found !== undefined) return { objects: [{ type: model.type, pk: short.pk, via: 'internal-short', ...found }] };
      }
    }
    // 2. JSON format: the first model (in model order) whose key names an existing object.
    const json = parseJsonObject(barcode);
    if (json !== undefined) {
      for (const model of BARCODE_MODELS) {
        if (!Object.prototype.hasOwnProperty.call(json, model.type)) continue;
        const pk = pythonInt(json[model.type]);
        if (pk === undefined) continue;
        const found = await ctx.objectOf(model, pk);
        if (found !== undefined) return { objects: [{ type: model.type, pk, via: 'internal-json', ...found }], success: FOUND };
      }
    }
    // 3. A linked barcode: one indexed look-up of the hash across all models.
    const link = await ctx.linkOf(barcodeHash(barcode));
    const model = link === undefined ? undefined : barcodeModel(link.model_type);
    if (link !== undefined && model !== undefined) {
      return { objects: [{ type: model.type, pk: link.object_id, via: 'link', link: link.id }], success: FOUND };
    }
    return undefined;
  },

  async generate(ctx: PluginContext, model: BarcodeModel, pk: number): Promise<string> {
    if ((await ctx.setting('INTERNAL_BARCODE_FORMAT')) === 'short') {
      return generateShortBarcode(await ctx.setting('SHORT_BARCODE_PREFIX'), model.code, pk);
    }
    return generateJsonBarcode(model.type, pk);
  },
};
