import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { ConflictError, ForbiddenError } from '../../src/app/errors.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import { ValidationError } from '../../src/domain/validation/validationError.ts';
import { testEngines } from '../support/testDatabases.ts';
import { criteriaViews, startWalk, WHO } from './support/caseWalk.ts';

/**
 * One HSSCP case (seed 000), referral to close, through the app's use cases on a real store. Dates
 * were chosen to cross Easter 2027 (Good Friday 26 Mar, Easter Monday 29 Mar), the clocks going
 * forward (Sun 28 Mar), the early May bank holiday (Mon 3 May) and the clocks going back (Sun 31 Oct).
 * Every expected date is worked out by hand below from the seed's words; "within N working days of X"
 * is the end of the Nth working day after X (domain.md), X not counted.
 */
for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`HSSCP whole path, store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => db.close());

    it('walks a case from referral to close with every clock on its hand-worked date', async () => {
      // Referral: Tue 16 Mar 2027, 10:00 GMT.
      const w = await startWalk(db, 'hsscp.json', 'Hartlepool', '2027-03-16T10:00:00Z');
      // 000 step 2, "within 2 working days of the form being received": Wed 17 (1), Thu 18 (2).
      await w.expectClock('dsp_decision', '2027-03-18', 'pending');

      w.at('2027-03-17T11:00:00Z');
      await w.decide('notify');
      await w.expectClock('dsp_decision', '2027-03-18', 'met');
      // 000 step 3b, "within 5 working days of the LA becoming aware" (aware at receipt, Tue 16):
      // Wed 17, Thu 18, Fri 19, Mon 22, Tue 23.
      await w.expectClock('panel_notification', '2027-03-23', 'pending');
      expect(await w.stage()).toBe('notification');

      // The notifier notified the Panel on Mon 22 Mar and records it the same day.
      w.at('2027-03-22T15:00:00Z');
      await w.confirmNotification('2027-03-22');
      await w.expectClock('panel_notification', '2027-03-23', 'met');
      // 000 step 8, "within 15 working days of the notification" (Mon 22 Mar): Tue 23 (1), Wed 24 (2),
      // Thu 25 (3); Good Friday, the weekend and Easter Monday skipped; Tue 30 (4), Wed 31 (5), Thu 1 Apr
      // (6), Fri 2 (7), Mon 5 (8), Tue 6 (9), Wed 7 (10), Thu 8 (11), Fri 9 (12), Mon 12 (13), Tue 13 (14),
      // Wed 14 Apr (15).
      await w.expectClock('rr_report_to_panel', '2027-04-14', 'pending');
      expect(await w.stage()).toBe('rapid_review');
      // The rapid review meeting is queued for booking in Outlook when the notification is recorded.
      expect((await w.outbox('book_meeting')).map((m) => m.payload.kind)).toEqual(['dsp_call', 'rapid_review']);

      // Rapid review set-up, Tue 23 Mar: the panel, and the information requests.
      w.at('2027-03-23T09:30:00Z');
      await w.step('rr_panel_named', {
        chair: 'Robin Fictional (RR chair)',
        members: 'Sam Placeholder, LA\nJo Sample, Police\nAlex Dummy, ICB',
      });
      const sent = await w.step('info_requests_sent', {
        agencies: 'police,health',
        otherAgencies: 'Example Academy Trust, dsl@academy.example',
      });
      // HSSCP's profile: returns within 5 working days of sending (Tue 23 Mar): Wed 24, Thu 25, Tue 30,
      // Wed 31, Thu 1 Apr (Easter skipped).
      expect(sent.plan.note).toContain('returns due by the end of Thu 1 Apr');
      await w.expectClock('agency_return:police', '2027-04-01', 'pending');
      await w.expectClock('agency_return:health', '2027-04-01', 'pending');
      await w.expectClock('agency_return:other_example_academy_trust', '2027-04-01', 'pending');
      // Each agency's lead gets a 1:1 card; the agency outside Teams gets an email.
      expect((await w.outbox('info_request')).map((m) => m.recipient).sort()).toEqual([WHO.lead.health, WHO.lead.police].sort());
      expect((await w.outbox('case_email')).filter((m) => m.payload.template === 'info_request').map((m) => m.recipient)).toEqual([
        'dsl@academy.example',
      ]);

      // The police lead records the police return; may not record health's.
      w.at('2027-03-31T10:00:00Z');
      await expect(w.step('info_return_recorded', { itemId: 'health', kind: 'received' }, WHO.lead.police)).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      await w.step('info_return_recorded', { itemId: 'police', kind: 'received' }, WHO.lead.police);
      w.at('2027-04-01T16:00:00Z');
      await w.step('info_return_recorded', { itemId: 'health', kind: 'nil' });
      await w.expectClock('agency_return:police', '2027-04-01', 'met');
      await w.expectClock('agency_return:health', '2027-04-01', 'met');
      // The academy's return is late: overdue from the end of Thu 1 Apr (BST: 23:00 UTC). The deadline
      // watch chases it: the academy is outside Teams, so the business manager (who emails it) is told.
      w.at('2027-04-01T22:59:00Z');
      // Still Thursday in London: only "due soon" (from the start of Wed 31 Mar, 1 working day before).
      expect((await w.tick()).filter((a) => a.clock === 'agency_return')).toEqual([
        { clock: 'agency_return', item: 'other_example_academy_trust', level: 'due_soon', recipient: WHO.manager },
      ]);
      w.at('2027-04-01T23:00:00Z');
      expect((await w.tick()).filter((a) => a.clock === 'agency_return')).toEqual([
        { clock: 'agency_return', item: 'other_example_academy_trust', level: 'overdue', recipient: WHO.manager },
      ]);
      w.at('2027-04-06T10:00:00Z');
      const last = await w.step('info_return_recorded', { itemId: 'other_example_academy_trust', kind: 'received' });
      expect(last.plan.note).toContain('every agency has now returned');
      await w.expectClock('agency_return:other_example_academy_trust', '2027-04-01', 'met_late');
      expect(await w.eventTypes()).toContain('info_returns_complete');

      w.at('2027-04-07T09:00:00Z');
      await w.step('return_pack_circulated', { confirm: 'true' });

      // Thu 8 Apr: the rapid review meeting. An outcome without a view on every criterion is refused, nothing written.
      w.at('2027-04-08T15:00:00Z');
      const before = (await w.eventTypes()).length;
      const refusal = await w
        .step('rr_meeting_held', { heldOn: '2027-04-08', conclusion: 'local_review', reasons: 'Fictional reasons.' }, WHO.rrChair)
        .catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).problems.map((p) => p.field)).toEqual(w.profile.reviewCriteria.map((c) => `view_${c.id}`));
      expect((await w.eventTypes()).length).toBe(before);
      // A DSP is not the rapid review chair.
      await expect(
        w.step(
          'rr_meeting_held',
          { heldOn: '2027-04-08', ...criteriaViews(w.profile), conclusion: 'local_review', reasons: 'Fictional.' },
          WHO.dsp.police,
        ),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await w.step(
        'rr_meeting_held',
        {
          heldOn: '2027-04-08',
          ...criteriaViews(w.profile),
          conclusion: 'local_review',
          reasons: 'Fictional: learning about how agencies worked together.',
          immediateActions: 'Fictional immediate action.',
        },
        WHO.rrChair,
      );
      expect(await w.stage()).toBe('governance');
      expect((await w.outbox('book_meeting')).map((m) => m.payload.kind)).toContain('governance');

      // Fri 9 Apr: the governance meeting; only the partnership chair makes the final decision.
      w.at('2027-04-09T14:00:00Z');
      await expect(
        w.step('governance_meeting_held', { heldOn: '2027-04-09', decision: 'local_review', reasons: 'Fictional.' }),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await w.step(
        'governance_meeting_held',
        { heldOn: '2027-04-09', decision: 'local_review', reasons: 'Fictional: the criteria for a local review are met.' },
        WHO.chair,
      );
      expect(await w.stage()).toBe('panel_submission');
      // 000 step 14, "within 6 months of the decision to initiate the review" (Fri 9 Apr 2027): Sat 9 Oct 2027 (calendar months).
      await w.expectClock('lcspr_publication', '2027-10-09', 'pending');
      expect((await w.outbox('book_meeting')).map((m) => m.payload.kind)).toContain('tor_planning');

      // Tue 13 Apr: the report goes to the Panel, a day inside its 15 working days.
      w.at('2027-04-13T16:00:00Z');
      await w.step('rr_report_submitted', { submittedOn: '2027-04-13' });
      await w.expectClock('rr_report_to_panel', '2027-04-14', 'met');
      expect(await w.stage()).toBe('panel_response');
      // 000 step 9, the Panel "aims for 15 working days" after submission (Tue 13 Apr): Wed 14 (1) ...
      // Fri 30 Apr (13), the early May bank holiday (Mon 3) skipped, Tue 4 (14), Wed 5 May (15).
      await w.expectClock('panel_response', '2027-05-05', 'pending');
      // Recording it twice is refused: the case has moved on.
      await expect(w.step('rr_report_submitted', { submittedOn: '2027-04-13' })).rejects.toBeInstanceOf(ConflictError);

      // Thu 6 May: the Panel answers, a day after its aim.
      w.at('2027-05-06T10:00:00Z');
      await w.step('panel_response_received', { receivedOn: '2027-05-06', response: 'agrees' });
      await w.expectClock('panel_response', '2027-05-05', 'met_late');
      expect(await w.stage()).toBe('lcspr');

      // The LCSPR.
      w.at('2027-05-17T10:00:00Z');
      await w.step('tor_meeting_held', { heldOn: '2027-05-17' });
      w.at('2027-05-24T10:00:00Z');
      await w.step('tor_approved', { approvedOn: '2027-05-24' }, WHO.chair);
      w.at('2027-05-25T10:00:00Z');
      await w.step('reviewer_named', { reviewer: 'Dr Fictional Reviewer, Example Reviews Ltd' });
      w.at('2027-05-26T10:00:00Z');
      await expect(
        w.step('reviewer_notified', { notifiedOn: '2027-05-26', panel: 'true', ofsted: 'true', dfe: 'false' }),
      ).rejects.toBeInstanceOf(ValidationError);
      await w.step('reviewer_notified', { notifiedOn: '2027-05-26', panel: 'true', ofsted: 'true', dfe: 'true' });
      w.at('2027-07-05T10:00:00Z');
      await w.step('checkpoint_held', { heldOn: '2027-07-05', notes: 'Fictional checkpoint.' });
      w.at('2027-09-06T10:00:00Z');
      await w.step('final_governance_held', { heldOn: '2027-09-06' });
      expect((await w.outbox('book_meeting')).map((m) => m.payload.kind)).not.toContain('final_governance'); // booked on the publication plan

      // Publication planned for Fri 8 Oct 2027. 000 step 13, copies "at least 7 working days before":
      // Thu 7 (1), Wed 6 (2), Tue 5 (3), Mon 4 (4), Fri 1 Oct (5), Thu 30 Sep (6), Wed 29 Sep (7).
      w.at('2027-09-07T10:00:00Z');
      await w.step('publication_planned', { plannedDate: '2027-10-08' });
      await w.expectClock('lcspr_copy_before_publication', '2027-09-29', 'pending');
      expect(await w.stage()).toBe('publication');
      // An inquest delays it to Fri 5 Nov, past the 6-month deadline: refused without reasons, then recorded with them.
      w.at('2027-09-20T10:00:00Z');
      await expect(w.step('publication_planned', { plannedDate: '2027-11-05' })).rejects.toBeInstanceOf(ValidationError);
      await w.step('publication_planned', { plannedDate: '2027-11-05', reasons: 'Fictional: the inquest is listed for late October.' });
      // Copies now due 7 working days before Fri 5 Nov: Thu 4, Wed 3, Tue 2, Mon 1 Nov, Fri 29, Thu 28, Wed 27 Oct.
      await w.expectClock('lcspr_copy_before_publication', '2027-10-27', 'pending');
      // 000 L131: the Panel and the Secretary of State are told the reasons for the delay, within the profile's 5
      // working days of Mon 20 Sep: Tue 21 (1), Wed 22 (2), Thu 23 (3), Fri 24 (4), Mon 27 Sep (5). Told Fri 24 Sep.
      await w.expectClock('publication_delay_reported:D1', '2027-09-27', 'pending');
      w.at('2027-09-24T10:00:00Z');
      await w.step('publication_delay_reported', { itemId: 'D1', toldOn: '2027-09-24', panel: 'true', sos: 'true' });
      await w.expectClock('publication_delay_reported:D1', '2027-09-27', 'met');

      w.at('2027-10-26T10:00:00Z');
      await w.step('report_copies_sent', { sentOn: '2027-10-26', panel: 'true', sos: 'true', ofsted: 'true' });
      await w.expectClock('lcspr_copy_before_publication', '2027-10-27', 'met');

      // Published Fri 5 Nov 2027 (GMT again): late against Sat 9 Oct; public until at least Sun 5 Nov 2028.
      w.at('2027-11-05T09:00:00Z');
      const published = await w.step('published', { publishedOn: '2027-11-05', where: 'https://partnership.example/reviews' });
      expect(published.plan.note).toContain('public until at least Sun 5 Nov 2028');
      await w.expectClock('lcspr_publication', '2027-10-09', 'met_late');
      expect(await w.stage()).toBe('action_plan');

      // An action for health, due Mon 31 Jan 2028; the case cannot close while it is open.
      await w.step(
        'action_set',
        { description: 'Fictional: refresh training on escalation.', agency: 'health', deadline: '2028-01-31' },
        WHO.engineRoom,
      );
      await w.expectClock('action_plan_item:A1', '2028-01-31', 'pending');
      await expect(w.step('case_closed', { reason: 'Fictional.' })).rejects.toThrow(/Action A1 is still running/);
      w.at('2028-01-20T10:00:00Z');
      await expect(w.step('action_completed', { itemId: 'A1' }, WHO.lead.police)).rejects.toBeInstanceOf(ForbiddenError);
      await w.step('action_completed', { itemId: 'A1' }, WHO.lead.health);
      await w.expectClock('action_plan_item:A1', '2028-01-31', 'met');

      w.at('2028-01-21T10:00:00Z');
      await w.step('case_closed', { reason: 'Fictional: review published, actions complete.' });
      expect(await w.stage()).toBe('closed');

      // Every step is in the audit log, whose chain verifies.
      const actions = await w.auditActions();
      for (const step of [
        'rr_panel_named',
        'info_requests_sent',
        'rr_meeting_held',
        'governance_meeting_held',
        'rr_report_submitted',
        'panel_response_received',
        'published',
        'case_closed',
      ]) {
        expect(actions).toContain(`step:${step}`);
      }
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });

    it('takes a disagreement through the dispute resolution procedure to its outcome, then closes', async () => {
      // Referral Fri 23 Oct 2026 (BST); the clocks go back on Sun 25 Oct.
      const w = await startWalk(db, 'hsscp.json', 'Stockton-on-Tees', '2026-10-23T09:00:00Z');
      w.at('2026-10-26T10:00:00Z');
      await castVote(
        w.ctx,
        { caseId: w.caseId, agency: 'local_authority', decision: 'notify', rationale: 'Fictional: notify.' },
        WHO.dsp.local_authority,
      );
      await castVote(
        w.ctx,
        { caseId: w.caseId, agency: 'police', decision: 'do_not_notify', rationale: 'Fictional: criteria not met.' },
        WHO.dsp.police,
      );
      await castVote(
        w.ctx,
        { caseId: w.caseId, agency: 'health', decision: 'do_not_notify', rationale: 'Fictional: criteria not met.' },
        WHO.dsp.health,
      );
      expect(await w.stage()).toBe('dispute_resolution');
      // 000 step 2: "within 2 working days of the form being received" (Fri 23 Oct): Mon 26 (1), Tue 27 (2).
      await w.expectClock('dsp_decision', '2026-10-27', 'met');
      await expect(
        w.step('dispute_resolved', { outcome: 'do_not_notify', rationale: 'Fictional.' }, WHO.dsp.police),
      ).rejects.toBeInstanceOf(ForbiddenError);
      w.at('2026-10-29T10:00:00Z');
      await w.step(
        'dispute_resolved',
        { outcome: 'do_not_notify', rationale: 'Fictional: the escalation panel found the harm not serious.' },
        WHO.chair,
      );
      expect(await w.stage()).toBe('closed');
      // Not notifying: the Panel notification clock does not apply, and the referrer is told with the resolution.
      await w.expectClock('panel_notification', null, 'not_applicable');
      expect((await w.outbox('case_email')).map((m) => m.payload.template)).toEqual(['referrer']);
      await expect(w.step('dispute_resolved', { outcome: 'notify', rationale: 'Fictional.' }, WHO.chair)).rejects.toBeInstanceOf(
        ConflictError,
      );
      await w.step('case_closed', { reason: 'Fictional: no notification; referrer told.' });
      expect(await w.eventTypes()).toContain('case_closed');
    });
  });
}
