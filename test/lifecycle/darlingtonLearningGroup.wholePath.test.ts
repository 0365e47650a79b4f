import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createLogger } from '../../src/adapters/log/logger.ts';
import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import { rememberPerson } from '../../src/adapters/store/peopleRepository.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { ConflictError } from '../../src/app/errors.ts';
import type { OutgoingMail } from '../../src/app/mail/mailGateway.ts';
import { type CaseEmail, sendCaseEmail } from '../../src/app/mail/sendCaseEmail.ts';
import type { TeamsGateway } from '../../src/app/teams/teamsGateway.ts';
import { ValidationError } from '../../src/domain/validation/validationError.ts';
import { testEngines } from '../support/testDatabases.ts';
import { caseCardFact } from './support/caseCardFacts.ts';
import { startWalk, WHO } from './support/caseWalk.ts';

/**
 * #15 item 7, Darlington (seed 004):
 * - s.4.5 L117: "The referral form should be submitted within 1 working day": a referral made later than
 *   that after the incident (the date on the form) is flagged, on the case and on its card;
 * - s.5.6 L128: "Whatever the decision of the SSP, the rationale will be recorded and shared with the
 *   Learning and Development Group" (s.10.4-10.5 for decisions not to notify): an email to each member of
 *   the group, through the outbox, in the decision's transaction;
 * - s.10.7 L228: "The Learning and Development Group will provide details and the rationale and outcome of
 *   their decision to the SSP for approval": a step; a decision returned is decided again.
 *
 * Dates are worked by hand on the England-and-Wales calendar, GMT; "within N working days of X" ends with
 * the Nth working day after X, X not counted.
 */
for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`Darlington: the Learning and Development Group, store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => db.close());

    it('flags a late referral, shares the non-notifiable decision with the group, and takes its decision to the partners', async () => {
      // The incident on Mon 13 Dec 2027; the form reaches DSP@darlington.gov.uk on Thu 16 Dec at 10:00.
      const w = await startWalk(db, 'darlington.json', 'Darlington', '2027-12-16T10:00:00Z', {
        incident: { date: '2027-12-13', isDeath: false },
      });
      // s.4.5: within 1 working day of Mon 13 Dec, so by the end of Tue 14 Dec. Received Thu 16: late, and flagged.
      await w.expectClock('referral_within_1wd', '2027-12-14', 'met_late');
      expect(await caseCardFact(w, 'Late')).toBe('Referral made: due by the end of Tue 14 Dec, done Thu 16 Dec');

      // Fri 17 Dec: the SSP agree it is not notifiable but has learning: referred to the L&D Group Chair.
      w.at('2027-12-17T11:00:00Z');
      await w.decide('refer_to_learning_group');
      expect(await w.stage()).toBe('learning_review');
      // The rationale goes to the Learning and Development Group (the engine_room role), queued with the decision.
      const shared = (await w.outbox('case_email')).filter((m) => m.payload.template === 'rationale_share');
      expect(shared).toEqual([
        { recipient: WHO.engineRoom, payload: { caseId: w.caseId, template: 'rationale_share', recipient: WHO.engineRoom } },
      ]);
      // Sent from the partnership mailbox: the decision and each partner's rationale, with the initials only.
      await rememberPerson(
        db,
        {
          aadObjectId: WHO.engineRoom,
          teamsUserId: '29:fictional-ld-chair',
          displayName: 'Fictional L&D Chair',
          tenantId: null,
          email: 'ld.chair@darlington.example',
        },
        w.ctx.now(),
      );
      const sent: OutgoingMail[] = [];
      await sendCaseEmail(
        {
          ctx: w.ctx,
          mail: { local: false, send: async (m) => void sent.push(m) },
          gateway: {} as TeamsGateway,
          logger: createLogger('silent'),
          mailbox: 'dsp@darlington.example',
        },
        shared[0]!.payload as unknown as CaseEmail,
      );
      expect(sent).toHaveLength(1);
      expect(sent[0]!.to).toEqual([{ email: 'ld.chair@darlington.example', name: 'Fictional L&D Chair' }]);
      expect(sent[0]!.subject).toBe(`${w.reference}: the partners' decision and rationale, for the Learning & Development Group`);
      expect(sent[0]!.html).toContain('Not notifiable, but potential for single or multi-agency learning');
      for (const agency of ['local_authority', 'police', 'health'])
        expect(sent[0]!.html).toContain(`Fictional rationale from the ${agency} partner.`);
      expect(sent[0]!.html).toContain('A.T.');
      expect(sent[0]!.html).not.toContain('Alexandra');
      expect(await w.auditActions()).toContain('email_sent');

      // Mon 20 Dec: the group decides on a multi-agency audit (s.10.6 outcome 2).
      w.at('2027-12-20T10:00:00Z');
      await w.step(
        'learning_decision',
        { outcome: 'multi_agency_audit', rationale: 'Fictional: similar cases this year.' },
        WHO.engineRoom,
      );
      expect(await w.stage()).toBe('action_plan');
      expect(await caseCardFact(w, 'Next')).toContain("Record the partners' approval of the learning decision");

      // Tue 21 Dec: a partner returns it; the reason is required.
      w.at('2027-12-21T10:00:00Z');
      const bare = await w.step('learning_decision_approval', { approved: 'returned' }, WHO.dsp.police).catch((e: unknown) => e);
      expect(bare).toBeInstanceOf(ValidationError);
      expect((bare as ValidationError).problems).toEqual([{ field: 'notes', message: 'is required: say why the decision is returned' }]);
      await w.step(
        'learning_decision_approval',
        { approved: 'returned', notes: 'Fictional: a multi-agency practice review is proportionate.' },
        WHO.dsp.police,
      );
      expect(await w.stage()).toBe('learning_review');

      // Wed 22 Dec: the group decides again; Thu 23 Dec: the partners approve, and the course of action goes ahead.
      w.at('2027-12-22T10:00:00Z');
      await w.step(
        'learning_decision',
        { outcome: 'multi_agency_practice_review', rationale: 'Fictional: as the partners asked.' },
        WHO.engineRoom,
      );
      w.at('2027-12-23T10:00:00Z');
      const approved = await w.step('learning_decision_approval', { approved: 'approved' });
      expect(approved.plan.note).toBe("the partners approved the Learning & Development Group's decision");
      expect(await w.stage()).toBe('action_plan');
      await expect(w.step('learning_decision_approval', { approved: 'approved' })).rejects.toBeInstanceOf(ConflictError);

      const events = await w.eventTypes();
      expect(events.filter((t) => t === 'learning_decision')).toHaveLength(2);
      expect(events.filter((t) => t === 'learning_decision_approval')).toHaveLength(2);
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });

    it('a referral made within 1 working day of the incident is not flagged', async () => {
      // The incident on Fri 10 Dec 2027 (evening); the form in on Mon 13 Dec, the next working day: on time.
      const w = await startWalk(db, 'darlington.json', 'Darlington', '2027-12-13T16:00:00Z', {
        incident: { date: '2027-12-10', isDeath: false },
      });
      await w.expectClock('referral_within_1wd', '2027-12-13', 'met');
      expect(await caseCardFact(w, 'Late')).toBeUndefined();
    });
  });
}
