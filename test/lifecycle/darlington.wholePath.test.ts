import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { loadCaseSnapshot } from '../../src/app/cases/caseSnapshot.ts';
import { ForbiddenError } from '../../src/app/errors.ts';
import { ValidationError } from '../../src/domain/validation/validationError.ts';
import { testEngines } from '../support/testDatabases.ts';
import { criteriaViews, startWalk, WHO } from './support/caseWalk.ts';

/**
 * Darlington cases (seed 004), through the app's use cases on a real store. Dates were chosen to cross
 * the spring bank holiday (Mon 31 May 2027), a leap day (Tue 29 Feb 2028) and the clocks going forward
 * (Sun 26 Mar 2028). Every expected date is worked out by hand below from the seed's words; "within N
 * working days of X" is the end of the Nth working day after X (domain.md), X not counted. Darlington
 * counts its rapid review from the Panel's ACKNOWLEDGEMENT of the notification (s.6.2, s.6.10), not
 * from the notification itself.
 */
for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`Darlington whole path, store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => db.close());

    it('walks a notifiable case from referral to close with every clock on its hand-worked date', async () => {
      // Referral: Fri 21 May 2027, 09:00 UTC (10:00 BST). The LA is aware from receipt (Fri 21).
      const w = await startWalk(db, 'darlington.json', 'Darlington', '2027-05-21T09:00:00Z');
      expect(await w.stage()).toBe('dsp_decision');
      // 004 s.4.6, the business manager informs the partners "within 1 working day": Mon 24 (1).
      await w.expectClock('partners_told', '2027-05-24', 'pending');
      // 004 s.5.1, the LA reports to the partners "within 1 working day of becoming aware": Mon 24 (1).
      await w.expectClock('la_report_to_partners', '2027-05-24', 'pending');
      // 004 s.4.6, the partners meet "within 5 working days of receipt": Mon 24 (1), Tue 25 (2), Wed 26 (3),
      // Thu 27 (4), Fri 28 (5).
      await w.expectClock('dsp_decision', '2027-05-28', 'pending');
      // No decision yet: the Panel notification and the feedback to the referrer have not started.
      await w.expectClock('panel_notification', null, 'not_started');
      await w.expectClock('referrer_told_outcome', null, 'not_started');
      await w.expectClock('rr_report_to_panel', null, 'not_started');

      // Mon 24 May: the business manager records the partners told, the same day.
      w.at('2027-05-24T10:00:00Z');
      await w.step('partners_told', { toldOn: '2027-05-24' });
      await w.expectClock('partners_told', '2027-05-24', 'met');
      await w.expectClock('la_report_to_partners', '2027-05-24', 'met');

      // Wed 26 May: the three partners decide to notify.
      w.at('2027-05-26T10:00:00Z');
      await w.decide('notify');
      await w.expectClock('dsp_decision', '2027-05-28', 'met');
      expect(await w.stage()).toBe('notification');
      // The form goes to Darlington's notifier by email.
      expect((await w.outbox('case_email')).filter((m) => m.payload.template === 'notifier').map((m) => m.recipient)).toEqual([
        WHO.notifier,
      ]);
      // 004 s.5.2, the Panel "within 5 working days of becoming aware" (Fri 21 May): Mon 24, Tue 25, Wed 26,
      // Thu 27, Fri 28 May.
      await w.expectClock('panel_notification', '2027-05-28', 'pending');
      // 004 s.5.7, the referrer told "within 5 working days of the decision being made" (Wed 26 May):
      // Thu 27 (1), Fri 28 (2); the weekend and the spring bank holiday (Mon 31) skipped; Tue 1 Jun (3),
      // Wed 2 (4), Thu 3 Jun (5).
      await w.expectClock('referrer_told_outcome', '2027-06-03', 'pending');

      // Thu 27 May: the notifier notified the Panel and records it the same day.
      w.at('2027-05-27T14:00:00Z');
      await w.confirmNotification('2027-05-27');
      await w.expectClock('panel_notification', '2027-05-28', 'met');
      expect(await w.stage()).toBe('rapid_review');
      // Darlington counts the rapid review from the Panel's acknowledgement, not the notification: not started yet.
      await w.expectClock('rr_meeting', null, 'not_started');
      await w.expectClock('rr_report_to_panel', null, 'not_started');

      // Fri 28 May: the Panel acknowledges. A date before the notification is refused, nothing written.
      w.at('2027-05-28T10:00:00Z');
      const eventsBefore = (await w.eventTypes()).length;
      const auditBefore = (await w.auditActions()).length;
      const refusal = await w.step('panel_acknowledged', { acknowledgedOn: '2027-05-26' }, WHO.notifier).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).problems).toEqual([{ field: 'acknowledgedOn', message: 'must not be before 2027-05-27' }]);
      expect((await w.eventTypes()).length).toBe(eventsBefore);
      expect((await w.auditActions()).length).toBe(auditBefore);
      await w.expectClock('rr_report_to_panel', null, 'not_started');

      await w.step('panel_acknowledged', { acknowledgedOn: '2027-05-28' }, WHO.notifier);
      // 004 s.3 / s.6.2, the meeting "within 7-10 working days of acknowledgement" (Fri 28 May): the spring
      // bank holiday (Mon 31) skipped; Tue 1 Jun (1), Wed 2 (2), Thu 3 (3), Fri 4 (4), Mon 7 (5), Tue 8 (6),
      // Wed 9 (7: the window opens), Thu 10 (8), Fri 11 (9), Mon 14 Jun (10: due).
      await w.expectClock('rr_meeting', '2027-06-14', 'pending');
      const window = (await loadCaseSnapshot(w.ctx, w.caseId)).clocks.find((c) => c.clockId === 'rr_meeting');
      expect(window?.earliestDate).toBe('2027-06-09');
      // 004 s.6.2, "within 15 working days of the acknowledgement" at the latest: ... Mon 14 (10), Tue 15 (11),
      // Wed 16 (12), Thu 17 (13), Fri 18 (14), Mon 21 Jun (15).
      await w.expectClock('rr_meeting_latest', '2027-06-21', 'pending');
      // 004 s.6.10, the decision "reported ... within 15 working days of the acknowledgement": Mon 21 Jun.
      await w.expectClock('rr_report_to_panel', '2027-06-21', 'pending');

      // Still Fri 28 May: the chronology requests go to the police and health.
      w.at('2027-05-28T11:00:00Z');
      const sent = await w.step('info_requests_sent', { agencies: 'police,health' });
      // Darlington's profile: returns within 5 working days of sending (Fri 28 May): Tue 1 Jun (1; Mon 31
      // skipped), Wed 2 (2), Thu 3 (3), Fri 4 (4), Mon 7 Jun (5).
      expect(sent.plan.note).toContain('returns due by the end of Mon 7 Jun');
      await w.expectClock('agency_return:police', '2027-06-07', 'pending');
      await w.expectClock('agency_return:health', '2027-06-07', 'pending');
      expect((await w.outbox('info_request')).map((m) => m.recipient).sort()).toEqual([WHO.lead.health, WHO.lead.police].sort());

      // Thu 3 Jun, the last day of the referrer's 5 working days (on time only because Mon 31 is skipped).
      w.at('2027-06-03T15:00:00Z');
      await w.step('referrer_told_outcome', { toldOn: '2027-06-03' }, WHO.notifier);
      await w.expectClock('referrer_told_outcome', '2027-06-03', 'met');
      await w.step('info_return_recorded', { itemId: 'police', kind: 'received' }, WHO.lead.police);
      await w.expectClock('agency_return:police', '2027-06-07', 'met');

      // Mon 7 Jun: health's return, on its last day.
      w.at('2027-06-07T16:00:00Z');
      const last = await w.step('info_return_recorded', { itemId: 'health', kind: 'nil' }, WHO.lead.health);
      expect(last.plan.note).toContain('every agency has now returned');
      await w.expectClock('agency_return:health', '2027-06-07', 'met');

      // Thu 10 Jun (working day 8, inside the 7-10 window): the Rapid Review Panel; it recommends no review.
      w.at('2027-06-10T15:00:00Z');
      await w.step(
        'rr_meeting_held',
        {
          heldOn: '2027-06-10',
          ...criteriaViews(w.profile, 'not_met'),
          conclusion: 'no_review',
          reasons: 'Fictional: no criterion for a local review is met.',
        },
        WHO.rrChair,
      );
      await w.expectClock('rr_meeting', '2027-06-14', 'met');
      await w.expectClock('rr_meeting_latest', '2027-06-21', 'met');
      // 004 s.6.10: the partners and the Independent Scrutineer/Chair make the final decision.
      expect(await w.stage()).toBe('governance');

      // Fri 11 Jun: the rapid review chair (who chairs the Governance Group, s.9.1) may not take the final
      // decision: it is the Independent Scrutineer/Chair's. Refused, nothing written.
      w.at('2027-06-11T10:00:00Z');
      const beforeGovernance = (await w.eventTypes()).length;
      await expect(
        w.step('governance_meeting_held', { heldOn: '2027-06-11', decision: 'no_review', reasons: 'Fictional.' }, WHO.rrChair),
      ).rejects.toBeInstanceOf(ForbiddenError);
      expect((await w.eventTypes()).length).toBe(beforeGovernance);
      expect(await w.stage()).toBe('governance');
      await w.step(
        'governance_meeting_held',
        { heldOn: '2027-06-11', decision: 'no_review', reasons: 'Fictional: the chair agrees no review is needed.' },
        WHO.chair,
      );
      expect(await w.stage()).toBe('panel_submission');
      // No review commissioned: the 6-month publication clock does not apply, and no publication is planned.
      await w.expectClock('lcspr_publication', null, 'not_applicable');
      await w.expectClock('lcspr_copy_before_publication', null, 'not_started');

      // Mon 14 Jun: the report goes to the Panel, inside its 15 working days (due Mon 21 Jun).
      w.at('2027-06-14T16:00:00Z');
      await w.step('rr_report_submitted', { submittedOn: '2027-06-14' }, WHO.chair);
      await w.expectClock('rr_report_to_panel', '2027-06-21', 'met');
      expect(await w.stage()).toBe('panel_response');

      // Thu 8 Jul: the Panel agrees; with no review commissioned the case goes to its action plan.
      w.at('2027-07-08T10:00:00Z');
      await w.step('panel_response_received', { receivedOn: '2027-07-08', response: 'agrees' });
      expect(await w.stage()).toBe('action_plan');

      // An action for the police, due Mon 29 Nov 2027; the case cannot close while it is open.
      await w.step(
        'action_set',
        { description: 'Fictional: refresh custody referral guidance.', agency: 'police', deadline: '2027-11-29' },
        WHO.engineRoom,
      );
      await w.expectClock('action_plan_item:A1', '2027-11-29', 'pending');
      await expect(w.step('case_closed', { reason: 'Fictional.' })).rejects.toThrow(/Action A1 is still running/);

      const actionAlerts = async () => (await w.tick()).filter((a) => a.clock === 'action_plan_item');
      // Due soon from the start of the 10th working day before Mon 29 Nov: Fri 26 (1), Thu 25 (2), Wed 24 (3),
      // Tue 23 (4), Mon 22 (5), Fri 19 (6), Thu 18 (7), Wed 17 (8), Tue 16 (9), Mon 15 Nov (10): 00:00 GMT.
      w.at('2027-11-14T23:59:59Z');
      expect(await actionAlerts()).toEqual([]);
      w.at('2027-11-15T00:00:00Z');
      expect(await actionAlerts()).toEqual([{ clock: 'action_plan_item', item: 'A1', level: 'due_soon', recipient: WHO.lead.police }]);
      // Overdue from the end of Mon 29 Nov (GMT): 00:00 UTC on Tue 30 Nov; the police lead is told.
      w.at('2027-11-30T00:00:00Z');
      expect(await actionAlerts()).toEqual([{ clock: 'action_plan_item', item: 'A1', level: 'overdue', recipient: WHO.lead.police }]);

      // 004 s.9.2, the Head of Service told when actions are "not completed three months beyond the specified
      // deadline": Mon 29 Nov 2027 + 3 calendar months = Tue 29 Feb 2028 (a leap year), from the end of that
      // London day (GMT): 00:00 UTC on Wed 1 Mar 2028. Only the POLICE Head of Service, the agency owning it.
      w.at('2028-02-29T23:59:59Z');
      expect(await actionAlerts()).toEqual([]);
      w.at('2028-03-01T00:00:00Z');
      const threeMonths = await actionAlerts();
      expect(threeMonths).toEqual([{ clock: 'action_plan_item', item: 'A1', level: 'escalation_0', recipient: WHO.headOfService.police }]);
      expect(threeMonths.map((a) => a.recipient)).not.toContain(WHO.headOfService.health);
      expect(threeMonths.map((a) => a.recipient)).not.toContain(WHO.headOfService.local_authority);

      // 004 s.9.2, the Chief Officer told when actions "remain outstanding at six months beyond the original
      // deadline": Mon 29 Nov 2027 + 6 calendar months = Mon 29 May 2028 (a bank holiday, irrelevant to
      // calendar months), from the end of that London day, now BST: 23:00 UTC on Mon 29 May 2028.
      w.at('2028-05-29T22:59:59Z');
      expect(await actionAlerts()).toEqual([]);
      w.at('2028-05-29T23:00:00Z');
      expect(await actionAlerts()).toEqual([
        { clock: 'action_plan_item', item: 'A1', level: 'escalation_1', recipient: WHO.chiefOfficer.police },
      ]);

      // Thu 1 Jun 2028: the police lead completes the action, late.
      w.at('2028-06-01T10:00:00Z');
      await w.step('action_completed', { itemId: 'A1' }, WHO.lead.police);
      await w.expectClock('action_plan_item:A1', '2027-11-29', 'met_late');
      // Nothing more to chase.
      w.at('2028-06-01T11:00:00Z');
      expect(await w.tick()).toEqual([]);

      w.at('2028-06-02T10:00:00Z');
      await w.step('case_closed', { reason: 'Fictional: no review; the action is complete.' });
      expect(await w.stage()).toBe('closed');

      // Every step is in the audit log, whose chain verifies.
      const actions = await w.auditActions();
      for (const step of [
        'partners_told',
        'panel_acknowledged',
        'info_requests_sent',
        'referrer_told_outcome',
        'rr_meeting_held',
        'governance_meeting_held',
        'rr_report_submitted',
        'panel_response_received',
        'action_set',
        'action_completed',
        'case_closed',
      ]) {
        expect(actions).toContain(`step:${step}`);
      }
      expect(actions).toContain('panel_notified');
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });

    it('sends a case the partners refer for learning to the Learning & Development Group, whose decision goes back to the referrer', async () => {
      // Referral: Thu 27 May 2027, 10:00 UTC.
      const w = await startWalk(db, 'darlington.json', 'Darlington', '2027-05-27T10:00:00Z');
      // 004 s.4.6, partners told within 1 working day: Fri 28 May (1).
      await w.expectClock('partners_told', '2027-05-28', 'pending');
      // 004 s.4.6, the partners meet within 5 working days of receipt (Thu 27 May): Fri 28 (1); the weekend and
      // the spring bank holiday (Mon 31) skipped; Tue 1 Jun (2), Wed 2 (3), Thu 3 (4), Fri 4 Jun (5).
      await w.expectClock('dsp_decision', '2027-06-04', 'pending');

      // Fri 28 May: the partners refer it to the Learning & Development Group (004 s.5.5).
      w.at('2027-05-28T10:00:00Z');
      await w.step('partners_told', { toldOn: '2027-05-28' });
      await w.decide('refer_to_learning_group');
      expect(await w.stage()).toBe('learning_review');
      await w.expectClock('dsp_decision', '2027-06-04', 'met');
      await w.expectClock('panel_notification', null, 'not_applicable');
      // 004 s.5.7, the referrer told the outcome within 5 working days of the decision (Fri 28 May), whatever
      // it is: Tue 1 Jun (1; Mon 31 skipped), Wed 2 (2), Thu 3 (3), Fri 4 (4), Mon 7 Jun (5).
      await w.expectClock('referrer_told_outcome', '2027-06-07', 'pending');

      // Wed 2 Jun: the group meets. A DSP may not record its decision; nothing is written or queued.
      w.at('2027-06-02T14:00:00Z');
      const before = (await w.eventTypes()).length;
      await expect(
        w.step('learning_decision', { outcome: 'multi_agency_audit', rationale: 'Fictional.' }, WHO.dsp.police),
      ).rejects.toBeInstanceOf(ForbiddenError);
      expect((await w.eventTypes()).length).toBe(before);
      expect((await w.outbox('case_email')).filter((m) => m.payload.template === 'learning')).toEqual([]);
      expect(await w.stage()).toBe('learning_review');

      // 004 s.10.6: the group determines one of five outcomes; here 2, a multi-agency audit of similar cases.
      const recorded = await w.step(
        'learning_decision',
        { outcome: 'multi_agency_audit', rationale: 'Fictional: similar cases show the same gap in information sharing.' },
        WHO.engineRoom,
      );
      expect(recorded.plan.note).toContain('2. A multi-agency audit of similar cases');
      expect(await w.stage()).toBe('action_plan');
      const emails = (await w.outbox('case_email')).filter((m) => m.payload.template === 'learning');
      expect(emails.map((m) => m.recipient)).toEqual(['referrer']);
      expect(emails[0]!.payload.caseId).toBe(w.caseId);
      const decision = (await loadCaseSnapshot(w.ctx, w.caseId)).events.filter((e) => e.type === 'learning_decision');
      expect(decision.map((e) => e.data)).toEqual([
        { outcome: 'multi_agency_audit', rationale: 'Fictional: similar cases show the same gap in information sharing.' },
      ]);
      expect(await w.auditActions()).toContain('step:learning_decision');
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });
  });
}
