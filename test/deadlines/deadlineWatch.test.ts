import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { watchDeadlines } from '../../src/app/deadlines/deadlineWatch.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import { assignDsps, DSP, fakeClock, sampleReferral, testContext } from '../support/fixtures.ts';
import { testEngines } from '../support/testDatabases.ts';

const MANAGER = '00000000-0000-4000-8000-00000000f001';
const CHAIR = '00000000-0000-4000-8000-00000000f002';
const NOTIFIER = '00000000-0000-4000-8000-00000000f003';

interface OutboxRow {
  dedupe_key: string;
  kind: string;
  recipient: string;
  status: string;
  available_at: Date;
}

/** The alert and digest messages (a referral also queues its DSP call booking, tested elsewhere). */
async function outbox(db: Database): Promise<OutboxRow[]> {
  return (
    await db.query<OutboxRow>(
      `SELECT dedupe_key, kind, recipient, status, available_at FROM outbox WHERE kind <> 'book_meeting' ORDER BY id`,
    )
  ).rows;
}
// alert:<case>:<clock>:<item>:<due date>:<level>:<recipient or channel>[:dm|:email]
const levelOf = (key: string) => key.split(':')[5];

for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`deadline watch, store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
      await assignDsps(db);
      await assignRole(db, { role: 'business_manager', scope: '', userId: MANAGER });
      await assignRole(db, { role: 'partnership_chair', scope: '', userId: CHAIR });
      await assignRole(db, { role: 'la_notifier', scope: 'Hartlepool', userId: NOTIFIER });
    });
    afterEach(async () => db.close());

    async function referralAt(instant: string) {
      const clock = fakeClock(instant);
      const ctx = testContext(db, clock);
      const day = instant.slice(0, 10);
      const { case: record } = await submitReferral(
        ctx,
        sampleReferral({ referredOn: day, incident: { date: day, isDeath: false } }),
        'user-referrer',
      );
      return { clock, ctx, record };
    }
    const tick = (ctx: ReturnType<typeof testContext>) => watchDeadlines(ctx, { digestTime: '08:30' });

    it('says nothing before the last working day, then "due soon" to the DSPs from its start, once', async () => {
      const { clock, ctx } = await referralAt('2026-11-19T10:00:00Z'); // Thu; due end of Mon 23 Nov
      clock.set('2026-11-22T23:59:59Z');
      expect((await tick(ctx)).alerts).toBe(0);
      clock.set('2026-11-23T00:00:00Z');
      expect((await tick(ctx)).alerts).toBe(3);
      const rows = (await outbox(db)).filter((r) => r.dedupe_key.startsWith('alert:'));
      expect(
        rows
          .filter((r) => r.kind === 'teams_dm')
          .map((r) => r.recipient)
          .sort(),
      ).toEqual(Object.values(DSP).sort());
      expect(rows.filter((r) => r.kind === 'channel_reply')).toHaveLength(1);
      // Email copies wait 24 hours (HSSCP's alerting.emailFallbackAfterHours) for an acknowledgement.
      expect(rows.filter((r) => r.kind === 'email').map((r) => [r.status, r.available_at.toISOString()])).toEqual(
        Array(3).fill(['pending', '2026-11-24T00:00:00.000Z']),
      );
      expect(new Set(rows.map((r) => levelOf(r.dedupe_key)))).toEqual(new Set(['due_soon']));
      clock.set('2026-11-23T12:00:00Z');
      expect((await tick(ctx)).alerts).toBe(0);
    });

    it('says "overdue" the moment the day ends, and escalates to the business manager and the chair', async () => {
      const { clock, ctx, record } = await referralAt('2026-11-19T10:00:00Z');
      await castVote(ctx, { caseId: record.id, agency: 'police', decision: 'notify', rationale: 'Voted in time (fictional).' }, DSP.police);
      clock.set('2026-11-24T00:00:00Z');
      await tick(ctx);
      const dms = (await outbox(db)).filter((r) => r.kind === 'teams_dm');
      // Of "due soon" and "overdue", only the latest is said; the police DSP has voted and is not chased.
      expect(dms.map((r) => [levelOf(r.dedupe_key), r.recipient]).sort()).toEqual(
        [
          ['escalation_0', CHAIR],
          ['escalation_0', MANAGER],
          ['overdue', DSP.health],
          ['overdue', DSP.local_authority],
        ].sort(),
      );
    });

    it('stops alerting once the clock stops', async () => {
      const { clock, ctx, record } = await referralAt('2026-11-19T10:00:00Z');
      for (const agency of ['local_authority', 'police', 'health'] as const) {
        await castVote(ctx, { caseId: record.id, agency, decision: 'do_not_notify', rationale: 'Fictional.' }, DSP[agency]);
      }
      clock.set('2026-11-30T00:00:00Z');
      expect((await tick(ctx)).alerts).toBe(0);
      const { rows } = await db.query<{ next_alert_at: Date | null }>(`SELECT next_alert_at FROM clocks WHERE clock_id = 'dsp_decision'`);
      expect(rows[0]?.next_alert_at).toBeNull();
    });

    it('waits over Christmas: a referral on Thu 24 Dec is due soon from Wed 30 Dec', async () => {
      const { clock, ctx } = await referralAt('2026-12-24T11:00:00Z');
      for (const day of ['2026-12-25T12:00:00Z', '2026-12-28T12:00:00Z', '2026-12-29T23:59:00Z']) {
        clock.set(day);
        expect((await tick(ctx)).alerts, day).toBe(0);
      }
      clock.set('2026-12-30T00:00:00Z');
      expect((await tick(ctx)).alerts).toBe(3);
    });

    it('is overdue at midnight GMT after the clocks go back (Tue 27 Oct 2026)', async () => {
      const { clock, ctx } = await referralAt('2026-10-23T09:00:00Z'); // Fri, BST
      await tick(ctx);
      clock.set('2026-10-27T23:59:00Z'); // still Tuesday in London (GMT)
      await tick(ctx);
      expect((await outbox(db)).some((r) => levelOf(r.dedupe_key) === 'overdue')).toBe(false);
      clock.set('2026-10-28T00:00:00Z');
      await tick(ctx);
      expect((await outbox(db)).some((r) => levelOf(r.dedupe_key) === 'overdue')).toBe(true);
    });

    it('is overdue at midnight BST after the clocks go forward (Tue 31 Mar 2026)', async () => {
      const { clock, ctx } = await referralAt('2026-03-27T09:00:00Z'); // Fri, GMT
      clock.set('2026-03-31T22:59:00Z'); // 23:59 BST, still Tuesday
      await tick(ctx);
      expect((await outbox(db)).some((r) => levelOf(r.dedupe_key) === 'overdue')).toBe(false);
      clock.set('2026-03-31T23:00:00Z');
      await tick(ctx);
      expect((await outbox(db)).some((r) => levelOf(r.dedupe_key) === 'overdue')).toBe(true);
    });

    it('tells the DSPs when the notifier has not confirmed the Panel notification by working day 5', async () => {
      const { clock, ctx, record } = await referralAt('2026-11-19T10:00:00Z');
      for (const agency of ['local_authority', 'police', 'health'] as const) {
        await castVote(ctx, { caseId: record.id, agency, decision: 'notify', rationale: 'Fictional.' }, DSP[agency]);
      }
      clock.set('2026-11-27T00:00:00Z'); // 5 working days from Thu 19 Nov end on Thu 26 Nov
      await tick(ctx);
      const panel = (await outbox(db)).filter((r) => r.kind === 'teams_dm' && r.dedupe_key.includes(':panel_notification:'));
      expect(panel.map((r) => [levelOf(r.dedupe_key), r.recipient]).sort()).toEqual(
        [
          ['escalation_0', DSP.health],
          ['escalation_0', DSP.local_authority],
          ['escalation_0', DSP.police],
          ['overdue', NOTIFIER],
        ].sort(),
      );
    });

    it('queues the daily digest once, on working days only, from its time', async () => {
      const { clock, ctx } = await referralAt('2026-11-20T07:00:00Z'); // Friday
      await tick(ctx);
      expect((await outbox(db)).filter((r) => r.kind === 'channel_post')).toHaveLength(0);
      clock.set('2026-11-20T08:30:00Z');
      expect((await tick(ctx)).digest).toBe(true);
      expect((await tick(ctx)).digest).toBe(false);
      clock.set('2026-11-21T09:00:00Z'); // Saturday
      expect((await tick(ctx)).digest).toBe(false);
      clock.set('2026-12-28T09:00:00Z'); // Boxing Day substitute
      expect((await tick(ctx)).digest).toBe(false);
      clock.set('2026-11-23T08:31:00Z');
      expect((await tick(ctx)).digest).toBe(true);
    });

    it('lets two watchers tick at once without raising any alert twice', async () => {
      const { clock, ctx } = await referralAt('2026-11-19T10:00:00Z');
      for (let i = 0; i < 5; i += 1) await submitReferral(ctx, sampleReferral(), 'user-referrer');
      clock.set('2026-11-24T00:00:00Z');
      const results = await Promise.all([tick(ctx), tick(ctx), tick(ctx)]);
      expect(results.reduce((n, r) => n + r.alerts, 0)).toBe(6 * 5); // 3 DSPs overdue + manager + chair, per case
      const keys = (await outbox(db)).map((r) => r.dedupe_key);
      expect(new Set(keys).size).toBe(keys.length);
    });
  });
}
