import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { ConflictError, ForbiddenError } from '../../src/app/errors.ts';
import { confirmNotification } from '../../src/app/lifecycle/confirmNotification.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import { ValidationError } from '../../src/domain/validation/validationError.ts';
import { testEngines } from '../support/testDatabases.ts';
import { criteriaViews, startWalk, WHO } from './support/caseWalk.ts';

/**
 * One North East Lincolnshire case (seed 001), referral to close, through the app's use cases on a
 * real store. NEL differs from HSSCP: only the local authority decides whether to notify (001 s.3
 * L60), its rapid review runs on the Appendix 1 timetable counted from the REFERRAL (so the
 * preparation starts before the Panel is notified), the rapid review's own outcome is the decision
 * on a review (no governance stage), and the agencies are told that outcome on a clock of their own.
 *
 * Dates were chosen to cross the clocks going back (Sun 31 Oct 2027, 02:00 BST -> 01:00 GMT), several
 * weekends, and Christmas / New Year 2027-28 (Christmas Sat 25 Dec -> substitute Mon 27 Dec, Boxing
 * Day Sun 26 Dec -> substitute Tue 28 Dec, New Year Sat 1 Jan 2028 -> substitute Mon 3 Jan). No bank
 * holiday falls in November 2027. Every expected date is worked out by hand below from the seed's
 * words; "within N working days of X" is the end of the Nth working day after X (domain.md), X not
 * counted.
 *
 * Working days after the referral (Thu 28 Oct 2027), used by every Appendix 1 row:
 * Fri 29 Oct (1), [Sat 30, Sun 31 Oct: clocks go back] Mon 1 Nov (2), Tue 2 (3), Wed 3 (4), Thu 4 (5),
 * Fri 5 (6), Mon 8 (7), Tue 9 (8), Wed 10 (9), Thu 11 (10), Fri 12 (11), Mon 15 (12), Tue 16 Nov (13).
 */
for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`NEL whole path, store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => db.close());

    it('walks a case from referral to close with every clock on its hand-worked date', async () => {
      // Referral: Thu 28 Oct 2027, 10:00 BST (09:00Z).
      const w = await startWalk(db, 'nel.json', 'North East Lincolnshire', '2027-10-28T09:00:00Z');
      expect(w.reference).toMatch(/^NEL-2027-/);
      expect(await w.stage()).toBe('dsp_decision');
      // 001 Appendix 1 L208, "Within 2 working days of referral", templates sent and (L209) the meeting
      // date set: Fri 29 Oct (1), Mon 1 Nov (2).
      await w.expectClock('info_requests_sent', '2027-11-01', 'pending');
      await w.expectClock('rr_meeting_date_set', '2027-11-01', 'pending');
      // L210, "Within 5 working days", templates returned and shared with the attendees (from the
      // referral): Fri 29 Oct, Mon 1, Tue 2, Wed 3, Thu 4 Nov.
      await w.expectClock('agency_info_returns', '2027-11-04', 'pending');
      await w.expectClock('agency_info_circulated', '2027-11-04', 'pending');
      // L211, "Between 7 and 13 working days of receiving the referral": by Tue 16 Nov (13).
      await w.expectClock('rr_meeting', '2027-11-16', 'pending');
      // No decision yet: the notification clock has not started (it applies only to "notify").
      await w.expectClock('panel_notification', null, 'not_started');
      // NEL's report to the Panel runs from the rapid review meeting, which has not happened.
      await w.expectClock('rr_report_to_panel', null, 'not_started');

      // Thu 28 Oct 15:00 BST: the decision. 001 s.3 L60, "The duty to notify events to the Panel rests
      // with the local authority": the police DSP's vote is refused, and nothing is written.
      w.at('2027-10-28T14:00:00Z');
      const eventsBeforeVote = (await w.eventTypes()).length;
      const policeVote = await castVote(
        w.ctx,
        { caseId: w.caseId, agency: 'police', decision: 'notify', rationale: 'Fictional.' },
        WHO.dsp.police,
      ).catch((e: unknown) => e);
      expect(policeVote).toBeInstanceOf(ValidationError);
      expect((policeVote as ValidationError).problems.map((p) => p.field)).toEqual(['agency']);
      expect((await w.eventTypes()).length).toBe(eventsBeforeVote);
      expect(await w.stage()).toBe('dsp_decision');
      // The police DSP cannot vote for the local authority either.
      await expect(
        castVote(w.ctx, { caseId: w.caseId, agency: 'local_authority', decision: 'notify', rationale: 'Fictional.' }, WHO.dsp.police),
      ).rejects.toBeInstanceOf(ForbiddenError);
      // The local authority's vote alone decides.
      const vote = await castVote(
        w.ctx,
        { caseId: w.caseId, agency: 'local_authority', decision: 'notify', rationale: 'Fictional: the notification criteria are met.' },
        WHO.dsp.local_authority,
      );
      expect(vote.decided).toEqual({ outcome: 'notify', stage: 'notification' });
      expect(await w.stage()).toBe('notification');
      // 001 s.3 L64, "within 5 working days of becoming aware" (aware at receipt, Thu 28 Oct):
      // Fri 29 Oct, Mon 1, Tue 2, Wed 3, Thu 4 Nov.
      await w.expectClock('panel_notification', '2027-11-04', 'pending');
      expect((await w.outbox('case_email')).map((m) => m.recipient)).toEqual([WHO.notifier]);

      // The deadline watch, still in BST: the 2-working-day items are "due soon" from the start of Fri
      // 29 Oct (1 working day before Mon 1 Nov), i.e. 00:00 BST = 23:00Z on Thu 28 Oct.
      w.at('2027-10-28T22:59:00Z');
      expect(await w.tick()).toEqual([]);
      w.at('2027-10-28T23:00:00Z');
      expect(await w.tick()).toEqual([
        { clock: 'info_requests_sent', item: '', level: 'due_soon', recipient: WHO.manager },
        { clock: 'rr_meeting_date_set', item: '', level: 'due_soon', recipient: WHO.manager },
      ]);

      // Fri 29 Oct 10:00 BST: while the case still waits for the Panel notification, the rapid review
      // is prepared (NEL's timetable runs from the referral).
      w.at('2027-10-29T09:00:00Z');
      await w.step('rr_panel_named', {
        chair: 'Robin Fictional (RR chair)',
        members: 'Sam Placeholder, LA\nJo Sample, Police\nAlex Dummy, ICB',
      });
      const sent = await w.step('info_requests_sent', { agencies: 'police,health' });
      expect(await w.stage()).toBe('notification');
      // NEL's profile: returns within 5 working days of the REFERRAL, not of sending: Thu 4 Nov (above).
      expect(sent.plan.note).toContain('returns due by the end of Thu 4 Nov');
      await w.expectClock('info_requests_sent', '2027-11-01', 'met');
      await w.expectClock('agency_return:police', '2027-11-04', 'pending');
      await w.expectClock('agency_return:health', '2027-11-04', 'pending');
      expect((await w.outbox('info_request')).map((m) => m.recipient).sort()).toEqual([WHO.lead.health, WHO.lead.police].sort());

      // Mon 1 Nov 2027 (GMT now): the notifier notified the Panel today. Only the LA's notifier (or the
      // business manager) may record it.
      w.at('2027-11-01T14:00:00Z');
      await expect(
        confirmNotification(w.ctx, { caseId: w.caseId, notifiedOn: '2027-11-01', panelReference: 'CSPRP-FICTIONAL-1' }, WHO.rrChair),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await w.confirmNotification('2027-11-01');
      await w.expectClock('panel_notification', '2027-11-04', 'met');
      // 001 s.3 L64, a copy to the partnership support office "on the same day that it is submitted":
      // due Mon 1 Nov, and the record arrived that day.
      await w.expectClock('notification_copy_to_partnership', '2027-11-01', 'met');
      expect(await w.stage()).toBe('rapid_review');
      // Unlike HSSCP, the notification does not start the report-to-Panel clock.
      await w.expectClock('rr_report_to_panel', null, 'not_started');

      // Mon 1 Nov, 23:30 GMT: the meeting date is set late on day 2. Day 2 ends at midnight GMT
      // (00:00Z Tue 2 Nov), not at 23:00Z as it would have in BST: on time.
      w.at('2027-11-01T23:30:00Z');
      await w.step('rr_meeting_date_set', { meetingDate: '2027-11-11' });
      await w.expectClock('rr_meeting_date_set', '2027-11-01', 'met');

      // Tue 2 Nov: the police lead records the police return; may not record health's.
      w.at('2027-11-02T10:00:00Z');
      await expect(w.step('info_return_recorded', { itemId: 'health', kind: 'received' }, WHO.lead.police)).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      await w.step('info_return_recorded', { itemId: 'police', kind: 'received' }, WHO.lead.police);
      await w.expectClock('agency_return:police', '2027-11-04', 'met');

      // Health's return, due Thu 4 Nov, is "due soon" from the start of Wed 3 Nov (1 working day
      // before), 00:00 GMT; its lead is told.
      w.at('2027-11-02T23:59:00Z');
      expect((await w.tick()).filter((a) => a.clock === 'agency_return')).toEqual([]);
      w.at('2027-11-03T00:00:00Z');
      expect((await w.tick()).filter((a) => a.clock === 'agency_return')).toEqual([
        { clock: 'agency_return', item: 'health', level: 'due_soon', recipient: WHO.lead.health },
      ]);

      // Wed 3 Nov: health's nil return completes the set, a day inside the 5 working days.
      w.at('2027-11-03T10:00:00Z');
      const last = await w.step('info_return_recorded', { itemId: 'health', kind: 'nil' });
      expect(last.plan.note).toContain('every agency has now returned');
      await w.expectClock('agency_return:health', '2027-11-04', 'met');
      await w.expectClock('agency_info_returns', '2027-11-04', 'met');

      // Thu 4 Nov (day 5): the pack goes to the meeting's attendees.
      w.at('2027-11-04T10:00:00Z');
      await w.step('return_pack_circulated', { confirm: 'true' });
      await w.expectClock('agency_info_circulated', '2027-11-04', 'met');

      // Thu 11 Nov (day 10): the rapid review meeting. An outcome dated tomorrow is refused, nothing written.
      w.at('2027-11-11T15:00:00Z');
      const eventsBefore = (await w.eventTypes()).length;
      const auditBefore = (await w.auditActions()).length;
      const refusal = await w
        .step(
          'rr_meeting_held',
          { heldOn: '2027-11-12', ...criteriaViews(w.profile, 'not_met'), conclusion: 'no_review', reasons: 'Fictional.' },
          WHO.rrChair,
        )
        .catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).problems).toEqual([{ field: 'heldOn', message: 'must not be in the future' }]);
      expect((await w.eventTypes()).length).toBe(eventsBefore);
      expect((await w.auditActions()).length).toBe(auditBefore);
      expect(await w.stage()).toBe('rapid_review');
      // A safeguarding lead does not record the outcome.
      await expect(
        w.step(
          'rr_meeting_held',
          { heldOn: '2027-11-11', ...criteriaViews(w.profile, 'not_met'), conclusion: 'no_review', reasons: 'Fictional.' },
          WHO.lead.police,
        ),
      ).rejects.toBeInstanceOf(ForbiddenError);
      const held = await w.step(
        'rr_meeting_held',
        {
          heldOn: '2027-11-11',
          ...criteriaViews(w.profile, 'not_met'),
          conclusion: 'no_review',
          reasons: 'Fictional: no criterion for a practice review is met.',
        },
        WHO.rrChair,
      );
      // Held on day 10, inside the window; the window opens on day 7, Mon 8 Nov.
      expect(held.clocks.find((c) => c.clockId === 'rr_meeting')?.earliestDate).toBe('2027-11-08');
      await w.expectClock('rr_meeting', '2027-11-16', 'met');
      // No governance stage: the rapid review's conclusion is the decision, and no LCSPR is commissioned.
      expect(await w.stage()).toBe('panel_submission');
      expect(await w.eventTypes()).toContain('lcspr_decision');
      await w.expectClock('lcspr_publication', null, 'not_applicable');
      // L212, "Within 2 days of the Rapid Review meeting" (read as working days, 001 s.11 L179; the
      // profile records this reading) for both the template to the Panel and the agencies being told:
      // Fri 12 Nov (1), Mon 15 Nov (2).
      await w.expectClock('rr_report_to_panel', '2027-11-15', 'pending');
      await w.expectClock('rr_outcome_to_agencies', '2027-11-15', 'pending');

      // Fri 12 Nov: the agencies (and the referrer's agency) are told the outcome.
      w.at('2027-11-12T10:00:00Z');
      await w.step('agencies_told_outcome', { confirm: 'true' });
      await w.expectClock('rr_outcome_to_agencies', '2027-11-15', 'met');
      expect(await w.stage()).toBe('panel_submission');
      await expect(w.step('agencies_told_outcome', { confirm: 'true' })).rejects.toBeInstanceOf(ConflictError);

      // Mon 15 Nov (day 2, after the weekend): the template goes to the Panel.
      w.at('2027-11-15T16:00:00Z');
      await w.step('rr_report_submitted', { submittedOn: '2027-11-15' });
      await w.expectClock('rr_report_to_panel', '2027-11-15', 'met');
      expect(await w.stage()).toBe('panel_response');
      // 001 s.6 L121, the Panel's decision "within 15 working days of a rapid review being received"
      // (Mon 15 Nov): Tue 16 (1), Wed 17 (2), Thu 18 (3), Fri 19 (4), Mon 22 (5), Tue 23 (6), Wed 24 (7),
      // Thu 25 (8), Fri 26 (9), Mon 29 (10), Tue 30 Nov (11), Wed 1 Dec (12), Thu 2 (13), Fri 3 (14),
      // Mon 6 Dec (15).
      await w.expectClock('panel_response', '2027-12-06', 'pending');

      // Thu 2 Dec: the Panel agrees. With no LCSPR the case goes to its action plan.
      w.at('2027-12-02T11:00:00Z');
      await w.step('panel_response_received', { receivedOn: '2027-12-02', response: 'agrees' });
      await w.expectClock('panel_response', '2027-12-06', 'met');
      expect(await w.stage()).toBe('action_plan');
      await w.expectClock('lcspr_publication', null, 'not_applicable');
      await w.expectClock('lcspr_copy_before_publication', null, 'not_started');

      // An action for health, due Fri 14 Jan 2028; the case cannot close while it is open.
      await w.step(
        'action_set',
        { description: 'Fictional: refresh training on information sharing.', agency: 'health', deadline: '2028-01-14' },
        WHO.engineRoom,
      );
      await w.expectClock('action_plan_item:A1', '2028-01-14', 'pending');
      await expect(w.step('case_closed', { reason: 'Fictional.' })).rejects.toThrow(/Action A1 is still running/);

      // The action is "due soon" 10 working days before Fri 14 Jan 2028: Thu 13 (1), Wed 12 (2), Tue 11
      // (3), Mon 10 (4), Fri 7 (5), Thu 6 (6), Wed 5 (7), Tue 4 (8); Mon 3 Jan (New Year substitute) and
      // the weekend skipped; Fri 31 Dec (9), Thu 30 Dec 2027 (10). From 00:00 GMT on Thu 30 Dec.
      w.at('2027-12-29T23:59:00Z');
      expect((await w.tick()).filter((a) => a.clock === 'action_plan_item')).toEqual([]);
      w.at('2027-12-30T00:00:00Z');
      expect((await w.tick()).filter((a) => a.clock === 'action_plan_item')).toEqual([
        { clock: 'action_plan_item', item: 'A1', level: 'due_soon', recipient: WHO.lead.health },
      ]);

      // Wed 12 Jan 2028: health's lead completes it; the police lead may not.
      w.at('2028-01-12T10:00:00Z');
      await expect(w.step('action_completed', { itemId: 'A1' }, WHO.lead.police)).rejects.toBeInstanceOf(ForbiddenError);
      await w.step('action_completed', { itemId: 'A1' }, WHO.lead.health);
      await w.expectClock('action_plan_item:A1', '2028-01-14', 'met');

      w.at('2028-01-13T10:00:00Z');
      await w.step('case_closed', { reason: 'Fictional: no review; the Panel agreed; the action is complete.' });
      expect(await w.stage()).toBe('closed');

      // Every step is in the audit log, whose chain verifies.
      const actions = await w.auditActions();
      for (const step of [
        'rr_panel_named',
        'info_requests_sent',
        'rr_meeting_date_set',
        'info_return_recorded',
        'return_pack_circulated',
        'rr_meeting_held',
        'agencies_told_outcome',
        'rr_report_submitted',
        'panel_response_received',
        'action_set',
        'action_completed',
        'case_closed',
      ]) {
        expect(actions).toContain(`step:${step}`);
      }
      expect(actions).toContain('panel_notified');
      expect(actions).not.toContain('step:governance_meeting_held');
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });
  });
}
