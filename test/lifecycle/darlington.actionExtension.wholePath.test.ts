import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { loadCaseSnapshot } from '../../src/app/cases/caseSnapshot.ts';
import { ValidationError } from '../../src/domain/validation/validationError.ts';
import { testEngines } from '../support/testDatabases.ts';
import { criteriaViews, startWalk, WHO } from './support/caseWalk.ts';

/**
 * An action plan that slips, in Darlington (seed 004 s.9.2, "Governance arrangements"), through the app's
 * use cases on a real store: an existing plan entered after its deadline has passed, the Head of Service
 * told at 3 months, an extension agreed at the Chief Officer's request, the Chief Officer told at 6 months
 * past the ORIGINAL deadline, and a completion recorded late judged on the day it was done. The seed's words:
 * "will inform the relevant Head of Service in cases where actions are not completed three months beyond
 * the specified deadline ... In cases where actions remain outstanding at six months beyond the original
 * deadline, the Chair of the Group will inform the Chief Officer ... An extension to the original deadline
 * should only be agreed in exceptional circumstances and at the request of the Chief Officer."
 * Dates cross the clocks going forward (Sun 28 Mar 2027), the early May bank holiday (Mon 3 May 2027) and the
 * summer bank holiday (Mon 30 Aug 2027); months are calendar months. "The end of a day" is the London
 * midnight after it: 00:00 UTC in GMT, 23:00 UTC the day before in BST.
 */
for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`Darlington action plan that slips, store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => db.close());

    it('enters a past deadline, extends it at the Chief Officer’s request, escalates from the original deadline and judges completion on its date', async () => {
      // A notifiable case with no review, walked quickly to its action plan (the existing whole path checks these clocks).
      const w = await startWalk(db, 'darlington.json', 'Darlington', '2026-12-07T10:00:00Z');
      await w.step('partners_told', { toldOn: '2026-12-07' });
      w.at('2026-12-08T10:00:00Z');
      await w.decide('notify');
      w.at('2026-12-09T10:00:00Z');
      await w.confirmNotification('2026-12-09');
      w.at('2026-12-10T10:00:00Z');
      await w.step('panel_acknowledged', { acknowledgedOn: '2026-12-10' }, WHO.notifier);
      await w.step('referrer_told_outcome', { toldOn: '2026-12-10' }, WHO.notifier);
      w.at('2026-12-21T15:00:00Z');
      await w.step(
        'rr_meeting_held',
        { heldOn: '2026-12-21', ...criteriaViews(w.profile, 'not_met'), conclusion: 'no_review', reasons: 'Fictional: no criterion met.' },
        WHO.rrChair,
      );
      w.at('2026-12-22T10:00:00Z');
      await w.step('governance_meeting_held', { heldOn: '2026-12-22', decision: 'no_review', reasons: 'Fictional: agreed.' }, WHO.chair);
      w.at('2026-12-23T10:00:00Z');
      await w.step('rr_report_submitted', { submittedOn: '2026-12-23' }, WHO.chair);
      w.at('2027-01-11T10:00:00Z');
      await w.step('panel_response_received', { receivedOn: '2027-01-11', response: 'agrees' });
      expect(await w.stage()).toBe('action_plan');
      const actionAlerts = async () => (await w.tick()).filter((a) => a.clock === 'action_plan_item');
      expect(await actionAlerts()).toEqual([]);

      // Mon 8 Mar 2027 (GMT): the business manager enters the plan the L&D Group agreed in December, as it
      // stands: A1 for the police, due Fri 29 Jan 2027, already past. (A deadline in the past was refused.)
      w.at('2027-03-08T10:00:00Z');
      const entered = await w.step(
        'action_set',
        { description: 'Fictional: refresh custody referral guidance.', agency: 'police', deadline: '2027-01-29' },
        WHO.engineRoom,
      );
      expect(entered.plan.note).toContain('already past, so overdue');
      // Overdue since the end of Fri 29 Jan (00:00 UTC on Sat 30 Jan): the police lead is told at once, and
      // only that it is overdue (its "due soon", long past, is not sent as well).
      await w.expectClock('action_plan_item:A1', '2027-01-29', 'overdue');
      expect(await actionAlerts()).toEqual([{ clock: 'action_plan_item', item: 'A1', level: 'overdue', recipient: WHO.lead.police }]);

      // "Three months beyond the specified deadline": Fri 29 Jan + 3 calendar months = Thu 29 Apr 2027, from the
      // end of that London day (BST since Sun 28 Mar): 23:00 UTC. The police Head of Service is told.
      w.at('2027-04-29T22:59:59Z');
      expect(await actionAlerts()).toEqual([]);
      w.at('2027-04-29T23:00:00Z');
      expect(await actionAlerts()).toEqual([
        { clock: 'action_plan_item', item: 'A1', level: 'escalation_0', recipient: WHO.headOfService.police },
      ]);

      // Tue 4 May (after the early May bank holiday): the police Chief Officer asks for more time and the L&D
      // Group agrees to Fri 27 Aug 2027. Recorded Wed 5 May. Without the Chief Officer's request it is refused,
      // as is a "new" deadline no later than the current one; nothing is written.
      w.at('2027-05-05T10:00:00Z');
      const extension = {
        itemId: 'A1',
        deadline: '2027-08-27',
        agreedBy: 'Pat Example, chair of the L&D Group (fictional)',
        agreedOn: '2027-05-04',
        requestedBy: 'Jo Sample, Chief Officer (fictional)',
        reason: 'Fictional: the guidance waits on a national revision due in July.',
      };
      const eventsBefore = (await w.eventTypes()).length;
      const unasked = await w.step('action_extended', { ...extension, requestedBy: '' }, WHO.engineRoom).catch((e: unknown) => e);
      expect(unasked).toBeInstanceOf(ValidationError);
      expect((unasked as ValidationError).problems).toEqual([{ field: 'requestedBy', message: 'is required' }]);
      const earlier = await w.step('action_extended', { ...extension, deadline: '2027-01-28' }, WHO.engineRoom).catch((e: unknown) => e);
      expect((earlier as ValidationError).problems).toEqual([
        { field: 'deadline', message: 'must be later than the current deadline (Fri 29 Jan 2027)' },
      ]);
      expect((await w.eventTypes()).length).toBe(eventsBefore);

      const extended = await w.step('action_extended', extension, WHO.engineRoom);
      expect(extended.plan.note).toContain("action A1's deadline extended from Fri 29 Jan to Fri 27 Aug 2027");
      expect(extended.plan.note).toContain('at the request of the Chief Officer (agency concerned)');
      expect(extended.plan.note).toContain('its escalations still count from the original deadline, Fri 29 Jan 2027');
      // The action is held to its new deadline...
      await w.expectClock('action_plan_item:A1', '2027-08-27', 'pending');
      // ...but both escalations still count from the original one: 29 Apr and 29 Jul 2027 (23:00 UTC, BST), not
      // Sat 27 Nov 2027 and Sun 27 Feb 2028 as they would from the new deadline.
      const view = (await loadCaseSnapshot(w.ctx, w.caseId)).clocks.find((c) => c.clockId === 'action_plan_item' && c.item === 'A1')!;
      expect(view.escalations.map((e) => e.at.toISOString())).toEqual(['2027-04-29T23:00:00.000Z', '2027-07-29T23:00:00.000Z']);
      // Who agreed it, when, at whose request and why are on the record.
      const set = (await loadCaseSnapshot(w.ctx, w.caseId)).events.filter((e) => e.type === 'action_set');
      expect(set.at(-1)!.data).toMatchObject({
        itemId: 'A1',
        agency: 'police',
        deadline: '2027-08-27',
        extension: {
          previousDeadline: '2027-01-29',
          originalDeadline: '2027-01-29',
          agreedBy: extension.agreedBy,
          agreedOn: '2027-05-04',
          requestedBy: extension.requestedBy,
          requestedAs: 'chief_officer',
          reason: extension.reason,
        },
      });
      // The Head of Service, told on 29 Apr against the original deadline, is not told again.
      expect(await actionAlerts()).toEqual([]);

      // "Six months beyond the original deadline": Fri 29 Jan + 6 months = Thu 29 Jul 2027, end of day (BST):
      // 23:00 UTC. The police Chief Officer is told, though the extended deadline has not yet come.
      w.at('2027-07-29T22:59:59Z');
      expect(await actionAlerts()).toEqual([]);
      w.at('2027-07-29T23:00:00Z');
      expect(await actionAlerts()).toEqual([
        { clock: 'action_plan_item', item: 'A1', level: 'escalation_1', recipient: WHO.chiefOfficer.police },
      ]);

      // The owner's reminders follow the new deadline. Due soon from the start of the 10th working day before
      // Fri 27 Aug: Thu 26 (1), Wed 25 (2), Tue 24 (3), Mon 23 (4), Fri 20 (5), Thu 19 (6), Wed 18 (7), Tue 17
      // (8), Mon 16 (9), Fri 13 Aug (10): 00:00 BST = 23:00 UTC on Thu 12 Aug.
      w.at('2027-08-12T22:59:59Z');
      expect(await actionAlerts()).toEqual([]);
      w.at('2027-08-12T23:00:00Z');
      expect(await actionAlerts()).toEqual([{ clock: 'action_plan_item', item: 'A1', level: 'due_soon', recipient: WHO.lead.police }]);
      // Fri 27 Aug: the police finish the action, but it is not recorded that day, so at its end (23:00 UTC) the
      // watch says it is overdue.
      w.at('2027-08-27T23:00:00Z');
      expect(await actionAlerts()).toEqual([{ clock: 'action_plan_item', item: 'A1', level: 'overdue', recipient: WHO.lead.police }]);

      // Tue 31 Aug (after the summer bank holiday): the police lead records it, completed on Fri 27 Aug. Judged
      // on that day, it was on time (recorded, it is four days after its deadline). A date to come is refused.
      w.at('2027-08-31T10:00:00Z');
      const future = await w
        .step('action_completed', { itemId: 'A1', completedOn: '2027-09-01' }, WHO.lead.police)
        .catch((e: unknown) => e);
      expect((future as ValidationError).problems).toEqual([{ field: 'completedOn', message: 'must not be in the future' }]);
      const done = await w.step('action_completed', { itemId: 'A1', completedOn: '2027-08-27' }, WHO.lead.police);
      expect(done.plan.note).toBe('action A1 completed on Fri 27 Aug');
      await w.expectClock('action_plan_item:A1', '2027-08-27', 'met');
      expect(await w.tick()).toEqual([]);

      w.at('2027-09-01T10:00:00Z');
      await w.step('case_closed', { reason: 'Fictional: no review; the action is complete.' });
      expect(await w.stage()).toBe('closed');
      const actions = await w.auditActions();
      for (const step of ['action_set', 'action_extended', 'action_completed', 'case_closed']) expect(actions).toContain(`step:${step}`);
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });
  });
}
