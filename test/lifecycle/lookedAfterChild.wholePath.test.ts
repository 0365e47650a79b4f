import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { listVotes } from '../../src/adapters/store/voteRepository.ts';
import { ConflictError, ForbiddenError } from '../../src/app/errors.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import { ValidationError } from '../../src/domain/validation/validationError.ts';
import { sampleReferral } from '../support/fixtures.ts';
import { testEngines } from '../support/testDatabases.ts';
import { caseCardFact } from './support/caseCardFacts.ts';
import { startWalk, WHO } from './support/caseWalk.ts';

/**
 * #15 item 2: a looked-after child. "Where a looked after child has died, the local authority must also
 * notify the Secretary of State and Ofsted; whether or not abuse or neglect is known or suspected" (002
 * L21, the Tees-wide guidance that covers Hartlepool; also 001 L58, 003 Appendix A L505-507, 004 s.5.3).
 * The referral's facts (the child's status at the time, a death) reach the rules; the task has its clock,
 * a step and a line on the case card, and the case cannot close without it. In Stockport a looked-after
 * child is always notifiable to the Panel (003 Appendix A 1.2 L505, Appendix C L614).
 *
 * No seed gives the Secretary of State and Ofsted notification a timescale of its own: it is stated with
 * the Panel notification's "within five working days of becoming aware" (002 L21, 001 L58), so it is
 * counted the same way, from the local authority's awareness. Dates are worked by hand: Christmas Day 2027
 * (Sat 25 Dec) and Boxing Day (Sun 26) are bank holidays on Mon 27 and Tue 28 Dec; GMT throughout;
 * "within N working days of X" ends with the Nth working day after X, X not counted.
 */
for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`a looked-after child, store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => db.close());

    it('HSSCP: a looked-after child died; the Secretary of State and Ofsted are owed a notification whatever the partners decide', async () => {
      // The child, looked after by Hartlepool, died on Thu 16 Dec 2027; the strategy meeting on Fri 17 Dec
      // made the local authority aware; the referral reached the partnership on Mon 20 Dec at 10:00.
      const w = await startWalk(db, 'hsscp.json', 'Hartlepool', '2027-12-20T10:00:00Z', {
        child: { ...sampleReferral().child, localAuthority: 'Hartlepool', statusAtTime: 'looked_after' },
        incident: { date: '2027-12-16', isDeath: true, laAwareOn: '2027-12-17' },
      });
      // 5 working days from the awareness, Fri 17 Dec: Mon 20 (1), Tue 21 (2), Wed 22 (3), Thu 23 (4), Fri 24
      // Dec (5). It runs from the referral, before the DSPs decide anything.
      await w.expectClock('lac_death_notification', '2027-12-24', 'pending');
      expect(await caseCardFact(w, 'Also')).toBe('SoS and Ofsted notification due by the end of Fri 24 Dec');
      // The case card's lines say what the rules made of the facts, never the facts themselves.
      expect(await caseCardFact(w, 'Child')).not.toMatch(/looked/i);

      // Tue 21 Dec: the DSPs agree not to notify the Panel (the death was not caused by abuse or neglect).
      w.at('2027-12-21T11:00:00Z');
      await w.decide('do_not_notify');
      expect(await w.stage()).toBe('closed');
      await w.expectClock('panel_notification', null, 'not_applicable');
      // Whether or not abuse or neglect is known or suspected: the duty stands.
      await w.expectClock('lac_death_notification', '2027-12-24', 'pending');
      // The case cannot close without it.
      await expect(w.step('case_closed', { reason: 'Fictional: no notification.' })).rejects.toThrow(
        /cannot close while SoS and Ofsted notification is still running/,
      );
      // Only the notifier (or the business manager) records it; not a DSP.
      await expect(w.step('sos_ofsted_notified', { notifiedOn: '2027-12-21', confirm: 'true' }, WHO.dsp.police)).rejects.toBeInstanceOf(
        ForbiddenError,
      );

      // Thu 23 Dec: due soon since the start of the day (1 working day before Fri 24); the deadline watch tells
      // the Hartlepool notifier, its owner.
      w.at('2027-12-23T09:00:00Z');
      expect((await w.tick()).filter((a) => a.clock === 'lac_death_notification')).toEqual([
        { clock: 'lac_death_notification', item: '', level: 'due_soon', recipient: WHO.notifier },
      ]);
      // A date before the death, or without ticking that both were told, is refused; nothing is written.
      const before = (await w.eventTypes()).length;
      const refused = await w.step('sos_ofsted_notified', { notifiedOn: '2027-12-15' }, WHO.notifier).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ValidationError);
      expect((refused as ValidationError).problems).toEqual([
        { field: 'notifiedOn', message: 'must not be before 2027-12-16' },
        { field: 'confirm', message: 'must be ticked to confirm' },
      ]);
      expect((await w.eventTypes()).length).toBe(before);
      // The Hartlepool notifier notified both today, and records it: on time.
      const recorded = await w.step('sos_ofsted_notified', { notifiedOn: '2027-12-23', confirm: 'true' }, WHO.notifier);
      expect(recorded.plan.note).toBe('the Secretary of State and Ofsted were notified on Thu 23 Dec');
      await w.expectClock('lac_death_notification', '2027-12-24', 'met');
      expect(await caseCardFact(w, 'Also')).toBe('SoS and Ofsted notification done on time (due by the end of Fri 24 Dec)');
      // Recorded once.
      await expect(w.step('sos_ofsted_notified', { notifiedOn: '2027-12-23', confirm: 'true' }, WHO.notifier)).rejects.toBeInstanceOf(
        ConflictError,
      );

      // Now the case can close.
      await w.step('case_closed', { reason: 'Fictional: not notifiable; the Secretary of State and Ofsted were notified.' });
      expect(await w.stage()).toBe('closed');
      const actions = await w.auditActions();
      expect(actions).toContain('step:sos_ofsted_notified');
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });

    it('HSSCP: a child in need who died owes no such notification', async () => {
      const w = await startWalk(db, 'hsscp.json', 'Hartlepool', '2027-12-20T10:00:00Z', {
        incident: { date: '2027-12-16', isDeath: true },
      });
      await w.expectClock('lac_death_notification', null, 'not_applicable');
      expect(await caseCardFact(w, 'Also')).toBeUndefined();
      w.at('2027-12-21T11:00:00Z');
      await w.decide('do_not_notify');
      await w.step('case_closed', { reason: 'Fictional: not notifiable.' });
      expect(await w.stage()).toBe('closed');
    });

    it('Stockport: a looked-after child is always notifiable to the Panel, and the Secretary of State and Ofsted are told of the death', async () => {
      // The child, looked after by Stockport, died on Sun 5 Dec 2027; the Case Notification Form reached the
      // partnership on Mon 6 Dec at 10:00, when the local authority (a partner) was aware at the latest.
      const w = await startWalk(db, 'stockport.json', 'Stockport', '2027-12-06T10:00:00Z', {
        child: { ...sampleReferral().child, localAuthority: 'Stockport', statusAtTime: 'looked_after' },
        incident: { date: '2027-12-05', isDeath: true },
      });
      // 003 L146, "within five working days of becoming aware" (Mon 6 Dec): Tue 7 (1), Wed 8 (2), Thu 9 (3),
      // Fri 10 (4), Mon 13 Dec (5). For a looked-after child it runs before the Virtual Panel decides.
      await w.expectClock('panel_notification', '2027-12-13', 'pending');
      await w.expectClock('lac_death_notification', '2027-12-13', 'pending');

      // Tue 7 Dec: the police member votes for a practice review instead. Refused, with the seed's words; no
      // vote is stored and nothing is audited.
      w.at('2027-12-07T10:00:00Z');
      const auditBefore = (await w.auditActions()).length;
      const refused = await castVote(
        w.ctx,
        { caseId: w.caseId, agency: 'police', decision: 'practice_review', rationale: 'Fictional: learning only.' },
        WHO.dsp.police,
      ).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ValidationError);
      expect((refused as ValidationError).problems[0]).toMatchObject({
        field: 'decision',
        message: expect.stringContaining('a looked-after child is always notifiable to the National Panel'),
      });
      expect(await listVotes(db, w.caseId)).toEqual([]);
      expect((await w.auditActions()).length).toBe(auditBefore);

      // The Virtual Panel agrees the Rapid Review; the notifier notifies the Panel on Wed 8 Dec.
      await w.decide('rapid_review');
      expect(await w.stage()).toBe('notification');
      w.at('2027-12-08T15:00:00Z');
      await w.confirmNotification('2027-12-08');
      await w.expectClock('panel_notification', '2027-12-13', 'met');
      // The Secretary of State and Ofsted are a step of their own: still owed.
      await w.expectClock('lac_death_notification', '2027-12-13', 'pending');
      await w.step('sos_ofsted_notified', { notifiedOn: '2027-12-08', confirm: 'true' }, WHO.notifier);
      await w.expectClock('lac_death_notification', '2027-12-13', 'met');
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });
  });
}
