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
import { prepared, type PreparedQuery } from '../db/prepared.js';
import type { SettingsService } from '../settings/service.js';
import type { FoundObject } from './plugins/types.js';

/** The primary-key look-up of each model's table, compiled once. */
const existence = new Map<string, PreparedQuery<{ pk: number }, { id: number }>>();

/** True when the object exists (one primary-key look-up). */
export async function objectExists(db: Executor, model: BarcodeModel, pk: number): Promise<boolean> {
  if (!isPossibleKey(pk)) return false;
  let query = existence.get(model.table);
  if (query === undefined) {
    query = prepared((q, a: { pk: number }) => q.selectFrom(model.table as 'part').select('id').where('id', '=', a.pk));
    existence.set(model.table, query);
  }
  return (await query.executeTakeFirst(db, { pk })) !== undefined;
}

/**
 * The object as a matched block's `instance` if it exists (undefined if not): most models'
 * instance is one query, which then also answers whether the object exists. If serialising
 * fails, existence is looked up on its own and the block serialises again (and logs why).
 */
export async function serialisedObject(db: Executor, model: BarcodeModel, pk: number, settings: SettingsService): Promise<FoundObject | undefined> {
  if (!isPossibleKey(pk)) return undefined;
  try {
    const instance = await INSTANCE_SERIALIZERS[model.type](db, pk, settings);
    return instance === undefined ? undefined : { instance };
  } catch {
    return (await objectExists(db, model, pk)) ? {} : undefined;
  }
}

export interface MatchedBlock {
  pk: number;
  api_url: string;
  web_url?: string;
  instance?: Record<string, unknown>;
}

/**
 * The matched block of an object; `instance` is left out if it cannot be serialised. `instance`
 * given: the object as already serialised (`serialisedObject`) in this request.
 */
export async function matchedBlock(db: Executor, type: BarcodeModelType, pk: number, request?: FastifyRequest, instance?: Record<string, unknown>): Promise<MatchedBlock> {
  const model = barcodeModel(type);
  if (model === undefined) throw new Error(`unknown model type ${type}`);
  const block: MatchedBlock = { pk, api_url: apiUrlOf(model, pk) };
  if (instance !== undefined) block.instance = instance;
  else if (request !== undefined) {
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
