/**
 * Builds the Fastify application: transport conventions (JSON content type, DRF error bodies,
 * 404/405 behaviour), authentication and permissions, then each domain's routes as a plugin.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';
import secureJsonParse from 'secure-json-parse';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Database } from './db/connection.js';
import { DataGeneration, type GenerationScope } from './db/generation.js';
import { AuthCache } from './users/auth-cache.js';
import { authentication } from './http/auth.js';
import { cors } from './http/cors.js';
import type { AppContext, HttpOptions } from './http/context.js';
import { ApiError, ValidationError } from './http/errors.js';
import { MESSAGES } from './http/fields.js';
import { installErrorHandling, routerErrorHandler } from './http/error-handler.js';
import { permissionCheck } from './http/permissions.js';
import { OneLinePerRequest } from './http/request-log.js';
import { finishRouting, trackRoutes } from './http/routing.js';
import { LoginThrottle } from './http/throttle.js';
import type { ServerSecret } from './secrets.js';
import { serverInfoRoutes } from './server-info/routes.js';
import { SettingsService } from './settings/service.js';
import { PluginRegistry } from './barcode/plugins/registry.js';
import { BARCODE_PLUGINS } from './barcode/plugins/index.js';
import { settingsRoutes } from './settings/routes.js';
import { statusRoutes } from './status/routes.js';
import { userRoutes } from './users/routes.js';
import { buildRoutes } from './build/routes.js';
import { companyRoutes } from './company/routes.js';
import { purchaseOrderRoutes } from './order/purchase-routes.js';
import { returnOrderRoutes } from './order/return-routes.js';
import { salesOrderRoutes } from './order/sales-routes.js';
import { partRoutes } from './part/routes.js';
import { stockRoutes } from './stock/routes.js';
import { barcodeRoutes } from './barcode/routes.js';
import { pluginRoutes } from './barcode/plugin-routes.js';
import { webRoutes } from './web/routes.js';
import { API_VERSION, STOCKSCAN_VERSION } from './version.js';

export interface AppOptions {
  database: Database;
  secret: ServerSecret;
  http?: Partial<HttpOptions>;
  logger?: FastifyServerOptions['logger'];
  loginThrottle?: LoginThrottle;
  /** Trust X-Forwarded-* headers from a reverse proxy. */
  trustProxy?: boolean;
}

export const DEFAULT_HTTP: HttpOptions = {
  bodyLimit: 1024 * 1024,
  corsOrigins: [],
  csrfTrustedOrigins: [],
};

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
const SECURITY_HEADER_ENTRIES = Object.entries(SECURITY_HEADERS);

/**
 * Fastify's own response serializer compiler (fast-json-stringify, the version Fastify
 * depends on), made lazy: each route's serializer is compiled when that route first answers
 * rather than all of them at start-up (a quarter of the start-up time).
 *
 * A list's schema is a union of the bare array and the page envelope (http/pagination.ts).
 * fast-json-stringify picks a branch of a union by validating the data against each branch
 * with Ajv, i.e. every row of every page, on every request (and compiles those validators on
 * the route's first answer: 0.65 s for the stock list). The two branches differ in JSON type,
 * so each gets its own serializer and the data's type picks it.
 */
export function lazySerializers(): SerializerFactory {
  const eager = SerializerSelector();
  return (externalSchemas, serializerOptions) => {
    const compile = eager(externalSchemas, serializerOptions);
    return (route) => {
      const branches = arrayOrObjectBranches(route.schema);
      if (branches !== undefined) {
        let asArray: ((data: unknown) => string) | undefined;
        let asObject: ((data: unknown) => string) | undefined;
        return (data) =>
          Array.isArray(data)
            ? (asArray ??= compile({ ...route, schema: branches.array }))(data)
            : (asObject ??= compile({ ...route, schema: branches.object }))(data);
      }
      let serialize: ((data: unknown) => string) | undefined;
      return (data) => (serialize ??= compile(route))(data);
    };
  };
}

interface SchemaLike {
  type?: unknown;
  anyOf?: SchemaLike[];
}

/** The two branches of a union of one array schema and one object schema (a list's answer). */
export function arrayOrObjectBranches(schema: unknown): { array: SchemaLike; object: SchemaLike } | undefined {
  const anyOf = (schema as SchemaLike | undefined)?.anyOf;
  if (anyOf === undefined || anyOf.length !== 2) return undefined;
  const array = anyOf.find((branch) => branch.type === 'array');
  const object = anyOf.find((branch) => branch.type === 'object');
  return array !== undefined && object !== undefined ? { array, object } : undefined;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const http: HttpOptions = { ...DEFAULT_HTTP, ...options.http };
  const app = Fastify({
    schemaController: { compilersFactory: { buildSerializer: lazySerializers() as never } },
    logger: options.logger ?? false,
    logController: new OneLinePerRequest(),
    bodyLimit: http.bodyLimit,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { keywords: ['nullable'] } },
    frameworkErrors: routerErrorHandler(SECURITY_HEADERS),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Caches of shared data (settings, plugins, tokens, users, permissions) are kept under the
  // data generation, which every write to that data raises, in any process (db/generation.ts).
  const generation = new DataGeneration(options.database);
  const settings = new SettingsService(options.database.kysely, generation);
  const ctx: AppContext = {
    database: options.database,
    db: options.database.kysely,
    secret: options.secret,
    settings,
    loginThrottle: options.loginThrottle ?? new LoginThrottle(),
    http,
    plugins: new PluginRegistry(BARCODE_PLUGINS, options.database.kysely, settings, generation),
    generation,
    authCache: new AuthCache(),
  };
  app.decorate('ctx', ctx);

  // Bodies are validated by each route's form (http/fields.ts), with DRF's rules and messages;
  // the JSON schemas on routes document them and type the handlers.
  app.setValidatorCompiler(() => (data) => ({ value: data }));

  shareGenerationPerRequest(app, generation);
  installErrorHandling(app);
  installBodyParsers(app);
  refuseNulInQuery(app);

  // Callback style (no promise per request), as the other per-request hooks that need no await.
  app.addHook('onSend', (_request, reply, payload, done) => {
    // D2: exactly `application/json`, no charset (the Python client rejects anything else).
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/json')) reply.header('content-type', 'application/json');
    for (const [name, value] of SECURITY_HEADER_ENTRIES) {
      if (!reply.hasHeader(name)) reply.header(name, value);
    }
    done(null, payload);
  });

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: http.bodyLimit });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Stockscan API',
        version: `${API_VERSION}`,
        description: `InvenTree API ${API_VERSION} compatible barcode server (Stockscan ${STOCKSCAN_VERSION})`,
      },
      components: {
        securitySchemes: {
          tokenAuth: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token-based authentication with required prefix "Token"' },
          basicAuth: { type: 'http', scheme: 'basic' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'sessionid' },
        },
      },
      security: [{ tokenAuth: [] }, { basicAuth: [] }, { cookieAuth: [] }],
    },
  });
  await app.register(trackRoutes);
  await app.register(cors);
  await app.register(authentication);
  await app.register(permissionCheck);

  await app.register(serverInfoRoutes);
  await app.register(statusRoutes);
  await app.register(userRoutes);
  await app.register(settingsRoutes);
  await app.register(companyRoutes);
  await app.register(partRoutes);
  await app.register(stockRoutes);
  await app.register(purchaseOrderRoutes);
  await app.register(salesOrderRoutes);
  await app.register(returnOrderRoutes);
  await app.register(buildRoutes);
  await app.register(barcodeRoutes);
  await app.register(pluginRoutes);
  await app.register(webRoutes);

  app.get('/api/schema/', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(finishRouting);
  return app;
}

/**
 * Each request reads the data generation once, however many caches it consults
 * (db/generation.ts). The scope is entered for the `onRequest` hooks (authentication) and again
 * for everything from `preValidation` on: a body is parsed in the socket's own async context,
 * which the scope does not reach.
 */
function shareGenerationPerRequest(app: FastifyInstance, generation: DataGeneration): void {
  const scopes = new WeakMap<FastifyRequest, GenerationScope>();
  app.addHook('onRequest', (request, _reply, done) => {
    const scope = generation.openScope();
    scopes.set(request, scope);
    generation.within(scope, done);
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const scope = scopes.get(request);
    if (scope === undefined) done();
    else generation.within(scope, done);
  });
}

/**
 * Query parameters holding NUL are refused with a 400 naming them, as Django's filter forms do
 * (`Null characters are not allowed.`): no stored text holds NUL, and PostgreSQL refuses it even
 * as a query parameter. Runs after authentication and permissions (both `onRequest`).
 */
function refuseNulInQuery(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const query = request.query;
    if (query === null || typeof query !== 'object') return done();
    let errors: Record<string, string[]> | undefined;
    for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
      const values = Array.isArray(value) ? value : [value];
      // An own property even for a key like `__proto__` (plain assignment would set the prototype).
      if (values.some((v) => typeof v === 'string' && v.includes('\u0000'))) {
        Object.defineProperty((errors ??= {}), key, { value: [MESSAGES.nullCharacters], enumerable: true, writable: true, configurable: true });
      }
    }
    done(errors === undefined ? undefined : new ValidationError(errors));
  });
}

/**
 * The deepest nesting of arrays and objects a JSON body may have. No request needs more than a
 * few levels; unbounded nesting would exhaust the stack of every recursive walk over the body
 * (validation, the scan-history context, JSON.stringify) and end in a 500.
 */
export const MAX_JSON_DEPTH = 100;

/** Whether JSON text nests arrays/objects deeper than `max` (brackets inside strings do not count). */
export function jsonNestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

function installBodyParsers(app: FastifyInstance): void {
  // JSON and form data only (formbody adds the latter); anything else is a 415.
  app.removeAllContentTypeParsers();
  const parse = (body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // DRF reads an empty body as "no data" rather than as a parse error.
    if (text.trim() === '') return done(null, {});
    if (jsonNestingExceeds(text, MAX_JSON_DEPTH)) {
      return done(new ApiError(400, { detail: `JSON parse error - nested deeper than ${MAX_JSON_DEPTH} levels` }));
    }
    try {
      return done(null, secureJsonParse.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (e) {
      return done(new ApiError(400, { detail: `JSON parse error - ${(e as Error).message}` }));
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => parse(body, done));
  app.addContentTypeParser(/^application\/[\w.+-]*\+json$/, { parseAs: 'string' }, (_request, body, done) => parse(body, done));
}
