/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self time per function and per source
 * (Stockscan file, or the package under node_modules), so the top costs of a benchmark run can
 * be read without a flame-graph viewer.
 *
 *   node dist/bench/profile.js <file.cpuprofile> [--top 30]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: `src/http/auth.js`, `node_modules/fastify`, `node:internal`. */
export function sourceOf(url: string): string {
  if (url === '') return '(native / V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return `node_modules/${rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length);
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url;
}

export interface ProfileSummary {
  totalMs: number;
  functions: { name: string; source: string; ms: number; pct: number }[];
  sources: { source: string; ms: number; pct: number }[];
  /** Inclusive time of the Stockscan frames (self time of them and everything they call). */
  inclusive: { name: string; source: string; ms: number; pct: number }[];
}

export function summarise(profile: CpuProfile, top = 30): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  let totalMs = 0;
  for (const [id, ms] of self) {
    const name = byId.get(id)?.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') continue;
    totalMs += ms;
  }
  const fnTotals = new Map<string, { name: string; source: string; ms: number }>();
  const srcTotals = new Map<string, number>();
  for (const [id, ms] of self) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined || frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
    const source = sourceOf(frame.url);
    const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}`;
    const entry = fnTotals.get(key) ?? { name: frame.functionName || '(anonymous)', source: `${source}:${frame.lineNumber + 1}`, ms: 0 };
    entry.ms += ms;
    fnTotals.set(key, entry);
    srcTotals.set(source, (srcTotals.get(source) ?? 0) + ms);
  }
  // Inclusive time per Stockscan function: walk the tree once, counting a function once per path.
  const inclusive = new Map<string, { name: string; source: string; ms: number }>();
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parents.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (frame === undefined || !frame.url.includes('/dist/src/')) continue;
      const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = inclusive.get(key) ?? { name: frame.functionName || '(anonymous)', source: `${sourceOf(frame.url)}:${frame.lineNumber + 1}`, ms: 0 };
      entry.ms += ms;
      inclusive.set(key, entry);
    }
  }
  const pct = (ms: number) => (100 * ms) / Math.max(totalMs, 1e-9);
  return {
    totalMs,
    functions: [...fnTotals.values()].sort((a, b) => b.ms - a.ms).slice(0, top).map((e) => ({ ...e, pct: pct(e.ms) })),
    sources: [...srcTotals.entries()].map(([source, ms]) => ({ source, ms, pct: pct(ms) })).sort((a, b) => b.ms - a.ms).slice(0, top),
    inclusive: [...inclusive.values()].sort((a, b) => b.ms - a.ms).slice(0, top).map((e) => ({ ...e, pct: pct(e.ms) })),
  };
}

export function formatSummary(s: ProfileSummary): string {
  const out: string[] = [`busy CPU time ${s.totalMs.toFixed(0)} ms`, '', 'self time by source:'];
  for (const e of s.sources) out.push(`  ${e.pct.toFixed(1).padStart(5)}%  ${e.ms.toFixed(0).padStart(7)} ms  ${e.source}`);
  out.push('', 'self time by function:');
  for (const e of s.functions) out.push(`  ${e.pct.toFixed(1).padStart(5)}%  ${e.ms.toFixed(0).padStart(7)} ms  ${e.name}  ${e.source}`);
  out.push('', 'inclusive time of Stockscan functions:');
  for (const e of s.inclusive) out.push(`  ${e.pct.toFixed(1).padStart(5)}%  ${e.ms.toFixed(0).padStart(7)} ms  ${e.name}  ${e.source}`);
  return out.join('\n');
}

if (process.argv[1]?.endsWith('profile.js')) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: node dist/bench/profile.js <file.cpuprofile> [--top N]\n');
    process.exit(2);
  }
  const topAt = process.argv.indexOf('--top');
  const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 30;
  process.stdout.write(`${formatSummary(summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top))}\n`);
}
