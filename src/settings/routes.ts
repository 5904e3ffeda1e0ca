/**
 * `/api/settings/global/` and `/api/settings/user/` (InvenTree's shapes): lists are plain
 * arrays of `{pk, key, value, name, description, type, units, choices, ...}`; one setting is
 * read and changed at `<KEY>/` with `{value}`. Global writes need staff.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../http/errors.js';
import { listResponse, paginateArray } from '../http/pagination.js';
import { Nullable } from '../http/schema.js';
import type { SettingView } from './service.js';

export const SettingSchema = Type.Object({
  pk: Type.Integer(),
  key: Type.String(),
  value: Type.String(),
  name: Type.String(),
  description: Type.String(),
  type: Type.String(),
  units: Type.String(),
  choices: Type.Array(Type.Object({ value: Type.String(), display_name: Type.String() })),
  model_name: Nullable(Type.String()),
  api_url: Nullable(Type.String()),
  typ: Type.String(),
});
const UserSettingSchema = Type.Composite([SettingSchema, Type.Object({ user: Type.Integer() })]);
const ValueBody = Type.Object({ value: Type.String({ description: 'New value' }) });

const KEY_PARAM = ':key(^[A-Za-z0-9_]+)';

function notFound(): ApiError {
  return new ApiError(404, { detail: 'Not found.' });
}

function keyOf(request: FastifyRequest): string {
  return (request.params as { key: string }).key;
}

function bodyValue(request: FastifyRequest): unknown {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  return (body as Record<string, unknown>).value;
}

function userId(request: FastifyRequest): number {
  if (request.user === null) throw new ApiError(401, { detail: 'Authentication credentials were not provided.' });
  return request.user.id;
}

export async function settingsRoutes(app: FastifyInstance): Promise<void> {
  const { settings } = app.ctx;
  const staffWrites = { permission: { staffWrites: true as const } };

  app.get(
    '/api/settings/global/',
    { schema: { tags: ['settings'], summary: 'List global settings', response: { 200: listResponse(SettingSchema) } } },
    async (request) => paginateArray(request, await settings.listGlobal()),
  );

  app.get(
    `/api/settings/global/${KEY_PARAM}/`,
    { schema: { tags: ['settings'], summary: 'One global setting', response: { 200: SettingSchema } } },
    async (request) => (await settings.viewGlobal(keyOf(request))) ?? Promise.reject(notFound()),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: `/api/settings/global/${KEY_PARAM}/`,
      config: staffWrites,
      schema: { tags: ['settings'], summary: 'Change a global setting', body: ValueBody, response: { 200: SettingSchema } },
      handler: async (request): Promise<SettingView> => {
        const key = keyOf(request);
        if ((await settings.viewGlobal(key)) === undefined) throw notFound();
        return settings.setGlobal(key, bodyValue(request));
      },
    });
  }

  app.get(
    '/api/settings/user/',
    { schema: { tags: ['settings'], summary: 'List the current user\'s settings', response: { 200: listResponse(UserSettingSchema) } } },
    async (request) => {
      const id = userId(request);
      return paginateArray(
        request,
        (await settings.listUser(id)).map((s) => ({ ...s, user: id })),
      );
    },
  );

  app.get(
    `/api/settings/user/${KEY_PARAM}/`,
    { schema: { tags: ['settings'], summary: 'One user setting', response: { 200: UserSettingSchema } } },
    async (request) => {
      const id = userId(request);
      const view = await settings.viewUser(id, keyOf(request));
      if (view === undefined) throw notFound();
      return { ...view, user: id };
    },
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: `/api/settings/user/${KEY_PARAM}/`,
      schema: { tags: ['settings'], summary: 'Change a user setting', body: ValueBody, response: { 200: UserSettingSchema } },
      handler: async (request) => {
        const id = userId(request);
        const key = keyOf(request);
        if ((await settings.viewUser(id, key)) === undefined) throw notFound();
        return { ...(await settings.setUser(id, key, bodyValue(request))), user: id };
      },
    });
  }
}
