import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import pg from 'pg';
import { describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { TEST_APP_ID, TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { postActivity } from '../support/botframework/postActivity.ts';
import { adaptiveCardExecute, botAddedToTeam, teamsBotAccount } from '../support/botframework/teamsActivities.ts';
import { fakeClock, sampleReferral } from '../support/fixtures.ts';
import { CHANNEL, PEOPLE, type PersonKey, TEAM } from '../support/teamsHarness.ts';
import { testEngines } from '../support/testDatabases.ts';
import {
  botClient,
  type ServiceInstance,
  startSenderLoop,
  startServiceInstance,
  startTeamsStandIns,
  type TeamsStandIns,
} from './support/restartableService.ts';

const REFERRERS = 3;
/** Each referrer submits at least this many, and goes on until the new instance has acknowledged some. */
const REFERRALS_EACH = 8;
const MAX_REFERRALS_EACH = 40;
/** The restart comes when this many referrals have been acknowledged. */
const RESTART_AFTER = 8;
/** Referrals the new instance must acknowledge before the referrers stop. */
const AFTER_RESTART = 6;
/** How long the stopping instance's HTTP server may wait for its connections (see the SIGTERM test below). */
const STOP_GRACE_MS = 2_000;
const DSPS = [
  ['laDsp', 'local_authority'],
  ['policeDsp', 'police'],
  ['healthDsp', 'health'],
] as const;
const BOT = teamsBotAccount(TEST_APP_ID);
const databaseUrl = process.env.DATABASE_URL;

interface Store {
  readonly env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** Each engine as the service opens it from its config: PGlite in a data directory, or a database of its own on the server. */
const stores: { name: 'pglite' | 'postgres'; available: boolean; prepare(): Promise<Store> }[] = [
  {
    name: 'pglite',
    available: true,
    async prepare() {
      const dir = await mkdtemp(join(tmpdir(), 'restart-under-load-'));
      return { env: { DATA_DIR: dir }, cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    available: testEngines.find((e) => e.name === 'postgres')!.available,
    async prepare() {
      const name = `restart_${randomBytes(5).toString('hex')}`;
      const admin = async (sql: string) => {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          await client.query(sql);
        } finally {
          await client.end();
        }
      };
      await admin(`CREATE DATABASE ${name}`);
      const url = Object.assign(new URL(databaseUrl!), { pathname: `/${name}` }).toString();
      return { env: { DATABASE_URL: url }, cleanup: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
    },
  },
];

interface Figures {
  requests: number;
  retried: number;
  connectionErrors: number;
  errorCards: number;
  other: string[];
  acknowledgedReferrals: { marker: string; reference: string }[];
  acknowledgedVotes: { caseId: string; agency: string; rationale: string }[];
}

const cardText = (body: unknown) => JSON.stringify((body as { value?: unknown } | undefined)?.value ?? body);

for (const store of stores) {
  describe.skipIf(!store.available)(`a restart during load, store on ${store.name}: nothing acknowledged is lost`, () => {
    it('takes referrals and votes from several clients while the service is closed and started again on the same store', async () => {
      const started = Date.now();
      const db = await store.prepare();
      const standIns: TeamsStandIns = await startTeamsStandIns();
      const clock = fakeClock('2026-11-19T10:00:00Z'); // Thursday: the DSP decisions are due by the end of Mon 23 Nov
      // The clock runs on at real speed: what Teams' limits hold back (counted in real time) is sent
      // again at its time by the sender loops, as in the service.
      const ticking = setInterval(() => clock.advanceMs(100), 100);
      let instance: ServiceInstance | undefined;
      const clients: ReturnType<typeof botClient>[] = [];
      try {
        instance = await startServiceInstance({ env: db.env, standIns, now: clock.now });
        const first = instance;
        const port = first.port;
        const origin = first.origin;
        for (const [who, agency] of DSPS)
          await assignRole(first.services.ctx.db, { role: 'dsp', scope: agency, userId: PEOPLE[who].aadObjectId });
        await assignRole(first.services.ctx.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
        await assignRole(first.services.ctx.db, { role: 'la_notifier', scope: 'Hartlepool', userId: PEOPLE.notifier.aadObjectId });
        const token = () => standIns.identity.signChannelToken({ appId: TEST_APP_ID, serviceUrl: standIns.connector.serviceUrl });
        expect(
          (
            await postActivity(
              origin,
              botAddedToTeam({
                serviceUrl: standIns.connector.serviceUrl,
                bot: BOT,
                from: { ...PEOPLE.manager },
                tenantId: TEST_TENANT_ID,
                team: TEAM,
                channel: CHANNEL,
              }),
              { token: await token() },
            )
          ).status,
        ).toBe(200);

        /** When the first instance's HTTP server began to close, and when the new one listened. */
        const gap = { closing: Infinity, listening: Infinity };
        let answeredWhileClosing = 0;
        let acknowledgedByNew = 0;
        let referralsByNew = 0;
        let restartDone = false;
        const figures: Figures = {
          requests: 0,
          retried: 0,
          connectionErrors: 0,
          errorCards: 0,
          other: [],
          acknowledgedReferrals: [],
          acknowledgedVotes: [],
        };

        /**
         * One Teams invoke, as a client that keeps trying: a refused or dropped connection, a non-200
         * answer or the "Sorry, that did not work" card is tried again, with a short growing pause.
         */
        async function invoke(
          client: ReturnType<typeof botClient>,
          who: PersonKey,
          verb: string,
          data: Record<string, unknown>,
        ): Promise<string> {
          const activity = adaptiveCardExecute({
            serviceUrl: standIns.connector.serviceUrl,
            bot: BOT,
            from: { ...PEOPLE[who] },
            tenantId: TEST_TENANT_ID,
            verb,
            data,
            conversationType: 'personal',
          });
          for (let attempt = 1; ; attempt += 1) {
            figures.requests += 1;
            try {
              const sentAt = Date.now();
              const res = await client.post(activity, await token());
              const text = cardText(res.body);
              if (sentAt >= gap.closing && Date.now() <= gap.listening) answeredWhileClosing += 1;
              if (res.status === 200 && !text.includes('Sorry, that did not work')) {
                if (sentAt >= gap.listening) acknowledgedByNew += 1;
                return text;
              }
              if (res.status === 200) figures.errorCards += 1;
              else figures.other.push(`HTTP ${res.status}`);
            } catch {
              figures.connectionErrors += 1; // the gap: nobody listening, or the connection closed under us
            }
            if (attempt >= 500) throw new Error(`${verb} from ${who} did not go through after ${attempt} attempts`);
            figures.retried += 1;
            await pause(Math.min(200, 10 * attempt));
          }
        }

        // The restart, in the middle of the load: stop the sender loop and the instance as main.ts
        // does on SIGTERM, then a new instance on the same store, on the same port.
        let sender = startSenderLoop(first.services, 400);
        const senderTotals = { before: sender.totals, after: sender.totals };
        const senderErrors: string[] = [];
        let atRestart: { id: number; status: string; kind: string }[] = [];
        let restartMs = 0;
        const phases = { senderMs: 0, composeMs: 0 };
        let restartAt: (() => void) | undefined;
        const restartDue = new Promise<void>((resolve) => {
          restartAt = resolve;
        });
        const restarted = restartDue.then(async () => {
          const begun = Date.now();
          await sender.stop();
          phases.senderMs = Date.now() - begun;
          senderErrors.push(...sender.errors);
          gap.closing = Date.now();
          await first.stop({ graceMs: STOP_GRACE_MS });
          // Keep the gap open until some client has found nobody listening.
          const refusedBefore = figures.connectionErrors;
          for (const until = Date.now() + 3_000; figures.connectionErrors === refusedBefore && Date.now() < until;) await pause(5);
          const composing = Date.now();
          instance = await startServiceInstance({
            env: db.env,
            standIns,
            now: clock.now,
            port,
            beforeListen: async (services) => {
              atRestart = (
                await services.ctx.db.query<{ id: number; status: string; kind: string }>('SELECT id, status, kind FROM outbox ORDER BY id')
              ).rows;
            },
          });
          gap.listening = Date.now();
          restartMs = Date.now() - begun;
          phases.composeMs = Date.now() - composing;
          sender = startSenderLoop(instance.services, 400);
          senderTotals.after = sender.totals;
          restartDone = true;
        });
        restarted.catch(() => undefined); // awaited below

        const referrer = async (client: number) => {
          const connection = botClient(origin);
          clients.push(connection);
          const base = sampleReferral();
          for (let n = 1; n <= MAX_REFERRALS_EACH && (n <= REFERRALS_EACH || !restartDone || referralsByNew < AFTER_RESTART); n += 1) {
            const marker = `Load referral ${client}-${n}: a fictional serious incident used in tests.`;
            const text = await invoke(connection, 'referrer', 'referral.submit', {
              type: base.type,
              referrer_name: base.referrer.name,
              referrer_agency: base.referrer.agency,
              referrer_email: base.referrer.email,
              referredOn: '2026-11-19',
              child_name: `Client${client} Number${n} Testcase`,
              child_dateOfBirth: base.child.dateOfBirth,
              child_statusAtTime: base.child.statusAtTime,
              child_localAuthority: base.child.localAuthority,
              incident_date: '2026-11-18',
              narrative_whatHappened: marker,
              narrative_whyCriteriaMet: base.narrative.whyCriteriaMet,
            });
            const reference = /HSSCP-2026-\d{4}/.exec(text)?.[0];
            if (!text.includes('Referral received') || !reference) {
              figures.other.push(`referral answered without a receipt: ${text.slice(0, 200)}`);
              continue;
            }
            figures.acknowledgedReferrals.push({ marker, reference });
            if (restartDone) referralsByNew += 1;
            if (figures.acknowledgedReferrals.length === RESTART_AFTER) restartAt!();
          }
        };

        // DSPs vote on the cases they have been shown: the case cards the bot posted (the card's
        // refresh data carries the case id), each DSP once per case, all "notify".
        const shown = new Set<string>();
        let scanned = 0;
        const discover = () => {
          const { requests } = standIns.connector;
          for (; scanned < requests.length; scanned += 1) {
            for (const match of (JSON.stringify(requests[scanned]!.body) ?? '').matchAll(/"caseId":"([0-9a-f-]{36})"/g))
              shown.add(match[1]!);
          }
        };
        let announced = false;
        const dsp = async (who: PersonKey, agency: string) => {
          const connection = botClient(origin);
          clients.push(connection);
          const voted = new Set<string>();
          for (;;) {
            discover();
            const caseId = [...shown].find((id) => !voted.has(id));
            if (!caseId) {
              if (announced) return;
              await pause(15);
              continue;
            }
            voted.add(caseId);
            const rationale = `${agency}: criteria met for ${caseId.slice(0, 8)} (fictional).`;
            const text = await invoke(connection, who, 'case.vote', { caseId, agency, decision: 'notify', rationale });
            if (/Your vote for [^"]+ is (recorded|changed)\.|Your vote was already recorded/.test(text))
              figures.acknowledgedVotes.push({ caseId, agency, rationale });
            else figures.other.push(`vote not recorded: ${/Your vote was not recorded[^"]*/.exec(text)?.[0] ?? text.slice(0, 200)}`);
          }
        };

        const voters = DSPS.map(([who, agency]) =>
          dsp(who, agency).catch((error: unknown) => {
            figures.other.push(`${who}: ${String(error)}`);
          }),
        );
        await Promise.all(Array.from({ length: REFERRERS }, (_, i) => referrer(i + 1)));
        restartAt!(); // (already done, unless fewer referrals were acknowledged than expected)
        await restarted;
        const current = instance!;
        // Everything announced (case cards to the DSPs), then the last votes. Teams' limits pace the
        // cards (the DSPs' 1:1 chats take 60 per 30 s each), so wait until every case's has gone.
        await current.services.work.drain();
        const caseCount = async () =>
          (await current.services.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases')).rows[0]!.n;
        for (const until = Date.now() + 150_000; discover(), shown.size < (await caseCount());) {
          if (Date.now() > until) throw new Error(`${shown.size} of ${await caseCount()} cases' cards posted`);
          await pause(250);
        }
        announced = true;
        await Promise.all(voters);
        await current.services.work.drain();
        await sender.stop();
        senderErrors.push(...sender.errors);

        // Drive the new instance's outbox until nothing is pending.
        const cdb: Database = current.services.ctx.db;
        // Teams' limits are counted in real time: what they hold back waits real time, not this test's
        // clock, so the drive goes on, pausing, until Teams' windows have let everything through.
        let drained = 0;
        const driveUntil = Date.now() + 180_000;
        for (let round = 0; ; round += 1) {
          const sent = (await current.services.send()).sent;
          drained += sent;
          await current.services.work.drain();
          const { rows } = await cdb.query<{ n: number; next: Date | null }>(
            `SELECT count(*)::int AS n, min(available_at) AS next FROM outbox WHERE status IN ('pending', 'claimed')`,
          );
          if (rows[0]!.n === 0) break;
          if (round > 50 && Date.now() > driveUntil) throw new Error(`${rows[0]!.n} messages still pending`);
          if (rows[0]!.next! > clock.now()) clock.set(rows[0]!.next!);
          if (sent === 0) await pause(250);
        }

        // What was acknowledged is in the store.
        const cases = (
          await cdb.query<{ id: string; reference: string; marker: string }>(
            `SELECT c.id, c.reference, d.referral->'narrative'->>'whatHappened' AS marker FROM cases c JOIN case_details d ON d.case_id = c.id`,
          )
        ).rows;
        const byReference = new Map(cases.map((c) => [c.reference, c]));
        for (const ack of figures.acknowledgedReferrals) expect(byReference.get(ack.reference)?.marker, ack.reference).toBe(ack.marker);
        const votes = (
          await cdb.query<{ case_id: string; agency: string; rationale: string }>('SELECT case_id, agency, rationale FROM votes')
        ).rows;
        for (const ack of figures.acknowledgedVotes) {
          expect(votes.find((v) => v.case_id === ack.caseId && v.agency === ack.agency)?.rationale, `${ack.agency} on ${ack.caseId}`).toBe(
            ack.rationale,
          );
        }
        // A submission tried again (the same request: same activity id and form) that had in fact been
        // taken gets the receipt for its case, not a second case.
        const perMarker = new Map<string, number>();
        for (const c of cases) perMarker.set(c.marker, (perMarker.get(c.marker) ?? 0) + 1);
        const duplicates = [...perMarker.values()].reduce((sum, n) => sum + n - 1, 0);
        expect(duplicates, 'cases opened twice by a retried submission').toBe(0);

        // The audit chain is unbroken across the restart.
        const audit = await verifyAuditChain(cdb);
        expect(audit.problems).toEqual([]);

        // The outbox: what was queued before the restart and not yet sent is sent (or, for a DSP call
        // whose decision was made first, cancelled as no longer needed) by the new instance; what the
        // first instance had sent is not sent again; nothing was left claimed, failed or doubled.
        const outbox = (
          await cdb.query<{
            id: number;
            kind: string;
            status: string;
            last_error: string | null;
            reclaims: number;
            case_id: string | null;
          }>('SELECT id, kind, status, last_error, reclaims, case_id FROM outbox ORDER BY id')
        ).rows;
        const attempts = (
          await cdb.query<{ outbox_id: number; instance_id: string; outcome: string | null; resend: boolean }>(
            'SELECT outbox_id, instance_id, outcome, resend FROM outbox_attempts ORDER BY id',
          )
        ).rows;
        const decided = new Set(
          (await cdb.query<{ case_id: string }>(`SELECT DISTINCT case_id FROM case_events WHERE type = 'notification_decision'`)).rows.map(
            (r) => r.case_id,
          ),
        );
        expect(atRestart.filter((m) => m.status === 'claimed')).toEqual([]);
        const pendingAtRestart = atRestart.filter((m) => m.status === 'pending');
        const sentBeforeRestart = atRestart.filter((m) => m.status === 'sent');
        const newInstance = current.services.instanceId;
        for (const m of pendingAtRestart) {
          const now = outbox.find((o) => o.id === m.id)!;
          const mine = attempts.filter((a) => a.outbox_id === m.id);
          expect(mine.at(-1), `message ${m.id} (${m.kind})`).toMatchObject({ instance_id: newInstance, outcome: now.status });
          if (now.status === 'cancelled' && now.kind === 'case_thread') {
            // Held back by Teams' limits, the case's thread was started first by another of its posts.
            expect(now.last_error).toBe('the case already has its thread');
          } else if (now.status === 'cancelled' && now.kind === 'dsp_copy') {
            // Held back by Teams' limits until the decision was made: no longer asked for.
            expect(now.last_error).toBe('the decision was made before the copy went out');
            expect(decided.has(now.case_id!)).toBe(true);
          } else if (now.status === 'cancelled') {
            expect(now).toMatchObject({ kind: 'book_meeting', last_error: 'the decision was made before a meeting was needed' });
            expect(decided.has(now.case_id!)).toBe(true);
          } else {
            expect(now.status, `message ${m.id} (${m.kind}): ${now.last_error}`).toBe('sent');
          }
        }
        // A case's refresh is one coalesced row, armed again by every later change to the case (a vote
        // after the restart, a meeting booked): sent again then, it is a new refresh, not a repeat.
        for (const m of sentBeforeRestart.filter((x) => x.kind !== 'case_refresh'))
          expect(
            attempts.filter((a) => a.outbox_id === m.id && a.instance_id === newInstance),
            `message ${m.id}`,
          ).toEqual([]);
        expect(outbox.filter((o) => !['sent', 'cancelled'].includes(o.status))).toEqual([]);
        expect(outbox.filter((o) => o.reclaims > 0 || attempts.some((a) => a.outbox_id === o.id && a.resend))).toEqual([]);
        // Every case has its DSP-call booking queued, once.
        expect(
          outbox
            .filter((o) => o.kind === 'book_meeting')
            .map((o) => o.case_id)
            .sort(),
        ).toEqual(cases.map((c) => c.id).sort());
        expect(senderErrors).toEqual([]);
        expect(figures.other).toEqual([]);
        expect(figures.acknowledgedReferrals.length).toBeGreaterThanOrEqual(REFERRERS * REFERRALS_EACH);
        expect(referralsByNew).toBeGreaterThanOrEqual(AFTER_RESTART);
        expect(figures.acknowledgedVotes).toHaveLength(3 * cases.length);
        expect(figures.connectionErrors).toBeGreaterThan(0); // the gap was felt
        expect(acknowledgedByNew).toBeGreaterThan(0); // and the load went on after it

        const sentAfter = outbox.filter((o) =>
          attempts.some((a) => a.outbox_id === o.id && a.instance_id === newInstance && a.outcome === 'sent'),
        ).length;
        console.log(
          [
            `[restart under load, ${store.name}] requests: ${figures.requests} (${REFERRERS} referrers, ${DSPS.length} DSPs), acknowledged: ${figures.acknowledgedReferrals.length} referrals + ${figures.acknowledgedVotes.length} votes (${acknowledgedByNew} by the new instance)`,
            `retried: ${figures.retried} (${figures.connectionErrors} connection errors, ${figures.errorCards} "did not work" cards), restart took ${restartMs} ms after ${RESTART_AFTER} referrals ` +
              `(sender loop ${phases.senderMs}, HTTP close ${first.stopTimings.httpMs}${first.stopTimings.forced ? ' (connections cut after the grace)' : ''}, services.close ${first.stopTimings.servicesMs}, new instance ${phases.composeMs}); ` +
              `requests sent after the HTTP server began closing and answered by the old instance: ${answeredWhileClosing}`,
            `cases: ${cases.length} (${duplicates} duplicates from retried submissions), votes: ${votes.length}, decisions: ${decided.size}, audit entries: ${audit.entries} (chain ok)`,
            `outbox at restart: ${atRestart.length} (${sentBeforeRestart.length} sent before, ${pendingAtRestart.length} pending); sent by the first instance: ${senderTotals.before.sent}; ` +
              `sent after the restart: ${sentAfter} (of them queued before it: ${pendingAtRestart.filter((m) => outbox.find((o) => o.id === m.id)?.status === 'sent').length}, ` +
              `cancelled as no longer needed: ${pendingAtRestart.filter((m) => outbox.find((o) => o.id === m.id)?.status === 'cancelled').length}; final drive ${drained})`,
            `run: ${((Date.now() - started) / 1000).toFixed(1)} s`,
          ].join('\n  '),
        );
      } finally {
        clearInterval(ticking);
        for (const c of clients) c.close();
        await instance?.stop().catch(() => undefined);
        await standIns.close();
        await db.cleanup();
      }
      // Teams' limits pace the card updates: each case's copy and the refreshes after its votes go to the
      // same three 1:1 chats, about 4 per case per chat, at most 60 per 30 s in each (50-60 cases: 100 s
      // and more of posting, most of it after the load).
    }, 240_000);
  });
}

/** A port nobody is using right now. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

/**
 * The restart above stops each instance as src/main.ts does, but with a deadline of its own. This is
 * src/main.ts itself, as a process (auth on; the embedded store, so it runs everywhere: the same
 * happens on PostgreSQL): SIGTERM while a client's kept-alive connection is busy (a front end's
 * connection pool keeps such connections to the app). main.ts says it stops taking work, finishes
 * what is in flight, gives back its outbox claims and exits.
 *
 * To have a request in flight on that connection when the server closes, whatever the timing, the
 * client uploads a POST's body in two halves around the SIGTERM; then it goes on using the connection.
 */
describe('src/main.ts on SIGTERM under steady load', () => {
  it('exits promptly when idle, after giving back its outbox claims', async () => {
    const db = await stores.find((s) => s.name === 'pglite')!.prepare();
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: {
        ...process.env,
        DATABASE_URL: '',
        ...db.env,
        PORT: String(port),
        PLAYGROUND: 'off',
        LOG_LEVEL: 'info',
        MicrosoftAppId: TEST_APP_ID,
        MicrosoftAppTenantId: TEST_TENANT_ID,
        MicrosoftAppPassword: 'unused-test-secret',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<{ at: number; code: number | null }>((resolve) =>
      child.once('exit', (code) => resolve({ at: Date.now(), code })),
    );
    try {
      for (const until = Date.now() + 60_000; !output.includes('"msg":"listening"');) {
        if (child.exitCode !== null || Date.now() > until) throw new Error(`src/main.ts did not start:\n${output}`);
        await pause(20);
      }
      const sigtermAt = Date.now();
      child.kill('SIGTERM');
      // Before, the stop waited for a 'close' event the idle server had already sent: services.close()
      // never ran (claims kept, no "stopped"), and the process lingered 8-10 s until the event loop emptied.
      const outcome = await Promise.race([exited, pause(5_000).then(() => undefined)]);
      console.log(
        `[src/main.ts SIGTERM idle] ${outcome ? `exited (code ${outcome.code}) ${outcome.at - sigtermAt} ms after SIGTERM` : 'still running 5 s after SIGTERM'}`,
      );
      expect(outcome, 'src/main.ts exits after an idle SIGTERM').toMatchObject({ code: 0 });
      expect(output, 'services.close() ran: claims released, store closed').toContain('"msg":"stopped"');
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      await db.cleanup();
    }
  }, 90_000);

  it('stops taking requests and exits, also while a client keeps its connection busy', async () => {
    const db = await stores.find((s) => s.name === 'pglite')!.prepare();
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: {
        ...process.env,
        DATABASE_URL: '',
        ...db.env,
        PORT: String(port),
        PLAYGROUND: 'off',
        LOG_LEVEL: 'info',
        MicrosoftAppId: TEST_APP_ID,
        MicrosoftAppTenantId: TEST_TENANT_ID,
        MicrosoftAppPassword: 'unused-test-secret',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<{ at: number; code: number | null }>((resolve) =>
      child.once('exit', (code) => resolve({ at: Date.now(), code })),
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const call = (method: string, path: string, body?: { text: string; splitAt: number; between: () => Promise<void> }) =>
      new Promise<number>((resolve) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path,
            method,
            agent,
            headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body.text) } : {},
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', () => resolve(0));
        if (!body) return void req.end();
        req.write(body.text.slice(0, body.splitAt));
        void body.between().then(() => req.end(body.text.slice(body.splitAt)));
      });
    const waitFor = async (what: string, timeoutMs: number) => {
      for (const until = Date.now() + timeoutMs; !output.includes(what);) {
        if (child.exitCode !== null || Date.now() > until) throw new Error(`src/main.ts did not log ${what}:\n${output}`);
        await pause(20);
      }
    };
    try {
      await waitFor('"msg":"listening"', 60_000);
      for (let i = 0; i < 20; i += 1) expect(await call('GET', '/readyz')).toBe(200);
      // The in-flight request: headers and half its body now, the rest once the server is stopping.
      const activity = JSON.stringify({ type: 'message', text: 'in flight during the SIGTERM' });
      let sigtermAt = 0;
      const inFlight = call('POST', '/api/messages', {
        text: activity,
        splitAt: 10,
        between: async () => {
          await pause(100);
          sigtermAt = Date.now();
          child.kill('SIGTERM');
          await waitFor('"msg":"stopping"', 5_000);
          await pause(200); // main.ts has called server.close() by now
        },
      });
      const inFlightStatus = await inFlight;
      // The same client goes on sending on its connection.
      let answeredAfter = 0;
      const outcome = await Promise.race([
        exited,
        (async () => {
          while (child.exitCode === null && Date.now() - sigtermAt < 3_000) {
            if ((await call('GET', '/readyz')) === 0) await pause(20);
            else answeredAfter += 1;
          }
          return undefined;
        })(),
      ]);
      console.log(
        `[src/main.ts SIGTERM] request in flight at the close answered ${inFlightStatus}; then ${answeredAfter} more requests answered on the same connection; ` +
          `${outcome ? `exited (code ${outcome.code}) ${outcome.at - sigtermAt} ms after SIGTERM` : 'still running 3 s after SIGTERM'}`,
      );
      expect(inFlightStatus, 'the request in flight is finished').toBe(401); // no channel token: refused, but answered
      expect(answeredAfter, 'no new request is taken once stopping').toBe(0);
      expect(outcome, 'src/main.ts exits within 3 s of SIGTERM').toMatchObject({ code: 0 });
    } finally {
      agent.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      await db.cleanup();
    }
  }, 90_000);
});
