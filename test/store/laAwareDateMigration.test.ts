import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { listCaseEvents } from '../../src/adapters/store/caseEventRepository.ts';
import { loadMigrations } from '../../src/adapters/store/migrations/index.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { computeClocks } from '../../src/domain/clocks/computeClocks.ts';
import { fakeClock, sampleReferral, testContext } from '../support/fixtures.ts';
import { testEngines } from '../support/testDatabases.ts';

/**
 * Migration 013: `la_aware` events stored before the awareness date was recorded carry none, and the
 * Panel-notification clocks now count from `data.awareOn`. The migration writes in the London date of
 * the event's own instant (the receipt, which was the awareness then), so no clock moves, and no
 * statutory clock is left without the date it counts from.
 */
for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`migration 013 (the awareness date), store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => db.close());

    it('gives an older la_aware event the London date of its instant, and leaves a dated one alone', async () => {
      // Received at 23:30Z on Thu 16 Jul 2026: 00:30 BST on Fri 17 Jul in London.
      const ctx = testContext(db, fakeClock('2026-07-16T23:30:00Z'));
      const older = await submitReferral(
        ctx,
        sampleReferral({ referredOn: '2026-07-16', incident: { date: '2026-07-15', isDeath: false } }),
        'r',
      );
      const dated = await submitReferral(
        ctx,
        sampleReferral({ referredOn: '2026-07-16', incident: { date: '2026-07-15', isDeath: false, laAwareOn: '2026-07-14' } }),
        'r',
      );
      // As an event recorded before this release looks: no date.
      await db.query(`UPDATE case_events SET data = '{"basis": "referral_received"}' WHERE case_id = $1 AND type = 'la_aware'`, [
        older.case.id,
      ]);
      // Once the partners decide to notify, its Panel-notification clock needs the date it counts from.
      const panelClock = async (caseId: string) =>
        computeClocks(
          ctx.profile,
          [
            ...(await listCaseEvents(db, caseId)),
            { type: 'notification_decision', at: new Date('2026-07-17T12:00:00Z'), data: { outcome: 'notify' } },
          ],
          new Date('2026-07-17T13:00:00Z'),
          ctx.calendar,
        ).find((c) => c.clockId === 'panel_notification')!;
      // Without the date it cannot count from the right day (it throws, or starts nothing).
      expect(
        await panelClock(older.case.id).then(
          (c) => c.startedOn,
          () => 'failed',
        ),
      ).not.toBe('2026-07-17');

      await db.query(loadMigrations().find((m) => m.version === 13)!.sql);
      const awareOf = async (caseId: string) => (await listCaseEvents(db, caseId)).find((e) => e.type === 'la_aware')!.data;
      expect(await awareOf(older.case.id)).toEqual({ basis: 'referral_received', awareOn: '2026-07-17' });
      expect(await awareOf(dated.case.id)).toEqual({ basis: 'referral_form', awareOn: '2026-07-14' });
      // 5 working days from Fri 17 Jul 2026: Mon 20, Tue 21, Wed 22, Thu 23, Fri 24 Jul, as before.
      expect(await panelClock(older.case.id)).toMatchObject({ startedOn: '2026-07-17', dueDate: '2026-07-24' });
      expect(await panelClock(dated.case.id)).toMatchObject({ startedOn: '2026-07-14', dueDate: '2026-07-21' });
    });
  });
}
