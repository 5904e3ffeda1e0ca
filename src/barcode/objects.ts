/**
 * Looking up barcodable objects and answering them as InvenTree's "matched block"
 * (barcode-api.md §4): `{pk, api_url, web_url?, instance?}`. The `instance` is the object as
 * its own detail endpoint serialises it (instances.ts).
 */
import type { FastifyRequest } from 'fastify';
import type { Executor } from '../db/transaction.js';
import { INSTANCE_SERIALIZERS } from './instances.js';
import { apiUrlOf, barcodeModel, webUrlOf, type BarcodeModel, type BarcodeModelType } from './model-types.js';
import { isPossibleKey } from '../db/keys.js';

/** True when the object exists (one primary-key look-up). */
export async function objectExists(db: Executor, model: BarcodeModel, pk: number): Promise<boolean> {
  if (!isPossibleKey(pk)) return false;
  const row = await (db as Executor).selectFrom(model.table as 'part').select('id').where('id', '=', pk).executeTakeFirst();
  return row !== undefined;
}

export interface MatchedBlock {
  pk: number;
  api_url: string;
  web_url?: string;
  instance?: Record<string, unknown>;
}

/** The matched block of an object; `instance` is left out if it cannot be serialised. */
export async function matchedBlock(db: Executor, type: BarcodeModelType, pk: number, request?: FastifyRequest): Promise<MatchedBlock> {
  const model = barcodeModel(type);
  if (model === undefined) throw new Error(`unknown model type ${type}`);
  const block: MatchedBlock = { pk, api_url: apiUrlOf(model, pk) };
  if (request !== undefined) {
    try {
      const instance = await INSTANCE_SERIALIZERS[type](db, pk, request.server.ctx.settings);
      if (instance !== undefined) block.instance = instance;
    } catch (error) {
      request.log.warn({ err: error, type, pk }, 'could not serialise matched object');
    }
  }
  const web = webUrlOf(model, pk);
  if (web !== undefined) block.web_url = web;
  return block;
}
