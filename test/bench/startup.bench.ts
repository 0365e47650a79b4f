// Benchmark: start-up of the service, as a newcomer starts the local demo and as a deployment starts the
// built service. Not a test, not run by CI.
//
// - Embedded demo: `node --import tsx src/main.ts` (what `npm start` runs, without tsx's wrapper
//   process, so the pid measured is the service's own) on the embedded defaults: no DATABASE_URL, so
//   PGlite in a fresh temporary DATA_DIR; PLAYGROUND=off (the Agents Playground is a separate process
//   that starts after the service is ready).
// - Built service: `npm run build`, then `node dist/main.js` on PostgreSQL, in a fresh database this
//   bench creates on the DATABASE_URL server and drops afterwards. Without DATABASE_URL it runs on
//   PGlite instead, and says so.
//
// Each run starts each target on an empty store (a first start: the database is created and migrated),
// then restarts it once on the store the first start left (a restart: the schema is current). For each
// start: ready = spawn to the first 200 from /readyz; RSS = the service's VmRSS from /proc/<pid>/status
// after BENCH_IDLE_SECONDS idle, peak = its VmHWM; stop = SIGTERM to exit. After the figures of each
// first start, the bench checks the service runs from what the build shipped: the schema version it
// reports is the newest migration in src/, its profile loaded, and the Teams tab's page, script and
// stylesheet answer 200.
//
// Every wait has a time limit, a service that fails is killed, and the temporary folders and the
// database are removed whatever happens. Prints the median and max of BENCH_RUNS runs (default 5).
//
//   npx tsx test/bench/startup.bench.ts                                                   # built service on PGlite
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx test/bench/startup.bench.ts  # on PostgreSQL
//   BENCH_BUILD=off ...   # use the dist/ already built
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

import { CONFIG_SETTINGS } from '../../src/config.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Math.max(1, Math.round(Number(process.env.BENCH_RUNS ?? 5)));
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 3);
const BUILD = process.env.BENCH_BUILD !== 'off';
const SERVER_URL = process.env.DATABASE_URL;

const BUILD_TIMEOUT_MS = 300_000;
const READY_TIMEOUT_MS = 120_000;
/** Longer than main.ts's 10 s shutdown grace: a service still running after this is killed and the run fails. */
const STOP_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** The whole bench: past this, whatever is running is killed, cleaned up, and the bench fails. */
const BENCH_TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 1800) * 1000;
const POLL_MS = 20;

// ---- Clean-up whatever happens: children killed by their pid, folders removed, databases dropped.

/** The children still running, and whether each leads a process group of its own. */
const children = new Map<ChildProcess, { group: boolean }>();
const tempDirs = new Set<string>();
const databases = new Set<string>();

function kill(child: ChildProcess) {
  const group = children.get(child)?.group ?? false;
  children.delete(child);
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // The build runs detached, in a process group of its own (npm, sh, tsc): end the whole group.
    process.kill(group ? -child.pid : child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function killChildren() {
  for (const child of children.keys()) kill(child);
}

function removeTempDirs() {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function adminClient() {
  return new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 10_000, query_timeout: 60_000 });
}

async function dropDatabases() {
  if (databases.size === 0) return;
  const admin = adminClient();
  try {
    await admin.connect();
    for (const name of databases) {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      databases.delete(name);
    }
  } catch (error) {
    console.error(`could not drop ${[...databases].join(', ')}: ${String(error)}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/** Set once the bench is stopping early: no further start begins. */
let aborted: string | undefined;

async function abort(reason: string) {
  aborted = reason;
  console.error(`\nStart-up bench aborted: ${reason}`);
  killChildren();
  removeTempDirs();
  await Promise.race([dropDatabases(), sleep(15_000)]);
  process.exit(1);
}

const watchdog = setTimeout(() => void abort(`it ran past ${BENCH_TIMEOUT_MS / 1000} s`), BENCH_TIMEOUT_MS);
watchdog.unref();
process.once('SIGINT', () => void abort('interrupted'));
process.once('SIGTERM', () => void abort('terminated'));

// ---- One start of the service.

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A field of /proc/<pid>/status in MiB (VmRSS: resident now; VmHWM: the most it has been). */
function procStatusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  const kib = /(\d+)\s*kB/.exec(line ?? '')?.[1];
  if (!kib) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(kib) / 1024;
}

/** Whether the child exits within `ms` (the timer does not keep the bench alive once it has). */
async function exitWithin(exited: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([exited.then(() => true), sleep(ms, false, { ref: false })]);
}

/** The environment of the service: ours, minus every setting the service reads, plus the target's. */
function serviceEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(CONFIG_SETTINGS as string[]).includes(k)));
  return { ...env, PLAYGROUND: 'off', LOG_LEVEL: 'info', ...settings };
}

interface Target {
  readonly name: string;
  readonly engine: 'pglite' | 'postgres';
  readonly args: string[];
}

interface Start {
  readyMs: number;
  rssMiB: number;
  peakMiB: number;
  stopMs: number;
}

/** The service's pino lines, parsed; the non-JSON lines are kept whole. */
function logLines(log: string): Record<string, unknown>[] {
  return log
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { msg: line };
      }
    });
}

async function expect200(base: string, path: string, contentType: string) {
  const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
  if (!res.headers.get('content-type')?.includes(contentType)) throw new Error(`GET ${path} is ${res.headers.get('content-type')}`);
  if (body.length === 0) throw new Error(`GET ${path} is empty`);
}

/** What the service must show to be running from what was shipped (migrations, profile, tab). */
async function checkShipped(base: string, target: Target, log: string) {
  const ready = (await (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })).json()) as { engine?: string };
  if (ready.engine !== target.engine) throw new Error(`/readyz says engine ${ready.engine}, expected ${target.engine}`);
  const store = logLines(log).find((l) => l.msg === 'store ready');
  if (store?.schemaVersion !== NEWEST_MIGRATION)
    throw new Error(
      `the store reports schema version ${String(store?.schemaVersion)}, the newest migration in src/ is ${NEWEST_MIGRATION}`,
    );
  if (store.profile !== 'hsscp') throw new Error(`the store reports profile ${String(store.profile)}, expected hsscp`);
  await expect200(base, '/tab', 'text/html');
  await expect200(base, '/tab/app.js', 'javascript');
  await expect200(base, '/tab/app.css', 'text/css');
}

async function startOnce(target: Target, settings: Record<string, string>, check: boolean): Promise<Start> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = '';
  const started = performance.now();
  const child = spawn(process.execPath, target.args, {
    cwd: ROOT,
    env: serviceEnv({ ...settings, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(child, { group: false });
  const exited = once(child, 'exit');
  exited.catch(() => undefined);
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const failure = (what: string) => new Error(`${target.name}: ${what}\n${log.split('\n').slice(-20).join('\n')}`);
  try {
    let readyMs: number | undefined;
    while (readyMs === undefined) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw failure(`the service exited (${child.exitCode ?? child.signalCode}) before it was ready`);
      if (performance.now() - started > READY_TIMEOUT_MS) throw failure(`not ready within ${READY_TIMEOUT_MS / 1000} s`);
      try {
        const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.status === 200) readyMs = performance.now() - started;
      } catch {
        // not listening yet
      }
      if (readyMs === undefined) await sleep(POLL_MS);
    }
    await sleep(IDLE_SECONDS * 1000);
    const rssMiB = procStatusMiB(child.pid!, 'VmRSS');
    const peakMiB = procStatusMiB(child.pid!, 'VmHWM');
    if (check) await checkShipped(base, target, log).catch((error: unknown) => Promise.reject(failure(String(error))));
    const stopping = performance.now();
    child.kill('SIGTERM');
    if (!(await exitWithin(exited, STOP_TIMEOUT_MS))) throw failure(`still running ${STOP_TIMEOUT_MS / 1000} s after SIGTERM`);
    const stopMs = performance.now() - stopping;
    if (child.exitCode !== 0) throw failure(`exited ${child.exitCode ?? child.signalCode} on SIGTERM`);
    return { readyMs, rssMiB, peakMiB, stopMs };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      kill(child);
      await exitWithin(exited, 5000);
    }
    children.delete(child);
  }
}

// ---- The build.

const NEWEST_MIGRATION = Math.max(
  ...readdirSync(join(ROOT, 'src/adapters/store/migrations'))
    .filter((f) => /^\d{3}_.*\.sql$/.test(f))
    .map((f) => Number(f.slice(0, 3))),
);

async function build(): Promise<number> {
  const started = performance.now();
  let log = '';
  const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.set(child, { group: true });
  const exited = once(child, 'exit');
  exited.catch(() => undefined);
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  try {
    if (!(await exitWithin(exited, BUILD_TIMEOUT_MS))) throw new Error(`npm run build did not finish within ${BUILD_TIMEOUT_MS / 1000} s`);
    if (child.exitCode !== 0) throw new Error(`npm run build failed (${child.exitCode ?? child.signalCode}):\n${log}`);
    return performance.now() - started;
  } finally {
    if (child.exitCode === null && child.signalCode === null) kill(child);
    children.delete(child);
  }
}

/** Every file the service reads at run time, besides the compiled code, is in dist/. */
function checkDist() {
  const missing = [
    ...readdirSync(join(ROOT, 'src/adapters/store/migrations'))
      .filter((f) => f.endsWith('.sql'))
      .map((f) => `adapters/store/migrations/${f}`),
    ...readdirSync(join(ROOT, 'src/profiles')).map((f) => `profiles/${f}`),
    ...readdirSync(join(ROOT, 'src/tab')).map((f) => `tab/${f}`),
    'main.js',
  ].filter((f) => !existsSync(join(ROOT, 'dist', f)));
  if (missing.length > 0) throw new Error(`dist/ lacks ${missing.join(', ')}`);
}

// ---- The runs.

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

interface Row {
  readonly label: string;
  readonly starts: Start[];
  readonly failures: string[];
}

const demo: Target = { name: 'embedded demo', engine: 'pglite', args: ['--import', 'tsx', 'src/main.ts'] };
const built: Target = { name: 'built service', engine: SERVER_URL ? 'postgres' : 'pglite', args: ['dist/main.js'] };
const rows = {
  demoFirst: { label: 'demo (tsx src/main.ts), PGlite, first start', starts: [], failures: [] } as Row,
  demoRestart: { label: 'demo (tsx src/main.ts), PGlite, restart', starts: [], failures: [] } as Row,
  builtFirst: { label: `built (node dist/main.js), ${SERVER_URL ? 'PostgreSQL' : 'PGlite'}, first start`, starts: [], failures: [] } as Row,
  builtRestart: { label: `built (node dist/main.js), ${SERVER_URL ? 'PostgreSQL' : 'PGlite'}, restart`, starts: [], failures: [] } as Row,
};

/** A first start and a restart on one store; a failed first start skips the restart. */
async function firstAndRestart(target: Target, settings: Record<string, string>, first: Row, restart: Row) {
  if (aborted) return;
  try {
    first.starts.push(await startOnce(target, settings, true));
  } catch (error) {
    first.failures.push(String(error));
    restart.failures.push('skipped: the first start failed');
    return;
  }
  if (aborted) return;
  try {
    restart.starts.push(await startOnce(target, settings, false));
  } catch (error) {
    restart.failures.push(String(error));
  }
}

/** A store for one run: a temporary data folder (PGlite) or a new database on the server (PostgreSQL). */
async function withStore(engine: Target['engine'], run: number, use: (settings: Record<string, string>) => Promise<void>) {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
    tempDirs.add(dir);
    try {
      await use({ DATA_DIR: dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    }
    return;
  }
  const name = `bench_startup_${process.pid}_${Date.now()}_${run}`;
  const admin = adminClient();
  try {
    await admin.connect();
    databases.add(name);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  try {
    // DATA_DIR too, so a service that ignored DATABASE_URL would not touch ./data.
    const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
    tempDirs.add(dir);
    await use({ DATABASE_URL: Object.assign(new URL(SERVER_URL!), { pathname: `/${name}` }).toString(), DATA_DIR: dir });
  } finally {
    removeTempDirs();
    await dropDatabases();
  }
}

const notes: string[] = [];
let buildMs: number | undefined;
let serverVersion = '';

/** Why the built service cannot be measured (no server, a failed build, an incomplete dist/); the demo still is. */
async function prepareBuilt(): Promise<string | undefined> {
  try {
    if (SERVER_URL) {
      const admin = adminClient();
      try {
        await admin.connect();
        const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version;
        serverVersion = `PostgreSQL ${String(version)}`;
      } finally {
        await admin.end().catch(() => undefined);
      }
    } else {
      notes.push('PostgreSQL skipped: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the built service on it.');
    }
    if (BUILD) buildMs = await build();
    else notes.push('BENCH_BUILD=off: the dist/ already built was used.');
    checkDist();
    return undefined;
  } catch (error) {
    return String(error);
  }
}

/** One run of a target; a store that cannot be made (the server went away) fails the run, not the bench. */
async function runTarget(target: Target, engine: Target['engine'], run: number, first: Row, restart: Row) {
  try {
    await withStore(engine, run, (settings) => firstAndRestart(target, settings, first, restart));
  } catch (error) {
    first.failures.push(`the store could not be set up: ${String(error)}`);
  }
}

try {
  const builtUnavailable = await prepareBuilt();
  if (builtUnavailable) notes.push(`The built service was not measured: ${builtUnavailable}`);
  for (let run = 1; run <= RUNS && !aborted; run += 1) {
    await runTarget(demo, 'pglite', run, rows.demoFirst, rows.demoRestart);
    if (!builtUnavailable) await runTarget(built, built.engine, run, rows.builtFirst, rows.builtRestart);
    process.stderr.write(`start-up bench: run ${run} of ${RUNS} done\n`);
  }
  if (builtUnavailable) process.exitCode = 1;
} finally {
  killChildren();
  removeTempDirs();
  await dropDatabases();
}

// ---- The table.

const cell = (starts: Start[], of: (s: Start) => number, digits: number) => {
  if (starts.length === 0) return '-';
  const xs = starts.map(of);
  return `${median(xs).toFixed(digits)} / ${Math.max(...xs).toFixed(digits)}`;
};

const header = ['start', 'runs ok', 'ready ms', 'RSS MiB', 'peak RSS MiB', 'stop ms'];
const table = Object.values(rows).map((row) => [
  row.label,
  `${row.starts.length} of ${row.starts.length + row.failures.length}`,
  cell(row.starts, (s) => s.readyMs, 0),
  cell(row.starts, (s) => s.rssMiB, 0),
  cell(row.starts, (s) => s.peakMiB, 0),
  cell(row.starts, (s) => s.stopMs, 0),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;

console.log(
  `\nStart-up, ${RUNS} run${RUNS === 1 ? '' : 's'}, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} CPUs${serverVersion ? `, ${serverVersion}` : ''}`,
);
if (buildMs !== undefined) console.log(`npm run build: ${(buildMs / 1000).toFixed(1)} s; dist/ holds the migrations, profiles and tab.`);
console.log(
  `ready = spawn to the first 200 from /readyz; RSS = VmRSS after ${IDLE_SECONDS} s idle; peak = VmHWM; stop = SIGTERM to exit. Cells: median / max.\n`,
);
console.log(line(header));
console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const r of table) console.log(line(r));
if (aborted) notes.push(`Aborted (${aborted}): the figures are those of the starts before.`);
for (const note of notes) console.log(`\n${note}`);
const failures = Object.values(rows).flatMap((row) => row.failures.map((f) => `${row.label}: ${f}`));
if (failures.length > 0) {
  console.log(`\n${failures.length} start${failures.length === 1 ? '' : 's'} failed:`);
  for (const f of failures) console.log(`- ${f}`);
  process.exitCode = 1;
}
