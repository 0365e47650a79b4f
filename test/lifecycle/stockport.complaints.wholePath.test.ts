import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { loadCaseSnapshot } from '../../src/app/cases/caseSnapshot.ts';
import { ForbiddenError } from '../../src/app/errors.ts';
import { caseStateOf } from '../../src/app/lifecycle/caseState.ts';
import { stepFormData } from '../../src/app/lifecycle/stepCards.ts';
import { findStep } from '../../src/domain/lifecycle/lifecycleCatalogue.ts';
import type { ValidationError } from '../../src/domain/validation/validationError.ts';
import { testEngines } from '../support/testDatabases.ts';
import { startWalk, WHO } from './support/caseWalk.ts';

/** 003 L461, word for word: what every written response must include. */
const OMBUDSMAN = 'All written complaint responses will include details of how to contact the Local Government Ombudsman.';

/**
 * Complaints from members of the public, in Stockport (seed 003 "Complaints & Escalation Procedure"), through
 * the app's use cases on a real store. L457: "Where a complaint is received from a member of the public, about
 * a decision or review of the SSCP this will initially be responded to by the Safeguarding Children's
 * Partnership Manager in consultation with the relevant Head of Service, with a written response within 28
 * days of receipt." L461: the Ombudsman sentence above. "28 days" are calendar days (the seed does not say
 * working): bank holidays and weekends count, and a due date on a bank holiday stays there. Christmas 2027 falls
 * on Sat 25 Dec (substitutes Mon 27 and Tue 28 Dec), New Year's Day on Sat 1 Jan 2028 (Mon 3 Jan); Easter 2028 is
 * Good Friday 14 Apr and Easter Monday 17 Apr; the clocks go forward on Sun 26 Mar 2028.
 */
for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`Stockport complaints, store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => db.close());

    it('records two complaints after the case has closed, each with its 28-day clock, and their responses with the Ombudsman details', async () => {
      // Mon 13 Dec 2027: the referral; Tue 14 Dec: the Virtual Panel finds another process more appropriate, and
      // the case closes on Wed 15 Dec.
      const w = await startWalk(db, 'stockport.json', 'Stockport', '2027-12-13T10:00:00Z');
      w.at('2027-12-14T11:00:00Z');
      await w.decide('no_partnership_response');
      w.at('2027-12-15T10:00:00Z');
      await w.step('case_closed', { reason: 'Fictional: a Safeguarding Adults Review is the better route.' });
      expect(await w.stage()).toBe('closed');

      // Fri 17 Dec: the Partnership Manager records a family member's complaint about that decision, received on
      // Thu 16 Dec. Only the Partnership Manager (the business manager) records it.
      w.at('2027-12-17T10:00:00Z');
      const about = 'Fictional: the family disagree with the decision not to hold a review.';
      await expect(w.step('complaint_received', { receivedOn: '2027-12-16', about }, WHO.dsp.police)).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      const c1 = await w.step('complaint_received', { receivedOn: '2027-12-16', about });
      expect(c1.plan.note).toBe('complaint C1 received on Thu 16 Dec: a written response is due within 28 days of receipt');
      // The thread says only that: never what the complaint is about.
      const notes = (await w.outbox('thread_note')).map((m) => String(m.payload.text));
      expect(notes.some((t) => t.includes('complaint C1 received'))).toBe(true);
      expect(notes.some((t) => t.includes(about))).toBe(false);
      // 28 days of receipt (Thu 16 Dec 2027), not of the recording: 15 days to Fri 31 Dec, 13 more to Thu 13 Jan 2028,
      // Christmas, Boxing Day, their substitutes and New Year all counted.
      await w.expectClock('complaint_reply:C1', '2028-01-13', 'pending');

      // Due soon from the start of the 5th working day before Thu 13 Jan: Wed 12 (1), Tue 11 (2), Mon 10 (3), Fri 7
      // (4), Thu 6 Jan (5): 00:00 GMT. The Partnership Manager is told, on a closed case.
      const complaintAlerts = async () => (await w.tick()).filter((a) => a.clock === 'complaint_reply');
      w.at('2028-01-05T23:59:59Z');
      expect(await complaintAlerts()).toEqual([]);
      w.at('2028-01-06T00:00:00Z');
      expect(await complaintAlerts()).toEqual([{ clock: 'complaint_reply', item: 'C1', level: 'due_soon', recipient: WHO.manager }]);

      // Tue 11 Jan: the written response goes; recorded on Wed 12 Jan. The form carries the seed's sentence, and
      // the response is not recorded until it is ticked.
      w.at('2028-01-12T10:00:00Z');
      const snapshot = await loadCaseSnapshot(w.ctx, w.caseId);
      const form = JSON.stringify(
        stepFormData(snapshot.record, caseStateOf(w.ctx, snapshot.record, snapshot.events), findStep('complaint_answered')!),
      );
      expect(form).toContain(OMBUDSMAN);
      const unticked = await w
        .step('complaint_answered', { itemId: 'C1', answeredOn: '2028-01-11', mustInclude: 'false' })
        .catch((e: unknown) => e);
      expect((unticked as ValidationError).problems).toEqual([{ field: 'mustInclude', message: 'must be ticked to confirm' }]);
      const early = await w
        .step('complaint_answered', { itemId: 'C1', answeredOn: '2027-12-15', mustInclude: 'true' })
        .catch((e: unknown) => e);
      expect((early as ValidationError).problems).toEqual([{ field: 'answeredOn', message: 'must not be before 2027-12-16' }]);
      const answered = await w.step('complaint_answered', {
        itemId: 'C1',
        answeredOn: '2028-01-11',
        consulted: 'Fictional: Head of Children’s Services',
        mustInclude: 'true',
      });
      expect(answered.plan.note).toBe(`written response to complaint C1 sent on Tue 11 Jan; it follows the procedure: "${OMBUDSMAN}"`);
      await w.expectClock('complaint_reply:C1', '2028-01-13', 'met');
      const reply = (await loadCaseSnapshot(w.ctx, w.caseId)).events.find((e) => e.type === 'complaint_answered');
      expect(reply?.data).toMatchObject({ itemId: 'C1', answeredOn: '2028-01-11', included: OMBUDSMAN });

      // Mon 20 Mar 2028 (GMT): a second complaint, recorded the day it arrives, with its own clock. 28 days: 11 to
      // Fri 31 Mar, 17 more to Mon 17 Apr 2028, Easter Monday: a bank holiday, but calendar days do not move,
      // so it is due by the end of that day (BST by then: 23:00 UTC).
      w.at('2028-03-20T11:00:00Z');
      await w.step('complaint_received', { receivedOn: '2028-03-20', about: 'Fictional: a second complaint about the same decision.' });
      await w.expectClock('complaint_reply:C2', '2028-04-17', 'pending');
      await w.expectClock('complaint_reply:C1', '2028-01-13', 'met');
      // Due soon from the 5th working day before Mon 17 Apr: Thu 13 (1; Good Friday is no working day), Wed 12 (2),
      // Tue 11 (3), Mon 10 (4), Fri 7 Apr (5): 00:00 BST = 23:00 UTC on Thu 6 Apr.
      w.at('2028-04-06T22:59:59Z');
      expect(await complaintAlerts()).toEqual([]);
      w.at('2028-04-06T23:00:00Z');
      expect(await complaintAlerts()).toEqual([{ clock: 'complaint_reply', item: 'C2', level: 'due_soon', recipient: WHO.manager }]);
      // Unanswered at the end of Easter Monday: overdue.
      w.at('2028-04-17T22:59:59Z');
      expect(await complaintAlerts()).toEqual([]);
      w.at('2028-04-17T23:00:00Z');
      expect(await complaintAlerts()).toEqual([{ clock: 'complaint_reply', item: 'C2', level: 'overdue', recipient: WHO.manager }]);

      // Wed 19 Apr: answered, two days late.
      w.at('2028-04-19T15:00:00Z');
      await w.step('complaint_answered', { itemId: 'C2', answeredOn: '2028-04-19', mustInclude: 'true' });
      await w.expectClock('complaint_reply:C2', '2028-04-17', 'met_late');
      expect(await complaintAlerts()).toEqual([]);

      const actions = await w.auditActions();
      expect(actions.filter((a) => a === 'step:complaint_received')).toHaveLength(2);
      expect(actions.filter((a) => a === 'step:complaint_answered')).toHaveLength(2);
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });
  });
}
