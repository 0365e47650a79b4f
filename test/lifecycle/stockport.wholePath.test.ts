import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { ConflictError, ForbiddenError } from '../../src/app/errors.ts';
import { ValidationError } from '../../src/domain/validation/validationError.ts';
import { testEngines } from '../support/testDatabases.ts';
import { criteriaViews, startWalk, WHO } from './support/caseWalk.ts';

/**
 * One Stockport case (seed 003), referral to close, through the app's use cases on a real store. Dates
 * were chosen to cross Christmas and New Year 2027/28: Christmas Day (Sat 25 Dec 2027) and Boxing Day
 * (Sun 26) are bank holidays on their substitute days, Mon 27 and Tue 28 Dec; New Year's Day (Sat 1 Jan
 * 2028) on Mon 3 Jan. Every expected date is worked out by hand below from the seed's words; "within N
 * working days of X" is the end of the Nth working day after X (domain.md), X not counted. Stockport has
 * no governance stage: the rapid review's conclusion is itself the decision on a review.
 */
for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`Stockport whole path, store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => db.close());

    it('walks a case from referral to close with every clock on its hand-worked date', async () => {
      // Referral (the Case Notification Form to lsb@stockport.gov.uk): Mon 20 Dec 2027, 10:00 GMT.
      const w = await startWalk(db, 'stockport.json', 'Stockport', '2027-12-20T10:00:00Z');
      expect(w.reference).toMatch(/^SSCP-/);
      expect(await w.stage()).toBe('dsp_decision');
      // Nothing runs until the Virtual Panel has decided on a rapid review.
      await w.expectClock('panel_notification', null, 'not_started');
      await w.expectClock('info_requests_sent', null, 'not_started');

      // Tue 21 Dec: the Virtual Panel (the three statutory partners) decides the case meets the threshold for a Rapid Review.
      w.at('2027-12-21T11:00:00Z');
      await w.decide('rapid_review');
      expect(await w.stage()).toBe('notification');
      // 003 L146, "notify the National Panel within five working days of becoming aware of the incident"
      // (aware at receipt, Mon 20 Dec): Tue 21 (1), Wed 22 (2), Thu 23 (3), Fri 24 (4); Sat 25 and Sun 26,
      // then Mon 27 and Tue 28 (the Christmas and Boxing Day substitutes) skipped; Wed 29 Dec (5).
      await w.expectClock('panel_notification', '2027-12-29', 'pending');
      // 003 L159, the template "sent out ... within two working days of the virtual panel making a decision
      // to hold a rapid review" (Tue 21 Dec): Wed 22 (1), Thu 23 Dec (2). Due soon from the start of Wed 22.
      await w.expectClock('info_requests_sent', '2027-12-23', 'pending');
      // 003 L172, the meeting "convened between 7 and 13 working days of the Virtual panel agreeing it's
      // notifiable" (Tue 21 Dec): Wed 22 (1), Thu 23 (2), Fri 24 (3), Wed 29 (4), Thu 30 (5), Fri 31 (6);
      // Sat 1, Sun 2 and Mon 3 Jan (the New Year substitute) skipped; Tue 4 (7, the earliest day), Wed 5 (8),
      // Thu 6 (9), Fri 7 (10), Mon 10 (11), Tue 11 (12), Wed 12 Jan 2028 (13).
      await w.expectClock('rr_meeting', '2028-01-12', 'pending');
      // 003 gives the report two starting points (#15 item 4): L89, "within 15 working days of the referral
      // being received" (Mon 20 Dec): Tue 21 (1), Wed 22 (2), Thu 23 (3), Fri 24 (4), Wed 29 (5), Thu 30 (6),
      // Fri 31 (7), Tue 4 Jan (8), Wed 5 (9), Thu 6 (10), Fri 7 (11), Mon 10 (12), Tue 11 (13), Wed 12 (14),
      // Thu 13 Jan 2028 (15). It runs from the decision on a Rapid Review; the notification's reading is to come.
      await w.expectClock('rr_report_to_panel', '2028-01-13', 'pending');

      // Wed 22 Dec: the Head of the Safeguarding and Learning Unit notified the Panel today and records it.
      w.at('2027-12-22T15:00:00Z');
      await w.confirmNotification('2027-12-22');
      expect(await w.stage()).toBe('rapid_review');
      await w.expectClock('panel_notification', '2027-12-29', 'met');
      // 003 Appendix D item 5 (L655), "15 working days from notification to conclude the rapid review and
      // submit a report" (Wed 22 Dec): Thu 23 (1), Fri 24 (2), Wed 29 (3), Thu 30 (4), Fri 31 (5), Tue 4 Jan
      // (6), Wed 5 (7), Thu 6 (8), Fri 7 (9), Mon 10 (10), Tue 11 (11), Wed 12 (12), Thu 13 (13), Fri 14 (14),
      // Mon 17 Jan 2028 (15). The earlier of the two readings, Thu 13 Jan (L89), stays the deadline; Mon 17 Jan
      // is shown beside it. The report below goes on Thu 13, in time on either reading.
      await w.expectClock('rr_report_to_panel', '2028-01-13', 'pending');
      // The requests are due by the end of Thu 23 Dec, so from the start of Wed 22 (1 working day before) they are due soon.
      await w.expectClock('info_requests_sent', '2027-12-23', 'due_soon');

      // Thu 23 Dec: the rapid review panel is named and the information requests go out.
      w.at('2027-12-23T09:30:00Z');
      await w.step('rr_panel_named', {
        chair: 'Robin Fictional (RR chair)',
        members: 'Sam Placeholder, SMBC\nJo Sample, GMP\nAlex Dummy, CCG',
      });
      // An "other agency" line without the lead's email is refused, every problem named, and nothing is written.
      const eventsBefore = (await w.eventTypes()).length;
      const auditBefore = (await w.auditActions()).length;
      const bad = await w
        .step('info_requests_sent', { agencies: 'local_authority,police,health', otherAgencies: 'Example Academy Trust' })
        .catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(ValidationError);
      expect((bad as ValidationError).problems).toEqual([
        { field: 'otherAgencies', message: 'line 1 must read "Agency name, lead\'s email address"' },
      ]);
      expect((await w.eventTypes()).length).toBe(eventsBefore);
      expect((await w.auditActions()).length).toBe(auditBefore);
      expect(await w.outbox('info_request')).toEqual([]);
      await w.expectClock('info_requests_sent', '2027-12-23', 'due_soon');
      await w.expectClock('agency_info_returns', null, 'not_started');

      const sent = await w.step('info_requests_sent', { agencies: 'local_authority,police,health' });
      // 003 L161, "return the completed template ... within 8 working days" (from sending, Thu 23 Dec):
      // Fri 24 (1), Wed 29 (2), Thu 30 (3), Fri 31 (4), Tue 4 Jan (5), Wed 5 (6), Thu 6 (7), Fri 7 Jan 2028 (8).
      expect(sent.plan.note).toContain('returns due by the end of Fri 7 Jan');
      await w.expectClock('info_requests_sent', '2027-12-23', 'met');
      await w.expectClock('agency_info_returns', '2028-01-07', 'pending');
      await w.expectClock('agency_return:local_authority', '2028-01-07', 'pending');
      await w.expectClock('agency_return:police', '2028-01-07', 'pending');
      await w.expectClock('agency_return:health', '2028-01-07', 'pending');
      // Each agency's designated safeguarding lead gets the request in Teams.
      expect((await w.outbox('info_request')).map((m) => m.recipient).sort()).toEqual(
        [WHO.lead.local_authority, WHO.lead.police, WHO.lead.health].sort(),
      );

      // Wed 29 Dec: the meeting is booked for Tue 11 Jan. 003 L163, the templates circulated "one day prior to
      // the Rapid Review Panel meeting" (read as the working day before): Mon 10 Jan 2028.
      w.at('2027-12-29T10:00:00Z');
      await w.step('rr_meeting_date_set', { meetingDate: '2028-01-11' });
      await w.expectClock('agency_info_circulated', '2028-01-10', 'pending');

      // Wed 5 Jan: the police lead may not record the local authority's return; records the police one.
      w.at('2028-01-05T10:00:00Z');
      await expect(w.step('info_return_recorded', { itemId: 'local_authority', kind: 'received' }, WHO.lead.police)).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      await w.step('info_return_recorded', { itemId: 'police', kind: 'received' }, WHO.lead.police);
      await w.expectClock('agency_return:police', '2028-01-07', 'met');
      // The returns as a whole are due soon from the start of Wed 5 Jan (2 working days before Fri 7: Thu 6, Wed 5);
      // one agency's return from the start of Thu 6 (1 working day before).
      await w.expectClock('agency_info_returns', '2028-01-07', 'due_soon');
      await w.expectClock('agency_return:local_authority', '2028-01-07', 'pending');

      // Thu 6 Jan: health has had no involvement (a nil return).
      w.at('2028-01-06T14:00:00Z');
      await w.step('info_return_recorded', { itemId: 'health', kind: 'nil' }, WHO.lead.health);
      await w.expectClock('agency_return:health', '2028-01-07', 'met');
      await w.expectClock('agency_return:local_authority', '2028-01-07', 'due_soon');

      // The local authority's return is late. The deadline watch chases its lead: "due soon" while it is still
      // Fri 7 Jan in London (GMT), "overdue" from the end of Fri 7 (00:00 UTC Sat 8).
      w.at('2028-01-07T23:59:00Z');
      expect((await w.tick()).filter((a) => a.clock === 'agency_return')).toEqual([
        { clock: 'agency_return', item: 'local_authority', level: 'due_soon', recipient: WHO.lead.local_authority },
      ]);
      w.at('2028-01-08T00:00:00Z');
      expect((await w.tick()).filter((a) => a.clock === 'agency_return')).toEqual([
        { clock: 'agency_return', item: 'local_authority', level: 'overdue', recipient: WHO.lead.local_authority },
      ]);

      // Mon 10 Jan: the meeting is moved to Wed 12 Jan (the last day of the 13) to give the local authority
      // time. The circulation now falls due the working day before: Tue 11 Jan.
      w.at('2028-01-10T09:00:00Z');
      await w.step('rr_meeting_date_set', { meetingDate: '2028-01-12' });
      await w.expectClock('agency_info_circulated', '2028-01-11', 'pending');
      await w.expectClock('agency_return:local_authority', '2028-01-07', 'overdue');
      await w.expectClock('agency_info_returns', '2028-01-07', 'overdue');
      // The meeting is due soon from the start of Fri 7 Jan (3 working days before Wed 12: Tue 11, Mon 10, Fri 7).
      await w.expectClock('rr_meeting', '2028-01-12', 'due_soon');
      // The report is due soon from the start of Mon 10 Jan (3 working days before Thu 13: Wed 12, Tue 11, Mon 10).
      await w.expectClock('rr_report_to_panel', '2028-01-13', 'due_soon');

      // A working day after the due date (Mon 10 Jan) has passed, the business manager is told (00:00 UTC Tue 11).
      w.at('2028-01-10T23:59:00Z');
      expect((await w.tick()).filter((a) => a.clock === 'agency_return')).toEqual([]);
      w.at('2028-01-11T00:00:00Z');
      expect((await w.tick()).filter((a) => a.clock === 'agency_return')).toEqual([
        { clock: 'agency_return', item: 'local_authority', level: 'escalation_0', recipient: WHO.manager },
      ]);

      // Tue 11 Jan: the business manager records the local authority's return, late; then circulates the pack.
      w.at('2028-01-11T10:00:00Z');
      const last = await w.step('info_return_recorded', { itemId: 'local_authority', kind: 'received' });
      expect(last.plan.note).toContain('every agency has now returned');
      await w.expectClock('agency_return:local_authority', '2028-01-07', 'met_late');
      await w.expectClock('agency_info_returns', '2028-01-07', 'met_late');
      w.at('2028-01-11T15:00:00Z');
      await w.step('return_pack_circulated', { confirm: 'true' });
      await w.expectClock('agency_info_circulated', '2028-01-11', 'met');

      // Wed 12 Jan: the Rapid Review meeting. An outcome without a view on every criterion (003 Appendix E,
      // 4.1-4.7) is refused, nothing written; a Virtual Panel member is not the Rapid Review Panel Chair.
      w.at('2028-01-12T15:00:00Z');
      const beforeMeeting = (await w.eventTypes()).length;
      const refusal = await w
        .step('rr_meeting_held', { heldOn: '2028-01-12', conclusion: 'no_review', reasons: 'Fictional reasons.' }, WHO.rrChair)
        .catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).problems.map((p) => p.field)).toEqual([
        'view_4.1',
        'view_4.2',
        'view_4.3',
        'view_4.4',
        'view_4.5',
        'view_4.6',
        'view_4.7',
      ]);
      expect((await w.eventTypes()).length).toBe(beforeMeeting);
      await expect(
        w.step(
          'rr_meeting_held',
          { heldOn: '2028-01-12', ...criteriaViews(w.profile, 'not_met'), conclusion: 'no_review', reasons: 'Fictional.' },
          WHO.dsp.police,
        ),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await w.step(
        'rr_meeting_held',
        {
          heldOn: '2028-01-12',
          ...criteriaViews(w.profile, 'not_met'),
          conclusion: 'no_review',
          reasons: 'Fictional: the learning is already known and being acted on.',
        },
        WHO.rrChair,
      );
      // Without a governance stage the rapid review's conclusion is the decision, and the report goes to the Panel next.
      expect(await w.stage()).toBe('panel_submission');
      expect(await w.eventTypes()).toContain('lcspr_decision');
      // Held on the 13th working day: in time.
      await w.expectClock('rr_meeting', '2028-01-12', 'met');
      // No review was commissioned, so there is nothing to publish.
      await w.expectClock('lcspr_publication', null, 'not_applicable');
      // 003 L226, "a desk top review of all Rapid Review decisions at 6 and 12 months" (decision Wed 12 Jan
      // 2028, calendar months): Wed 12 Jul 2028 and Fri 12 Jan 2029.
      await w.expectClock('desktop_review_6m', '2028-07-12', 'pending');
      await w.expectClock('desktop_review_12m', '2029-01-12', 'pending');
      // It is now Wed 12 Jan, the report due tomorrow.
      await w.expectClock('rr_report_to_panel', '2028-01-13', 'due_soon');

      // Thu 13 Jan: the report, signed off by the chair and the Partnership Manager, goes to the Panel.
      w.at('2028-01-13T16:00:00Z');
      await w.step('rr_report_submitted', { submittedOn: '2028-01-13' });
      await w.expectClock('rr_report_to_panel', '2028-01-13', 'met');
      expect(await w.stage()).toBe('panel_response');
      await expect(w.step('rr_report_submitted', { submittedOn: '2028-01-13' })).rejects.toBeInstanceOf(ConflictError);

      // Fri 11 Feb: the Panel agrees; with no review commissioned the case goes to its action plan.
      w.at('2028-02-11T10:00:00Z');
      await w.step('panel_response_received', { receivedOn: '2028-02-11', response: 'agrees' });
      expect(await w.stage()).toBe('action_plan');

      // One action for the police, due Fri 31 Mar 2028; the case cannot close while it, or either desk-top review, runs.
      await w.step(
        'action_set',
        { description: 'Fictional: share the learning brief with neighbourhood teams.', agency: 'police', deadline: '2028-03-31' },
        WHO.engineRoom,
      );
      await w.expectClock('action_plan_item:A1', '2028-03-31', 'pending');
      await expect(w.step('case_closed', { reason: 'Fictional.' })).rejects.toThrow(
        /cannot close while 6-month desk-top review, 12-month desk-top review, Action A1 are still running/,
      );
      w.at('2028-03-27T09:00:00Z');
      await w.step('action_completed', { itemId: 'A1' }, WHO.lead.police);
      await w.expectClock('action_plan_item:A1', '2028-03-31', 'met');

      // Mon 10 Jul 2028 (BST): the 6-month desk-top review, two days before it is due. Before it the case cannot close.
      w.at('2028-07-10T09:00:00Z');
      await expect(w.step('case_closed', { reason: 'Fictional.' })).rejects.toThrow(
        /cannot close while 6-month desk-top review, 12-month desk-top review are still running/,
      );
      await w.step('desktop_review_done', { review: '6m', notes: 'Fictional: no new information.' });
      await w.expectClock('desktop_review_6m', '2028-07-12', 'met');
      await w.expectClock('desktop_review_12m', '2029-01-12', 'pending');
      // The 6-month review is no longer offered; the case still cannot close while the 12-month one runs.
      await expect(w.step('desktop_review_done', { review: '6m' })).rejects.toBeInstanceOf(ValidationError);
      await expect(w.step('case_closed', { reason: 'Fictional.' })).rejects.toThrow(
        /cannot close while 12-month desk-top review is still running/,
      );

      // Thu 11 Jan 2029: the 12-month desk-top review, a day before it is due; then the case closes.
      w.at('2029-01-11T10:00:00Z');
      await w.step('desktop_review_done', { review: '12m', notes: 'Fictional: no new information; the decision stands.' });
      await w.expectClock('desktop_review_12m', '2029-01-12', 'met');
      w.at('2029-01-11T11:00:00Z');
      await w.step('case_closed', { reason: 'Fictional: no review; action complete; both desk-top reviews done.' });
      expect(await w.stage()).toBe('closed');

      // Every step is in the audit log, whose chain verifies.
      const actions = await w.auditActions();
      for (const action of [
        'decision_made',
        'panel_notified',
        'step:info_requests_sent',
        'step:rr_meeting_date_set',
        'step:info_return_recorded',
        'step:return_pack_circulated',
        'step:rr_meeting_held',
        'step:rr_report_submitted',
        'step:panel_response_received',
        'step:action_set',
        'step:action_completed',
        'step:desktop_review_done',
        'step:case_closed',
      ]) {
        expect(actions).toContain(action);
      }
      expect(actions.filter((a) => a === 'step:desktop_review_done')).toHaveLength(2);
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });
  });
}
