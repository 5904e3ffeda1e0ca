/**
 * Errors are data: an ApiError carries its HTTP status and the exact JSON body clients expect
 * (Django REST framework's shapes, core-api.md §6). Handlers throw them; the error handler in
 * app.ts sends them. Nothing else ever reaches a client, in particular no stack trace.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(typeof body === 'object' && body !== null && 'detail' in body ? String((body as { detail: unknown }).detail) : `HTTP ${statusCode}`);
    this.name = 'ApiError';
  }
}

/** 400 with a field → messages object (or `non_field_errors`). */
export class ValidationError extends ApiError {
  constructor(readonly fields: Record<string, unknown>) {
    super(400, fields);
    this.name = 'ValidationError';
  }
}

export const AUTH_HEADER = { 'WWW-Authenticate': 'Token' } as const;

export function notAuthenticated(detail = 'Authentication credentials were not provided.'): ApiError {
  return new ApiError(401, { detail }, AUTH_HEADER);
}

export function permissionDenied(detail = 'You do not have permission to perform this action.'): ApiError {
  return new ApiError(403, { detail });
}

/** DRF's detail 404: `No <ModelClassName> matches the given query.` */
export function notFound(modelClassName: string): ApiError {
  return new ApiError(404, { detail: `No ${modelClassName} matches the given query.` });
}

export function badRequest(body: unknown): ApiError {
  return new ApiError(400, body);
}

/** A 400 with `{"non_field_errors": [message]}`. */
export function nonFieldError(message: string): ValidationError {
  return new ValidationError({ non_field_errors: [message] });
}

/** A 400 with `{"<field>": [message]}`. */
export function fieldError(field: string, message: string): ValidationError {
  return new ValidationError({ [field]: [message] });
}

export function throttled(waitSeconds: number): ApiError {
  const seconds = Math.max(1, Math.ceil(waitSeconds));
  return new ApiError(
    429,
    { detail: `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.` },
    { 'Retry-After': String(seconds) },
  );
}
