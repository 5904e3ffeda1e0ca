/**
 * Cross-origin requests (CORS), off by default. With STOCKSCAN_CORS_ORIGINS set to a
 * comma-separated list of origins (or `*` for any), browsers on those origins may call the API
 * with a token; preflight requests are answered before authentication, as they carry no
 * credentials. Cookies are never shared cross-origin (no Allow-Credentials), so session
 * authentication stays same-origin.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, Accept-Language, X-CSRFToken, Idempotency-Key';
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
/** Response headers a cross-origin client may read (replays of barcode actions). */
const EXPOSED_HEADERS = 'Idempotency-Replayed';

function allowedOrigin(origins: readonly string[], origin: string | undefined): string | undefined {
  if (origin === undefined || origins.length === 0) return undefined;
  if (origins.includes('*')) return '*';
  return origins.includes(origin) ? origin : undefined;
}

async function corsPlugin(app: FastifyInstance): Promise<void> {
  const origins = app.ctx.http.corsOrigins;
  if (origins.length === 0) return;
  const decorate = (request: FastifyRequest, reply: FastifyReply): string | undefined => {
    const allow = allowedOrigin(origins, request.headers.origin);
    if (allow !== undefined) {
      reply.header('Access-Control-Allow-Origin', allow);
      reply.header('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      if (allow !== '*') reply.header('Vary', 'Origin');
    }
    return allow;
  };
  app.addHook('onRequest', async (request, reply) => {
    const allow = decorate(request, reply);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      if (allow !== undefined) {
        reply.header('Access-Control-Allow-Methods', ALLOWED_METHODS);
        reply.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        reply.header('Access-Control-Max-Age', '600');
      }
      return reply.code(204).send();
    }
  });
}

export const cors = fp(corsPlugin, { name: 'stockscan-cors' });
