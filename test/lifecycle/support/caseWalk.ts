import { expect } from 'vitest';

import { loadProfileFile, SHIPPED_PROFILES_DIR } from '../../../src/adapters/profiles/loadProfiles.ts';
import { assignRole } from '../../../src/adapters/store/roleAssignmentRepository.ts';
import type { Database } from '../../../src/adapters/store/sqlExecutor.ts';
import { loadCaseSnapshot } from '../../../src/app/cases/caseSnapshot.ts';
import { watchDeadlines } from '../../../src/app/deadlines/deadlineWatch.ts';
import { confirmNotification } from '../../../src/app/lifecycle/confirmNotification.ts';
import { recordStep } from '../../../src/app/lifecycle/recordStep.ts';
import { submitReferral } from '../../../src/app/referrals/submitReferral.ts';
import { castVote } from '../../../src/app/votes/castVote.ts';
import type { ClockState } from '../../../src/domain/clocks/clockState.ts';
import type { ReferralInput } from '../../../src/domain/referral/referralSchema.ts';
import { fakeClock, sampleReferral, testContext } from '../../support/fixtures.ts';

/** Obviously fictional people holding every role a case needs. */
export const WHO = {
  dsp: {
    local_authority: '00000000-0000-4000-8000-00000000a001',
    police: '00000000-0000-4000-8000-00000000a002',
    health: '00000000-0000-4000-8000-00000000a003',
  },
  notifier: '00000000-0000-4000-8000-00000000b001',
  manager: '00000000-0000-4000-8000-00000000b002',
  rrChair: '00000000-0000-4000-8000-00000000b003',
  chair: '00000000-0000-4000-8000-00000000b004',
  engineRoom: '00000000-0000-4000-8000-00000000b005',
  lead: {
    local_authority: '00000000-0000-4000-8000-00000000c001',
    police: '00000000-0000-4000-8000-00000000c002',
    health: '00000000-0000-4000-8000-00000000c003',
  },
  headOfService: {
    local_authority: '00000000-0000-4000-8000-00000000d001',
    police: '00000000-0000-4000-8000-00000000d002',
    health: '00000000-0000-4000-8000-00000000d003',
  },
  chiefOfficer: { police: '00000000-0000-4000-8000-00000000e002' },
} as const;

const AGENCIES = ['local_authority', 'police', 'health'] as const;

/** A case walked through its lifecycle by the app's own use cases, on a real store, with a clock the test moves. */
export async function startWalk(
  db: Database,
  profileFile: string,
  localAuthority: string,
  referredAt: string,
  referral: Partial<ReferralInput> = {},
  /** A referral completed from an email kept in the store (by the business manager, from its triage card). */
  options: { emailReferralId?: string } = {},
) {
  const profile = loadProfileFile(`${SHIPPED_PROFILES_DIR}/${profileFile}`);
  const clock = fakeClock(referredAt);
  const ctx = testContext(db, clock, profile);
  for (const agency of AGENCIES) {
    await assignRole(db, { role: 'dsp', scope: agency, userId: WHO.dsp[agency] });
    await assignRole(db, { role: 'agency_leads', scope: agency, userId: WHO.lead[agency] });
    await assignRole(db, { role: 'head_of_service', scope: agency, userId: WHO.headOfService[agency] });
  }
  await assignRole(db, { role: 'chief_officer', scope: 'police', userId: WHO.chiefOfficer.police });
  await assignRole(db, { role: 'la_notifier', scope: localAuthority, userId: WHO.notifier });
  await assignRole(db, { role: 'business_manager', scope: '', userId: WHO.manager });
  await assignRole(db, { role: 'rr_chair', scope: '', userId: WHO.rrChair });
  await assignRole(db, { role: 'partnership_chair', scope: '', userId: WHO.chair });
  await assignRole(db, { role: 'engine_room', scope: '', userId: WHO.engineRoom });

  const day = referredAt.slice(0, 10);
  const { case: record } = await submitReferral(
    ctx,
    sampleReferral({
      referredOn: day,
      incident: { date: day, isDeath: false },
      child: { ...sampleReferral().child, localAuthority },
      ...referral,
    }),
    options.emailReferralId ? WHO.manager : 'referrer-fictional',
    options.emailReferralId ? { emailReferralId: options.emailReferralId } : {},
  );
  const caseId = record.id;

  const walk = {
    ctx,
    clock,
    profile,
    caseId,
    reference: record.reference,
    /** Moves the clock to this instant (never back). */
    at(instant: string) {
      expect(new Date(instant).getTime(), `the clock only moves forward: ${instant}`).toBeGreaterThanOrEqual(clock.now().getTime());
      clock.set(instant);
      return walk;
    },
    async decide(outcome: string) {
      for (const agency of AGENCIES)
        await castVote(
          ctx,
          { caseId, agency, decision: outcome, rationale: `Fictional rationale from the ${agency} partner.` },
          WHO.dsp[agency],
        );
    },
    confirmNotification: (notifiedOn: string) =>
      confirmNotification(ctx, { caseId, notifiedOn, panelReference: 'CSPRP-FICTIONAL-1' }, WHO.notifier),
    step: (step: string, values: Record<string, unknown>, actor: string = WHO.manager) => recordStep(ctx, { caseId, step, values }, actor),
    async stage() {
      return (await loadCaseSnapshot(ctx, caseId)).record.stage;
    },
    /** The stored clock rows (what the watch reads), by id (and item). */
    async clocks(): Promise<Record<string, { state: ClockState; due: string | null }>> {
      const { rows } = await db.query<{ clock_id: string; item: string; state: ClockState; due_date: string | null }>(
        'SELECT clock_id, item, state, due_date FROM clocks WHERE case_id = $1',
        [caseId],
      );
      return Object.fromEntries(rows.map((r) => [r.item ? `${r.clock_id}:${r.item}` : r.clock_id, { state: r.state, due: r.due_date }]));
    },
    /** Asserts one stored clock's due date and state. */
    async expectClock(id: string, due: string | null, state: ClockState) {
      const clocks = await walk.clocks();
      expect(clocks[id], `${id} in ${Object.keys(clocks).join(', ')}`).toEqual({ state, due });
    },
    async eventTypes() {
      const { rows } = await db.query<{ type: string }>('SELECT type FROM case_events WHERE case_id = $1 ORDER BY id', [caseId]);
      return rows.map((r) => r.type);
    },
    async outbox(kind: string) {
      const { rows } = await db.query<{ recipient: string; payload: Record<string, unknown> }>(
        'SELECT recipient, payload FROM outbox WHERE case_id = $1 AND kind = $2 ORDER BY id',
        [caseId, kind],
      );
      return rows;
    },
    /** Runs the deadline watch now; the alerts it raised on this case. */
    async tick() {
      const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM alerts WHERE case_id = $1', [caseId])).rows[0]!.n;
      await watchDeadlines(ctx, { digestTime: '08:30' });
      const { rows } = await db.query<{ clock_id: string; item: string; level: string; recipient: string }>(
        'SELECT clock_id, item, level, recipient FROM alerts WHERE case_id = $1 ORDER BY raised_at, clock_id, item, level, recipient OFFSET $2',
        [caseId, before],
      );
      return rows.map((r) => ({ clock: r.clock_id, item: r.item, level: r.level, recipient: r.recipient }));
    },
    async auditActions() {
      const { rows } = await db.query<{ action: string }>('SELECT action FROM audit_log WHERE case_id = $1 ORDER BY seq', [caseId]);
      return rows.map((r) => r.action);
    },
  };
  return walk;
}

/** The criteria views for a rapid review outcome: every criterion considered. */
export function criteriaViews(profile: { reviewCriteria: readonly { id: string }[] }, view = 'met'): Record<string, string> {
  return Object.fromEntries(
    profile.reviewCriteria.flatMap((c) => [
      [`view_${c.id}`, view],
      [`notes_${c.id}`, `Fictional notes on ${c.id}.`],
    ]),
  );
}
