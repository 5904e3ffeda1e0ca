/**
 * The generic `ECIAPlugin` (slug `eciaplugin`, InvenTree #6366): ISO/IEC 15434 format-06
 * labels with ECIA / ANSI MH10.8.2 data identifiers from suppliers without a plugin of their
 * own — Farnell / element14, Newark, Arrow, RS, Würth … — read with the same data identifiers
 * as the DigiKey and Mouser plugins (supplier-barcodes.md §2.3). Which companies it reads for
 * is configured per supplier company (`/api/barcode/ecia/`, table `barcode_ecia_supplier`).
 *
 * Since every ECIA label looks alike, the supplier is found by matching: the configured
 * suppliers are tried in the order they were added, and the first whose purchase orders,
 * supplier parts or manufacturer parts the label names answers (with `company: {pk}`), as
 * each supplier plugin does for its one supplier. `K` is also read as the supplier's order
 * number when the label has no `1K` (Mouser's rule), so either reference of the purchase order
 * is found. Without configured suppliers the plugin answers nothing (D19: it never claims
 * another supplier's label). Inactive until an administrator enables it.
 */
import type { Executor } from '../../db/transaction.js';
import { mouserFields, matchSupplierLabel } from './suppliers.js';
import { receiveSupplierLabel } from './supplier-receive.js';
import type { BarcodePlugin, PluginContext, ReceiveAnswer, ReceiveOptions, ScanOutcome } from './types.js';

/** The configured supplier companies, in the order they were added. */
export async function eciaSuppliers(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom('barcode_ecia_supplier').select('company_id').orderBy('id').execute();
  return rows.map((r) => r.company_id);
}

export const eciaPlugin: BarcodePlugin = {
  slug: 'eciaplugin',
  name: 'ECIAPlugin',
  title: 'Supplier Integration - ECIA',
  description: 'Provides support for scanning ISO/IEC 15434 (ECIA) labels of the configured suppliers',
  version: '1.0.0',
  author: 'Stockscan',
  builtin: true,
  mandatory: false,
  activeByDefault: false,
  mixins: ['barcode', 'supplier-barcode'],
  settings: [],

  async scan(ctx: PluginContext, barcode: string): Promise<ScanOutcome | undefined> {
    const fields = mouserFields(barcode);
    if (Object.keys(fields).length === 0) return undefined;
    for (const supplier of await eciaSuppliers(ctx.db)) {
      const outcome = await matchSupplierLabel(ctx, fields, supplier);
      if (outcome !== undefined) return outcome;
    }
    return undefined;
  },

  async receive(ctx: PluginContext, barcode: string, options: ReceiveOptions): Promise<ReceiveAnswer | undefined> {
    const fields = mouserFields(barcode);
    if (Object.keys(fields).length === 0) return undefined;
    let firstError: ReceiveAnswer | undefined;
    for (const supplier of await eciaSuppliers(ctx.db)) {
      const answer = await receiveSupplierLabel(ctx.db, barcode, fields, supplier, options);
      if (answer === undefined) continue;
      if (answer.error === undefined) return answer;
      firstError ??= answer;
    }
    return firstError;
  },
};
