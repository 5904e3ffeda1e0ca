/**
 * The permission matrix: every documented endpoint × every kind of caller (anonymous, signed
 * in without roles, each ruleset at each level, staff, staff with the admin role, superuser)
 * against the rule the specification gives it (expectations.ts). The routes are read from the
 * running application, so a new route without an expectation fails here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { headerProblems } from './checks.js';
import { EXPECTATIONS, expectedOutcome, isRuleMap, profiles, type Outcome, type Profile, type Rule } from './expectations.js';
import { REQUESTS, World, type Caller, type MatrixRequest } from './requests.js';
import { documentedOperations, OPERATION_METHODS, routeTablePaths, sampleUrl, type Operation } from './routes.js';

interface Case {
  op: Operation;
  variant: string | undefined;
  rule: Rule;
}

function casesOf(ops: Operation[]): Case[] {
  const out: Case[] = [];
  for (const op of ops) {
    const expectation = EXPECTATIONS[op.key];
    if (expectation === undefined) continue;
    if (isRuleMap(expectation)) for (const [variant, rule] of Object.entries(expectation)) out.push({ op, variant, rule });
    else out.push({ op, variant: undefined, rule: expectation });
  }
  return out;
}

function label(c: Case, method = c.op.method): string {
  return `${method} ${c.op.path}${c.variant === undefined ? '' : ` [${c.variant}]`}`;
}

/** Whether the answer matches the expected outcome; the reason when it does not. */
function mismatch(expected: Outcome, res: LightMyRequestResponse, rule?: Rule): string | undefined {
  const status = res.statusCode;
  const headers = headerProblems(res);
  if (headers.length > 0) return `headers: ${headers.join(', ')}`;
  if (status >= 500) return `server error ${status}: ${res.body.slice(0, 200)}`;
  if (expected === 'allow') return status === 401 || status === 403 ? `refused with ${status}: ${res.body.slice(0, 200)}` : undefined;
  if (status !== expected) return `expected ${expected}, got ${status}: ${res.body.slice(0, 200)}`;
  if (rule?.kind === 'browserSession') {
    const body = res.json() as { status?: unknown; meta?: { is_authenticated?: unknown } };
    return body.status === 401 && body.meta?.is_authenticated === false ? undefined : `401 body ${res.body}`;
  }
  if (expected === 401) {
    if (res.headers['www-authenticate'] !== 'Token') return '401 without WWW-Authenticate: Token';
    if (res.json().detail !== 'Authentication credentials were not provided.') return `401 body ${res.body}`;
  }
  if (expected === 403) {
    const body = res.json() as { detail?: unknown; error?: unknown };
    if (typeof body.detail !== 'string' && typeof body.error !== 'string') return `403 body ${res.body}`;
  }
  return undefined;
}

/**
 * OPTIONS describes a path and needs what reading it needs (§4.3: GET and OPTIONS → view):
 * the GET rule, or for a path without GET the rule of its writes taken with the verb view.
 * The barcode endpoints' own rules (D5) and the superuser-only plugin activation reduce to
 * authentication: the barcode views need only a signed-in user (§4.4), and D5's checks, like
 * the activation's, guard the action, not its description. The staff-only barcode routes
 * (the unmatched inbox) keep their rule.
 */
function optionsRule(path: string, rules: Map<string, Rule | Record<string, Rule>>): Rule {
  const pick = (r: Rule | Record<string, Rule>): Rule =>
    isRuleMap(r) || r.kind === 'superuser' ? { kind: 'auth' } : r.kind === 'browserSession' ? { kind: 'public' } : r;
  const get = rules.get('GET');
  if (get !== undefined) return pick(get);
  if (path.startsWith('/api/barcode/') && !path.startsWith('/api/barcode/history/')) {
    // A staff-only barcode action (dismissing unknown barcodes) is described to staff only.
    const writes = OPERATION_METHODS.map((m) => rules.get(m)).filter((r) => r !== undefined);
    return writes.some((r) => !isRuleMap(r) && r.kind === 'staff') ? { kind: 'staff' } : { kind: 'auth' };
  }
  for (const m of OPERATION_METHODS) {
    const r = rules.get(m);
    if (r !== undefined) return pick(r);
  }
  return { kind: 'auth' };
}

describe('permission matrix', () => {
  let h: Harness;
  let world: World;
  const callers = new Map<string, TestUser | undefined>();
  const allProfiles = profiles();
  let ops: Operation[] = [];

  before(async () => {
    h = await createHarness();
    let i = 0;
    for (const p of allProfiles) {
      if (p.anonymous) {
        callers.set(p.key, undefined);
        continue;
      }
      i += 1;
      const roles = p.grants.length === 0 ? undefined : Object.fromEntries(p.grants.map((g) => [g.ruleset, { [`can_${g.verb}`]: true }]));
      const user = await h.user(`matrix-${i}-${p.key.replace(/[^a-z0-9]+/gi, '-')}`, {
        is_staff: p.staff,
        is_superuser: p.superuser,
        ...(roles !== undefined ? { roles } : {}),
      });
      callers.set(p.key, user);
    }
    world = new World(h);
    await world.init(callers.get('superuser') as TestUser);
    ops = await documentedOperations(h.app);
  });
  after(() => h.close());

  async function send(method: string, request: MatrixRequest, caller: Caller): Promise<LightMyRequestResponse> {
    return h.request({
      method: method as 'GET',
      url: request.url,
      headers: caller.user?.auth ?? {},
      ...(request.payload !== undefined && method !== 'GET' && method !== 'HEAD' ? { payload: request.payload as object } : {}),
    });
  }

  it('every documented operation has an expectation and a request, and every expectation an operation', () => {
    const documented = new Set(ops.map((o) => o.key));
    const missing = ops.filter((o) => EXPECTATIONS[o.key] === undefined || REQUESTS[o.key] === undefined).map((o) => o.key);
    assert.deepEqual(missing, [], `operations without an expectation or request in test/security/: ${missing.join(', ')}`);
    const stale = Object.keys(EXPECTATIONS).filter((k) => !documented.has(k) && k !== 'GET /api/schema/');
    assert.deepEqual(stale, [], 'expectations of operations the application no longer has');
    assert.ok(ops.length > 150, `only ${ops.length} operations found`);
  });

  it('every path of the route table is documented (no hidden route escapes the matrix)', () => {
    const documentedPaths = new Set(ops.map((o) => o.path));
    // The web app's static files (/web, /web*) are no API: test/web covers them.
    const hidden = [...routeTablePaths(h.app).keys()].filter((p) => !documentedPaths.has(p) && p !== '/api/schema/' && p !== '/web' && p !== '/web*');
    assert.deepEqual(hidden, [], `routes missing from the OpenAPI document (and so from the matrix): ${hidden.join(', ')}`);
  });

  it('every documented operation answers each caller as the specification says', async () => {
    const cases = casesOf(ops).concat(casesOf([{ method: 'GET', path: '/api/schema/', key: 'GET /api/schema/' }]));
    const failures: string[] = [];
    const superuserFailures: string[] = [];
    let calls = 0;
    for (const c of cases) {
      const maker = REQUESTS[c.op.key];
      assert.ok(maker, `no request for ${c.op.key}`);
      for (const p of allProfiles) {
        const caller: Caller = { user: callers.get(p.key) };
        const expected = expectedOutcome(c.rule, c.op.method, p);
        // Refused by the route's own check before its handler: nothing to make. (The barcode
        // endpoints check inside their handlers, after reading the body.)
        world.dry = expected !== 'allow' && !c.op.path.startsWith('/api/barcode/');
        const request = await maker(world, caller, c.variant);
        world.dry = false;
        const res = await send(c.op.method, request, caller);
        calls += 1;
        const why = mismatch(expected, res, c.rule);
        if (why !== undefined) failures.push(`${label(c)} as ${p.key}: ${why}`);
        if (p.superuser && c.rule.kind !== 'browserSession' && (res.statusCode < 200 || res.statusCode >= 300)) superuserFailures.push(`${label(c)}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      }
    }
    assert.deepEqual(failures, [], `${failures.length} of ${calls} answers differ from the specification`);
    // The bodies are good enough to succeed, so a refusal above is never a 400 in disguise.
    assert.deepEqual(superuserFailures, [], 'the superuser request of every case succeeds');
  });

  it('HEAD answers as GET (anonymous, no roles, each ruleset at view, staff, superuser)', async () => {
    const failures: string[] = [];
    // Fastify derives each HEAD route from its GET route: the readers of every ruleset suffice.
    const readers = allProfiles.filter((p) => p.grants.every((g) => g.verb === 'view'));
    for (const c of casesOf(ops.filter((o) => o.method === 'GET'))) {
      const maker = REQUESTS[c.op.key];
      for (const p of readers) {
        const caller: Caller = { user: callers.get(p.key) };
        const res = await send('HEAD', await maker!(world, caller, c.variant), caller);
        const expected = expectedOutcome(c.rule, 'HEAD', p);
        const status = res.statusCode;
        const ok = status < 500 && (expected === 'allow' ? status !== 401 && status !== 403 : status === expected) && headerProblems(res).length === 0;
        if (!ok) failures.push(`${label(c, 'HEAD')} as ${p.key}: expected ${expected}, got ${status}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('OPTIONS needs what reading the path needs (GET/OPTIONS → view)', async () => {
    const byPath = new Map<string, Map<string, Rule | Record<string, Rule>>>();
    for (const op of ops) {
      const rules = byPath.get(op.path) ?? new Map();
      const r = EXPECTATIONS[op.key];
      if (r !== undefined) rules.set(op.method, r);
      byPath.set(op.path, rules);
    }
    const failures: string[] = [];
    for (const [path, rules] of byPath) {
      const rule = optionsRule(path, rules);
      for (const p of allProfiles) {
        const caller: Caller = { user: callers.get(p.key) };
        const res = await send('OPTIONS', { url: sampleUrl(path) }, caller);
        const expected = expectedOutcome(rule, 'OPTIONS', p);
        const why = mismatch(expected, res);
        if (why !== undefined) failures.push(`OPTIONS ${path} as ${p.key}: ${why}`);
        if (expected === 'allow' && res.statusCode !== 200) failures.push(`OPTIONS ${path} as ${p.key}: ${res.statusCode}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('every method a path does not document answers 405 (or 401 to anonymous callers)', async () => {
    const documented = new Map<string, Set<string>>();
    for (const op of ops) documented.set(op.path, (documented.get(op.path) ?? new Set()).add(op.method));
    documented.set('/api/schema/', new Set(['GET']));
    const superuser = callers.get('superuser') as TestUser;
    const failures: string[] = [];
    for (const [path, methods] of documented) {
      for (const method of OPERATION_METHODS) {
        if (methods.has(method)) continue;
        const url = sampleUrl(path);
        const res = await h.request({ method, url, headers: superuser.auth, ...(method === 'GET' ? {} : { payload: {} }) });
        if (res.statusCode !== 405) failures.push(`${method} ${path} as superuser: ${res.statusCode}`);
        if (headerProblems(res).length > 0) failures.push(`${method} ${path}: headers ${headerProblems(res).join(', ')}`);
        else if (typeof res.headers.allow !== 'string') failures.push(`${method} ${path}: 405 without Allow`);
        const rulesOfPath = [...methods].map((m) => EXPECTATIONS[`${m} ${path}`]);
        const isPublic = path === '/api/schema/' || rulesOfPath.every((r) => r !== undefined && !isRuleMap(r) && (r.kind === 'public' || r.kind === 'browserSession'));
        const anon = await h.request({ method, url, ...(method === 'GET' ? {} : { payload: {} }) });
        if (anon.statusCode !== (isPublic ? 405 : 401)) failures.push(`${method} ${path} as anonymous: ${anon.statusCode}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('the matrix covers every profile of the brief', () => {
    const keys = allProfiles.map((p: Profile) => p.key);
    assert.ok(keys.includes('anonymous') && keys.includes('no-roles') && keys.includes('staff') && keys.includes('superuser'));
    assert.equal(keys.filter((k) => /^[a-z_]+\.(view|add|change|delete)$/.test(k)).length, 9 * 4);
    assert.equal(allProfiles.length, 46);
  });
});
