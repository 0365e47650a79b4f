// Benchmark: start-up of the service as the local demo starts it (test/e2e/demo.e2e.test.ts), without
// the Agents Playground: `node --import tsx src/main.ts` with PLAYGROUND=off, a fresh DATA_DIR and no
// DATABASE_URL (so PGlite). Measures the time from spawn to the first 200 from /readyz, then, after
// BENCH_IDLE_SECONDS (default 3) idle, the child's resident memory from /proc/<pid>/status, then
// stops it with SIGTERM. Repeats BENCH_RUNS times (default 3); prints each run and the median.
// Each run also restarts the service once on the DATA_DIR its first start created (a restart, not a
// first start: PGlite then opens a database instead of creating one), reported in a second table.
// Not a test, not run by CI.
//
//   npx tsx test/bench/startup.bench.ts
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const RUNS = Math.max(1, Math.round(Number(process.env.BENCH_RUNS ?? 3)));
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 3);
const READY_TIMEOUT_MS = 120_000;
const POLL_MS = 20;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A field of /proc/<pid>/status in MiB (e.g. VmRSS, VmHWM). */
function procStatusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  const kib = /(\d+)\s*kB/.exec(line ?? '')?.[1];
  if (!kib) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(kib) / 1024;
}

interface Run {
  readyMs: number;
  rssMiB: number;
  peakMiB: number;
  stopMs: number;
  exitCode: number | null;
}

async function startOnce(dataDir: string): Promise<Run> {
  const port = await freePort();
  // As the demo e2e test: the embedded defaults, no DATABASE_URL, a fresh data folder.
  const { DATABASE_URL: _notForTheDemo, ...env } = process.env;
  let log = '';
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: new URL('../../', import.meta.url),
    env: { ...env, PORT: String(port), PLAYGROUND: 'off', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.stdout.on('data', (d: Buffer) => {
    log += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    log += d.toString();
  });
  try {
    const url = `http://127.0.0.1:${port}/readyz`;
    let readyMs: number | undefined;
    while (readyMs === undefined) {
      if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}) before it was ready:\n${log}`);
      if (performance.now() - started > READY_TIMEOUT_MS)
        throw new Error(`the service was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${log}`);
      try {
        const res = await fetch(url);
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
    if (!log.includes('"engine":"pglite"')) throw new Error(`the service did not say it runs on PGlite:\n${log}`);
    const stopping = performance.now();
    child.kill('SIGTERM');
    const [exitCode] = await exited;
    return { readyMs, rssMiB, peakMiB, stopMs: performance.now() - stopping, exitCode };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const fresh: Run[] = [];
const restarts: Run[] = [];
for (let i = 0; i < RUNS; i += 1) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  try {
    fresh.push(await startOnce(dataDir));
    restarts.push(await startOnce(dataDir));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function printRuns(title: string, runs: Run[]) {
  console.log(`${title}\n`);
  const header = ['run', 'ready ms', 'RSS MiB', 'peak RSS MiB', 'stop ms', 'exit code'];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const [i, r] of runs.entries()) {
    console.log(
      `| ${[String(i + 1), r.readyMs.toFixed(0), r.rssMiB.toFixed(1), r.peakMiB.toFixed(1), r.stopMs.toFixed(0), String(r.exitCode)].join(' | ')} |`,
    );
  }
  console.log(
    `| median | ${median(runs.map((r) => r.readyMs)).toFixed(0)} | ${median(runs.map((r) => r.rssMiB)).toFixed(1)} | ${median(runs.map((r) => r.peakMiB)).toFixed(1)} | ${median(runs.map((r) => r.stopMs)).toFixed(0)} | |\n`,
  );
}

console.log(
  `\nStart-up: node --import tsx src/main.ts, PGlite, PLAYGROUND=off, no DATABASE_URL, ${new Date().toISOString().slice(0, 10)}, ${process.version}, ${cpus().length} CPUs`,
);
console.log(
  `Ready = spawn to the first 200 from /readyz (polled every ${POLL_MS} ms); RSS = VmRSS after ${IDLE_SECONDS} s idle; peak = VmHWM; stop = SIGTERM to exit.\n`,
);
printRuns('First start, fresh DATA_DIR (as the demo):', fresh);
printRuns('Restart on the DATA_DIR the first start left:', restarts);
if ([...fresh, ...restarts].some((r) => r.exitCode !== 0)) {
  console.log('A run did not exit cleanly on SIGTERM.');
  process.exitCode = 1;
}
