// Benchmark: the cost of one deadline-watch tick next to the bare indexed query that finds the due
// clocks, with 10,000, 100,000 and 1,000,000 open clocks of which 1% are due (and 100,000 with 0.1%
// due, the same number due as 10,000 at 1%). 1,000,000 runs on PostgreSQL only (PGlite is the
// single-process embedded store; BENCH_PGLITE_MAX raises its cap) and once rather than three times.
// Prints a table; run with `npm run bench:watch` (or `npm run bench`). Not a test.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import pg from 'pg';

import { loadProfileFile, SHIPPED_PROFILES_DIR } from '../../src/adapters/profiles/loadProfiles.ts';
import { migrate } from '../../src/adapters/store/migrate.ts';
import { openPgliteDatabase } from '../../src/adapters/store/pgliteDatabase.ts';
import { openPostgresDatabase } from '../../src/adapters/store/postgresDatabase.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { watchDeadlines } from '../../src/app/deadlines/deadlineWatch.ts';
import { createWorkingDayCalendar } from '../../src/domain/calendar/index.ts';

const NOW = new Date('2026-11-24T09:00:00Z');
const RUNS = 3;
const SCENARIOS = [
  { open: 10_000, due: 100, runs: RUNS },
  { open: 100_000, due: 100, runs: RUNS },
  { open: 100_000, due: 1_000, runs: RUNS },
  { open: 1_000_000, due: 10_000, runs: 1 },
];
const PGLITE_MAX = Number(process.env.BENCH_PGLITE_MAX ?? 100_000);

async function seed(db: Database, open: number, due: number) {
  await db.query('TRUNCATE cases, outbox, alerts, role_assignments, reference_counters CASCADE');
  for (const [agency, n] of [
    ['local_authority', 1],
    ['police', 2],
    ['health', 3],
  ] as const) {
    await assignRole(db, { role: 'dsp', scope: agency, userId: `00000000-0000-4000-8000-00000000000${n}` });
  }
  await db.query(
    `INSERT INTO cases (id, reference, profile_id, local_authority, type, stage, summary, received_at, created_at)
     SELECT gen_random_uuid(), 'BENCH-2026-' || lpad(i::text, 7, '0'), 'hsscp', 'Hartlepool', 'serious_incident_notification', 'dsp_decision',
            '{"initials":"B.M.","ageBand":"5-9","incidentDate":"2026-11-17","referringAgency":"Bench"}', $1, $1
     FROM generate_series(1, $2::int) i`,
    [NOW, open],
  );
  // The first `due` clocks are overdue now; the rest are due in a month. Ladders as refreshClocks writes them.
  await db.query(
    `INSERT INTO clocks (case_id, clock_id, item, state, owner, statutory, started_on, due_date, due_at, due_soon_at, alert_levels, alert_times, alert_stage, next_alert_at)
     SELECT id, 'dsp_decision', '', 'pending', 'dsp', false, d.started::date, d.due::date, d.due + interval '1 day', d.due,
            ARRAY['due_soon', 'overdue'], ARRAY[d.due, d.due + interval '1 day'], 0, d.due
     FROM (SELECT id, row_number() OVER (ORDER BY reference) AS n FROM cases) c,
          LATERAL (SELECT CASE WHEN c.n <= $2 THEN $1::timestamptz - interval '2 days' ELSE $1::timestamptz + interval '30 days' END AS due,
                          $1::timestamptz - interval '5 days' AS started) d`,
    [NOW, due],
  );
  await db.query('ANALYZE clocks');
}

async function reset(db: Database) {
  await db.query('TRUNCATE outbox, alerts CASCADE');
  await db.query(`UPDATE clocks SET alert_stage = 0, next_alert_at = alert_times[1] WHERE alert_stage > 0`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(engine: string, db: Database, maxOpen = Infinity) {
  const profile = loadProfileFile(`${SHIPPED_PROFILES_DIR}/hsscp.json`);
  const ctx = { db, profile, calendar: createWorkingDayCalendar(), now: () => NOW, newId: randomUUID };
  const rows: string[][] = [];
  for (const { open, due, runs } of SCENARIOS.filter((x) => x.open <= maxOpen)) {
    await seed(db, open, due);
    const query: number[] = [];
    const tick: number[] = [];
    let alerts = 0;
    for (let run = 0; run < runs; run += 1) {
      let t = performance.now();
      const found = await db.query(`SELECT case_id FROM clocks WHERE next_alert_at <= $1 ORDER BY next_alert_at`, [NOW]);
      query.push(performance.now() - t);
      if (found.rows.length !== due) throw new Error(`expected ${due} due clocks, found ${found.rows.length}`);
      t = performance.now();
      const result = await watchDeadlines(ctx, { digestTime: '23:59' });
      tick.push(performance.now() - t);
      alerts = result.alerts;
      await reset(db);
    }
    const q = median(query);
    const k = median(tick);
    rows.push([
      engine,
      open.toLocaleString('en-GB'),
      due.toLocaleString('en-GB'),
      String(runs),
      q.toFixed(1),
      k.toFixed(0),
      (k / due).toFixed(2),
      String(alerts),
    ]);
  }
  return rows;
}

const header = [
  'engine',
  'open clocks',
  'due',
  'runs',
  'indexed query (ms)',
  'watcher tick (ms)',
  'tick per due clock (ms)',
  'alerts raised',
];
const table: string[][] = [];
const pglite = await openPgliteDatabase();
await migrate(pglite);
table.push(...(await measure('PGlite', pglite, PGLITE_MAX)));
await pglite.close();

if (process.env.DATABASE_URL) {
  const dbName = `bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = Object.assign(new URL(process.env.DATABASE_URL), { pathname: `/${dbName}` }).toString();
  const postgres = openPostgresDatabase({ connectionString: url });
  await migrate(postgres);
  table.push(...(await measure('PostgreSQL', postgres)));
  await postgres.close();
  await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
  await admin.end();
} else {
  console.log('(PostgreSQL skipped: set DATABASE_URL to include it)');
}

console.log(`\nDeadline watch, one tick (median of the runs), ${new Date().toISOString().slice(0, 10)}, ${process.version}\n`);
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const row of table) console.log(`| ${row.join(' | ')} |`);
