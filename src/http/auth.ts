/**
 * Authentication, as InvenTree's DRF stack does it (core-api.md §3): API token, then HTTP
 * Basic, then the session cookie. Bad credentials answer 401 with DRF's messages and a
 * `WWW-Authenticate: Token` header; session-authenticated writes must pass the CSRF check.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { safeEqual } from '../secrets.js';
import { loadPermissions, type Permissions } from '../users/roles.js';
import { verifyPassword } from '../users/passwords.js';
import { CSRF_COOKIE, findSession, SESSION_COOKIE } from '../users/sessions.js';
import { findToken, tokenRefusal, touchToken } from '../users/tokens.js';
import { today } from '../util/time.js';
import { findUserById, findUserForLogin, recordLogin, type AuthUser } from '../users/users.js';
import type { AuthInfo } from './context.js';
import { ApiError, notAuthenticated, throttled } from './errors.js';
import { loginKeys } from './throttle.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

interface Authenticated {
  user: AuthUser;
  info: AuthInfo;
}

class AuthFailure extends ApiError {
  constructor(detail: string) {
    super(401, { detail }, { 'WWW-Authenticate': 'Token' });
  }
}

function splitHeader(header: string): string[] {
  return header.split(/\s+/).filter((p) => p !== '');
}

/** The data generation each token-authenticated request was checked under (for its permissions). */
const generationOf = new WeakMap<FastifyRequest, number>();

/**
 * Token authentication without a database round trip per request: the token, its user and
 * the user's permissions come from the auth cache while the data generation is unchanged (any
 * revocation, expiry change, user, group or role change raises it). The generation is read
 * fresh for every request, and expiry is checked against today's date every time.
 */
async function authenticateToken(app: FastifyInstance, request: FastifyRequest, parts: string[]): Promise<Authenticated> {
  if (parts.length === 1) throw new AuthFailure('Invalid token header. No credentials provided.');
  if (parts.length > 2) throw new AuthFailure('Invalid token header. Token string should not contain spaces.');
  const key = parts[1] as string;
  const { db, secret, generation, authCache } = app.ctx;
  const current = await generation.current();
  const lookup = secret.lookupHash(key);
  let token = authCache.token(current, lookup);
  if (token === undefined) {
    token = await findToken(db, lookup);
    if (token === undefined) throw new AuthFailure('Invalid token.');
    authCache.storeToken(current, lookup, token);
  }
  const day = today();
  const refusal = tokenRefusal(token, day);
  if (refusal !== undefined) throw new AuthFailure(refusal);
  if (token.lastSeen !== day) {
    await touchToken(db, token.tokenId, day);
    token.lastSeen = day;
  }
  let user = authCache.user(current, token.userId);
  if (user === undefined) {
    user = await findUserById(db, token.userId);
    if (user !== undefined) authCache.storeUser(current, user);
  }
  if (user === undefined || !user.is_active) throw new AuthFailure('User inactive or deleted.');
  generationOf.set(request, current);
  // A copy: a handler can never change what the next request is authenticated as.
  return { user: { ...user }, info: { method: 'token', tokenId: token.tokenId, sessionId: null } };
}

/** The user's permissions: from the auth cache for token requests, else loaded. */
async function permissionsOf(app: FastifyInstance, request: FastifyRequest, user: AuthUser): Promise<Permissions> {
  const { db, generation, authCache } = app.ctx;
  const current = generationOf.get(request);
  if (current === undefined) return loadPermissions(db, user);
  const cached = authCache.permissionsOf(current, user.id);
  if (cached !== undefined) return cached;
  const loaded = await loadPermissions(db, user);
  // Not from inside a transaction: it could see (or later roll back) its own writes.
  if (generation.cacheable(db)) authCache.storePermissions(current, user.id, loaded);
  return loaded;
}

/** Verifies a username and password with login throttling; shared by Basic auth and login forms. */
export async function verifyCredentials(app: FastifyInstance, request: FastifyRequest, username: string, password: string): Promise<AuthUser> {
  const keys = loginKeys(username, request.ip);
  const verdict = app.ctx.loginThrottle.verdict(keys);
  if (verdict.action === 'block') throw throttled(verdict.retryAfterSeconds);
  if (verdict.action === 'delay') await new Promise((r) => setTimeout(r, verdict.ms));
  const found = await findUserForLogin(app.ctx.db, username);
  const ok = await verifyPassword(password, found?.password);
  if (found === undefined || !ok) {
    app.ctx.loginThrottle.recordFailure(keys);
    request.log.info({ username }, 'failed login');
    throw new AuthFailure('Invalid username/password.');
  }
  app.ctx.loginThrottle.recordSuccess(keys);
  const { password: _hash, ...user } = found;
  if (!user.is_active) throw new AuthFailure('User inactive or deleted.');
  return user;
}

async function authenticateBasic(app: FastifyInstance, request: FastifyRequest, parts: string[]): Promise<Authenticated> {
  if (parts.length === 1) throw new AuthFailure('Invalid basic header. No credentials provided.');
  if (parts.length > 2) throw new AuthFailure('Invalid basic header. Credentials string should not contain spaces.');
  const encoded = parts[1] as string;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 === 1) {
    throw new AuthFailure('Invalid basic header. Credentials not correctly base64 encoded.');
  }
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new AuthFailure('Invalid basic header. Credentials not correctly base64 encoded.');
  const user = await verifyCredentials(app, request, decoded.slice(0, colon), decoded.slice(colon + 1));
  return { user, info: { method: 'basic', tokenId: null, sessionId: null } };
}

async function authenticateSession(app: FastifyInstance, request: FastifyRequest): Promise<Authenticated | null> {
  const key = request.cookies[SESSION_COOKIE];
  if (key === undefined || key === '') return null;
  const session = await findSession(app.ctx.db, app.ctx.secret, key);
  if (session === undefined) return null;
  const user = await findUserById(app.ctx.db, session.user_id);
  if (user === undefined || !user.is_active) return null;
  if (!SAFE_METHODS.has(request.method)) checkCsrf(app, request, session.csrf_token);
  return { user, info: { method: 'session', tokenId: null, sessionId: session.id } };
}

function csrfFailure(reason: string): ApiError {
  return new ApiError(403, { detail: `CSRF Failed: ${reason}` });
}

function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Django's CSRF rules for session-authenticated writes: trusted origin, then the token. */
function checkCsrf(app: FastifyInstance, request: FastifyRequest, sessionToken: string): void {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== requestOrigin(request) && !app.ctx.http.csrfTrustedOrigins.includes(origin)) {
    throw csrfFailure(`Origin checking failed - ${origin} does not match any trusted origins.`);
  }
  const cookie = request.cookies[CSRF_COOKIE];
  if (cookie === undefined || cookie === '') throw csrfFailure('CSRF cookie not set.');
  const header = request.headers['x-csrftoken'];
  if (typeof header !== 'string' || header === '') throw csrfFailure('CSRF token missing.');
  if (!safeEqual(header, sessionToken) || !safeEqual(cookie, sessionToken)) throw csrfFailure('CSRF token incorrect.');
}

async function authenticate(app: FastifyInstance, request: FastifyRequest): Promise<Authenticated | null> {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header !== '') {
    const parts = splitHeader(header);
    const keyword = (parts[0] ?? '').toLowerCase();
    if (keyword === 'token') return authenticateToken(app, request, parts);
    if (keyword === 'basic') return authenticateBasic(app, request, parts);
  }
  return authenticateSession(app, request);
}

const ANONYMOUS: AuthInfo = { method: null, tokenId: null, sessionId: null };
const permissionCache = new WeakMap<FastifyRequest, Promise<Permissions>>();

async function authPlugin(app: FastifyInstance): Promise<void> {
  app.decorateRequest('user', null);
  app.decorateRequest('authInfo', null as unknown as AuthInfo);
  app.decorateRequest('permissions', function (this: FastifyRequest): Promise<Permissions> {
    let cached = permissionCache.get(this);
    if (cached === undefined) {
      const user = this.user;
      cached = user === null ? loadPermissions(app.ctx.db, { id: 0, is_active: false, is_superuser: false }) : permissionsOf(app, this, user);
      permissionCache.set(this, cached);
    }
    return cached;
  });

  app.addHook('onRequest', async (request) => {
    request.authInfo = ANONYMOUS;
    // The API catch-all 404 answers without authentication at API 435.
    const isPublic = request.routeOptions.config.public === true || request.is404;
    let result: Authenticated | null;
    try {
      result = await authenticate(app, request);
    } catch (error) {
      // Public routes answer anonymous callers whatever their headers say.
      if (isPublic && error instanceof AuthFailure) return;
      throw error;
    }
    if (result !== null) {
      request.user = result.user;
      request.authInfo = result.info;
      return;
    }
    if (!isPublic) throw notAuthenticated();
  });
}

export const authentication = fp(authPlugin, { name: 'stockscan-auth', dependencies: ['@fastify/cookie'] });

/** Records a successful interactive login (token endpoint, login form). */
export async function markLogin(app: FastifyInstance, userId: number): Promise<void> {
  await recordLogin(app.ctx.db, userId);
}
