import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { auditEntriesForCase, verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { listVotes } from '../../src/adapters/store/voteRepository.ts';
import { ConflictError, ForbiddenError } from '../../src/app/errors.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import { testEngines } from '../support/testDatabases.ts';
import { caseCardFact } from './support/caseCardFacts.ts';
import { startWalk, WHO } from './support/caseWalk.ts';

/**
 * #15 item 3: Stockport's Virtual Panel may tick "Queries back to referrer before decision can be made"
 * (003 Appendix A 2.1). That is no decision yet: when the referrer answers, the business manager records
 * the answer and the decision opens again, the votes cleared for a new round (the last round kept in the
 * audit log), and the partners vote anew. The clocks still run from the original receipt and awareness.
 *
 * Dates are worked by hand: the referral on Wed 1 Dec 2027 (GMT); Christmas Day (Sat 25 Dec) and Boxing Day
 * (Sun 26) are bank holidays on Mon 27 and Tue 28 Dec; "within N working days of X" ends with the Nth
 * working day after X, X not counted.
 */
for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`Stockport: queries back to the referrer, store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => db.close());

    it('records the answer, opens the decision again for a new round, and keeps every clock on the original receipt', async () => {
      // Wed 1 Dec 2027, 10:00: the Case Notification Form reaches lsb@stockport.gov.uk.
      const w = await startWalk(db, 'stockport.json', 'Stockport', '2027-12-01T10:00:00Z');

      // Thu 2 Dec: the Virtual Panel needs more from the referrer before it can decide.
      w.at('2027-12-02T11:00:00Z');
      await w.decide('queries_to_referrer');
      expect(await w.stage()).toBe('referral');
      // The referrer is sent the queries (each partner's rationale), through the outbox.
      expect((await w.outbox('case_email')).map((m) => m.payload.template)).toEqual(['referrer']);
      // No decision yet: the clocks that wait on it have not started (they do not "not apply").
      await w.expectClock('panel_notification', null, 'not_started');
      await w.expectClock('rr_report_to_panel', null, 'not_started');
      await w.expectClock('info_requests_sent', null, 'not_started');
      // The card says what comes next; a partner cannot vote again until the answer is in; the case cannot close.
      expect(await caseCardFact(w, 'Next')).toBe("Record the referrer's answer to the partners' queries");
      await expect(
        castVote(w.ctx, { caseId: w.caseId, agency: 'police', decision: 'rapid_review', rationale: 'Fictional.' }, WHO.dsp.police),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(w.step('case_closed', { reason: 'Fictional.' })).rejects.toBeInstanceOf(ConflictError);

      // Tue 7 Dec: the referrer answered by email on Mon 6 Dec. A Virtual Panel member may not record it; the
      // Partnership Manager does.
      w.at('2027-12-07T10:00:00Z');
      const answer = { answeredOn: '2027-12-06', answer: 'Fictional: the school had raised two earlier concerns.' };
      await expect(w.step('referrer_answered', answer, WHO.dsp.police)).rejects.toBeInstanceOf(ForbiddenError);
      const answered = await w.step('referrer_answered', answer);
      expect(answered.plan.note).toBe(
        "the referrer answered the partners' queries on Mon 6 Dec. The decision is open again: each partner votes anew (round 2)",
      );
      expect(await w.stage()).toBe('dsp_decision');
      // The votes are cleared for the new round; the round that ended is in the audit log.
      expect(await listVotes(db, w.caseId)).toEqual([]);
      const reopened = (await auditEntriesForCase(db, w.caseId)).find((a) => a.action === 'decision_reopened')!;
      expect((reopened.details as { previousRound: { agency: string; decision: string }[] }).previousRound).toEqual([
        expect.objectContaining({ agency: 'health', decision: 'queries_to_referrer' }),
        expect.objectContaining({ agency: 'local_authority', decision: 'queries_to_referrer' }),
        expect.objectContaining({ agency: 'police', decision: 'queries_to_referrer' }),
      ]);
      // Recorded once; the card asks for the partners' votes again.
      await expect(w.step('referrer_answered', answer)).rejects.toBeInstanceOf(ConflictError);
      expect(await caseCardFact(w, 'Next')).toBe("The partners' decision");

      // Wed 8 Dec: the new round: a Rapid Review.
      w.at('2027-12-08T10:00:00Z');
      await w.decide('rapid_review');
      expect(await w.stage()).toBe('notification');
      // 003 L146, "within five working days of becoming aware" (the receipt, Wed 1 Dec, not the new decision):
      // Thu 2 (1), Fri 3 (2), Mon 6 (3), Tue 7 (4), Wed 8 Dec (5): due today, so due soon since the start of Tue 7.
      await w.expectClock('panel_notification', '2027-12-08', 'due_soon');
      // 003 L89, "within 15 working days of the referral being received" (Wed 1 Dec): Thu 2 (1), Fri 3 (2), Mon 6
      // (3), Tue 7 (4), Wed 8 (5), Thu 9 (6), Fri 10 (7), Mon 13 (8), Tue 14 (9), Wed 15 (10), Thu 16 (11), Fri 17
      // (12), Mon 20 (13), Tue 21 (14), Wed 22 Dec (15).
      await w.expectClock('rr_report_to_panel', '2027-12-22', 'pending');
      // 003 L159, templates out "within two working days of the virtual panel making a decision to hold a rapid
      // review" (the decision that made it, Wed 8 Dec): Thu 9 (1), Fri 10 Dec (2).
      await w.expectClock('info_requests_sent', '2027-12-10', 'pending');
      // 003 L172, the meeting "between 7 and 13 working days of the Virtual panel agreeing it's notifiable" (Wed 8
      // Dec): Thu 9 (1), Fri 10 (2), Mon 13 (3), Tue 14 (4), Wed 15 (5), Thu 16 (6), Fri 17 (7), Mon 20 (8), Tue 21
      // (9), Wed 22 (10), Thu 23 (11), Fri 24 (12); the weekend and the Christmas and Boxing Day substitutes
      // (Mon 27, Tue 28) skipped; Wed 29 Dec (13).
      await w.expectClock('rr_meeting', '2027-12-29', 'pending');

      // Wed 8 Dec, 16:00: the notifier notified the Panel today, on the fifth working day: on time.
      w.at('2027-12-08T16:00:00Z');
      await w.confirmNotification('2027-12-08');
      await w.expectClock('panel_notification', '2027-12-08', 'met');
      // 003 Appendix D, "15 working days from notification" (Wed 8 Dec) would end on Fri 31 Dec: the referral's
      // Wed 22 Dec stays the deadline.
      await w.expectClock('rr_report_to_panel', '2027-12-22', 'pending');

      // Both rounds are in the record: two decisions, six votes, one reopening; the chain verifies.
      expect((await w.eventTypes()).filter((t) => t === 'notification_decision')).toHaveLength(2);
      const actions = await w.auditActions();
      expect(actions.filter((a) => a === 'vote_cast')).toHaveLength(6);
      expect(actions.filter((a) => a === 'decision_made')).toHaveLength(2);
      expect(actions).toContain('step:referrer_answered');
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });
  });
}
