import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { ConflictError } from '../../src/app/errors.ts';
import { ValidationError } from '../../src/domain/validation/validationError.ts';
import { testEngines } from '../support/testDatabases.ts';
import { criteriaViews, startWalk, WHO } from './support/caseWalk.ts';

/**
 * Publishing a local child safeguarding practice review, as the seeds allow it to go (000 'LCSPR' L126-131,
 * 001 s.11 L173-181, 004 s.14.4-15.5), through the app's use cases on a real store:
 * - the partners "must publish the report, unless they consider it inappropriate to do so. In such a
 *   circumstance, they must publish any information about the improvements";
 * - "Where other proceedings may have an impact on or delay publication ... inform the Panel and the
 *   Secretary of State of the reasons for the delay";
 * - "set out for the Panel and the Secretary of State the justification for any decision not to publish";
 * - "reports or information must be publicly available for at least one year".
 * The seeds set no time for telling the Panel and the Secretary of State: the profiles give 5 working days.
 * "Within N working days of X" is the end of the Nth working day after X, X not counted; "the end of a day"
 * is the London midnight after it (23:00 UTC the day before in BST).
 */
for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`Publication outcomes, store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => db.close());

    it('HSSCP (000): publishes the improvements only, late, with the delay told to the Panel and the SoS, and watches the public year after the case closes', async () => {
      // Dates cross the summer bank holidays (Mon 30 Aug 2027, Mon 28 Aug 2028).
      const w = await startWalk(db, 'hsscp.json', 'Hartlepool', '2027-02-08T10:00:00Z');
      w.at('2027-02-09T10:00:00Z');
      await w.decide('notify');
      w.at('2027-02-10T10:00:00Z');
      await w.confirmNotification('2027-02-10');
      w.at('2027-02-25T15:00:00Z');
      await w.step(
        'rr_meeting_held',
        { heldOn: '2027-02-25', ...criteriaViews(w.profile), conclusion: 'local_review', reasons: 'Fictional: learning.' },
        WHO.rrChair,
      );
      // Fri 26 Feb 2027: the Executive commissions the review. 000 L126, "published 6 months following the
      // decision": Fri 26 Feb + 6 calendar months = Thu 26 Aug 2027.
      w.at('2027-02-26T14:00:00Z');
      await w.step(
        'governance_meeting_held',
        { heldOn: '2027-02-26', decision: 'local_review', reasons: 'Fictional: criteria met.' },
        WHO.chair,
      );
      await w.expectClock('lcspr_publication', '2027-08-26', 'pending');
      w.at('2027-03-01T10:00:00Z');
      await w.step('rr_report_submitted', { submittedOn: '2027-03-01' });
      w.at('2027-03-02T10:00:00Z');
      await w.step('panel_response_received', { receivedOn: '2027-03-02', response: 'agrees' });
      expect(await w.stage()).toBe('lcspr');
      await w.step('reviewer_named', { reviewer: 'Dr Fictional Reviewer, Example Reviews Ltd' });

      // Mon 2 Aug 2027, the final governance meeting: 000 L126, "Executive members will be asked to consider
      // whether they envisage any issues in publication". They decide to publish the improvements only; that
      // needs its reasons.
      w.at('2027-08-02T15:00:00Z');
      await w.step('final_governance_held', { heldOn: '2027-08-02' });
      const noReasons = await w
        .step('publication_decided', { outcome: 'improvements_only', decidedOn: '2027-08-02' }, WHO.chair)
        .catch((e: unknown) => e);
      expect((noReasons as ValidationError).problems).toEqual([
        { field: 'reasons', message: 'are required: why the full report is not published' },
      ]);
      const decided = await w.step(
        'publication_decided',
        { outcome: 'improvements_only', decidedOn: '2027-08-02', reasons: 'Fictional: the full report would identify a sibling.' },
        WHO.chair,
      );
      expect(decided.plan.note).toBe(
        'publication decision: only the information about the improvements is to be published, with the reasons recorded',
      );

      // Planned for Fri 20 Aug 2027. 000 L128, copies "no later than seven working days before the date of
      // publication": Thu 19 (1), Wed 18 (2), Tue 17 (3), Mon 16 (4), Fri 13 (5), Thu 12 (6), Wed 11 Aug (7).
      await w.step('publication_planned', { plannedDate: '2027-08-20' });
      await w.expectClock('lcspr_copy_before_publication', '2027-08-11', 'pending');
      w.at('2027-08-11T10:00:00Z');
      const copies = await w.step('report_copies_sent', { sentOn: '2027-08-11', panel: 'true', sos: 'true', ofsted: 'true' });
      expect(copies.plan.note).toContain('the full report and the information about the improvements went to the Panel');
      await w.expectClock('lcspr_copy_before_publication', '2027-08-11', 'met');

      // Tue 24 Aug: a trial is listed, and publication is put back to Fri 3 Sep, past the 6-month deadline.
      w.at('2027-08-24T10:00:00Z');
      const delayed = await w.step('publication_planned', { plannedDate: '2027-09-03', reasons: 'Fictional: a criminal trial is listed.' });
      expect(delayed.plan.note).toContain('The Panel and the Secretary of State are to be told the reasons for the delay (D1)');
      // The Panel and the Secretary of State are told within 5 working days of Tue 24 Aug: Wed 25 (1), Thu 26 (2),
      // Fri 27 (3); the weekend and the bank holiday (Mon 30 Aug) skipped; Tue 31 (4), Wed 1 Sep (5).
      await w.expectClock('publication_delay_reported:D1', '2027-09-01', 'pending');
      // The delay does not move the statutory date: still Thu 26 Aug.
      await w.expectClock('lcspr_publication', '2027-08-26', 'due_soon');
      // Copies now due 7 working days before Fri 3 Sep: Thu 2 (1), Wed 1 (2), Tue 31 Aug (3), (Mon 30 skipped) Fri
      // 27 (4), Thu 26 (5), Wed 25 (6), Tue 24 Aug (7); those sent on 11 Aug still count.
      await w.expectClock('lcspr_copy_before_publication', '2027-08-24', 'met');

      // Due soon 2 working days before Wed 1 Sep: Tue 31 Aug (1), Fri 27 Aug (2): 00:00 BST = 23:00 UTC on Thu 26 Aug.
      const delayAlerts = async () => (await w.tick()).filter((a) => a.clock === 'publication_delay_reported');
      w.at('2027-08-26T22:59:59Z');
      expect(await delayAlerts()).toEqual([]);
      w.at('2027-08-26T23:00:00Z');
      expect(await delayAlerts()).toEqual([{ clock: 'publication_delay_reported', item: 'D1', level: 'due_soon', recipient: WHO.manager }]);

      // Wed 1 Sep, the last day: both must be ticked as told.
      w.at('2027-09-01T15:00:00Z');
      await expect(
        w.step('publication_delay_reported', { itemId: 'D1', toldOn: '2027-09-01', panel: 'true', sos: 'false' }),
      ).rejects.toBeInstanceOf(ValidationError);
      await w.step('publication_delay_reported', { itemId: 'D1', toldOn: '2027-09-01', panel: 'true', sos: 'true' });
      await w.expectClock('publication_delay_reported:D1', '2027-09-01', 'met');

      // Fri 3 Sep 2027: published, late against Thu 26 Aug. Public until at least Sun 3 Sep 2028.
      w.at('2027-09-03T09:00:00Z');
      const published = await w.step('published', { publishedOn: '2027-09-03', where: 'https://partnership.example/learning' });
      expect(published.plan.note).toBe(
        'information about the improvements (not the full report) published on Fri 3 Sep; it must stay public until at least Sun 3 Sep 2028',
      );
      await w.expectClock('lcspr_publication', '2027-08-26', 'met_late');
      // The year is reviewed within 5 working days after Sun 3 Sep 2028: Mon 4 (1), Tue 5 (2), Wed 6 (3), Thu 7
      // (4), Fri 8 Sep 2028 (5).
      await w.expectClock('lcspr_public_until', '2028-09-08', 'pending');

      // Fri 10 Sep 2027: the case closes; the public year is watched beyond it.
      w.at('2027-09-10T10:00:00Z');
      await w.step('case_closed', { reason: 'Fictional: the improvements are published.' });
      expect(await w.stage()).toBe('closed');

      // Due soon from the 10th working day before Fri 8 Sep 2028: Thu 7 (1), Wed 6 (2), Tue 5 (3), Mon 4 (4), Fri 1
      // Sep (5), Thu 31 Aug (6), Wed 30 (7), Tue 29 (8); the summer bank holiday (Mon 28 Aug 2028) skipped; Fri 25
      // (9), Thu 24 Aug (10): 00:00 BST = 23:00 UTC on Wed 23 Aug 2028. The business manager is told.
      const yearAlerts = async () => (await w.tick()).filter((a) => a.clock === 'lcspr_public_until');
      w.at('2028-08-23T22:59:59Z');
      expect(await yearAlerts()).toEqual([]);
      w.at('2028-08-23T23:00:00Z');
      expect(await yearAlerts()).toEqual([{ clock: 'lcspr_public_until', item: '', level: 'due_soon', recipient: WHO.manager }]);

      // Fri 1 Sep 2028: the year is not up yet, so it cannot be reviewed.
      w.at('2028-09-01T10:00:00Z');
      await expect(w.step('public_period_reviewed', { reviewedOn: '2028-09-01', throughout: 'yes', next: 'kept' })).rejects.toBeInstanceOf(
        ConflictError,
      );
      // Mon 4 Sep 2028: reviewed, public throughout; it stays up.
      w.at('2028-09-04T10:00:00Z');
      const reviewed = await w.step('public_period_reviewed', { reviewedOn: '2028-09-04', throughout: 'yes', next: 'kept' });
      expect(reviewed.plan.note).toContain('reviewed on Mon 4 Sep: public throughout; it stays published');
      await w.expectClock('lcspr_public_until', '2028-09-08', 'met');

      const actions = await w.auditActions();
      for (const step of [
        'publication_decided',
        'publication_planned',
        'report_copies_sent',
        'publication_delay_reported',
        'published',
        'case_closed',
        'public_period_reviewed',
      ])
        expect(actions).toContain(`step:${step}`);
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });

    it('Darlington (004): decides not to publish, and sends the Panel and the SoS the justification on time across Easter', async () => {
      // Referral Mon 4 Oct 2027 (BST). Dates cross the clocks going back (Sun 31 Oct 2027) and forward (Sun 26 Mar
      // 2028) and Easter 2028 (Good Friday 14 Apr, Easter Monday 17 Apr).
      const w = await startWalk(db, 'darlington.json', 'Darlington', '2027-10-04T09:00:00Z');
      await w.step('partners_told', { toldOn: '2027-10-04' });
      w.at('2027-10-05T10:00:00Z');
      await w.decide('notify');
      w.at('2027-10-06T10:00:00Z');
      await w.confirmNotification('2027-10-06');
      w.at('2027-10-07T10:00:00Z');
      await w.step('panel_acknowledged', { acknowledgedOn: '2027-10-07' }, WHO.notifier);
      await w.step('referrer_told_outcome', { toldOn: '2027-10-07' }, WHO.notifier);
      w.at('2027-10-18T14:00:00Z');
      await w.step(
        'rr_meeting_held',
        { heldOn: '2027-10-18', ...criteriaViews(w.profile), conclusion: 'local_review', reasons: 'Fictional: learning.' },
        WHO.rrChair,
      );
      // Tue 19 Oct 2027: the partners and the Independent Scrutineer commission the review. 004 s.15.5, "no later
      // than six months from the date of the decision": Tue 19 Oct + 6 months = Wed 19 Apr 2028.
      w.at('2027-10-19T14:00:00Z');
      await w.step('governance_meeting_held', { heldOn: '2027-10-19', decision: 'local_review', reasons: 'Fictional.' }, WHO.chair);
      await w.expectClock('lcspr_publication', '2028-04-19', 'pending');
      w.at('2027-10-20T10:00:00Z');
      await w.step('rr_report_submitted', { submittedOn: '2027-10-20' }, WHO.chair);
      w.at('2027-10-21T10:00:00Z');
      await w.step('panel_response_received', { receivedOn: '2027-10-21', response: 'agrees' });
      expect(await w.stage()).toBe('lcspr');

      // Tue 11 Apr 2028 (BST): 004 s.15.2, "The Statutory Safeguarding Partners/Independent Scrutineer will make the
      // final decision"; they decide not to publish. Without the justification it is refused, nothing written.
      w.at('2028-04-11T14:00:00Z');
      const before = (await w.eventTypes()).length;
      const bare = await w
        .step('publication_decided', { outcome: 'not_published', decidedOn: '2028-04-11' }, WHO.chair)
        .catch((e: unknown) => e);
      expect((bare as ValidationError).problems).toEqual([
        {
          field: 'reasons',
          message: 'are required: the justification for not publishing is set out for the Panel and the Secretary of State',
        },
      ]);
      expect((await w.eventTypes()).length).toBe(before);
      await w.step(
        'publication_decided',
        { outcome: 'not_published', decidedOn: '2028-04-11', reasons: 'Fictional: publication would identify the surviving children.' },
        WHO.chair,
      );
      expect(await w.stage()).toBe('action_plan');
      // Nothing is published, so the 6-month clock (due Wed 19 Apr) and the copies no longer apply...
      await w.expectClock('lcspr_publication', null, 'not_applicable');
      await w.expectClock('lcspr_copy_before_publication', null, 'not_applicable');
      // ...and no date can be planned.
      await expect(w.step('publication_planned', { plannedDate: '2028-05-01' })).rejects.toBeInstanceOf(ConflictError);
      // The justification goes to the Panel and the Secretary of State within 5 working days of Tue 11 Apr: Wed 12
      // (1), Thu 13 (2); Good Friday, the weekend and Easter Monday skipped; Tue 18 (3), Wed 19 (4), Thu 20 Apr (5).
      await w.expectClock('non_publication_reported', '2028-04-20', 'pending');

      // Due soon 2 working days before Thu 20 Apr: Wed 19 (1), Tue 18 (2): 00:00 BST = 23:00 UTC on Easter Monday.
      const justificationAlerts = async () => (await w.tick()).filter((a) => a.clock === 'non_publication_reported');
      w.at('2028-04-17T22:59:59Z');
      expect(await justificationAlerts()).toEqual([]);
      w.at('2028-04-17T23:00:00Z');
      expect(await justificationAlerts()).toEqual([
        { clock: 'non_publication_reported', item: '', level: 'due_soon', recipient: WHO.manager },
      ]);

      // Sent on Thu 20 Apr, recorded the next morning: judged on the day it was sent, it was on time.
      w.at('2028-04-21T08:00:00Z');
      const told = await w.step('non_publication_reported', { toldOn: '2028-04-20', panel: 'true', sos: 'true' }, WHO.chair);
      expect(told.plan.note).toBe('the justification for not publishing went to the Panel and the Secretary of State on Thu 20 Apr');
      await w.expectClock('non_publication_reported', '2028-04-20', 'met');
      expect(await justificationAlerts()).toEqual([]);

      await w.step('case_closed', { reason: 'Fictional: not published, the Panel and the SoS told why.' });
      expect(await w.stage()).toBe('closed');
      const actions = await w.auditActions();
      for (const step of ['publication_decided', 'non_publication_reported', 'case_closed']) expect(actions).toContain(`step:${step}`);
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });
  });
}
