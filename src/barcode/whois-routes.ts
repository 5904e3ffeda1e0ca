/**
 * `POST /api/barcode/whois/` `{barcode}`: who owns a barcode, and through which link or
 * format (standards.md §3 item 4). The barcode is repaired and read by the active plugins as a
 * scan would be, but nothing is stored in the history. Any authenticated user may ask; an
 * object of a model the user may not view is refused with 403 as a scan is (D5).
 *
 * Answer (200, also when nothing matches):
 *   {barcode_data, barcode_hash, normalization?, format, plugin, matches: [...], gs1?, error?}
 * - `format`: how the data reads — internal-short, internal-json, iso15434, gs1, gtin, lcsc,
 *   tme, text;
 * - `matches`: each object found, `{model, pk, api_url, web_url?, via, link?}`, where `via` is
 *   internal-short, internal-json, link, alias, gtin, po-number or supplier-label, and `link`
 *   describes the barcode link it was found through: `{pk, barcode, kind, note, primary,
 *   created, created_by}`;
 * - `gs1`: the parsed GS1 data (or why it is not valid GS1) for GS1 and GTIN formats.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../http/errors.js';
import * as f from '../http/fields.js';
import { DetailBody } from '../http/schema.js';
import { apiDateTime } from '../util/time.js';
import { iso15434Fields } from './formats/iso15434.js';
import { isLcscBarcode } from './formats/lcsc.js';
import { isTmeQr } from './formats/tme.js';
import { ScanForm } from './forms.js';
import { canOnModel, NOT_VIEWABLE } from './guards.js';
import { findGtinLink } from './gtin.js';
import { apiUrlOf, barcodeModel, webUrlOf } from './model-types.js';
import { gs1Summary, readGs1, readingGtin } from './plugins/gs1.js';
import { internalBarcodePlugin } from './plugins/internal.js';
import { internalCheck, prepareBarcode, withNormalization } from './prepare.js';
import { parseShortBarcode } from './formats/internal.js';
import { scanAcrossPlugins } from './scan.js';

const WhoisResponse = Type.Object(
  {
    barcode_data: Type.String(),
    barcode_hash: Type.String(),
    format: Type.String(),
    plugin: Type.Union([Type.String(), Type.Null()]),
    matches: Type.Array(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: true },
);

export async function whoisRoutes(app: FastifyInstance): Promise<void> {
  const { db, plugins } = app.ctx;

  app.post(
    '/api/barcode/whois/',
    {
      schema: {
        tags: ['barcode'],
        summary: 'Who owns a barcode',
        description:
          'Reads a barcode as a scan would (repairs, active plugins) and answers which objects it belongs to and through which link or format. Nothing is stored in the scan history.',
        body: ScanForm.schema,
        response: { 200: WhoisResponse, 400: Type.Object({}, { additionalProperties: true }), 403: DetailBody },
      },
    },
    async (request) => {
      const { barcode } = await f.parseBody(ScanForm, request.body, { db });
      const prepared = await prepareBarcode(app.ctx, barcode);
      const data = prepared.data;
      const answer = await scanAcrossPlugins(plugins, await plugins.active(), data, db, { request, info: prepared.info });
      const objects = answer.outcome?.objects ?? [];
      for (const o of objects) {
        const model = barcodeModel(o.type);
        if (model !== undefined && !(await canOnModel(request, model, 'view'))) throw new ApiError(403, NOT_VIEWABLE);
      }

      const linkIds = objects.map((o) => o.link).filter((id): id is number => id !== undefined);
      const links = new Map(
        (
          linkIds.length === 0
            ? []
            : await db
                .selectFrom('barcode_link')
                .select(['id', 'data', 'kind', 'note', 'is_primary', 'created', 'created_by_id'])
                .where('id', 'in', linkIds)
                .execute()
        ).map((l) => [l.id, l]),
      );
      const matches = objects.map((o) => {
        const model = barcodeModel(o.type)!;
        const link = o.link === undefined ? undefined : links.get(o.link);
        const via = o.via === 'link' && link !== undefined && !link.is_primary ? 'alias' : (o.via ?? null);
        const web = webUrlOf(model, o.pk);
        return {
          model: o.type,
          pk: o.pk,
          api_url: apiUrlOf(model, o.pk),
          ...(web !== undefined ? { web_url: web } : {}),
          via,
          ...(link !== undefined
            ? {
                link: {
                  pk: link.id,
                  barcode: link.data,
                  kind: link.kind,
                  note: link.note,
                  primary: Boolean(link.is_primary),
                  created: apiDateTime(link.created),
                  created_by: link.created_by_id,
                },
              }
            : {}),
        };
      });

      const prefix = await plugins.setting(internalBarcodePlugin, 'SHORT_BARCODE_PREFIX');
      const reading = readGs1(data, prepared.info.symbology);
      let format = 'text';
      if (parseShortBarcode(data, prefix) !== undefined) format = 'internal-short';
      else if (internalCheck(prefix)(data)) format = 'internal-json';
      else if (iso15434Fields(data) !== undefined) format = 'iso15434';
      else if (reading !== undefined) format = reading.kind === 'gtin' ? 'gtin' : 'gs1';
      else if (isLcscBarcode(data)) format = 'lcsc';
      else if (isTmeQr(data)) format = 'tme';

      const body: Record<string, unknown> = {
        barcode_data: data,
        barcode_hash: prepared.hash,
        format,
        plugin: answer.plugin?.name ?? null,
        matches,
      };
      if (answer.outcome?.error !== undefined) body.error = answer.outcome.error;
      if (reading !== undefined && format !== 'iso15434') {
        const gtin = readingGtin(reading);
        body.gs1 = gs1Summary(reading, gtin === undefined ? undefined : await findGtinLink(db, gtin));
      }
      return withNormalization(body, prepared);
    },
  );
}
