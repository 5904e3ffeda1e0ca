/**
 * `npm run bench`: Stockscan against a bare node:http endpoint, both driven by autocannon from
 * this process (a separate load generator), with the same connections and duration, run in
 * alternation. Reports requests/s, p50, p99 and the ratio to the bare server per scenario, on
 * SQLite and PostgreSQL, at each data size of `--scale`, and writes docs/performance.md and
 * docs/performance.svg.
 *
 *   npm run bench                         # 1k rows, both databases (PostgreSQL when reachable)
 *   npm run bench -- --scale 1000,100000,1000000 --duration 10
 *   npm run bench -- --dialect sqlite --quick --no-write
 *   npm run bench -- --dialect sqlite --quick --no-write --only 'internal short hit' --profile /tmp/prof
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem, type as osType, release } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { FLOOR_SCENARIO, fmtScale, unexpectedAnswers, writeReport, type BenchReport, type DialectReport, type ScaleReport, type ScenarioResult } from './report.js';
import { seed, seededLabel } from './seed.js';
import { formatSummary, summarise } from './profile.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The command users run (it loads the server bundle) in the checkout at `root`. */
const cliOf = (root: string) => join(root, 'bin/stockscan.js');
/** The same command from the unbundled modules: a CPU profile then names each source file. */
const cliModulesOf = (root: string) => join(root, 'dist/src/cli.js');
const BARE = join(ROOT, 'dist/bench/bare-server.js');
/** Starts of the server on the existing database per data size; the median is reported. */
const STARTUP_RUNS = 3;

const DIGIKEY_LABEL =
  '[)>\x1e06\x1dP296-LM358BIDDFRCT-ND\x1d1PLM358BIDDFR\x1dK\x1d1K72991337\x1d10K85781337\x1d11K1\x1d4LPH\x1dQ10\x1d11ZPICK\x1d12Z15221337\x1d13Z361337\x1d20Z' +
  '0'.repeat(175);

interface Options {
  scales: number[];
  duration: number;
  connections: number;
  dialects: ('sqlite' | 'postgres')[];
  write: boolean;
  pgUrl: string;
  logLevel: string;
  /** Scenario names to run (all when empty). */
  only: string[];
  /** Directory for a CPU profile of the Stockscan server (`node --cpu-prof`), or undefined. */
  profileDir: string | undefined;
  /** `--pin`: the servers on core 0, this process (the load generator) on core 1. */
  pin: boolean;
}

/** The core the servers run on with `--pin` (the benchmark process takes the other, PINNED_LOAD_CORE). */
const PINNED_SERVER_CORE = '0';
const PINNED_LOAD_CORE = '1';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Runs a `stockscan` command of the checkout at `root` (this one by default). */
function run(args: string[], env: Record<string, string>, root = ROOT): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliOf(root), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`stockscan ${args[0]} failed (${code}): ${err}`))));
  });
}

async function waitFor(url: string, timeoutMs = 20_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return Date.now() - started;
    } catch {
      // not up yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Server {
  child: ChildProcess;
  url: string;
  startupMs: number;
  stop(): Promise<void>;
}

/**
 * Node with `args`; pinned to the servers' core with `pin` (taskset execs node in its own
 * process, so the child's pid is the server's, for the /proc readings).
 */
function nodeCommand(args: string[], pin: boolean): [string, string[]] {
  return pin ? ['taskset', ['-c', PINNED_SERVER_CORE, process.execPath, ...args]] : [process.execPath, args];
}

async function startStockscan(env: Record<string, string>, nodeArgs: string[], pin: boolean, root = ROOT): Promise<Server> {
  const port = await freePort();
  const started = Date.now();
  const entry = nodeArgs.includes('--cpu-prof') ? cliModulesOf(root) : cliOf(root);
  const [command, args] = nodeCommand([...nodeArgs, entry, 'serve', '--port', String(port)], pin);
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/api/`);
  return { child, url, startupMs: Date.now() - started, stop: () => stopChild(child) };
}

async function startBare(body: string, pin: boolean, kind: 'http' | 'fastify' | 'scan' = 'http', env: Record<string, string> = {}): Promise<Server> {
  const [command, args] = nodeCommand([BARE], pin);
  const child = spawn(command, args, { env: { ...process.env, ...env, BARE_BODY: body, BARE_KIND: kind }, stdio: ['ignore', 'pipe', 'inherit'] });
  const started = Date.now();
  const url = await new Promise<string>((resolve) => {
    child.stdout?.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { url: string }).url));
  });
  return { child, url, startupMs: Date.now() - started, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Resident memory of a process in MB (Linux). */
function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]) / 1024;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) a process has used so far, in microseconds (Linux). */
function cpuUs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1e6;
  } catch {
    return 0;
  }
}
/** Kernel clock ticks per second (USER_HZ): 100 on Linux. */
const CLOCK_TICKS = 100;

interface Scenario {
  name: string;
  /** The status of every Stockscan answer when the scenario measures what it says (a miss: 400). */
  status: number;
  /** Builds the autocannon request(s); `n` grows per request. */
  requests: (ctx: { item: number; scale: number }) => autocannon.Request[];
}

const json = (body: unknown) => JSON.stringify(body);
let counter = 0;
const fresh = () => `${process.pid}-${Date.now()}-${counter++}`;

const SCENARIOS: Scenario[] = [
  { name: 'internal short hit', status: 200, requests: ({ item }) => [{ method: 'POST', path: '/api/barcode/', body: json({ barcode: `INV-SI${item}` }) }] },
  { name: 'internal JSON hit', status: 200, requests: ({ item }) => [{ method: 'POST', path: '/api/barcode/', body: json({ barcode: `{"stockitem": ${item}}` }) }] },
  {
    name: 'linked barcode hit',
    status: 200,
    requests: ({ scale }) => [
      {
        method: 'POST',
        path: '/api/barcode/',
        setupRequest: (req: autocannon.Request) => ({ ...req, body: json({ barcode: seededLabel(Math.floor(Math.random() * scale)) }) }),
      },
    ],
  },
  { name: 'DigiKey label', status: 200, requests: () => [{ method: 'POST', path: '/api/barcode/', body: json({ barcode: DIGIKEY_LABEL }) }] },
  {
    name: 'miss',
    status: 400,
    requests: () => [{ method: 'POST', path: '/api/barcode/', setupRequest: (req: autocannon.Request) => ({ ...req, body: json({ barcode: `NOPE-${fresh()}` }) }) }],
  },
  {
    name: 'link + unlink',
    status: 200,
    requests: ({ item }) => [
      { method: 'POST', path: '/api/barcode/link/', setupRequest: (req: autocannon.Request) => ({ ...req, body: json({ barcode: `PAIR-${fresh()}`, stockitem: item }) }) },
      { method: 'POST', path: '/api/barcode/unlink/', body: json({ stockitem: item }) },
    ],
  },
  {
    name: 'po-receive fresh label',
    status: 200,
    requests: () => [
      {
        method: 'POST',
        path: '/api/barcode/po-receive/',
        setupRequest: (req: autocannon.Request) => ({ ...req, body: json({ barcode: `QTY:1 PN:WBP-302 PO:19361337/1 MPN:WBP-302 LABEL:${fresh()}` }) }),
      },
    ],
  },
];

/**
 * One run of `requests` against `url`. With `status`, counts the answers of any other status
 * (`unexpected`): a scenario that mostly fails measures its error path, not what it names.
 */
async function load(url: string, token: string, requests: autocannon.Request[], opts: Options, pid?: number, status?: number): Promise<ScenarioResult & { rss: number }> {
  let rss = 0;
  const sampler = setInterval(() => (rss = Math.max(rss, rssMb(pid))), 250);
  const cpuBefore = cpuUs(pid);
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.duration,
    headers: { 'content-type': 'application/json', authorization: `Token ${token}` },
    requests,
  });
  clearInterval(sampler);
  const cpu = cpuUs(pid) - cpuBefore;
  const non2xx = result.non2xx;
  const answers = Object.values(result.statusCodeStats ?? {}).reduce((sum, s) => sum + (s.count ?? 0), 0);
  const unexpected = status === undefined ? 0 : answers - (result.statusCodeStats?.[`${status}`]?.count ?? 0);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx,
    ...(status !== undefined ? { expected: { status, answers, unexpected } } : {}),
    rss,
    ...(pid !== undefined && result.requests.total > 0 ? { cpuUs: cpu / result.requests.total } : {}),
  };
}

function warnUnexpected(what: string, result: ScenarioResult): void {
  const note = unexpectedAnswers(result);
  if (note !== undefined) process.stderr.write(`  ! ${what}: ${note}\n`);
}

/** Milliseconds to fetch `path` once, body included. */
async function fetchTime(url: string, token: string, path: string): Promise<number> {
  const t = process.hrtime.bigint();
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Token ${token}` } });
  await res.arrayBuffer();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function pageLatency(url: string, token: string, path: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 30; i++) times.push(await fetchTime(url, token, path));
  return median(times);
}

interface Installation {
  env: Record<string, string>;
  url: string;
  drop(): Promise<void>;
}

async function install(dialect: 'sqlite' | 'postgres', opts: Options, root = ROOT): Promise<Installation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stockscan-bench-'));
  let url: string;
  let dropDb = async () => undefined;
  if (dialect === 'sqlite') {
    url = `sqlite:${join(dataDir, 'bench.db')}`;
  } else {
    const name = `stockscan_bench_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: opts.pgUrl });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
    const u = new URL(opts.pgUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: opts.pgUrl });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    };
  }
  const env = {
    DATABASE_URL: url,
    STOCKSCAN_DATA_DIR: dataDir,
    STOCKSCAN_SECRET_KEY: 'benchmark-secret-key-not-for-production',
    INVENTREE_ADMIN_USER: '',
    LOG_LEVEL: opts.logLevel,
  };
  await run(['migrate'], env, root);
  await run(['createsuperuser', '--username', 'bench', '--password', 'bench-password-1'], env, root);
  await run(['demo'], env, root);
  return {
    env,
    url,
    drop: async () => {
      await dropDb();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A seeded installation with Stockscan serving it, ready for the scenarios. */
interface Prepared {
  inst: Installation;
  server: Server;
  token: string;
  /** The first seeded stock item. */
  item: number;
  /** A stock item scan's answer (the bare server's body). */
  sample: string;
}

/** `root`: the checkout whose server (and migrations) serve it; this one by default. */
async function prepareScale(dialect: 'sqlite' | 'postgres', scale: number, opts: Options, root = ROOT): Promise<Prepared> {
  process.stderr.write(`\n${dialect}, ${scale} rows of stock, links and history${root === ROOT ? '' : ` (${root})`}\n`);
  const inst = await install(dialect, opts, root);
  let server: Server | undefined;
  try {
    const seeded = await seed(inst.url, scale);
    process.stderr.write(`  seeded in ${seeded.seconds.toFixed(1)} s\n`);
    const profiling = opts.profileDir !== undefined ? ['--cpu-prof', '--cpu-prof-dir', opts.profileDir] : [];
    server = await startStockscan(inst.env, profiling, opts.pin, root);
    const token = (await run(['token', 'bench', '--name', 'bench'], inst.env, root)).trim();
    const auth = { authorization: `Token ${token}`, 'content-type': 'application/json' };
    // The history stays at its cap, so every stored scan also prunes one row.
    await fetch(`${server.url}/api/settings/global/BARCODE_RESULTS_MAX_NUM/`, { method: 'PATCH', headers: auth, body: json({ value: String(Math.max(scale, 1000)) }) });
    await fetch(`${server.url}/api/settings/global/PURCHASEORDER_AUTO_COMPLETE/`, { method: 'PATCH', headers: auth, body: json({ value: 'false' }) });
    const item = seeded.firstItem;
    const sample = await (await fetch(`${server.url}/api/barcode/`, { method: 'POST', headers: auth, body: json({ barcode: `INV-SI${item}` }) })).text();
    return { inst, server, token, item, sample };
  } catch (error) {
    await server?.stop();
    await inst.drop();
    throw error;
  }
}

async function benchScale(dialect: 'sqlite' | 'postgres', scale: number, opts: Options): Promise<ScaleReport> {
  const { inst, token, item, sample, server: first } = await prepareScale(dialect, scale, opts);
  let server = first;
  try {
    const bare = await startBare(sample, opts.pin);
    const scenarios: Record<string, { stockscan: ScenarioResult; bare: ScenarioResult; ratio: number }> = {};
    let rss = 0;
    try {
      for (const scenario of SCENARIOS.filter((s) => opts.only.length === 0 || opts.only.includes(s.name))) {
        const requests = scenario.requests({ item, scale });
        // Alternate: bare, Stockscan, bare, Stockscan; keep the better run of each.
        const b1 = await load(bare.url, token, requests, opts, bare.child.pid);
        const s1 = await load(server.url, token, requests, opts, server.child.pid, scenario.status);
        const b2 = await load(bare.url, token, requests, opts, bare.child.pid);
        const s2 = await load(server.url, token, requests, opts, server.child.pid, scenario.status);
        const b = b1.rps >= b2.rps ? b1 : b2;
        const s = s1.rps >= s2.rps ? s1 : s2;
        rss = Math.max(rss, s1.rss, s2.rss);
        scenarios[scenario.name] = { stockscan: s, bare: b, ratio: s.rps / b.rps };
        const cpu = s.cpuUs !== undefined && b.cpuUs !== undefined ? `  CPU ${s.cpuUs.toFixed(0)} µs/req (bare ${b.cpuUs.toFixed(0)})` : '';
        process.stderr.write(`  ${scenario.name.padEnd(24)} ${s.rps.toFixed(0).padStart(7)} req/s  p50 ${s.p50} ms  p99 ${s.p99} ms  ratio ${(s.rps / b.rps).toFixed(2)}  (bare ${b.rps.toFixed(0)})${cpu}\n`);
        for (const run of [s1, s2]) warnUnexpected(scenario.name, run);
      }
      const historyPage = await pageLatency(server.url, token, '/api/barcode/history/?limit=25');
      const stockPage = await pageLatency(server.url, token, '/api/stock/?limit=25');
      const scanFloor = scenarios[FLOOR_SCENARIO] === undefined ? undefined : await measureScanFloor(inst.url, token, item, sample, opts);
      await server.stop();
      if (opts.profileDir !== undefined) printProfile(opts.profileDir);
      // Start-up on the existing database: the median of three starts, since right after the
      // scenarios' writes the database server may still be busy (autovacuum, checkpoints).
      // After each start, the stock list's first answer too: a route's first answer also
      // compiles its response serializer.
      const startups: number[] = [];
      const firstStockPages: number[] = [];
      for (let i = 0; i < STARTUP_RUNS; i++) {
        if (i > 0) await server.stop();
        server = await startStockscan(inst.env, [], opts.pin);
        startups.push(server.startupMs);
        firstStockPages.push(await fetchTime(server.url, token, '/api/stock/?limit=25'));
      }
      const startupMs = median(startups);
      const firstStockPageMs = median(firstStockPages);
      process.stderr.write(
        `  history page ${historyPage.toFixed(1)} ms, stock page ${stockPage.toFixed(1)} ms (first after start ${firstStockPageMs.toFixed(0)} ms), start-up ${startupMs} ms (${startups.join(', ')}), RSS ${rss.toFixed(0)} MB\n`,
      );
      return { scale, scenarios, historyPageMs: historyPage, stockPageMs: stockPage, firstStockPageMs, startupMs, rssMb: rss, ...(scanFloor !== undefined ? { scanFloor } : {}) };
    } finally {
      await bare.stop();
      await server.stop();
    }
  } finally {
    await inst.drop();
  }
}

/** The requests of the scenario the scan floor answers (it reads internal short barcodes only). */
function floorRequests(item: number): autocannon.Request[] {
  return (SCENARIOS.find((s) => s.name === FLOOR_SCENARIO) as Scenario).requests({ item, scale: 0 });
}

/** The scan floor on the installation at `db`, answering the internal short hit (the better of two runs). */
async function measureScanFloor(db: string, token: string, item: number, sample: string, opts: Options): Promise<ScenarioResult> {
  const floor = await startBare(sample, opts.pin, 'scan', { BARE_DB: db, BARE_TOKEN: token });
  try {
    const requests = floorRequests(item);
    const runs = [await load(floor.url, token, requests, opts, floor.child.pid, 200), await load(floor.url, token, requests, opts, floor.child.pid, 200)];
    const best = runs[0]!.rps >= runs[1]!.rps ? runs[0]! : runs[1]!;
    for (const run of runs) warnUnexpected('scan floor', run);
    process.stderr.write(`  scan floor               ${best.rps.toFixed(0).padStart(7)} req/s  p50 ${best.p50} ms  p99 ${best.p99} ms  CPU ${(best.cpuUs ?? 0).toFixed(0)} µs/req\n`);
    return best;
  } finally {
    await floor.stop();
  }
}

/** Prints the summary of the newest CPU profile in `dir`. */
function printProfile(dir: string): void {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (files[0] === undefined) return void process.stderr.write('  no CPU profile was written\n');
  process.stderr.write(`\n  CPU profile ${files[0]}\n${formatSummary(summarise(JSON.parse(readFileSync(files[0], 'utf8')), 25))}\n\n`);
}

/**
 * `--floor`: the floors under a scan, each answering the same internal short barcode in turns
 * with Stockscan itself: the bare node:http server (a fixed answer of a scan's size), a minimal
 * Fastify application (the same fixed answer: the framework's own cost) and the least a scan
 * can do with the project's stack (Fastify, one prepared statement for the item, a
 * stored history row: bare-server.ts, BARE_KIND=scan; and the same without the history row), on
 * one seeded installation of the first --scale size of each --dialect.
 */
async function floor(opts: Options): Promise<void> {
  for (const dialect of opts.dialects) await floorOf(dialect, opts);
}

async function floorOf(dialect: 'sqlite' | 'postgres', opts: Options): Promise<void> {
  const p = await prepareScale(dialect, opts.scales[0] ?? 1000, opts);
  const db = p.inst.url;
  const arms: { name: string; server: Server }[] = [];
  try {
    arms.push({ name: 'node:http', server: await startBare(p.sample, opts.pin, 'http') });
    arms.push({ name: 'Fastify', server: await startBare(p.sample, opts.pin, 'fastify') });
    arms.push({ name: 'scan floor', server: await startBare(p.sample, opts.pin, 'scan', { BARE_DB: db, BARE_TOKEN: p.token }) });
    arms.push({ name: 'scan floor, no history', server: await startBare(p.sample, opts.pin, 'scan', { BARE_DB: db, BARE_TOKEN: p.token, BARE_HISTORY: 'off' }) });
    arms.push({ name: 'Stockscan', server: p.server });
    const requests = floorRequests(p.item);
    const runs = arms.map(() => [] as ScenarioResult[]);
    for (let i = 0; i < 2; i++) {
      for (const [a, arm] of arms.entries()) runs[a]!.push(await load(arm.server.url, p.token, requests, opts, arm.server.child.pid, 200));
    }
    const best = (rs: ScenarioResult[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
    const results = runs.map(best);
    const base = results[0]!;
    for (const [a, r] of results.entries()) {
      const ratio = (r.rps / base.rps).toFixed(2);
      process.stderr.write(`  ${arms[a]!.name.padEnd(24)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  CPU ${(r.cpuUs ?? 0).toFixed(0)} µs/req  ${ratio} of node:http\n`);
      warnUnexpected(arms[a]!.name, r);
    }
  } finally {
    for (const arm of arms) if (arm.server !== p.server) await arm.server.stop();
    await p.server.stop();
    await p.inst.drop();
  }
}

/**
 * Servers compared in turns (`--flatness`, `--compare`): each scenario runs `rounds` times
 * against every arm in turn, so that the machine's drift (its speed changes within minutes)
 * falls on all arms alike; the order is reversed every other round. Reports each arm's median
 * CPU time per request, its change against the first arm, the median of the rounds' own changes
 * (each round's runs are back to back, so drift between rounds cancels out of them), and each
 * arm's peak RSS over the scenario's runs.
 */
async function inTurns(arms: { label: string; prepared: Prepared; scale: number }[], opts: Options, rounds: number): Promise<void> {
  const percent = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(0)}%`;
  for (const scenario of SCENARIOS.filter((s) => opts.only.length === 0 || opts.only.includes(s.name))) {
    const cpu: number[][] = arms.map(() => []);
    const rss = arms.map(() => 0);
    for (let round = 0; round < rounds; round++) {
      const order = [...arms.keys()];
      if (round % 2 === 1) order.reverse();
      for (const i of order) {
        const { prepared: p, scale, label } = arms[i]!;
        const result = await load(p.server.url, p.token, scenario.requests({ item: p.item, scale }), opts, p.server.child.pid, scenario.status);
        if (result.cpuUs === undefined) throw new Error(`${scenario.name} at ${label}: no answer to measure`);
        warnUnexpected(`${scenario.name} at ${label}`, result);
        cpu[i]!.push(result.cpuUs);
        rss[i] = Math.max(rss[i]!, result.rss);
      }
    }
    const medians = cpu.map(median);
    const cells = medians.map((m, i) => {
      const label = `${arms[i]!.label} ${m.toFixed(0)}`;
      if (i === 0) return `${label} [${rss[i]!.toFixed(0)} MB]`;
      const paired = median(cpu[i]!.map((v, round) => v / cpu[0]![round]!));
      return `${label} (${percent(m / medians[0]!)}; rounds ${percent(paired)}) [${rss[i]!.toFixed(0)} MB]`;
    });
    process.stderr.write(`  ${scenario.name.padEnd(24)} ${cells.join('   ')}\n`);
  }
}

/** Stops the servers and drops the installations of a comparison. */
async function dropAll(prepared: Prepared[]): Promise<void> {
  for (const p of prepared) {
    await p.server.stop();
    await p.inst.drop();
  }
}

/** `--flatness`: how each scan scenario's cost grows with the data, every `--scale` size served at once. */
async function flatness(opts: Options, rounds: number): Promise<void> {
  const scales = [...opts.scales].sort((a, b) => a - b);
  for (const dialect of opts.dialects) {
    const prepared: Prepared[] = [];
    try {
      for (const scale of scales) prepared.push(await prepareScale(dialect, scale, opts));
      process.stderr.write(`\n${dialect}: median CPU µs per request over ${rounds} rounds (change against ${fmtScale(scales[0]!)}), peak RSS\n`);
      await inTurns(prepared.map((p, i) => ({ label: fmtScale(scales[i]!), prepared: p, scale: scales[i]! })), opts, rounds);
    } finally {
      await dropAll(prepared);
    }
  }
}

/**
 * `--compare DIR`: this checkout's server against the one of another built checkout (DIR), each
 * on its own installation of the first `--scale` size (migrated and served by its own build,
 * bulk-seeded by this checkout's seeder, so the two schemas must agree on the seeded tables), in turns.
 * For judging a change: pinned and with enough rounds, a few percent are visible.
 */
async function compare(opts: Options, rounds: number, otherDir: string): Promise<void> {
  const other = resolvePath(otherDir);
  const scale = opts.scales[0]!;
  if (!existsSync(cliOf(other)) || !existsSync(join(other, 'dist/server'))) throw new Error(`--compare: ${other} is not a built Stockscan checkout (npm run build there)`);
  for (const dialect of opts.dialects) {
    const prepared: Prepared[] = [];
    try {
      prepared.push(await prepareScale(dialect, scale, opts));
      prepared.push(await prepareScale(dialect, scale, opts, other));
      process.stderr.write(`\n${dialect}, ${fmtScale(scale)}: median CPU µs per request over ${rounds} rounds, B (${other}) against A (this checkout), peak RSS\n`);
      await inTurns([{ label: 'A', prepared: prepared[0]!, scale }, { label: 'B', prepared: prepared[1]!, scale }], opts, rounds);
    } finally {
      await dropAll(prepared);
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function postgresReachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function versions(opts: Options): Promise<Record<string, string>> {
  const out: Record<string, string> = {
    node: process.version,
    os: `${osType()} ${release()}`,
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
  };
  const { default: Sqlite } = await import('better-sqlite3');
  const db = new Sqlite(':memory:');
  out.sqlite = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  db.close();
  if (opts.dialects.includes('postgres')) {
    const c = new pg.Client({ connectionString: opts.pgUrl });
    await c.connect();
    out.postgresql = (await c.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
    await c.end();
  }
  return out;
}

const HELP = `npm run bench -- [options]   (or: node dist/bench/run.js [options])

  --scale N[,N...]     data sizes: N stock items, linked barcodes and history rows (default 1000)
  --dialect D          sqlite, postgres or both (default both; PostgreSQL when reachable)
  --duration S         seconds per run (default 10); --quick: 3
  --connections N      concurrent connections (default 32)
  --only NAME[,NAME]   run only these scenarios
  --profile DIR        CPU-profile the Stockscan server (node --cpu-prof, run from the unbundled
                       modules so that the profile names each source file) and print its top costs
  --no-write           do not write docs/performance.md and docs/performance.svg
  --pg-url URL         PostgreSQL server for the bench databases ($BENCH_PG_URL)
  --log-level L        the server's LOG_LEVEL (default info)
  --floor              only the floors under a scan, in turns with Stockscan on one installation
                       of the first --scale size per dialect: the bare node:http server, a
                       minimal Fastify application with the same answer, and the least a scan
                       can do on the project's stack (Fastify, one read, a history row)
  --flatness           only the growth with the data: every --scale size served at once,
                       each scenario run against each size in turn (--rounds times, default 5),
                       median CPU per request against the smallest size's; writes nothing
  --compare DIR        only a comparison: this checkout's server (A) against the one of the
                       built checkout DIR (B; e.g. a git worktree of another commit), each on its
                       own installation of the first --scale size, each scenario run in turns
                       (--rounds times); median CPU per request, B's change against A, peak RSS
  --rounds N           rounds of --flatness and --compare
  --pin                servers on core 0, the load generator on core 1 (taskset; two cores or
                       more): steadier CPU per request on a small machine shared with other work
`;

/**
 * `--pin`: this process, the load generator, runs again on its own core (a process cannot move
 * itself with Node's API); the servers it starts go on the other (nodeCommand).
 */
async function rerunPinned(): Promise<void> {
  if (cpus().length < 2) throw new Error('--pin needs two cores or more');
  const child = spawn('taskset', ['-c', PINNED_LOAD_CORE, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    env: { ...process.env, STOCKSCAN_BENCH_PINNED: '1' },
    stdio: 'inherit',
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`--pin needs taskset (util-linux): ${error.message}`)));
    child.on('exit', (exitCode) => resolve(exitCode ?? 1));
  });
  process.exitCode = code;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '1000' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      dialect: { type: 'string', default: 'both' },
      quick: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      'pg-url': { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
      'log-level': { type: 'string', default: 'info' },
      only: { type: 'string', default: '' },
      profile: { type: 'string' },
      floor: { type: 'boolean', default: false },
      flatness: { type: 'boolean', default: false },
      compare: { type: 'string' },
      rounds: { type: 'string', default: '5' },
      pin: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const opts: Options = {
    scales: (values.scale as string).split(',').map((s) => Number(s.trim())),
    duration: values.quick ? 3 : Number(values.duration),
    connections: Number(values.connections),
    dialects: [],
    // A partial or profiled run never overwrites the committed results.
    write: !values['no-write'] && values.only === '' && values.profile === undefined,
    pgUrl: values['pg-url'] as string,
    logLevel: values['log-level'] as string,
    only: (values.only as string).split(',').map((s) => s.trim()).filter((s) => s !== ''),
    profileDir: values.profile as string | undefined,
    pin: values.pin === true,
  };
  if (opts.pin && process.env.STOCKSCAN_BENCH_PINNED !== '1') return rerunPinned();
  if (opts.profileDir !== undefined) mkdirSync(opts.profileDir, { recursive: true });
  const unknown = opts.only.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const wanted = values.dialect as string;
  if (wanted === 'sqlite' || wanted === 'both') opts.dialects.push('sqlite');
  if (wanted === 'postgres' || wanted === 'both') {
    if (await postgresReachable(opts.pgUrl)) opts.dialects.push('postgres');
    else if (wanted === 'postgres') throw new Error(`PostgreSQL is not reachable at ${opts.pgUrl}`);
    else process.stderr.write(`PostgreSQL is not reachable at ${opts.pgUrl}: SQLite only\n`);
  }
  if (values.floor) return floor(opts);
  if (values.flatness) return flatness(opts, Number(values.rounds));
  if (values.compare !== undefined) return compare(opts, Number(values.rounds), values.compare);
  const report: BenchReport = { date: new Date().toISOString(), versions: await versions(opts), connections: opts.connections, duration: opts.duration, pinned: opts.pin, dialects: [] };
  for (const dialect of opts.dialects) {
    const d: DialectReport = { dialect, scales: [] };
    for (const scale of opts.scales) d.scales.push(await benchScale(dialect, scale, opts));
    report.dialects.push(d);
  }
  if (opts.write) {
    writeReport(report, join(ROOT, 'docs/performance.md'), join(ROOT, 'docs/performance.svg'));
    process.stderr.write('\nwrote docs/performance.md and docs/performance.svg\n');
  }
  writeFileSync(join(tmpdir(), 'stockscan-bench.json'), JSON.stringify(report, null, 2));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
