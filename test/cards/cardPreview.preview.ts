// Screenshots of the cards #15 changed, as the real app sends them to Teams, for a person to look at:
// the app is driven through the Teams harness (auth on, Bot Connector and Graph stand-ins, fake clock,
// fictional people) and each card is taken from what the connector stand-in received, or from an
// invoke's answer. Not a test (vitest's include is test/**/*.test.ts); run it by hand:
//   NODE_EXTRA_CA_CERTS=test/support/graph/tls/localhost-cert.pem npx tsx test/cards/cardPreview.preview.ts [outDir]
// PNGs and report.json (renderer warnings, anything past the card's edge) go to outDir, /tmp/card-shots by default.
import { createGraphCalendar } from '../../src/adapters/graph/graphCalendar.ts';
import { createGraphMailbox } from '../../src/adapters/graph/graphMailbox.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { confirmNotification } from '../../src/app/lifecycle/confirmNotification.ts';
import { recordStep } from '../../src/app/lifecycle/recordStep.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute, personalMessage } from '../support/botframework/teamsActivities.ts';
import { renderCardsToPng } from '../support/cardPreview.ts';
import { REFERRAL_FORM, sampleReferral } from '../support/fixtures.ts';
import { graphClientFor, startGraphStandIn } from '../support/graph/graphStandIn.ts';
import { assignTestDsps, CHANNEL, installInTestTeam, PEOPLE, type PersonKey, startTeamsHarness, TEAM } from '../support/teamsHarness.ts';

const outDir = process.argv[2] ?? '/tmp/card-shots';
const AGENCIES = [
  ['laDsp', 'local_authority'],
  ['policeDsp', 'police'],
  ['healthDsp', 'health'],
] as const;
const CHAIR = '00000000-0000-4000-8000-00000000b006';

const graph = await startGraphStandIn();
const h = await startTeamsHarness({
  calendar: createGraphCalendar(graphClientFor(graph)),
  mailbox: createGraphMailbox(graphClientFor(graph)),
});
const shots: { name: string; card: object }[] = [];
const shoot = (name: string, card: object | undefined) => {
  if (!card) throw new Error(`no card for ${name}`);
  shots.push({ name, card });
};

/** An Action.Execute from Teams; the invoke's answer (a card or a message). */
async function invoke(who: PersonKey, verb: string, data: Record<string, unknown>, where: 'channel' | 'personal' = 'channel') {
  const res = await h.send(
    adaptiveCardExecute({
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: { ...PEOPLE[who] },
      tenantId: TEST_TENANT_ID,
      verb,
      data,
      ...(where === 'channel' ? { conversationType: 'channel', team: TEAM, channel: CHANNEL } : { conversationType: 'personal' }),
    }),
  );
  if (res.status !== 200) throw new Error(`${verb}: HTTP ${res.status}`);
  return res.body as { type?: string; value?: object };
}
const invokeCard = async (...args: Parameters<typeof invoke>) => {
  const value = await invoke(...args);
  if (value?.type !== 'application/vnd.microsoft.card.adaptive') throw new Error(`${args[1]}: no card (${JSON.stringify(value)})`);
  return value.value;
};

/** The case card in the channel thread (the one with the Child line, not a notice): its latest post or update. */
const lastChannelCard = (reference: string, marker = '"title":"Child"') =>
  h
    .cardsSent((r) => (r.conversationId?.startsWith(CHANNEL.id) ?? false) || (JSON.stringify(r.body) ?? '').includes(CHANNEL.id))
    .filter((c) => JSON.stringify(c.card).includes(reference) && JSON.stringify(c.card).includes(marker))
    .at(-1)?.card;
const caseIdOf = async (reference: string) =>
  (await h.db.query<{ id: string }>('SELECT id FROM cases WHERE reference = $1', [reference])).rows[0]!.id;

try {
  await assignTestDsps(h);
  await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
  await assignRole(h.db, { role: 'la_notifier', scope: 'Hartlepool', userId: PEOPLE.notifier.aadObjectId });
  await assignRole(h.db, { role: 'rr_chair', scope: '', userId: PEOPLE.policeLead.aadObjectId });
  await assignRole(h.db, { role: 'partnership_chair', scope: '', userId: CHAIR });
  await installInTestTeam(h);

  // Thu 19 Nov 2026 10:00. The referral form, as the referrer is answered "new referral".
  h.connector.reset();
  await h.send(
    personalMessage('new referral', {
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: { ...PEOPLE.referrer },
      tenantId: TEST_TENANT_ID,
    }),
  );
  shoot('01-referral-form', h.cardsSent()[0]?.card);

  // Case 1: the LA aware at a strategy meeting on Tue 17 Nov, two working days before the form.
  await invoke('referrer', 'referral.submit', { ...REFERRAL_FORM, incident_laAwareOn: '2026-11-17' }, 'personal');
  await h.settle();
  await h.services.send(); // the DSP call, booked through Graph
  await h.settle();
  shoot('02-case-card-la-aware', lastChannelCard('HSSCP-2026-0001'));

  // Case 2: a looked-after child who died.
  const second = await invoke(
    'referrer',
    'referral.submit',
    { ...REFERRAL_FORM, child_statusAtTime: 'looked_after', incident_isDeath: 'true', incident_laAwareOn: '2026-11-18' },
    'personal',
  );
  if (!JSON.stringify(second).includes('HSSCP-2026-0002')) throw new Error(`second referral: ${JSON.stringify(second)}`);
  await h.settle();
  shoot('03-case-card-looked-after-death', lastChannelCard('HSSCP-2026-0002'));

  // Case 1 decided by the three DSPs at 14:05: the case card and the DSP call's booking notice.
  const case1 = await caseIdOf('HSSCP-2026-0001');
  h.clock.set('2026-11-19T14:05:00Z');
  for (const [who, agency] of AGENCIES)
    await invoke(who, 'case.vote', { caseId: case1, agency, decision: 'notify', rationale: `${agency}: notify (fictional).` });
  await h.settle();
  shoot('04-case-card-after-decision', lastChannelCard('HSSCP-2026-0001'));
  const booking = h
    .cardsSent((r) => r.route === 'updateActivity')
    .filter((c) => JSON.stringify(c.card).includes('Done: DSP decision'))
    .at(-1)?.card;
  shoot('05-meeting-notice-done', booking);

  // The step chooser and the awareness correction, as the business manager opens them from the channel.
  shoot('06-step-chooser', await invokeCard('manager', 'case.steps', { caseId: case1 }));
  shoot('07-step-correct-awareness', await invokeCard('manager', 'case.stepForm', { caseId: case1, step: 'la_awareness_corrected' }));

  // The Panel notified on Thu 19 Nov: the rapid review's meeting date, with its window.
  await confirmNotification(
    h.services.ctx,
    { caseId: case1, notifiedOn: '2026-11-19', panelReference: 'CSPRP-FICTIONAL-1' },
    PEOPLE.notifier.aadObjectId,
  );
  await h.settle();
  shoot('08-step-chooser-rapid-review', await invokeCard('manager', 'case.steps', { caseId: case1 }));
  shoot('09-step-rr-meeting-date', await invokeCard('manager', 'case.stepForm', { caseId: case1, step: 'rr_meeting_date_set' }));

  // The email triage card, for an email that arrived Mon 16 Nov 09:12.
  graph.deliverEmail({
    id: 'msg-preview-1',
    subject: 'Referral (fictional)',
    from: 'pat.example@school.example',
    name: 'Pat Example',
    receivedAt: '2026-11-16T09:12:00Z',
  });
  await h.services.pollMailbox();
  h.connector.reset();
  await h.services.send();
  shoot('10-triage-card', h.cardsSent((r) => (JSON.stringify(r.body) ?? '').includes('Email to the partnership mailbox'))[0]?.card);

  // Case 3 walked by the use cases to the LCSPR, with an action: the publication decision and an extension.
  const { case: third } = await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId);
  for (const [who, agency] of AGENCIES)
    await castVote(h.services.ctx, { caseId: third.id, agency, decision: 'notify', rationale: 'Fictional.' }, PEOPLE[who].aadObjectId);
  await confirmNotification(
    h.services.ctx,
    { caseId: third.id, notifiedOn: '2026-11-19', panelReference: 'CSPRP-FICTIONAL-3' },
    PEOPLE.notifier.aadObjectId,
  );
  const step = (id: string, values: Record<string, unknown>, actor: string = PEOPLE.manager.aadObjectId) =>
    recordStep(h.services.ctx, { caseId: third.id, step: id, values }, actor);
  h.clock.set('2026-11-26T15:00:00Z');
  const views = Object.fromEntries(h.services.ctx.profile.reviewCriteria.map((c) => [`view_${c.id}`, 'met']));
  await step(
    'rr_meeting_held',
    { heldOn: '2026-11-26', ...views, conclusion: 'local_review', reasons: 'Fictional: learning.' },
    PEOPLE.policeLead.aadObjectId,
  );
  h.clock.set('2026-11-27T14:00:00Z');
  await step('governance_meeting_held', { heldOn: '2026-11-27', decision: 'local_review', reasons: 'Fictional: criteria met.' }, CHAIR);
  h.clock.set('2026-11-30T10:00:00Z');
  await step('rr_report_submitted', { submittedOn: '2026-11-30' });
  h.clock.set('2026-12-01T10:00:00Z');
  await step('panel_response_received', { receivedOn: '2026-12-01', response: 'agrees' });
  await step('action_set', { description: 'Fictional: review the school’s referral guidance.', agency: 'health', deadline: '2027-03-01' });
  await h.settle();
  shoot('11-step-chooser-lcspr', await invokeCard('manager', 'case.steps', { caseId: third.id }));
  shoot('12-step-extend-action', await invokeCard('manager', 'case.stepForm', { caseId: third.id, step: 'action_extended' }));
  shoot('13-step-publication-decision', await invokeCard('manager', 'case.stepForm', { caseId: third.id, step: 'publication_decided' }));
  shoot('14-case-card-lcspr', lastChannelCard(third.reference));
} finally {
  await h.close();
  await graph.close();
}

// The cards as JSON too, to read exact words beside the pictures.
const { mkdirSync, writeFileSync } = await import('node:fs');
mkdirSync(outDir, { recursive: true });
for (const s of shots) writeFileSync(`${outDir}/${s.name}.json`, `${JSON.stringify(s.card, null, 2)}\n`);
for (const r of await renderCardsToPng(shots, outDir))
  console.log(
    `${r.name}: ${r.widthPx}x${r.heightPx}${r.warnings.length ? `, warnings: ${r.warnings.join('; ')}` : ''}${r.overflowing.length ? `, past the edge: ${r.overflowing.join('; ')}` : ''}`,
  );
