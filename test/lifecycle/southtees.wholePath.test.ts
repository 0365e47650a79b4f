import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { ForbiddenError } from '../../src/app/errors.ts';
import { confirmNotification } from '../../src/app/lifecycle/confirmNotification.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { composeServices } from '../../src/composition.ts';
import { readConfig } from '../../src/config.ts';
import { ValidationError } from '../../src/domain/validation/validationError.ts';
import { fakeClock, sampleReferral } from '../support/fixtures.ts';
import { testEngines } from '../support/testDatabases.ts';
import { criteriaViews, startWalk, WHO } from './support/caseWalk.ts';

/** Middlesbrough's Serious Incident Notifier: the other local authority of the partnership. */
const MIDDLESBROUGH_NOTIFIER = '00000000-0000-4000-8000-00000000b011';

/**
 * #15 item 10: one South Tees case (Middlesbrough, Redcar and Cleveland), under the Tees-wide guidance
 * (seed 002), from the Serious Incident Form to the rapid review report, through the app's use cases on a
 * real store. The dates cross a weekend and the clocks going back (Sun 25 Oct 2026); every expected
 * date is worked out by hand below from the seed's words; "within N working days of X" is the end of
 * the Nth working day after X, X not counted.
 */
for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`South Tees whole path, store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => db.close());

    it("walks a Redcar and Cleveland child's case from the strategy meeting to the rapid review report, each clock on its hand-worked date", async () => {
      // 002 L8-10: a strategy meeting on Thu 22 Oct 2026 found the criteria met; the nominated professional's
      // Serious Incident Form reached the partnership on Fri 23 Oct at 10:00 BST, giving that date.
      const w = await startWalk(db, 'southtees.json', 'Redcar and Cleveland', '2026-10-23T09:00:00Z', {
        incident: { date: '2026-10-21', isDeath: false, laAwareOn: '2026-10-22' },
      });
      await assignRole(db, { role: 'la_notifier', scope: 'Middlesbrough', userId: MIDDLESBROUGH_NOTIFIER });
      // Its own reference series.
      expect(w.reference).toBe('STSCP-2026-0001');
      // The partners' decision (002 is silent; the HSSCP arrangement of 000 L42 is reused), "within two
      // working days of the ... Form being received", Fri 23 Oct: Mon 26 (1), Tue 27 (2).
      await w.expectClock('dsp_decision', '2026-10-27', 'pending');

      // Mon 26 Oct (GMT now): the three partners agree to notify.
      w.at('2026-10-26T10:00:00Z');
      await w.decide('notify');
      await w.expectClock('dsp_decision', '2026-10-27', 'met');
      expect(await w.stage()).toBe('notification');
      // 002 L21, "within five working days of becoming aware of the incident": aware at the strategy meeting,
      // Thu 22 Oct: Fri 23 (1), Mon 26 (2), Tue 27 (3), Wed 28 (4), Thu 29 Oct (5). From the form's receipt it
      // would have been Fri 30 Oct.
      await w.expectClock('panel_notification', '2026-10-29', 'pending');
      // The form goes to the child's local authority's notifier, Redcar and Cleveland's, not Middlesbrough's.
      expect((await w.outbox('notifier_card')).map((m) => m.recipient)).toEqual([WHO.notifier]);
      expect((await w.outbox('case_email')).filter((m) => m.payload.template === 'notifier').map((m) => m.recipient)).toEqual([
        WHO.notifier,
      ]);

      // Wed 28 Oct: Middlesbrough's notifier cannot record Redcar and Cleveland's notification; its own notifier does.
      w.at('2026-10-28T14:00:00Z');
      await expect(
        confirmNotification(
          w.ctx,
          { caseId: w.caseId, notifiedOn: '2026-10-28', panelReference: 'CSPRP-FICTIONAL-2' },
          MIDDLESBROUGH_NOTIFIER,
        ),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await w.confirmNotification('2026-10-28');
      await w.expectClock('panel_notification', '2026-10-29', 'met');
      expect(await w.stage()).toBe('rapid_review');
      // 002 L24, "15 working days from the date of notification" (Wed 28 Oct): Thu 29 (1), Fri 30 (2), Mon 2
      // Nov (3), Tue 3 (4), Wed 4 (5), Thu 5 (6), Fri 6 (7), Mon 9 (8), Tue 10 (9), Wed 11 (10), Thu 12 (11),
      // Fri 13 (12), Mon 16 (13), Tue 17 (14), Wed 18 Nov (15).
      await w.expectClock('rr_report_to_panel', '2026-11-18', 'pending');
      // The DSP call was queued with the referral, the rapid review meeting with the notification.
      expect((await w.outbox('book_meeting')).map((m) => m.payload.kind)).toEqual(['dsp_call', 'rapid_review']);

      // Thu 29 Oct: 002 L24, "chronologies / summary of involvement will be requested" of the involved agencies.
      w.at('2026-10-29T09:30:00Z');
      await w.step('rr_panel_named', {
        chair: 'Robin Fictional (RR chair)',
        members: 'Sam Placeholder, LA\nJo Sample, Police\nAlex Dummy, ICB',
      });
      const sent = await w.step('info_requests_sent', { agencies: 'police,health' });
      // The reused HSSCP choice, returns within 5 working days of sending (Thu 29 Oct): Fri 30 (1), Mon 2 (2),
      // Tue 3 (3), Wed 4 (4), Thu 5 Nov (5).
      expect(sent.plan.note).toContain('Chronology / summary of involvement sent to Police, Integrated Care Board (health)');
      expect(sent.plan.note).toContain('returns due by the end of Thu 5 Nov');
      await w.expectClock('agency_return:police', '2026-11-05', 'pending');
      w.at('2026-11-05T11:00:00Z');
      await w.step('info_return_recorded', { itemId: 'police', kind: 'received' }, WHO.lead.police);
      await w.step('info_return_recorded', { itemId: 'health', kind: 'nil' });
      await w.expectClock('agency_return:police', '2026-11-05', 'met');
      await w.expectClock('agency_return:health', '2026-11-05', 'met');

      // Tue 10 Nov: the rapid review meeting. 002 L30: the panel members "decide what steps they should take
      // next, including whether or not to undertake a Local Child Safeguarding Practice Review", and "If the
      // decision is taken not to proceed ..., members will provide a summary of why it does not meet the
      // criteria". There is no governance stage: the rapid review's conclusion is the decision.
      w.at('2026-11-10T15:00:00Z');
      await w.step(
        'rr_meeting_held',
        {
          heldOn: '2026-11-10',
          ...criteriaViews(w.profile, 'not_met'),
          conclusion: 'no_review',
          reasons: 'Fictional: the agencies worked together well; no criterion for a local review is met.',
        },
        WHO.rrChair,
      );
      expect(await w.stage()).toBe('panel_submission');
      expect(await w.eventTypes()).toContain('lcspr_decision');
      await w.expectClock('lcspr_publication', null, 'not_applicable');

      // Thu 12 Nov: 002 L33, "a Rapid Review report will be submitted to the National Panel, informing them
      // of the outcome", four working days inside the deadline of Wed 18 Nov.
      w.at('2026-11-12T16:00:00Z');
      await w.step('rr_report_submitted', { submittedOn: '2026-11-12' });
      await w.expectClock('rr_report_to_panel', '2026-11-18', 'met');
      expect(await w.stage()).toBe('panel_response');
      // 002 L33, the Panel "will aim to respond ... within 15 working days" of Thu 12 Nov: Fri 13 (1), Mon 16
      // (2) ... Fri 27 (11), Mon 30 (12), Tue 1 Dec (13), Wed 2 (14), Thu 3 Dec (15).
      await w.expectClock('panel_response', '2026-12-03', 'pending');

      const actions = await w.auditActions();
      for (const step of ['rr_panel_named', 'info_requests_sent', 'rr_meeting_held', 'rr_report_submitted'])
        expect(actions).toContain(`step:${step}`);
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });
  });

  describe.skipIf(!engine.available)(`PROFILE=southtees, store on ${engine.name}`, () => {
    it('starts the service with the South Tees profile: its local authorities, its reference series', async () => {
      const services = await composeServices(readConfig({ PROFILE: 'southtees', LOG_LEVEL: 'silent' }), {
        db: await engine.open(),
        now: fakeClock('2026-10-23T09:00:00Z').now,
      });
      try {
        expect(services.ctx.profile.id).toBe('southtees');
        const referral = (localAuthority: string) =>
          sampleReferral({
            referredOn: '2026-10-23',
            incident: { date: '2026-10-21', isDeath: false },
            child: { ...sampleReferral().child, localAuthority },
          });
        const { case: record } = await submitReferral(services.ctx, referral('Middlesbrough'), 'referrer-fictional');
        expect(record.reference).toBe('STSCP-2026-0001');
        // A Hartlepool child is Hartlepool & Stockton's (HSSCP), under the same guidance but another partnership.
        const refused = await submitReferral(services.ctx, referral('Hartlepool'), 'referrer-fictional').catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(ValidationError);
        expect((refused as ValidationError).problems).toEqual([
          { field: 'child.localAuthority', message: 'must be one of Middlesbrough, Redcar and Cleveland' },
        ]);
      } finally {
        await services.close();
      }
    });
  });
}
