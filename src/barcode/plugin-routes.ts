/**
 * `/api/plugins/`: the plugin registry as InvenTree's PluginConfig API shows it, activation
 * (superusers), and per-plugin settings (`GET|PATCH /api/plugins/{key}/settings/{KEY}/`,
 * writes by staff).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, permissionDenied } from '../http/errors.js';
import * as f from '../http/fields.js';
import { listResponse, paginateArray } from '../http/pagination.js';
import { queryBool, queryOf, queryString } from '../http/listing.js';
import { Nullable } from '../http/schema.js';
import { SettingSchema } from '../settings/routes.js';
import type { BarcodePlugin, PluginMixin } from './plugins/types.js';

const MIXIN_NAMES: Record<PluginMixin, [string, string]> = {
  barcode: ['barcode', 'Barcode'],
  'supplier-barcode': ['supplier-barcode', 'Supplier Barcode'],
  settings: ['settings', 'Settings'],
};

const PluginSchema = Type.Object({
  pk: Type.String(),
  key: Type.String(),
  name: Type.String(),
  package_name: Nullable(Type.String()),
  active: Type.Boolean(),
  meta: Type.Object({}, { additionalProperties: true }),
  mixins: Type.Record(Type.String(), Type.Object({ key: Type.String(), human_name: Type.String() })),
  is_builtin: Type.Boolean(),
  is_sample: Type.Boolean(),
  is_installed: Type.Boolean(),
  is_package: Type.Boolean(),
  is_mandatory: Type.Boolean(),
});

const PluginSettingSchema = Type.Composite([SettingSchema, Type.Object({ required: Type.Boolean(), plugin: Type.String() })]);

const ActivateForm = f.object({ active: f.boolean({ default: true, description: 'Activate this plugin' }) });
const ValueBody = Type.Object({ value: Type.String() });

export async function pluginRoutes(app: FastifyInstance): Promise<void> {
  const { plugins } = app.ctx;

  async function view(plugin: BarcodePlugin) {
    return {
      pk: plugin.slug,
      key: plugin.slug,
      name: plugin.name,
      package_name: null,
      active: await plugins.isActive(plugin),
      meta: {
        slug: plugin.slug,
        human_name: plugin.title,
        description: plugin.description,
        author: plugin.author,
        pub_date: null,
        version: plugin.version,
        website: null,
        license: 'MIT',
        package_path: null,
      },
      mixins: Object.fromEntries(plugin.mixins.map((m) => [MIXIN_NAMES[m][0], { key: MIXIN_NAMES[m][0], human_name: MIXIN_NAMES[m][1] }])),
      is_builtin: plugin.builtin,
      is_sample: false,
      is_installed: true,
      is_package: false,
      is_mandatory: plugin.mandatory,
    };
  }

  function pluginOf(request: FastifyRequest): BarcodePlugin {
    const plugin = plugins.bySlug((request.params as { key: string }).key);
    if (plugin === undefined) throw new ApiError(404, { detail: 'No PluginConfig matches the given query.' });
    return plugin;
  }

  app.get(
    '/api/plugins/',
    { schema: { tags: ['plugins'], summary: 'List plugins', response: { 200: listResponse(PluginSchema) } } },
    async (request) => {
      const query = queryOf(request);
      const active = queryBool(query, 'active');
      const builtin = queryBool(query, 'builtin');
      const mixin = queryString(query, 'mixin');
      const search = queryString(query, 'search')?.toLowerCase();
      const views = [];
      for (const plugin of plugins.plugins) {
        const v = await view(plugin);
        if (active !== undefined && v.active !== active) continue;
        if (builtin !== undefined && v.is_builtin !== builtin) continue;
        if (mixin !== undefined && mixin !== '' && !(mixin in v.mixins)) continue;
        if (search && !`${v.key} ${v.name} ${v.meta.human_name}`.toLowerCase().includes(search)) continue;
        views.push(v);
      }
      return paginateArray(request, views);
    },
  );

  const KEY = ':key(^[a-z0-9_-]+)';

  app.get(`/api/plugins/${KEY}/`, { schema: { tags: ['plugins'], summary: 'One plugin', response: { 200: PluginSchema } } }, async (request) =>
    view(pluginOf(request)),
  );

  for (const method of ['POST', 'PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: `/api/plugins/${KEY}/activate/`,
      schema: { tags: ['plugins'], summary: 'Activate or deactivate a plugin (superuser)', body: ActivateForm.schema, response: { 200: Type.Object({ active: Type.Boolean() }) } },
      handler: async (request) => {
        if (!request.user?.is_superuser) throw permissionDenied();
        const plugin = pluginOf(request);
        const { active } = await f.parseBody(ActivateForm, request.body, { db: app.ctx.db });
        await plugins.setActive(plugin, active);
        return { active: await plugins.isActive(plugin) };
      },
    });
  }

  app.get(
    `/api/plugins/${KEY}/settings/`,
    { schema: { tags: ['plugins'], summary: 'Settings of a plugin', response: { 200: listResponse(PluginSettingSchema) } } },
    async (request) => paginateArray(request, await plugins.settingViews(pluginOf(request))),
  );

  async function settingView(plugin: BarcodePlugin, key: string) {
    const views = await plugins.settingViews(plugin);
    const found = views.find((s) => s.key === key);
    if (found === undefined) throw new ApiError(404, { detail: `Plugin '${plugin.slug}' has no setting matching '${key}'` });
    return found;
  }

  const SETTING = ':setting(^[A-Za-z0-9_]+)';
  app.get(
    `/api/plugins/${KEY}/settings/${SETTING}/`,
    { schema: { tags: ['plugins'], summary: 'One plugin setting', response: { 200: PluginSettingSchema } } },
    async (request) => settingView(pluginOf(request), (request.params as { setting: string }).setting),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: `/api/plugins/${KEY}/settings/${SETTING}/`,
      config: { permission: { staffWrites: true } },
      schema: { tags: ['plugins'], summary: 'Change a plugin setting (staff)', body: ValueBody, response: { 200: PluginSettingSchema } },
      handler: async (request) => {
        const plugin = pluginOf(request);
        const key = (request.params as { setting: string }).setting;
        await settingView(plugin, key);
        const body = request.body as Record<string, unknown> | null;
        await plugins.setSetting(plugin, key, body !== null && typeof body === 'object' ? body.value : undefined);
        return settingView(plugin, key);
      },
    });
  }
}
