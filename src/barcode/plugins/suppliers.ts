/**
 * The four built-in supplier plugins (supplier-barcodes.md §3; names, slugs and order per
 * decision D19): DigiKey and Mouser read ISO 15434 / ECIA labels, LCSC its brace format, TME
 * its QR text, old 2D format and ISO 15434. Each matches the parsed fields against its own
 * supplier's parts and orders. Built in, inactive until an administrator enables them.
 */
import { parseEcia } from '../formats/iso15434.js';
import { parseLcsc } from '../formats/lcsc.js';
import type { SupplierFields } from '../formats/supplier-fields.js';
import { parseTme } from '../formats/tme.js';
import { FOUND } from './internal.js';
import { matchManufacturerPart, matchPurchaseOrder, matchSupplierPart, resolveSupplier } from './supplier-matching.js';
import { receiveWithSupplierPlugin } from './supplier-receive.js';
import type { BarcodePlugin, MatchedRef, PluginContext, ScanOutcome } from './types.js';

/** Mouser's rule: its `K` is also its own order number. */
export function mouserFields(text: string): SupplierFields {
  const fields = parseEcia(text);
  if (fields.customer_order_number !== undefined && fields.customer_order_number !== '' && fields.supplier_order_number === undefined) {
    fields.supplier_order_number = fields.customer_order_number;
  }
  return fields;
}

export interface SupplierBarcodePlugin extends BarcodePlugin {
  readonly defaultSupplierName: string;
  parse(text: string): SupplierFields;
  /** The plugin's supplier for this request (D14: never cached). */
  supplier(ctx: PluginContext): Promise<number | null>;
}

/**
 * One of the four plugins built by `supplierPlugin` (a parser and a supplier of its own). The
 * ECIA plugin has the supplier-barcode mixin too, but neither: its suppliers are configured.
 */
export function isSupplierPlugin(plugin: BarcodePlugin): plugin is SupplierBarcodePlugin {
  const candidate = plugin as Partial<SupplierBarcodePlugin>;
  return plugin.mixins.includes('supplier-barcode') && typeof candidate.parse === 'function' && typeof candidate.supplier === 'function';
}

function supplierPlugin(options: { slug: string; name: string; label: string; parse: (text: string) => SupplierFields }): SupplierBarcodePlugin {
  const plugin: SupplierBarcodePlugin = {
    slug: options.slug,
    name: options.name,
    title: `Supplier Integration - ${options.label}`,
    description: `Provides support for scanning ${options.label} barcodes`,
    version: '1.0.1',
    author: 'Stockscan',
    builtin: true,
    mandatory: false,
    activeByDefault: false,
    mixins: ['barcode', 'supplier-barcode', 'settings'],
    settings: [
      {
        key: 'SUPPLIER_ID',
        name: 'Supplier',
        description: `The Supplier which acts as '${options.label}'`,
        type: 'related',
        model: 'company',
        default: '',
      },
    ],
    defaultSupplierName: options.label,
    parse: options.parse,
    supplier: (ctx) => resolveSupplier(ctx, options.label),

    async scan(ctx: PluginContext, barcode: string): Promise<ScanOutcome | undefined> {
      const fields = options.parse(barcode);
      if (Object.keys(fields).length === 0) return undefined;
      return matchSupplierLabel(ctx, fields, await resolveSupplier(ctx, options.label));
    },

    receive: (ctx, barcode, receiveOptions) => receiveWithSupplierPlugin(plugin, ctx, barcode, receiveOptions),
  };
  return plugin;
}

/**
 * §5.1 steps 2–5: the purchase order, supplier part and manufacturer part the label's fields
 * name (within `supplierId`'s, when given), plus `company`; undefined when nothing matched.
 */
export async function matchSupplierLabel(ctx: PluginContext, fields: SupplierFields, supplierId: number | null): Promise<ScanOutcome | undefined> {
  const objects: MatchedRef[] = [];
  const po = await matchPurchaseOrder(ctx.db, fields, supplierId);
  if (po !== null) objects.push({ type: 'purchaseorder', pk: po, via: 'supplier-label' });
  const sp = await matchSupplierPart(ctx.db, fields, supplierId);
  if (sp !== null) objects.push({ type: 'supplierpart', pk: sp, via: 'supplier-label' });
  const mp = await matchManufacturerPart(ctx.db, fields, supplierId);
  if (mp !== null) objects.push({ type: 'manufacturerpart', pk: mp, via: 'supplier-label' });
  if (objects.length === 0) return undefined;
  return { objects, success: FOUND, ...(supplierId !== null ? { extra: { company: { pk: supplierId } } } : {}) };
}

export const digikeyPlugin = supplierPlugin({ slug: 'digikeyplugin', name: 'DigiKeyPlugin', label: 'DigiKey', parse: parseEcia });
export const mouserPlugin = supplierPlugin({ slug: 'mouserplugin', name: 'MouserPlugin', label: 'Mouser', parse: mouserFields });
export const lcscPlugin = supplierPlugin({ slug: 'lcscplugin', name: 'LCSCPlugin', label: 'LCSC', parse: parseLcsc });
export const tmePlugin = supplierPlugin({ slug: 'tmeplugin', name: 'TMEPlugin', label: 'TME', parse: parseTme });
