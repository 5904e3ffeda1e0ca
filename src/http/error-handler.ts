/**
 * Turns every error into the JSON body a DRF client expects (core-api.md §6) and never shows
 * a stack trace: typed ApiErrors carry their own status and body; framework errors for bad
 * requests map to DRF's 4xx bodies; anything else is logged and answered with InvenTree's
 * generic 500 body.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';
import { absoluteUrl } from './pagination.js';

function frameworkError(error: FastifyError, request: FastifyRequest): ApiError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, { detail: 'Request body is too large.' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, { detail: `Unsupported media type "${request.headers['content-type'] ?? ''}" in request.` });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(400, { detail: 'Request body length does not match its Content-Length header.' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(400, { detail: `JSON parse error - ${error.message}` });
    default:
      break;
  }
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    return new ApiError(400, { detail: `JSON parse error - ${error.message}` });
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError(error.statusCode, { detail: error.message });
  }
  return undefined;
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const known = error instanceof ApiError ? error : frameworkError(error as FastifyError, request);
    if (known !== undefined) {
      reply.code(known.statusCode);
      for (const [name, value] of Object.entries(known.headers)) reply.header(name, value);
      if (known.statusCode >= 500) request.log.error({ err: error }, 'request failed');
      return reply.send(known.body);
    }
    request.log.error({ err: error }, 'unhandled error');
    const name = error.name || 'Error';
    return reply.code(500).send({
      error: name,
      error_class: `<class '${name}'>`,
      detail: 'Error details can be found in the server log',
      path: request.url.split('?')[0],
      status_code: 500,
    });
  });

  app.setNotFoundHandler((request, reply) => reply.code(404).send(notFoundBody(request)));
}

/** The catch-all 404 body: InvenTree's API one under `/api/`, Django's plain one elsewhere. */
function notFoundBody(request: FastifyRequest): Record<string, string> {
  const path = request.url.split('?')[0] ?? '';
  if (path === '/api' || path.startsWith('/api/')) return { detail: 'API endpoint not found', url: absoluteUrl(request) };
  return { detail: 'Not found.' };
}

/**
 * Fastify's `frameworkErrors`: the requests its router refuses before any route or hook runs
 * (a path that is not valid percent-encoding, a path parameter over 100 characters). No route
 * matches them, so they get the catch-all 404 like any unknown path; as no hook runs for them,
 * the headers every response carries (`headers`, and D2's exact content type) are set here.
 */
export function routerErrorHandler(headers: Readonly<Record<string, string>>) {
  return (_error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    // A Buffer keeps the content type as set (Fastify appends a charset to JSON text).
    reply.code(404).header('content-type', 'application/json').send(Buffer.from(JSON.stringify(notFoundBody(request))));
  };
}
