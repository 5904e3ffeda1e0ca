/**
 * Route-table behaviour of Django REST framework that Fastify does not have by itself:
 * - a known path asked with a method it does not serve answers 405 with an `Allow` header
 *   (after authentication, as DRF checks credentials before the method);
 * - every path answers OPTIONS with DRF's metadata, including the fields each write accepts
 *   (the mobile app builds forms from it), to callers who may read the path: OPTIONS takes
 *   the permission rule of the path's GET (core-api.md §4.3: GET and OPTIONS → view), or of
 *   its writes when it has no GET.
 * Routes are recorded as they are added; `finishRouting` must be registered after every
 * route plugin.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from './errors.js';
import type { PermissionRule } from './permissions.js';

const HANDLED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

interface PathInfo {
  methods: Set<string>;
  /** The permission rule each method's route declares. */
  permissions: Map<string, PermissionRule>;
  public: boolean;
  summary: string | undefined;
  bodies: Map<string, unknown>;
}

const registry = new WeakMap<FastifyInstance, Map<string, PathInfo>>();

function rootOf(app: FastifyInstance): Map<string, PathInfo> {
  let paths = registry.get(app);
  if (paths === undefined) {
    paths = new Map();
    registry.set(app, paths);
  }
  return paths;
}

/** Starts recording routes; register before any route plugin. */
export const trackRoutes = fp(async (app: FastifyInstance) => {
  const paths = rootOf(app);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let info = paths.get(route.url);
    if (info === undefined) {
      info = { methods: new Set(), permissions: new Map(), public: false, summary: undefined, bodies: new Map() };
      paths.set(route.url, info);
    }
    for (const m of methods) info.methods.add(m);
    const permission = route.config?.permission;
    if (permission !== undefined) for (const m of methods) if (!info.permissions.has(m)) info.permissions.set(m, permission);
    if (route.config?.public === true) info.public = true;
    const schema = route.schema as { summary?: string; body?: unknown } | undefined;
    if (schema?.summary !== undefined && info.summary === undefined) info.summary = schema.summary;
    if (schema?.body !== undefined) for (const m of methods) info.bodies.set(m, schema.body);
  });
});

function allowHeader(methods: Set<string>): string {
  const order = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
  return order.filter((m) => methods.has(m) || m === 'OPTIONS' || (m === 'HEAD' && methods.has('GET'))).join(', ');
}

interface JsonSchemaLike {
  type?: string;
  properties?: Record<string, JsonSchemaLike>;
  required?: string[];
  maxLength?: number;
  description?: string;
  nullable?: boolean;
  enum?: unknown[];
  items?: JsonSchemaLike;
  format?: string;
  minimum?: number;
  maximum?: number;
}

function fieldType(schema: JsonSchemaLike): string {
  if (schema.enum !== undefined) return 'choice';
  if (schema.format === 'date') return 'date';
  switch (schema.type) {
    case 'integer':
      return 'integer';
    case 'number':
      return 'decimal';
    case 'boolean':
      return 'boolean';
    case 'array':
      return 'list';
    case 'object':
      return 'nested object';
    default:
      return 'string';
  }
}

function labelOf(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** DRF SimpleMetadata's description of a write serializer's fields. */
export function describeFields(schema: JsonSchemaLike): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const info: Record<string, unknown> = {
      type: fieldType(field),
      required: required.has(name),
      read_only: false,
      label: labelOf(name),
    };
    if (field.description !== undefined) info.help_text = field.description;
    if (field.maxLength !== undefined) info.max_length = field.maxLength;
    if (field.minimum !== undefined) info.min_value = field.minimum;
    if (field.maximum !== undefined) info.max_value = field.maximum;
    if (field.nullable) info.allow_null = true;
    if (field.enum !== undefined) info.choices = field.enum.map((v) => ({ value: v, display_name: String(v) }));
    if (field.type === 'array' && field.items !== undefined) info.child = { type: fieldType(field.items), children: describeFields(field.items) };
    out[name] = info;
  }
  return out;
}

/** The rule OPTIONS checks: the GET route's (none if GET has none), else the first write's. */
function optionsPermission(info: PathInfo): PermissionRule | undefined {
  if (info.methods.has('GET')) return info.permissions.get('GET');
  for (const m of HANDLED_METHODS) {
    const rule = info.permissions.get(m);
    if (rule !== undefined) return rule;
  }
  return undefined;
}

/** Adds the 405 and OPTIONS routes; register after every route plugin. */
export const finishRouting = fp(async (app: FastifyInstance) => {
  const paths = rootOf(app);
  for (const [url, info] of [...paths.entries()]) {
    const missing = HANDLED_METHODS.filter((m) => !info.methods.has(m));
    const allow = allowHeader(info.methods);
    // Taken before the 405 routes below are recorded as methods of the path.
    const permission = optionsPermission(info);
    if (missing.length > 0) {
      app.route({
        method: missing,
        url,
        config: { public: info.public },
        schema: { hide: true },
        handler: async (request) => {
          throw new ApiError(405, { detail: `Method "${request.method}" not allowed.` }, { Allow: allow });
        },
      });
    }
    if (!info.methods.has('OPTIONS')) {
      app.route({
        method: 'OPTIONS',
        url,
        config: { public: info.public, ...(permission !== undefined ? { permission } : {}) },
        schema: { hide: true },
        handler: async (_request, reply) => {
          const actions: Record<string, unknown> = {};
          for (const m of ['POST', 'PUT']) {
            const body = info.bodies.get(m) ?? (m === 'PUT' ? info.bodies.get('PATCH') : undefined);
            if (body !== undefined) actions[m] = describeFields(body as JsonSchemaLike);
          }
          reply.header('Allow', allow);
          return {
            name: info.summary ?? url,
            description: '',
            renders: ['application/json'],
            parses: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'],
            ...(Object.keys(actions).length > 0 ? { actions } : {}),
          };
        },
      });
    }
  }
});
