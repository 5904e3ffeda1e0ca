/**
 * The benchmark's output: a results section of docs/performance.md (between markers, so the
 * hand-written findings around it stay) and an SVG chart of throughput against data size.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface ScenarioResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Server CPU time (user + system) per answered request, in microseconds. */
  cpuUs?: number;
  /** The status every answer should have had, how many answers there were, how many had another. */
  expected?: { status: number; answers: number; unexpected: number };
}

/** "N of M answers were not <status>", or undefined when every answer had the expected status. */
export function unexpectedAnswers(result: ScenarioResult): string | undefined {
  const e = result.expected;
  if (e === undefined || e.unexpected === 0) return undefined;
  return `${e.unexpected} of ${e.answers} answers were not ${e.status}: the figures measure another path than the scenario's`;
}

/** The scenario the scan floor answers (an internal short barcode). */
export const FLOOR_SCENARIO = 'internal short hit';

export interface ScaleReport {
  scale: number;
  scenarios: Record<string, { stockscan: ScenarioResult; bare: ScenarioResult; ratio: number }>;
  historyPageMs: number;
  stockPageMs: number;
  /** The stock list's first page asked right after a start: its route's first answer (median over the starts). */
  firstStockPageMs?: number;
  startupMs: number;
  rssMb: number;
  /**
   * The scan floor (bench/bare-server.ts, BARE_KIND=scan) answering the internal short hit:
   * the least a scan with a stored history row costs on the project's stack.
   */
  scanFloor?: ScenarioResult;
}

export interface DialectReport {
  dialect: 'sqlite' | 'postgres';
  scales: ScaleReport[];
}

export interface BenchReport {
  date: string;
  versions: Record<string, string>;
  connections: number;
  duration: number;
  /** `--pin`: the servers on one core, the load generator on another. */
  pinned?: boolean;
  dialects: DialectReport[];
}

const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

/** The targets of the performance issue, per dialect and scenario (ratio to the bare server). */
const RATIO_TARGETS: Record<string, Record<string, number>> = {
  sqlite: { 'internal short hit': 0.5, 'internal JSON hit': 0.5, 'linked barcode hit': 0.5, miss: 0.5, 'DigiKey label': 0.35 },
  postgres: { 'internal short hit': 0.25, 'internal JSON hit': 0.25, 'linked barcode hit': 0.25, miss: 0.25 },
};

function mark(ok: boolean): string {
  return ok ? '✓' : '✗';
}

export function fmtScale(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n);
}

export function renderMarkdown(report: BenchReport): string {
  const lines: string[] = [];
  const command = report.pinned === true ? '`npm run bench -- --pin` (the servers on one core, the load generator on the other)' : '`npm run bench`';
  lines.push(`Measured ${report.date.slice(0, 16).replace('T', ' ')} UTC with ${command}: ${report.connections} connections, ${report.duration} s per run,`);
  lines.push('each scenario run twice against each server in alternation (the better run of each is shown).');
  lines.push('"CPU µs/req" is the server process\'s CPU time (user + system) per answered request, which other load on the');
  lines.push('machine disturbs far less than requests per second; "CPU ratio" is the bare server\'s CPU per request over Stockscan\'s.');
  if (report.dialects.some((d) => d.scales.some((s) => s.scanFloor !== undefined))) {
    lines.push('"Scan floor" is the least a scan can cost on the same stack, answering the internal short hit on the same database:');
    lines.push('a minimal Fastify route, one prepared read of the item, a stored history row (`bench/bare-server.ts`, `--floor`).');
  }
  lines.push('');
  lines.push('| machine | |');
  lines.push('|---|---|');
  for (const [k, v] of Object.entries(report.versions)) lines.push(`| ${k} | ${v} |`);
  for (const d of report.dialects) {
    lines.push('');
    lines.push(`### ${d.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`);
    lines.push('');
    const names = Object.keys(d.scales[0]?.scenarios ?? {});
    lines.push(`| scenario | ${d.scales.map((s) => `${fmtScale(s.scale)}: req/s | p50 ms | p99 ms | ratio | CPU µs/req | CPU ratio`).join(' | ')} | target |`);
    lines.push(`|---|${d.scales.map(() => '---:|---:|---:|---:|---:|---:').join('|')}|---|`);
    for (const name of names) {
      const cells = d.scales.map((s) => {
        const r = s.scenarios[name];
        if (r === undefined) return ' | | | | | ';
        const cpuRatio = r.stockscan.cpuUs && r.bare.cpuUs ? (r.bare.cpuUs / r.stockscan.cpuUs).toFixed(2) : '';
        return `${r.stockscan.rps.toFixed(0)} | ${r.stockscan.p50} | ${r.stockscan.p99} | ${r.ratio.toFixed(2)} | ${r.stockscan.cpuUs?.toFixed(0) ?? ''} | ${cpuRatio}`;
      });
      const target = RATIO_TARGETS[d.dialect]?.[name];
      const first = d.scales[0]?.scenarios[name];
      const verdict = target === undefined || first === undefined ? '' : `≥ ${target} ${mark(d.scales.every((s) => (s.scenarios[name]?.ratio ?? 0) >= target))}`;
      lines.push(`| ${name} | ${cells.join(' | ')} | ${verdict} |`);
    }
    const bare = (s: ScaleReport) => s.scenarios[names[0] ?? '']?.bare;
    lines.push(`| bare node:http (first scenario) | ${d.scales.map((s) => `${(bare(s)?.rps ?? 0).toFixed(0)} | ${bare(s)?.p50 ?? ''} | ${bare(s)?.p99 ?? ''} | 1.00 | ${bare(s)?.cpuUs?.toFixed(0) ?? ''} | 1.00`).join(' | ')} | |`);
    if (d.scales.some((s) => s.scanFloor !== undefined)) {
      const floorCells = d.scales.map((s) => {
        const f = s.scanFloor;
        const b = s.scenarios[FLOOR_SCENARIO]?.bare;
        if (f === undefined || b === undefined) return ' | | | | | ';
        const cpuRatio = f.cpuUs !== undefined && b.cpuUs !== undefined ? (b.cpuUs / f.cpuUs).toFixed(2) : '';
        return `${f.rps.toFixed(0)} | ${f.p50} | ${f.p99} | ${(f.rps / b.rps).toFixed(2)} | ${f.cpuUs?.toFixed(0) ?? ''} | ${cpuRatio}`;
      });
      lines.push(`| scan floor (${FLOOR_SCENARIO}: Fastify, one read, a history row) | ${floorCells.join(' | ')} | |`);
    }
    const warnings = d.scales.flatMap((s) =>
      names.flatMap((name) => {
        const note = s.scenarios[name] && unexpectedAnswers(s.scenarios[name].stockscan);
        return note === undefined ? [] : [`- **${name} at ${fmtScale(s.scale)}**: ${note}.`];
      }),
    );
    if (warnings.length > 0) lines.push('', ...warnings);
    lines.push('');
    lines.push('| data size | history first page | stock first page | stock first page right after start | start-up | RSS under load |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    for (const s of d.scales) {
      lines.push(`| ${fmtScale(s.scale)} | ${s.historyPageMs.toFixed(1)} ms ${mark(s.historyPageMs <= 20)} | ${s.stockPageMs.toFixed(1)} ms | ${s.firstStockPageMs === undefined ? '' : `${s.firstStockPageMs.toFixed(0)} ms`} | ${s.startupMs} ms ${mark(s.startupMs <= 1000)} | ${s.rssMb.toFixed(0)} MB ${mark(s.rssMb <= 200)} |`);
    }
    if (d.scales.length > 1) {
      const base = d.scales[0] as ScaleReport;
      const biggest = d.scales[d.scales.length - 1] as ScaleReport;
      lines.push('');
      lines.push(`Throughput at ${fmtScale(biggest.scale)} against ${fmtScale(base.scale)} (target: within 15%):`);
      lines.push('');
      for (const name of names) {
        const a = base.scenarios[name]?.stockscan.rps ?? 0;
        const b = biggest.scenarios[name]?.stockscan.rps ?? 0;
        const change = a === 0 ? 0 : (b - a) / a;
        lines.push(`- ${name}: ${(change * 100).toFixed(0)}% ${mark(change >= -0.15)}`);
      }
    }
  }
  lines.push('');
  lines.push('![Throughput against data size](performance.svg)');
  return lines.join('\n');
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];

export function renderSvg(report: BenchReport): string {
  const width = 760;
  const height = 380;
  const pad = { left: 60, right: 230, top: 30, bottom: 45 };
  const series: { label: string; points: [number, number][] }[] = [];
  for (const d of report.dialects) {
    const names = Object.keys(d.scales[0]?.scenarios ?? {});
    for (const name of names) {
      series.push({ label: `${d.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: ${name}`, points: d.scales.map((s) => [s.scale, s.scenarios[name]?.stockscan.rps ?? 0]) });
    }
  }
  const scales = [...new Set(report.dialects.flatMap((d) => d.scales.map((s) => s.scale)))].sort((a, b) => a - b);
  const maxRps = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[1])));
  const x = (scale: number) => {
    if (scales.length === 1) return pad.left + (width - pad.left - pad.right) / 2;
    const lo = Math.log10(scales[0] as number);
    const hi = Math.log10(scales[scales.length - 1] as number);
    return pad.left + ((Math.log10(scale) - lo) / (hi - lo)) * (width - pad.left - pad.right);
  };
  const y = (rps: number) => height - pad.bottom - (rps / maxRps) * (height - pad.top - pad.bottom);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${pad.left}" y="18" font-size="13">Requests per second against data size (stock items = linked barcodes = history rows)</text>`);
  out.push(`<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}" stroke="#333"/>`);
  out.push(`<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}" stroke="#333"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (maxRps * i) / 4;
    out.push(`<text x="${pad.left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(0)}</text>`);
    out.push(`<line x1="${pad.left}" y1="${y(v)}" x2="${width - pad.right}" y2="${y(v)}" stroke="#eee"/>`);
  }
  for (const s of scales) out.push(`<text x="${x(s)}" y="${height - pad.bottom + 16}" text-anchor="middle">${fmtScale(s)}</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length] as string;
    const dash = s.label.startsWith('PostgreSQL') ? ' stroke-dasharray="5,3"' : '';
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${s.points.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ')}"/>`);
    for (const p of s.points) out.push(`<circle cx="${x(p[0]).toFixed(1)}" cy="${y(p[1]).toFixed(1)}" r="3" fill="${color}"/>`);
    const ly = pad.top + i * 16;
    out.push(`<line x1="${width - pad.right + 12}" y1="${ly}" x2="${width - pad.right + 30}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${width - pad.right + 34}" y="${ly + 4}">${s.label.replace(/&/g, '&amp;')}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

export function writeReport(report: BenchReport, markdownFile: string, svgFile: string): void {
  const section = `${BEGIN}\n${renderMarkdown(report)}\n${END}`;
  let text = existsSync(markdownFile) ? readFileSync(markdownFile, 'utf8') : `# Performance\n\n## Results\n\n${BEGIN}\n${END}\n`;
  if (!text.includes(BEGIN)) text = `${text.trimEnd()}\n\n## Results\n\n${BEGIN}\n${END}\n`;
  text = text.replace(new RegExp(`${BEGIN}[\\s\\S]*?${END}`), section);
  writeFileSync(markdownFile, text);
  writeFileSync(svgFile, renderSvg(report));
}
