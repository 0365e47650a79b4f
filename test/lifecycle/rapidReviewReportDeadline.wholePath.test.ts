import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { caseTimeline } from '../../src/app/dashboard/caseTimeline.ts';
import { viewerOf } from '../../src/app/dashboard/viewer.ts';
import { testEngines } from '../support/testDatabases.ts';
import { caseCardFact } from './support/caseCardFacts.ts';
import { criteriaViews, startWalk, WHO } from './support/caseWalk.ts';

/**
 * #15 item 4: Stockport's rapid review report has two starting points in seed 003: "a Rapid Review Report
 * will be returned to the National Panel within 15 working days of the referral being received" (its
 * process summary, L89) and "we have 15 working days from notification to conclude the rapid review and
 * submit a report" (its timetable, Appendix D item 5, L655). The stricter (earlier) date is the deadline,
 * and the other is shown beside it, on the card's clock line and in the dashboard's clock data.
 *
 * Here the local authority became aware at a strategy meeting on Mon 6 Dec 2027 and notified the Panel on
 * Tue 7 Dec, before the referral reached the partnership on Thu 9 Dec: the notification's reading is the
 * stricter. Dates are worked by hand: Christmas Day (Sat 25 Dec 2027) and Boxing Day (Sun 26) are bank
 * holidays on Mon 27 and Tue 28 Dec, New Year's Day (Sat 1 Jan 2028) on Mon 3 Jan; GMT throughout.
 */
for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`Stockport: the rapid review report's two starting points, store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => db.close());

    it('shows the earlier date as the deadline and the other beside it', async () => {
      // Thu 9 Dec 2027, 10:00: the form arrives, giving the strategy meeting of Mon 6 Dec as the awareness.
      const w = await startWalk(db, 'stockport.json', 'Stockport', '2027-12-09T10:00:00Z', {
        incident: { date: '2027-12-05', isDeath: false, laAwareOn: '2027-12-06' },
      });
      // Thu 9 Dec, 15:00: the Virtual Panel decides on a Rapid Review.
      w.at('2027-12-09T15:00:00Z');
      await w.decide('rapid_review');
      // From the referral (Thu 9 Dec): Fri 10 (1), Mon 13 (2), Tue 14 (3), Wed 15 (4), Thu 16 (5), Fri 17 (6),
      // Mon 20 (7), Tue 21 (8), Wed 22 (9), Thu 23 (10), Fri 24 (11); the weekend and the Christmas and Boxing
      // Day substitutes skipped; Wed 29 (12), Thu 30 (13), Fri 31 (14); the weekend and Mon 3 Jan (the New
      // Year substitute) skipped; Tue 4 Jan 2028 (15). The notification is not recorded yet, so this is the
      // deadline for now.
      await w.expectClock('rr_report_to_panel', '2028-01-04', 'pending');

      // The notifier records the notification made on Tue 7 Dec (after the awareness, before the referral).
      // From it: Wed 8 (1), Thu 9 (2), Fri 10 (3), Mon 13 (4), Tue 14 (5), Wed 15 (6), Thu 16 (7), Fri 17 (8),
      // Mon 20 (9), Tue 21 (10), Wed 22 (11), Thu 23 (12), Fri 24 (13), Wed 29 (14), Thu 30 Dec (15). The
      // earlier: Thu 30 Dec is now the deadline, and the thread says so with the other beside it.
      w.at('2027-12-09T16:00:00Z');
      await w.confirmNotification('2027-12-07');
      await w.expectClock('rr_report_to_panel', '2027-12-30', 'pending');
      // (The Panel notification, 5 working days from Mon 6 Dec, was due Mon 13 Dec: made on Tue 7, in time.)
      await w.expectClock('panel_notification', '2027-12-13', 'met');
      const notes = (await w.outbox('thread_note')).map((m) => String(m.payload.text));
      expect(notes.find((t) => t.includes('the national Panel was notified'))).toContain(
        'Rapid review report to the Panel due by the end of Thu 30 Dec (15 working days from notification; within 15 working days of the referral being received: Tue 4 Jan)',
      );

      // The rapid review runs: requests out Fri 10 Dec, every return in by Wed 15 Dec, the meeting on Tue 21 Dec
      // (003 L172: between 7 and 13 working days of the decision, Mon 20 to Thu 30 Dec).
      w.at('2027-12-10T10:00:00Z');
      await w.step('info_requests_sent', { agencies: 'local_authority,police,health' });
      w.at('2027-12-15T10:00:00Z');
      for (const agency of ['local_authority', 'police', 'health'] as const)
        await w.step('info_return_recorded', { itemId: agency, kind: 'received' }, WHO.lead[agency]);
      w.at('2027-12-21T15:00:00Z');
      await w.step(
        'rr_meeting_held',
        { heldOn: '2027-12-21', ...criteriaViews(w.profile, 'not_met'), conclusion: 'no_review', reasons: 'Fictional reasons.' },
        WHO.rrChair,
      );
      expect(await w.stage()).toBe('panel_submission');

      // The report is now what the case waits on: the card's clock line gives the deadline and the other reading.
      expect(await caseCardFact(w, 'Clock')).toBe(
        'Rapid review report to the Panel due by the end of Thu 30 Dec (15 working days from notification; within 15 working days of the referral being received: Tue 4 Jan)',
      );
      // And the dashboard's clock data carries both.
      const page = await caseTimeline(w.ctx, w.caseId, await viewerOf(w.ctx, WHO.manager, 'Fictional Manager'));
      expect(page.clocks.find((c) => c.clockId === 'rr_report_to_panel')).toMatchObject({
        dueDate: '2027-12-30',
        reads: '15 working days from notification',
        otherReading: { reads: 'within 15 working days of the referral being received', dueDate: '2028-01-04' },
        state: 'pending',
      });

      // Wed 29 Dec: the report goes, in time on both readings.
      w.at('2027-12-29T15:00:00Z');
      await w.step('rr_report_submitted', { submittedOn: '2027-12-29' });
      await w.expectClock('rr_report_to_panel', '2027-12-30', 'met');
    });
  });
}
