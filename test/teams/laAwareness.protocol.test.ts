import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createGraphMailbox } from '../../src/adapters/graph/graphMailbox.ts';
import { findCase, listCases } from '../../src/adapters/store/caseRepository.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute, personalMessage } from '../support/botframework/teamsActivities.ts';
import { REFERRAL_FORM } from '../support/fixtures.ts';
import { graphClientFor, type GraphStandIn, startGraphStandIn } from '../support/graph/graphStandIn.ts';
import {
  assignTestDsps,
  installInTestTeam,
  PEOPLE,
  type PersonKey,
  startTeamsHarness,
  type TeamsHarness,
} from '../support/teamsHarness.ts';

/**
 * The awareness date (issue #15 item 1) as Teams sends it, to the real app with authentication on:
 * the referral form's field, the triage card's, and an emailed referral received when its email
 * arrived. The harness's clock is Thu 19 Nov 2026, 10:00 GMT. Seeds: the LA notifies the Panel "within
 * five working days of becoming aware" (000 L38), often aware at the strategy meeting or the CDOP
 * before the referral (002 L10); the DSPs decide "within two working days of the ... Form being
 * received" (000 L42). No bank holiday falls in these weeks.
 */
describe('when the local authority became aware, on the referral form and the triage card', () => {
  let h: TeamsHarness;
  let graph: GraphStandIn;
  const CHILD_IDENTIFIERS = ['Alexandra', 'Testcase', '2019-03-14', '9434765919', '943 476 5919', 'Fictional Road'];
  const invoke = async (who: PersonKey, verb: string, data: Record<string, unknown>) => {
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE[who] },
        tenantId: TEST_TENANT_ID,
        verb,
        data,
        conversationType: 'personal',
      }),
    );
    expect(res.status).toBe(200);
    return JSON.stringify((res.body as { value: unknown }).value);
  };

  beforeAll(async () => {
    graph = await startGraphStandIn();
    h = await startTeamsHarness({ mailbox: createGraphMailbox(graphClientFor(graph)) });
    await assignTestDsps(h);
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
    await assignRole(h.db, { role: 'la_notifier', scope: 'Hartlepool', userId: PEOPLE.notifier.aadObjectId });
    await installInTestTeam(h);
  });
  afterAll(async () => {
    await h.close();
    await graph.close();
  });

  it('asks on the referral form when the LA became aware, no later than today', async () => {
    h.connector.reset();
    await h.send(
      personalMessage('new referral', {
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE.referrer },
        tenantId: TEST_TENANT_ID,
      }),
    );
    const form = JSON.stringify(h.cardsSent()[0]?.card);
    expect(form).toContain('"id":"incident_laAwareOn"');
    expect(form).toContain('Date the local authority became aware, if before this referral');
    expect(form).toMatch(/"id":"incident_laAwareOn"[^}]*"max":"2026-11-19"/);
  });

  it('refuses a date in the future in the form’s own words, with what was typed kept, and writes nothing', async () => {
    const card = await invoke('referrer', 'referral.submit', { ...REFERRAL_FORM, incident_laAwareOn: '2026-11-20' });
    expect(card).toContain('Date the local authority became aware: must not be in the future');
    expect(card).toContain('"value":"2026-11-20"');
    expect(await listCases(h.db)).toEqual([]);
  });

  it('keeps the form’s date: the case card in the channel shows it, and the Panel notification counts from it', async () => {
    h.connector.reset();
    // A strategy meeting on Tue 17 Nov 2026, two working days before the form (Wed 18 is one).
    const receipt = await invoke('referrer', 'referral.submit', { ...REFERRAL_FORM, incident_laAwareOn: '2026-11-17' });
    expect(receipt).toContain('HSSCP-2026-0001');
    await h.settle();
    const channelCards = h
      .cardsSent()
      .map((c) => JSON.stringify(c.card))
      .filter((c) => c.includes('HSSCP-2026-0001') && c.includes('"title":"LA aware"'));
    expect(channelCards.length).toBeGreaterThan(0);
    expect(channelCards[0]).toContain('Tue 17 Nov 2026 (on the referral form)');
    for (const card of channelCards) for (const identifier of CHILD_IDENTIFIERS) expect(card).not.toContain(identifier);

    const record = (await findCase(h.db, 'HSSCP-2026-0001'))!;
    for (const [who, agency] of [
      ['laDsp', 'local_authority'],
      ['policeDsp', 'police'],
      ['healthDsp', 'health'],
    ] as const)
      await castVote(h.services.ctx, { caseId: record.id, agency, decision: 'notify', rationale: 'Fictional.' }, PEOPLE[who].aadObjectId);
    // 5 working days from Tue 17 Nov: Wed 18, Thu 19, Fri 20, Mon 23, Tue 24 Nov (from the receipt, Thu
    // 19 Nov, it would be Thu 26 Nov).
    const clock = await h.db.query<{ due_date: string }>(
      `SELECT due_date FROM clocks WHERE case_id = $1 AND clock_id = 'panel_notification'`,
      [record.id],
    );
    expect(clock.rows.map((r) => r.due_date)).toEqual(['2026-11-24']);
  });

  it('an emailed referral: the triage card asks for the date, checks it against the email, and the case is received when the email arrived', async () => {
    // The email arrived Mon 16 Nov 2026 at 09:12; the business manager triages it on Thu 19 Nov.
    graph.deliverEmail({
      id: 'msg-aware-1',
      subject: 'Referral (fictional)',
      from: 'pat.example@school.example',
      name: 'Pat Example',
      receivedAt: '2026-11-16T09:12:00Z',
    });
    expect(await h.services.pollMailbox()).toEqual({ newDrafts: 1 });
    h.connector.reset();
    await h.services.send();
    const triage = JSON.stringify(h.cardsSent((r) => (JSON.stringify(r.body) ?? '').includes('Email to the partnership mailbox'))[0]?.card);
    expect(triage).toContain('Mon 16 Nov 2026, 09:12');
    expect(triage).toMatch(/"id":"laAwareOn"[^}]*"max":"2026-11-16"/);
    const draftId = (await h.db.query<{ id: string }>(`SELECT id FROM email_referrals WHERE message_id = 'msg-aware-1'`)).rows[0]!.id;

    // Tue 17 Nov is after the email arrived: the triage card again, saying why, and no form.
    const late = await invoke('manager', 'triage.referral', { emailReferralId: draftId, laAwareOn: '2026-11-17' });
    expect(late).toContain(
      'Date the local authority became aware: must not be after the referral was received (Mon 16 Nov 2026): the local authority, a partner, knew by then.',
    );
    expect(late).not.toContain('"verb":"referral.submit"');

    // Fri 13 Nov (a CDOP meeting), before the email: the form, with the date and when the email arrived.
    const form = await invoke('manager', 'triage.referral', { emailReferralId: draftId, laAwareOn: '2026-11-13' });
    expect(form).toContain('"verb":"referral.submit"');
    expect(form).toMatch(/"id":"incident_laAwareOn"[^}]*"value":"2026-11-13"[^}]*"max":"2026-11-16"/);
    expect(form).toContain("Received by email on Mon 16 Nov 2026, 09:12: the referral's clocks count from then");

    // Only the business manager completes a referral from the mailbox: it sets when the referral was received.
    const submission = { ...REFERRAL_FORM, emailReferralId: draftId, incident_laAwareOn: '2026-11-13' };
    expect(await invoke('referrer', 'referral.submit', submission)).not.toContain('HSSCP-2026-0002');
    expect(await findCase(h.db, 'HSSCP-2026-0002')).toBeUndefined();

    const receipt = await invoke('manager', 'referral.submit', submission);
    expect(receipt).toContain('HSSCP-2026-0002');
    expect(receipt).toContain('Mon 16 Nov 2026, 09:12');
    // 000 L42, 2 working days from Mon 16 Nov: Tue 17, Wed 18. On Thu 19 Nov it is already overdue
    // (from the form's completion it would have seemed due on Mon 23 Nov).
    expect(receipt).toContain('OVERDUE: DSP decision was due by the end of Wed 18 Nov');
    const record = (await findCase(h.db, 'HSSCP-2026-0002'))!;
    expect(record.receivedAt.toISOString()).toBe('2026-11-16T09:12:00.000Z');
    const draft = (
      await h.db.query<{ status: string; case_id: string }>(`SELECT status, case_id FROM email_referrals WHERE id = $1`, [draftId])
    ).rows[0]!;
    expect(draft).toEqual({ status: 'converted', case_id: record.id });
  });
});
