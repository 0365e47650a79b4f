import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findCase } from '../../src/adapters/store/caseRepository.ts';
import { listClocks } from '../../src/adapters/store/clockRepository.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { sampleReferral } from '../support/fixtures.ts';
import {
  assignTestDsps,
  CHANNEL,
  installInTestTeam,
  PEOPLE,
  type PersonKey,
  startTeamsHarness,
  type TeamsHarness,
} from '../support/teamsHarness.ts';

describe('lifecycle stage 1: the notifier records that the national Panel was notified', () => {
  let h: TeamsHarness;
  let caseId: string;
  const confirm = async (who: PersonKey, data: Record<string, unknown>) => {
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE[who] },
        tenantId: TEST_TENANT_ID,
        verb: 'case.confirmNotification',
        data: { caseId, ...data },
        conversationType: 'personal',
      }),
    );
    expect(res.status).toBe(200);
    return JSON.stringify((res.body as { value: unknown }).value);
  };

  beforeAll(async () => {
    h = await startTeamsHarness();
    await assignTestDsps(h);
    await assignRole(h.db, { role: 'la_notifier', scope: 'Hartlepool', userId: PEOPLE.notifier.aadObjectId });
    await installInTestTeam(h);
    h.clock.set('2026-11-19T10:00:00Z'); // Thursday: the LA is aware from receipt, so the Panel is due to be told by Thu 26 Nov
    caseId = (await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId)).case.id;
    for (const [who, agency] of [
      ['laDsp', 'local_authority'],
      ['policeDsp', 'police'],
      ['healthDsp', 'health'],
    ] as const) {
      await castVote(h.services.ctx, { caseId, agency, decision: 'notify', rationale: 'Fictional.' }, PEOPLE[who].aadObjectId);
    }
    h.clock.set('2026-11-27T10:00:00Z'); // recorded on Friday, a day after notifying
  });
  afterAll(async () => h.close());

  it("refuses anyone but the local authority's notifier (or the business manager), recording nothing", async () => {
    expect(await confirm('outsider', { notifiedOn: '2026-11-26', panelReference: 'CSPRP-TEST-1' })).toContain(
      "only Hartlepool's Serious Incident Notifier",
    );
    expect((await findCase(h.db, caseId))?.stage).toBe('notification');
  });

  it.each([
    [{ notifiedOn: '2026-11-28', panelReference: 'CSPRP-TEST-1' }, 'Date: must not be in the future'],
    // The referral (no earlier awareness on its form) was received Thu 19 Nov: the LA was aware from then.
    [
      { notifiedOn: '2026-11-18', panelReference: 'CSPRP-TEST-1' },
      'Date: must not be before the local authority became aware of the incident \\\\(Thu 19 Nov 2026\\\\)',
    ],
    [{ notifiedOn: '2026-11-26', panelReference: '' }, "Reference: is required: the reference the Panel's system gave"],
  ])('answers bad input readably, keeping what was typed (%#)', async (data, message) => {
    const card = await confirm('notifier', data);
    expect(card).toContain(message);
    expect(card).toContain('"verb":"case.confirmNotification"');
    expect((await findCase(h.db, caseId))?.stage).toBe('notification');
  });

  it('starts the rapid review: 15 working days from the notification, the 5-day clock met on time, the meeting queued, said in the thread', async () => {
    const card = await confirm('notifier', { notifiedOn: '2026-11-26', panelReference: 'CSPRP-TEST-1' });
    // 15 working days from Thu 26 Nov 2026 end on Thu 17 Dec.
    expect(card).toContain(
      'Recorded: the Panel was notified on Thu 26 Nov 2026, reference CSPRP-TEST-1. Rapid review report to the Panel due by the end of Thu 17 Dec.',
    );
    expect(card).not.toContain('"verb":"case.confirmNotification"');
    expect((await findCase(h.db, caseId))?.stage).toBe('rapid_review');
    const clocks = await listClocks(h.db, caseId);
    expect(clocks.find((c) => c.clockId === 'panel_notification')?.state).toBe('met'); // notified on day 5, recorded on day 6
    expect(clocks.find((c) => c.clockId === 'rr_report_to_panel')).toMatchObject({
      state: 'pending',
      startedOn: '2026-11-26',
      dueDate: '2026-12-17',
    });
    const queued = await h.db.query<{ dedupe_key: string }>(
      `SELECT dedupe_key FROM outbox WHERE kind = 'book_meeting' AND dedupe_key LIKE '%:rapid_review'`,
    );
    expect(queued.rows).toHaveLength(1);
    await h.settle();
    const thread = h.connector.requests
      .filter((r) => r.conversationId?.startsWith(CHANNEL.id))
      .map((r) => JSON.stringify(r.body))
      .join('\n');
    expect(thread).toContain(
      'HSSCP-2026-0001: the national Panel was notified on Thu 26 Nov 2026. The rapid review has started: Rapid review report to the Panel due by the end of Thu 17 Dec.',
    );
    expect((await h.db.query(`SELECT 1 FROM audit_log WHERE action = 'panel_notified'`)).rows).toHaveLength(1);
  });

  it('does not record it twice', async () => {
    expect(await confirm('notifier', { notifiedOn: '2026-11-26', panelReference: 'CSPRP-TEST-2' })).toContain(
      'is not awaited: it may already be recorded',
    );
  });
});
