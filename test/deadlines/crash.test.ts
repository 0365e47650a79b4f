import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';

import express from 'express';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { savePartnershipChannel } from '../../src/adapters/store/installationRepository.ts';
import { migrate } from '../../src/adapters/store/migrate.ts';
import { rememberPerson } from '../../src/adapters/store/peopleRepository.ts';
import { openPostgresDatabase } from '../../src/adapters/store/postgresDatabase.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { listenOnLoopback } from '../support/botframework/listen.ts';
import { fakeClock, sampleReferral, testContext } from '../support/fixtures.ts';

const databaseUrl = process.env.DATABASE_URL;
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 12);
const CASES = 30;
/** New overdue cases each round, so every kill lands while the watchers are raising and sending. */
const PER_ROUND = Number(process.env.CRASH_CASES_PER_ROUND ?? 2);
const TOTAL_CASES = CASES + ROUNDS * PER_ROUND;
/**
 * Teams' limits pace what goes to the one channel: each overdue case's replies, its card's updates and
 * its booking notice, about 5 posts, at most 60 per 30 s (2 a second), from every instance together.
 */
const CHANNEL_PACE_MS = 2_500;
if (!databaseUrl) console.warn('\n[crash test] SKIPPING: it needs PostgreSQL (DATABASE_URL), as two instances share the store\n');

/**
 * A Bot Connector that records what reached it and answers a little slowly, so that kills land while
 * messages are in flight. What matters is which alert each delivery was: the alert id on a 1:1 card,
 * or the case and rung named in a thread reply.
 */
async function recordingConnector() {
  const deliveries: string[] = [];
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  const slowly = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
  app.post('/v3/conversations', async (req, res) => {
    await slowly();
    res.status(201).json({ id: `a:${String(req.body?.members?.[0]?.id ?? 'x')}`, activityId: randomUUID() });
  });
  app.post(['/v3/conversations/:id/activities', '/v3/conversations/:id/activities/:activityId'], async (req, res) => {
    await slowly();
    const body = JSON.stringify(req.body);
    const alert = /"alertId":"([0-9a-f-]{36})"/.exec(body)?.[1];
    const rung = /(Due soon|Overdue|Escalation): [^.]*\. (HSSCP-\d{4}-\d{4})/.exec(body);
    if (alert) deliveries.push(`dm:${alert}`);
    else if (rung) deliveries.push(`channel:${rung[2]}:${rung[1]}`);
    res.status(201).json({ id: randomUUID() });
  });
  return { deliveries, server: await listenOnLoopback(app) };
}

describe.skipIf(!databaseUrl)('crash test: two watchers on PostgreSQL, one killed mid-send again and again', () => {
  const dbName = `crash_${randomBytes(5).toString('hex')}`;
  const url = databaseUrl ? Object.assign(new URL(databaseUrl), { pathname: `/${dbName}` }).toString() : '';
  let db: Database;
  let connector: Awaited<ReturnType<typeof recordingConnector>>;
  const processes = new Set<ChildProcess>();
  let addCases: (n: number) => Promise<void> = async () => undefined;

  function startWatcher(offsetMs: number): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/deadlines/support/watcherProcess.ts'], {
      env: { ...process.env, DATABASE_URL: url, CLOCK_OFFSET_MS: String(offsetMs) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    processes.add(child);
    child.once('exit', () => processes.delete(child));
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) resolve(child);
      });
      child.stderr?.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.once('exit', (code) => reject(new Error(`watcher exited (${code}) before it was ready:\n${out}`)));
    });
  }

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    db = openPostgresDatabase({ connectionString: url });
    await migrate(db);
    connector = await recordingConnector();
    const clock = fakeClock('2026-11-19T10:00:00Z');
    const ctx = testContext(db, clock);
    const people = { local_authority: 'a1', police: 'a2', health: 'a3', manager: 'a4', chair: 'a5' } as const;
    for (const [role, key] of Object.entries(people)) {
      const aad = `00000000-0000-4000-8000-0000000000${key}`;
      await rememberPerson(
        db,
        { aadObjectId: aad, teamsUserId: `29:crash-${key}`, displayName: `Crash Test ${key}`, tenantId: 't' },
        clock.now(),
      );
      if (role === 'manager') await assignRole(db, { role: 'business_manager', scope: '', userId: aad });
      else if (role === 'chair') await assignRole(db, { role: 'partnership_chair', scope: '', userId: aad });
      else await assignRole(db, { role: 'dsp', scope: role, userId: aad });
    }
    await savePartnershipChannel(
      db,
      {
        serviceUrl: `${connector.server.origin}/`,
        tenantId: 't',
        botId: '28:crash-bot',
        teamId: '19:crash-team@thread.tacv2',
        teamName: 'Crash',
        channelId: '19:crash-channel@thread.tacv2',
        channelName: 'Cases',
      },
      clock.now(),
    );
    for (let i = 0; i < CASES; i += 1) await submitReferral(ctx, sampleReferral(), 'user-referrer');
    addCases = async (n: number) => {
      for (let i = 0; i < n; i += 1) await submitReferral(ctx, sampleReferral(), 'user-referrer');
    };
  }, 60_000);

  afterAll(async () => {
    for (const child of processes) child.kill('SIGKILL');
    await db?.close();
    await connector?.server.close();
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it(
    `loses no alert and sends none twice beyond recorded resends, over ${ROUNDS} kills`,
    async () => {
      // Five days on: every DSP decision is overdue (3 DSPs each) and escalated (manager, chair).
      const offset = new Date('2026-11-24T09:00:00Z').getTime() - Date.now();
      const watchers = [await startWatcher(offset), await startWatcher(offset)];
      let kills = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        await addCases(PER_ROUND); // received five days before the watchers' "now": overdue at once
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400));
        const victim = Math.floor(Math.random() * 2);
        watchers[victim]!.kill('SIGKILL');
        kills += 1;
        watchers[victim] = await startWatcher(offset);
      }
      // Let the survivors finish, leases of the killed included, at the pace Teams allows the channel.
      const deadline = Date.now() + 60_000 + TOTAL_CASES * CHANNEL_PACE_MS;
      for (;;) {
        const { rows } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'claimed') AND kind <> 'email'`,
        );
        if (rows[0]!.n === 0) break;
        if (Date.now() > deadline) throw new Error(`${rows[0]!.n} messages still undelivered`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      for (const w of watchers) w.kill('SIGKILL');

      const alerts = (await db.query<{ id: string }>('SELECT id FROM alerts')).rows;
      // Each referral's DSP call goes through the same outbox: one meeting record per case despite the
      // kills (five days on, the window has passed, so each is recorded as "no slot", a risk to the clock).
      const meetings = await db.query<{ n: number; distinct_cases: number; no_slot: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT case_id)::int AS distinct_cases, count(*) FILTER (WHERE status = 'no_slot')::int AS no_slot FROM meetings`,
      );
      expect(meetings.rows[0]).toEqual({ n: TOTAL_CASES, distinct_cases: TOTAL_CASES, no_slot: TOTAL_CASES });
      expect(alerts).toHaveLength(TOTAL_CASES * 5);
      const { rows: messages } = await db.query<{
        kind: string;
        status: string;
        payload: { alertId?: string; caseId?: string; level?: string };
        reclaims: number;
        reference: string;
      }>(
        `SELECT o.kind, o.status, o.payload, o.reclaims, c.reference FROM outbox o LEFT JOIN cases c ON c.id = o.case_id WHERE o.kind IN ('teams_dm', 'channel_reply')`,
      );
      const counts = new Map<string, number>();
      for (const d of connector.deliveries) counts.set(d, (counts.get(d) ?? 0) + 1);
      const title = (level: string) => (level === 'due_soon' ? 'Due soon' : level === 'overdue' ? 'Overdue' : 'Escalation');
      let resends = 0;
      for (const m of messages) {
        expect(m.status).toBe('sent');
        const key = m.kind === 'teams_dm' ? `dm:${m.payload.alertId}` : `channel:${m.reference}:${title(m.payload.level!)}`;
        const delivered = counts.get(key) ?? 0;
        expect(delivered, `${key} delivered`).toBeGreaterThanOrEqual(1);
        expect(delivered, `${key} delivered at most once more per recorded resend`).toBeLessThanOrEqual(1 + m.reclaims);
        resends += m.reclaims;
      }
      // Every recorded resend, of any kind of message (bookings included), matches an attempt marked as
      // one, and each crash put at most the one message it was sending at risk.
      const { rows: attempts } = await db.query<{ resend: boolean }>('SELECT resend FROM outbox_attempts');
      const { rows: reclaimed } = await db.query<{ n: number }>('SELECT coalesce(sum(reclaims), 0)::int AS n FROM outbox');
      expect(attempts.filter((a) => a.resend).length).toBe(reclaimed[0]!.n);
      expect(reclaimed[0]!.n).toBeLessThanOrEqual(kills);
      console.log(
        `crash test: ${kills} kills, ${alerts.length} alerts, ${messages.length} messages, ${connector.deliveries.length} deliveries, ${resends} recorded resends`,
      );
    },
    120_000 + ROUNDS * 6_000 + TOTAL_CASES * CHANNEL_PACE_MS,
  );
});
