/**
 * Order scanning endpoints (barcode-api.md §2.5–§2.7): po-allocate, po-receive and
 * so-allocate, with Stockscan's permission rules (D5) and real error bodies (D4, D7).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, ValidationError } from '../http/errors.js';
import * as f from '../http/fields.js';
import { PO_OPEN } from '../status/enums.js';
import type { RulesetName } from '../users/roles.js';
import { barcodeField } from './forms.js';
import { recordRequestScan } from './history.js';
import { barcodeModel } from './model-types.js';
import { matchedBlock } from './objects.js';
import { answerBody, scanAcrossPlugins, type ResponseBody } from './scan.js';

const LooseBody = Type.Object({}, { additionalProperties: true });

/** D5: the order endpoints enforce the roles InvenTree only declares. */
async function requireRole(request: FastifyRequest, ruleset: RulesetName, verb: 'add'): Promise<void> {
  if (!(await request.permissions()).hasRole(ruleset, verb)) {
    throw new ApiError(403, { error: `You do not have the required permissions for ${ruleset}.${verb}` });
  }
}

export async function orderScanRoutes(app: FastifyInstance): Promise<void> {
  const { db, settings, plugins } = app.ctx;
  const ctx = { db };

  /** Parses a logged endpoint's body; a validation failure is stored in the history (§1.4). */
  async function parseLogged<S extends Record<string, f.Field<any>>>(form: f.ObjectField<S>, request: FastifyRequest): Promise<f.ObjectValue<S>> {
    try {
      return await f.parseBody(form, request.body, ctx);
    } catch (error) {
      if (error instanceof ValidationError) await recordRequestScan(db, settings, request, { error: error.fields }, false, null);
      throw error;
    }
  }

  /** D5: refuses (403) when the scan matched a model the user may not view. */
  async function checkViewable(request: FastifyRequest, body: ResponseBody, plugin: string | null): Promise<void> {
    const permissions = await request.permissions();
    for (const key of Object.keys(body)) {
      const model = barcodeModel(key);
      if (model !== undefined && !permissions.hasModel(model.permissionTable, 'view')) {
        const denied = { detail: 'User does not have permission to view this model' };
        await recordRequestScan(db, settings, request, denied, false, plugin);
        throw new ApiError(403, denied);
      }
    }
  }

  // po-allocate (§2.5, D7) --------------------------------------------------------------------
  const PoAllocateForm = f.object({
    barcode: barcodeField(),
    purchase_order: f.pk({
      description: 'Purchase order to allocate the scanned part to',
      exists: async (d, pk) => (await d.selectFrom('purchase_order').select('id').where('id', '=', pk).executeTakeFirst()) !== undefined,
    }),
  });

  app.post(
    '/api/barcode/po-allocate/',
    {
      schema: {
        tags: ['barcode'],
        summary: 'Match a scanned part to a purchase order',
        description:
          'Finds the one supplier part of the purchase order\'s supplier that the scanned barcode points at, so that a line can be added for it. Needs the purchase_order.add role.',
        body: PoAllocateForm.schema,
        response: { 200: LooseBody, 400: LooseBody, 403: LooseBody },
      },
    },
    async (request, reply) => {
      await requireRole(request, 'purchase_order', 'add');
      const body = await parseLogged(PoAllocateForm, request);
      const order = await db.selectFrom('purchase_order').select(['id', 'status', 'supplier_id']).where('id', '=', body.purchase_order).executeTakeFirstOrThrow();
      if (!PO_OPEN.includes(order.status)) {
        const fields = { purchase_order: ['Purchase order is not open'] };
        await recordRequestScan(db, settings, request, { error: fields }, false, null);
        throw new ValidationError(fields);
      }
      const answer = await scanAcrossPlugins(plugins, await plugins.active(), body.barcode, db, request);
      const response = await answerBody(db, answer, body.barcode, request);
      if (answer.plugin === null) {
        response.error = 'No matching plugin found for barcode data';
      } else {
        await checkViewable(request, response, answer.plugin.name);
        const pick = (key: string) => {
          const block = response[key] as { pk?: unknown } | undefined;
          return typeof block?.pk === 'number' ? block.pk : undefined;
        };
        const part = pick('part');
        const supplierPart = pick('supplierpart');
        const manufacturerPart = pick('manufacturerpart');
        if (part === undefined && supplierPart === undefined && manufacturerPart === undefined) {
          response.error = 'No matching part data found';
        } else {
          let q = db.selectFrom('supplier_part').select('id').where('supplier_id', '=', order.supplier_id);
          if (part !== undefined) q = q.where('part_id', '=', part);
          if (supplierPart !== undefined) q = q.where('id', '=', supplierPart);
          if (manufacturerPart !== undefined) q = q.where('manufacturer_part_id', '=', manufacturerPart);
          const found = await q.limit(2).execute();
          if (found.length === 0) response.error = 'No matching supplier parts found';
          else if (found.length > 1) response.error = 'Multiple matching supplier parts found';
          else {
            response.success = 'Matched supplier part';
            response.supplierpart = await matchedBlock(db, 'supplierpart', (found[0] as { id: number }).id, request);
          }
        }
      }
      // An error answer never carries `success` (clients treat `success` as a match).
      if ('error' in response) delete response.success;
      await recordRequestScan(db, settings, request, response, 'success' in response, answer.plugin?.name ?? null);
      return reply.code('error' in response ? 400 : 200).send(response);
    },
  );
}
