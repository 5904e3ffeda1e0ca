/**
 * The routes of the running application: the operations of the OpenAPI document (what the
 * matrix checks) and the paths of Fastify's route table (so that a route hidden from the
 * document is noticed too).
 */
import type { FastifyInstance } from 'fastify';

export interface Operation {
  method: string;
  /** OpenAPI notation: `/api/part/{pk}/`. */
  path: string;
  key: string;
}

export const OPERATION_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Every documented operation, from `GET /api/schema/`. */
export async function documentedOperations(app: FastifyInstance): Promise<Operation[]> {
  const res = await app.inject({ method: 'GET', url: '/api/schema/' });
  if (res.statusCode !== 200) throw new Error(`GET /api/schema/ answered ${res.statusCode}`);
  const doc = res.json() as { paths: Record<string, Record<string, unknown>> };
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const m of Object.keys(ops)) {
      const method = m.toUpperCase();
      if ((OPERATION_METHODS as readonly string[]).includes(method)) out.push({ method, path, key: `${method} ${path}` });
    }
  }
  return out;
}

/** `:pk(^\d+)` → `{pk}`. */
function openApiNotation(segment: string): string {
  return segment.replace(/:([A-Za-z_]\w*)(\([^)]*\))?/g, '{$1}');
}

/**
 * Every path of Fastify's route table (with the methods it lists), parsed from
 * `printRoutes({ commonPrefix: false })`, whose lines are `<tree prefix><segment> (<methods>)`
 * with four characters of indentation per level.
 */
export function routeTablePaths(app: FastifyInstance): Map<string, Set<string>> {
  const text = app.printRoutes({ commonPrefix: false });
  const out = new Map<string, Set<string>>();
  const stack: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (m === null) continue;
    const depth = (m[1] as string).length / 4;
    stack.length = depth;
    stack.push(m[2] as string);
    if (m[3] !== undefined) {
      const path = openApiNotation(stack.join(''));
      const methods = out.get(path) ?? new Set<string>();
      for (const method of m[3].split(', ')) methods.add(method);
      out.set(path, methods);
    }
  }
  return out;
}

/** A concrete URL for a path, with parameters that match the route constraints. */
export function sampleUrl(path: string): string {
  return path
    .replace('{pk}', '999999')
    .replace('{id}', '999999')
    .replace('{key}', 'zz_unknown')
    .replace('{setting}', 'ZZ_UNKNOWN');
}
