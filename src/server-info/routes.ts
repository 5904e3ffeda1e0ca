/**
 * Server identity (core-api.md §2.1, decision D1): `GET /api/` tells clients they talk to an
 * InvenTree API 435 server; `implementation: "stockscan"` says which one.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { listResponse, paginateArray } from '../http/pagination.js';
import { Nullable } from '../http/schema.js';
import { API_VERSION, INVENTREE_COMPATIBLE_VERSION, STOCKSCAN_VERSION } from '../version.js';

const ServerInfo = Type.Object({
  server: Type.String(),
  id: Nullable(Type.String()),
  version: Type.String(),
  instance: Type.String(),
  apiVersion: Type.Integer(),
  implementation: Type.String(),
  implementation_version: Type.String(),
  worker_running: Type.Boolean(),
  worker_count: Type.Integer(),
  worker_pending_tasks: Type.Integer(),
  plugins_enabled: Type.Boolean(),
  plugins_install_disabled: Type.Boolean(),
  email_configured: Type.Boolean(),
  debug_mode: Type.Boolean(),
  docker_mode: Type.Boolean(),
  default_locale: Type.String(),
  customize: Type.Object({
    logo: Nullable(Type.String()),
    splash: Nullable(Type.String()),
    login_message: Nullable(Type.String()),
    navbar_message: Nullable(Type.String()),
    disable_theme_storage: Type.Boolean(),
  }),
  active_plugins: Type.Array(Type.Object({ name: Type.String(), slug: Type.String(), version: Type.String() })),
  system_health: Nullable(Type.Boolean()),
  database: Nullable(Type.String()),
  platform: Nullable(Type.String()),
  installer: Nullable(Type.String()),
  target: Nullable(Type.String()),
  django_admin: Nullable(Type.String()),
  settings: Type.Object({
    sso_registration: Type.Boolean(),
    registration_enabled: Type.Boolean(),
    password_forgotten_enabled: Type.Boolean(),
  }),
});

const VersionInfo = Type.Object({
  dev: Type.Boolean(),
  up_to_date: Type.Boolean(),
  version: Type.Object({
    server: Type.String(),
    api: Type.Integer(),
    commit_hash: Nullable(Type.String()),
    commit_date: Nullable(Type.String()),
    commit_branch: Nullable(Type.String()),
    python: Nullable(Type.String()),
    django: Nullable(Type.String()),
  }),
  links: Type.Object({ doc: Type.String(), code: Type.String(), app: Type.String(), bug: Type.String() }),
});

function isStaff(request: FastifyRequest): boolean {
  return request.user !== null && (request.user.is_staff || request.user.is_superuser);
}

export async function serverInfoRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/',
    { config: { public: true }, schema: { tags: ['server'], summary: 'Server information', security: [], response: { 200: ServerInfo } } },
    async (request) => {
      const staff = isStaff(request);
      return {
        server: 'InvenTree',
        id: null,
        version: INVENTREE_COMPATIBLE_VERSION,
        instance: await app.ctx.settings.getGlobal('INVENTREE_INSTANCE'),
        apiVersion: API_VERSION,
        implementation: 'stockscan',
        implementation_version: STOCKSCAN_VERSION,
        // Stockscan has no background queue: everything a request starts is done before it answers.
        worker_running: true,
        worker_count: 0,
        worker_pending_tasks: 0,
        plugins_enabled: true,
        plugins_install_disabled: true,
        email_configured: false,
        debug_mode: false,
        docker_mode: false,
        default_locale: 'en-us',
        customize: { logo: null, splash: null, login_message: null, navbar_message: null, disable_theme_storage: false },
        active_plugins: await app.ctx.plugins.activeInfo(),
        system_health: staff ? true : null,
        database: staff ? (app.ctx.database.dialect === 'sqlite' ? 'sqlite3' : 'postgresql') : null,
        platform: staff ? `${process.platform} ${process.arch} / Node.js ${process.version}` : null,
        installer: staff ? 'npm' : null,
        target: null,
        django_admin: null,
        settings: { sso_registration: false, registration_enabled: false, password_forgotten_enabled: false },
      };
    },
  );

  // Stockscan raises no notifications; the mobile app polls this list every minute.
  app.get(
    '/api/notifications/',
    {
      schema: {
        tags: ['server'],
        summary: 'Notifications of the current user (Stockscan raises none)',
        response: { 200: listResponse(Type.Object({ pk: Type.Integer() }, { additionalProperties: true })) },
      },
    },
    async (request) => paginateArray(request, []),
  );

  app.get(
    '/api/version/',
    { config: { permission: { staff: true } }, schema: { tags: ['server'], summary: 'Version information (staff)', response: { 200: VersionInfo } } },
    async () => ({
      dev: false,
      up_to_date: true,
      version: {
        server: INVENTREE_COMPATIBLE_VERSION,
        api: API_VERSION,
        commit_hash: null,
        commit_date: null,
        commit_branch: null,
        python: null,
        django: null,
      },
      links: {
        doc: 'https://docs.inventree.org/en/latest/api/',
        code: 'https://github.com/inventree/InvenTree',
        app: 'https://docs.inventree.org/en/latest/app/',
        bug: 'https://github.com/inventree/InvenTree/issues',
      },
    }),
  );
}
