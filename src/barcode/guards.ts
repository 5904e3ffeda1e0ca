/**
 * Checks shared by the barcode endpoints: logged body parsing (§1.4), the roles Stockscan
 * enforces on the order endpoints and the view permission on what a scan found (D5).
 */
import type { FastifyRequest } from 'fastify';
import { ApiError, ValidationError } from '../http/errors.js';
import * as f from '../http/fields.js';
import type { RulesetName, Verb } from '../users/roles.js';
import { recordRequestScan } from './history.js';
import { barcodeModel, type BarcodeModel } from './model-types.js';

/** Parses a body; a validation failure is stored in the scan history before it is answered. */
export async function parseLoggedBody<S extends Record<string, f.Field<any>>>(form: f.ObjectField<S>, request: FastifyRequest): Promise<f.ObjectValue<S>> {
  const { db, settings } = request.server.ctx;
  try {
    return await f.parseBody(form, request.body, { db });
  } catch (error) {
    if (error instanceof ValidationError) await recordRequestScan(db, settings, request, { error: error.fields }, false, null);
    throw error;
  }
}

export async function canOnModel(request: FastifyRequest, model: BarcodeModel, verb: Verb): Promise<boolean> {
  return (await request.permissions()).hasModel(model.permissionTable, verb);
}

/** D5: the order endpoints enforce the roles InvenTree only declares. */
export async function requireRole(request: FastifyRequest, ruleset: RulesetName, verb: Verb): Promise<void> {
  if (!(await request.permissions()).hasRole(ruleset, verb)) {
    throw new ApiError(403, { error: `You do not have the required permissions for ${ruleset}.${verb}` });
  }
}

export const NOT_VIEWABLE = { detail: 'User does not have permission to view this model' } as const;

/**
 * D5: when a scan found an object of a model the user may not view, the attempt is logged
 * and refused with 403. `found` holds the matched model types (the keys of a response body).
 */
export async function refuseUnviewable(request: FastifyRequest, found: Iterable<string>, plugin: string | null): Promise<void> {
  for (const key of found) {
    const model = barcodeModel(key);
    if (model !== undefined && !(await canOnModel(request, model, 'view'))) {
      const { db, settings } = request.server.ctx;
      await recordRequestScan(db, settings, request, NOT_VIEWABLE, false, plugin);
      throw new ApiError(403, NOT_VIEWABLE);
    }
  }
}
