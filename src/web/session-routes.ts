/**
 * Browser sign-in and sign-out, compatible with the django-allauth "headless" endpoints that
 * InvenTree's web UI calls (clients.md §3):
 *
 *   POST   /api/auth/v1/auth/login     {username, password} → session cookies
 *   GET    /api/auth/v1/auth/session   who is signed in (200), or 401 when nobody is
 *   DELETE /api/auth/v1/auth/session   sign out (answers 401: nobody is signed in any more)
 *
 * Bodies follow allauth's envelope: `{"status", "data", "meta": {"is_authenticated"}}` and, for
 * errors, `{"status", "errors": [{"message", "code", "param"?}]}`. The password check is the
 * API's own (`verifyCredentials`: scrypt hashes and login throttling); a session is the API's
 * session (cookie `sessionid`, bound to the CSRF token in cookie `csrftoken`, which writes
 * send back in the `X-CSRFToken` header). Signing out is a session-authenticated write, so it
 * needs that header too.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { markLogin, verifyCredentials } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { CSRF_COOKIE, createSession, deleteSession, SESSION_COOKIE, SESSION_MAX_AGE_SECONDS } from '../users/sessions.js';
import type { AuthUser } from '../users/users.js';

export const LOGIN_URL = '/api/auth/v1/auth/login';
export const SESSION_URL = '/api/auth/v1/auth/session';

interface AllauthError {
  message: string;
  code: string;
  param?: string;
}

export const MESSAGES = {
  mismatch: 'The username and/or password you specified are not correct.',
  inactive: 'This account is inactive.',
  throttled: 'Too many failed login attempts. Try again later.',
  required: 'This field is required.',
  invalid: 'Enter a valid value.',
} as const;

function errorBody(status: number, errors: AllauthError[]) {
  return { status, errors };
}

function unauthenticatedBody() {
  return { status: 401, data: { flows: [{ id: 'login' }] }, meta: { is_authenticated: false } };
}

function displayName(user: AuthUser): string {
  const full = `${user.first_name} ${user.last_name}`.trim();
  return full === '' ? user.username : full;
}

function authenticatedBody(user: AuthUser, at: Date) {
  return {
    status: 200,
    data: {
      user: { id: user.id, display: displayName(user), has_usable_password: true, email: user.email, username: user.username },
      methods: [{ method: 'password', at: Math.floor(at.getTime() / 1000), username: user.username }],
    },
    meta: { is_authenticated: true },
  };
}

const UserBody = Type.Object({
  id: Type.Integer(),
  display: Type.String(),
  has_usable_password: Type.Boolean(),
  email: Type.String(),
  username: Type.String(),
});
const AuthenticatedSchema = Type.Object({
  status: Type.Integer(),
  data: Type.Object({
    user: UserBody,
    methods: Type.Array(Type.Object({ method: Type.String(), at: Type.Integer(), username: Type.String() })),
  }),
  meta: Type.Object({ is_authenticated: Type.Boolean() }),
});
const UnauthenticatedSchema = Type.Object({
  status: Type.Integer(),
  data: Type.Object({ flows: Type.Array(Type.Object({ id: Type.String() })) }),
  meta: Type.Object({ is_authenticated: Type.Boolean() }),
});
const ErrorSchema = Type.Object({
  status: Type.Integer(),
  errors: Type.Array(Type.Object({ message: Type.String(), code: Type.String(), param: Type.Optional(Type.String()) })),
});

function cookieOptions(request: FastifyRequest, httpOnly: boolean) {
  return { path: '/', httpOnly, sameSite: 'lax' as const, secure: request.protocol === 'https', maxAge: SESSION_MAX_AGE_SECONDS };
}

function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

/** Django's CSRF origin rule for the login form: a browser's Origin must be this server or trusted. */
function checkLoginOrigin(app: FastifyInstance, request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  if (origin === `${request.protocol}://${request.host}` || app.ctx.http.csrfTrustedOrigins.includes(origin)) return;
  throw new ApiError(403, { detail: `CSRF Failed: Origin checking failed - ${origin} does not match any trusted origins.` });
}

function readCredentials(body: unknown): { username: string; password: string } {
  const errors: AllauthError[] = [];
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const pick = (name: 'username' | 'password'): string => {
    const value = fields[name];
    if (value === undefined || value === null || value === '') {
      errors.push({ message: MESSAGES.required, code: 'required', param: name });
      return '';
    }
    if (typeof value !== 'string') {
      errors.push({ message: MESSAGES.invalid, code: 'invalid', param: name });
      return '';
    }
    return value;
  };
  const username = pick('username').trim();
  const password = pick('password');
  if (errors.length > 0) throw new ApiError(400, errorBody(400, errors));
  return { username, password };
}

export async function sessionRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const publicConfig = { public: true };

  app.post(
    LOGIN_URL,
    {
      config: publicConfig,
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a username and password (django-allauth headless login)',
        body: Type.Object({ username: Type.String(), password: Type.String() }),
        response: { 200: AuthenticatedSchema, 400: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (request, reply) => {
      checkLoginOrigin(app, request);
      const { username, password } = readCredentials(request.body);
      let user: AuthUser;
      try {
        user = await verifyCredentials(app, request, username, password);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.statusCode === 429) {
          throw new ApiError(429, errorBody(429, [{ message: MESSAGES.throttled, code: 'too_many_login_attempts' }]), error.headers);
        }
        const inactive = (error.body as { detail?: string }).detail === 'User inactive or deleted.';
        throw new ApiError(
          400,
          errorBody(400, [inactive ? { message: MESSAGES.inactive, code: 'account_inactive' } : { message: MESSAGES.mismatch, code: 'username_password_mismatch', param: 'password' }]),
        );
      }
      // A new session on every sign-in (never keep a session id across a login).
      if (request.authInfo.sessionId !== null) await deleteSession(db, request.authInfo.sessionId);
      const session = await createSession(db, app.ctx.secret, user.id);
      reply.setCookie(SESSION_COOKIE, session.key, cookieOptions(request, true));
      reply.setCookie(CSRF_COOKIE, session.csrfToken, cookieOptions(request, false));
      await markLogin(app, user.id);
      return authenticatedBody(user, new Date());
    },
  );

  app.get(
    SESSION_URL,
    {
      config: publicConfig,
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user of this browser session (401 when nobody is signed in)',
        response: { 200: AuthenticatedSchema, 401: UnauthenticatedSchema },
      },
    },
    async (request, reply) => {
      const { user, authInfo } = request;
      if (user === null || authInfo.method !== 'session' || authInfo.sessionId === null) return reply.code(401).send(unauthenticatedBody());
      const row = await db.selectFrom('session').select('created').where('id', '=', authInfo.sessionId).executeTakeFirst();
      return authenticatedBody(user, row === undefined ? new Date() : new Date(row.created));
    },
  );

  app.delete(
    SESSION_URL,
    {
      config: publicConfig,
      schema: {
        tags: ['auth'],
        summary: 'Sign out: ends this browser session (needs the X-CSRFToken header)',
        response: { 401: UnauthenticatedSchema },
      },
    },
    async (request, reply) => {
      if (request.authInfo.method === 'session' && request.authInfo.sessionId !== null) await deleteSession(db, request.authInfo.sessionId);
      clearSessionCookies(reply);
      return reply.code(401).send(unauthenticatedBody());
    },
  );
}
