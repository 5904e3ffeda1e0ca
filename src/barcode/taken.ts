/**
 * The "a barcode belongs to one object" check of link and alias (barcode-api.md §2.3 step 2,
 * D13).
 */
import type { FastifyRequest } from 'fastify';
import type { Executor } from '../db/transaction.js';
import { ApiError } from '../http/errors.js';
import { canOnModel } from './guards.js';
import { findSameGtin, plainGtin } from './gtin.js';
import { barcodeModel } from './model-types.js';
import { internalBarcodePlugin } from './plugins/internal.js';
import type { MatchedRef } from './plugins/types.js';
import { withNormalization, type PreparedBarcode } from './prepare.js';
import { answerBody, scanAcrossPlugins } from './scan.js';

/**
 * Refuses (400, "Barcode matches existing item", with the object it belongs to) a barcode that
 * already belongs to something: one of the internal barcodes of an existing object, a linked
 * barcode (primary or alias), or — for a GTIN — the same GTIN linked in another written form.
 * Only the built-in plugin is asked, not the supplier plugins (#7637).
 */
export async function refuseTakenBarcode(trx: Executor, request: FastifyRequest, prepared: PreparedBarcode): Promise<void> {
  const { plugins } = request.server.ctx;
  const barcode = prepared.data;
  let objects: MatchedRef[] = [];
  const existing = await scanAcrossPlugins(plugins, [internalBarcodePlugin], barcode, trx, { request, info: prepared.info });
  if (existing.plugin !== null && existing.outcome !== undefined) objects = existing.outcome.objects;
  if (objects.length === 0) {
    const gtin = plainGtin(barcode);
    const same = gtin === undefined ? undefined : await findSameGtin(trx, gtin);
    const model = same === undefined ? undefined : barcodeModel(same.model_type);
    if (same !== undefined && model !== undefined) objects = [{ type: model.type, pk: same.object_id }];
  }
  if (objects.length === 0) return;
  const blocks = await answerBody(trx, { plugin: internalBarcodePlugin, outcome: { objects } }, barcode, request, async (type) => {
    const m = barcodeModel(type);
    return m !== undefined && (await canOnModel(request, m, 'view'));
  });
  delete blocks.success;
  delete blocks.barcode_hash;
  throw new ApiError(400, withNormalization({ ...blocks, error: 'Barcode matches existing item', plugin: internalBarcodePlugin.name, barcode_data: barcode }, prepared));
}
