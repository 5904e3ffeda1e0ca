/**
 * The unmatched inbox (standards.md §3 item 6): failed scans from the history, grouped by
 * their normalised barcode, so that a staff user can turn each into a link (the ordinary
 * `POST /api/barcode/link/`) or dismiss it, in one action.
 *
 * `GET /api/barcode/unmatched/` (staff; `limit`/`offset`, `search`): one item per barcode,
 *   `{data, normalized, count, first_seen, last_seen, users: [{pk, username}], endpoints,
 *   last_error}`, newest `last_seen` first. A group counts the failed scans (result false, with
 *   a valid barcode) on every barcode endpoint. Left out: barcodes that match something now —
 *   linked (as primary or alias), or found by the active plugins (e.g. an internal barcode of
 *   an object created since, or a supplier label whose supplier part now exists) — and the
 *   scans of a dismissed group up to its dismissal (a later failure starts the group afresh).
 *   `data` is the latest scan as sent, `normalized` as the plugins read it.
 * `POST /api/barcode/unmatched/dismiss/` `{data}` (staff; the normalised barcode):
 *   `{"success": "Dismissed"}`.
 *
 * Groups are keyed by the barcode hash of the normalised text (the history stores it), i.e.
 * barcodes that differ only in invisible control characters are one group, as they are one
 * barcode for every look-up.
 */
import { Type } from '@sinclair/typebox';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { FastifyInstance } from 'fastify';
import * as f from '../http/fields.js';
import { paginateArray, listResponse } from '../http/pagination.js';
import { queryOf, searchTerms } from '../http/listing.js';
import { apiDateTime, nowIso } from '../util/time.js';
import { barcodeHash } from './formats/hash.js';
import { BARCODE_MAX_LENGTH } from './forms.js';
import { findByHash } from './links.js';
import type { PluginContext } from './plugins/types.js';
import { scanAcrossPlugins } from './scan.js';

const UnmatchedSchema = Type.Object({
  data: Type.String({ description: 'The latest failed scan, as sent' }),
  normalized: Type.String({ description: 'The barcode after scan repair' }),
  count: Type.Integer(),
  first_seen: Type.String(),
  last_seen: Type.String(),
  users: Type.Array(Type.Object({ pk: Type.Integer(), username: Type.String() })),
  endpoints: Type.Array(Type.String()),
  last_error: Type.Union([Type.String(), Type.Null()]),
});

const DismissForm = f.object({ data: f.string({ maxLength: BARCODE_MAX_LENGTH, description: 'The normalised barcode of the group' }) });

/** The error text of a stored failure: `error` (text, or field errors as JSON), else `detail`. */
function errorOf(response: string | null): string | null {
  if (response === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(response);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object') return null;
  const body = parsed as Record<string, unknown>;
  if (typeof body.error === 'string') return body.error;
  if (body.error !== undefined) return JSON.stringify(body.error);
  if (typeof body.detail === 'string') return body.detail;
  return null;
}

/**
 * Failed scans not hidden by a dismissal (`s` the scan, `d` its group's dismissal). No index of
 * the history is keyed by the barcode, so that a failed scan costs the same whatever the size
 * of the history (migration 0008): the inbox reads all of them.
 */
export function failedScans(db: Kysely<DB>) {
  return db
    .selectFrom('barcode_scan as s')
    .leftJoin('barcode_unmatched_dismissal as d', 'd.normalized_hash', 's.normalized_hash')
    .where('s.result', '=', sql.lit(false))
    .where('s.normalized_hash', 'is not', null)
    .where((eb) => eb.or([eb('d.id', 'is', null), eb('s.timestamp', '>', eb.ref('d.dismissed_at'))]));
}

/**
 * The groups of failed scans whose barcode is not linked now, in one pass over the history:
 * the link is looked up once per group, not per scan. Every scan of a group has the same
 * normalised text (the group is keyed by its hash), so the group carries it.
 */
function unlinkedGroups(db: Kysely<DB>) {
  return failedScans(db)
    .groupBy('s.normalized_hash')
    .having((eb) => eb.not(eb.exists(eb.selectFrom('barcode_link as l').select('l.id').whereRef('l.hash', '=', 's.normalized_hash'))))
    .select((eb) => [
      's.normalized_hash as hash',
      eb.fn.min('s.normalized').as('normalized'),
      eb.fn.countAll<number>().as('n'),
      eb.fn.min('s.timestamp').as('first_seen'),
      eb.fn.max('s.timestamp').as('last_seen'),
      eb.fn.max('s.id').as('last_id'),
    ]);
}

/**
 * The link look-up of the plugins for a group: its own barcode is known not to be linked (the
 * grouped query left out linked ones), so only other hashes are looked up.
 */
function linkOfGroup(db: Kysely<DB>, groupHash: string): PluginContext['linkOf'] {
  return async (hash) => (hash === groupHash ? undefined : findByHash(db, hash));
}

/**
 * What was sent (and, with `withResponse`, the stored answer) of history rows by id, in chunks
 * (a page without `limit` can be long).
 */
async function scansById(db: Kysely<DB>, ids: readonly number[], withResponse: boolean): Promise<Map<number, { data: string; response: string | null }>> {
  const rows = new Map<number, { data: string; response: string | null }>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = await db
      .selectFrom('barcode_scan')
      .select(['id', 'data'])
      .$if(withResponse, (q) => q.select('response'))
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of chunk) rows.set(Number(r.id), { data: String(r.data), response: (r.response as string | null | undefined) ?? null });
  }
  return rows;
}

export async function unmatchedRoutes(app: FastifyInstance): Promise<void> {
  const { db, plugins } = app.ctx;

  app.get(
    '/api/barcode/unmatched/',
    {
      config: { permission: { staff: true } },
      schema: {
        tags: ['barcode'],
        summary: 'Unmatched scans',
        description:
          'Failed scans grouped by their normalised barcode, newest first, without the barcodes that match something now and without dismissed groups. Staff only. Search looks in the barcode.',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer()),
          offset: Type.Optional(Type.Integer()),
          search: Type.Optional(Type.String()),
        }),
        response: { 200: listResponse(UnmatchedSchema) },
      },
    },
    async (request) => {
      const grouped = await unlinkedGroups(db).execute();
      let groups = grouped.map((g) => ({
        hash: g.hash as string,
        normalized: String(g.normalized),
        lastId: Number(g.last_id),
        count: Number(g.n),
        first: String(g.first_seen),
        last: String(g.last_seen),
      }));

      // Search looks in the latest scan as sent and in the barcode as read.
      const terms = searchTerms(queryOf(request)).map((t) => t.toLowerCase());
      if (terms.length > 0) {
        const sent = await scansById(db, groups.map((g) => g.lastId), false);
        groups = groups.filter((g) => {
          const data = (sent.get(g.lastId)?.data ?? '').toLowerCase();
          const normalized = g.normalized.toLowerCase();
          return terms.every((t) => data.includes(t) || normalized.includes(t));
        });
      }

      // Barcodes the active plugins find now (internal barcodes, supplier labels, GTINs).
      const active = await plugins.active();
      const unmatched = [];
      for (const g of groups) {
        const answer = await scanAcrossPlugins(plugins, active, g.normalized, db, { request, linkOf: linkOfGroup(db, g.hash) });
        if (answer.plugin === null || answer.outcome?.error !== undefined) unmatched.push(g);
      }
      groups = unmatched.sort((a, b) => (a.last < b.last ? 1 : a.last > b.last ? -1 : b.lastId - a.lastId));

      const page = paginateArray(request, groups);
      const shown = Array.isArray(page) ? page : page.results;
      // The latest scan of each shown group: what was sent and why it failed.
      const latest = await scansById(db, shown.map((g) => g.lastId), true);
      const hashes = shown.map((g) => g.hash);
      const users = new Map<string, { pk: number; username: string }[]>();
      const endpoints = new Map<string, string[]>();
      if (hashes.length > 0) {
        // One more pass over the history for the shown groups' users and endpoints.
        const rows = await failedScans(db)
          .leftJoin('auth_user as u', 'u.id', 's.user_id')
          .where('s.normalized_hash', 'in', hashes)
          .select(['s.normalized_hash as hash', 'u.id as user', 'u.username', 's.endpoint'])
          .distinct()
          .execute();
        const usersOf = new Map<string, Map<number, string>>();
        const endpointsOf = new Map<string, Set<string>>();
        for (const r of rows) {
          const hash = r.hash as string;
          if (r.user !== null && r.username !== null) usersOf.set(hash, (usersOf.get(hash) ?? new Map()).set(Number(r.user), r.username));
          if (r.endpoint !== null) endpointsOf.set(hash, (endpointsOf.get(hash) ?? new Set()).add(r.endpoint));
        }
        for (const [hash, named] of usersOf) {
          users.set(hash, [...named].map(([pk, username]) => ({ pk, username })).sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0)));
        }
        for (const [hash, paths] of endpointsOf) endpoints.set(hash, [...paths].sort());
      }
      const serialize = (g: (typeof groups)[number]) => ({
        data: latest.get(g.lastId)?.data ?? g.normalized,
        normalized: g.normalized,
        count: g.count,
        first_seen: apiDateTime(g.first) ?? '',
        last_seen: apiDateTime(g.last) ?? '',
        users: users.get(g.hash) ?? [],
        endpoints: endpoints.get(g.hash) ?? [],
        last_error: errorOf(latest.get(g.lastId)?.response ?? null),
      });
      return Array.isArray(page) ? page.map(serialize) : { ...page, results: page.results.map(serialize) };
    },
  );

  app.post(
    '/api/barcode/unmatched/dismiss/',
    {
      config: { permission: { staff: true } },
      schema: {
        tags: ['barcode'],
        summary: 'Dismiss a group of unmatched scans',
        description: 'Hides the failed scans of this normalised barcode made so far from the unmatched inbox. Staff only.',
        body: DismissForm.schema,
        response: { 200: Type.Object({ success: Type.String() }) },
      },
    },
    async (request) => {
      const { data } = await f.parseBody(DismissForm, request.body, { db });
      const values = { normalized_hash: barcodeHash(data), normalized: data, dismissed_at: nowIso(), dismissed_by_id: request.user?.id ?? null };
      await db
        .insertInto('barcode_unmatched_dismissal')
        .values(values)
        .onConflict((oc) => oc.column('normalized_hash').doUpdateSet({ normalized: values.normalized, dismissed_at: values.dismissed_at, dismissed_by_id: values.dismissed_by_id }))
        .execute();
      return { success: 'Dismissed' };
    },
  );
}
