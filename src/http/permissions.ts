/**
 * The one permission check every route uses (core-api.md §4.3). A route declares a rule in
 * its config; the hook below enforces it after authentication:
 * - `{ model: 'part_part' }`: the verb comes from the HTTP method (GET → view, POST → add,
 *   PUT/PATCH → change, DELETE → delete) and any ruleset covering the table may grant it;
 * - `{ role: 'purchase_order', verb: 'add' }`: a fixed role, e.g. for action endpoints;
 * - `{ staff: true }`: staff users only;
 * - `{ adminWrites: true }`: reads for everyone, writes for staff holding the `admin` role.
 * Superusers pass every check.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RulesetName, Verb } from '../users/roles.js';
import { permissionDenied } from './errors.js';

export type PermissionRule =
  | { model: string }
  | { role: RulesetName; verb: Verb }
  | { staff: true }
  | { adminWrites: true }
  | { staffWrites: true };

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: PermissionRule;
  }
}

export function verbOfMethod(method: string): Verb {
  switch (method) {
    case 'POST':
      return 'add';
    case 'PUT':
    case 'PATCH':
      return 'change';
    case 'DELETE':
      return 'delete';
    default:
      return 'view';
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function isAllowed(request: FastifyRequest, rule: PermissionRule): Promise<boolean> {
  const user = request.user;
  if (user === null) return false;
  if (user.is_superuser) return true;
  if ('staff' in rule) return user.is_staff;
  if ('staffWrites' in rule) return READ_METHODS.has(request.method) || user.is_staff;
  if ('adminWrites' in rule) {
    if (READ_METHODS.has(request.method)) return true;
    return user.is_staff && (await request.permissions()).hasRole('admin', verbOfMethod(request.method));
  }
  const permissions = await request.permissions();
  if ('model' in rule) return permissions.hasModel(rule.model, verbOfMethod(request.method));
  return permissions.hasRole(rule.role, rule.verb);
}

/** Throws 403 unless the request's user passes the rule. */
export async function requirePermission(request: FastifyRequest, rule: PermissionRule): Promise<void> {
  if (!(await isAllowed(request, rule))) throw permissionDenied();
}

async function permissionPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', async (request) => {
    const rule = request.routeOptions.config.permission;
    if (rule !== undefined && request.user !== null) await requirePermission(request, rule);
  });
}

export const permissionCheck = fp(permissionPlugin, { name: 'stockscan-permissions', dependencies: ['stockscan-auth'] });
