import { readdirSync } from 'node:fs';

import * as AC from 'adaptivecards';
import { describe, expect, it } from 'vitest';

import { loadProfileFile, SHIPPED_PROFILES_DIR } from '../../src/adapters/profiles/loadProfiles.ts';
import { CARD_TEMPLATES, type CardTemplateName, renderCard } from '../../src/app/cards/cardTemplates.ts';
import { caseCardData } from '../../src/app/cards/caseCardModel.ts';
import { caseDetailsData } from '../../src/app/cards/caseDetailsModel.ts';
import { referralFormData, referralFromForm } from '../../src/app/cards/referralForm.ts';
import { infoRequestData, stepFormData, stepsCardData } from '../../src/app/lifecycle/stepCards.ts';
import { createWorkingDayCalendar } from '../../src/domain/calendar/index.ts';
import type { CaseEvent } from '../../src/domain/case/caseEvent.ts';
import type { CaseRecord } from '../../src/domain/case/caseRecord.ts';
import { computeClocks } from '../../src/domain/clocks/computeClocks.ts';
import { findStep, LIFECYCLE_STEPS } from '../../src/domain/lifecycle/lifecycleCatalogue.ts';
import type { CaseState } from '../../src/domain/lifecycle/lifecycleStep.ts';
import type { Profile } from '../../src/domain/profiles/profileSchema.ts';
import { summarise } from '../../src/domain/referral/caseSummary.ts';
import { parseReferral } from '../../src/domain/referral/parseReferral.ts';
import { hsscp, REFERRAL_FORM, sampleReferral } from '../support/fixtures.ts';

const referral = parseReferral(
  sampleReferral({ agenciesInvolved: [{ name: 'Sam Fictional', role: 'Teacher', agency: 'Example Primary School' }] }),
  '2026-11-19',
);
const record: CaseRecord = {
  id: '00000000-0000-4000-8000-0000000c0001',
  reference: 'HSSCP-2026-0007',
  profileId: 'hsscp',
  localAuthority: 'Hartlepool',
  type: 'serious_incident_notification',
  stage: 'dsp_decision',
  summary: summarise(referral),
  receivedAt: new Date('2026-11-19T10:00:00Z'),
  createdAt: new Date('2026-11-19T10:00:00Z'),
  closedAt: null,
};
const clocks = computeClocks(
  hsscp,
  [{ type: 'referral_received', at: record.receivedAt }],
  new Date('2026-11-20T10:00:00Z'),
  createWorkingDayCalendar(),
);
// A rapid review under way, with an agency's request out and an action set, so every step's form has what it lists.
const lifecycleEvents: CaseEvent[] = [
  { type: 'referral_received', at: record.receivedAt },
  { type: 'notification_decision', at: new Date('2026-11-20T10:00:00Z'), data: { outcome: 'notify' } },
  { type: 'panel_notified', at: new Date('2026-11-23T10:00:00Z'), data: { notifiedOn: '2026-11-23' } },
  {
    type: 'info_request_sent',
    at: new Date('2026-11-24T10:00:00Z'),
    data: { itemId: 'police', agency: 'police', agencyName: 'Cleveland Police', dueOn: '2026-12-01' },
  },
  { type: 'lcspr_decision', at: new Date('2026-11-25T10:00:00Z'), data: { commission: true } },
  {
    type: 'action_set',
    at: new Date('2026-11-25T11:00:00Z'),
    data: { itemId: 'A1', agency: 'health', description: 'Fictional action', deadline: '2027-01-29' },
  },
  // A publication delay and a complaint, so the steps that answer them list one.
  {
    type: 'publication_delayed',
    at: new Date('2026-11-25T12:00:00Z'),
    data: { itemId: 'D1', plannedDate: '2027-06-30', deadline: '2027-05-25', reasons: 'Fictional' },
  },
  {
    type: 'complaint_received',
    at: new Date('2026-11-25T12:00:00Z'),
    data: { itemId: 'C1', receivedOn: '2026-11-25', about: 'Fictional' },
  },
];
const lifecycleRecord = { ...record, stage: 'rapid_review' };
function stateAt(profile: Profile, stage: string): CaseState {
  const now = new Date('2026-11-26T10:00:00Z');
  return {
    profile,
    calendar: createWorkingDayCalendar(),
    now,
    today: '2026-11-26',
    stage,
    events: lifecycleEvents,
    clocks: computeClocks(profile, lifecycleEvents, now, createWorkingDayCalendar()),
    receivedOn: '2026-11-19',
    localAuthority: 'Hartlepool',
  };
}
const darlington = loadProfileFile(`${SHIPPED_PROFILES_DIR}/darlington.json`);
const stockport = loadProfileFile(`${SHIPPED_PROFILES_DIR}/stockport.json`);
// Every field of the referral form filled in (issue #15 item 12), as the form sends it back with an error.
const EVERY_FIELD = {
  ...REFERRAL_FORM,
  referrer_phone: '01234 567890',
  referrer_authorisingManager: 'Jo Fictional',
  referrer_authorisingOfficerComment: 'Supported (fictional).',
  child_gender: 'Female',
  child_ethnicity: 'Not stated',
  child_localAuthority: 'Stockport',
  incident_date: '2026-11-10',
  incident_diedOn: '2026-11-14',
  incident_laAwareOn: '2026-11-12',
  incident_isDeath: 'true',
  incident_causeOfDeath: 'Not yet established, fictional',
  incident_staffConduct: 'yes',
  incident_coroner: 'unsure',
  incident_coronerDetails: 'HM Coroner for Fictionshire',
  incident_mainCause: 'other',
  incident_mainCauseOther: 'A fictional cause',
  incident_characteristics: 'domestic_violence,other',
  incident_characteristicsOther: 'A fictional characteristic',
  plans_childProtection_startedOn: '2025-06-02',
  plans_childProtection_endedOn: '2026-01-30',
  plans_childInNeed_startedOn: '2026-02-02',
  family_parentsCarers: 'Fictional parents',
  family_siblings: 'One fictional sibling',
  family_gp: 'Fictional Surgery',
  family_associatedOthers: 'A fictional aunt',
  narrative_otherReviews: 'None (fictional)',
  narrative_actionsSinceIncident: 'A fictional safety plan.',
  escalation_sought: 'true',
  escalation_resolutionAttempts: 'Two fictional meetings.',
};
const manager = [{ role: 'business_manager', scope: '' }];

const votes = [
  {
    caseId: record.id,
    agency: 'police',
    voterId: 'u',
    decision: 'notify',
    rationale: 'A [link](http://x) and **bold**',
    castAt: record.receivedAt,
  },
];

/** Every template, with data from the same builders the bot uses; `channel` marks what can reach a channel. */
const samples: Record<CardTemplateName, { data: Record<string, unknown>; channel: boolean }[]> = {
  referralForm: [
    { data: referralFormData(hsscp, '2026-11-19'), channel: false },
    {
      data: referralFormData(hsscp, '2026-11-19', { child_name: 'Alexandra Testcase' }, ['Date of birth: must be a date']),
      channel: false,
    },
    // Completing an email that arrived on Mon 16 Nov, with the awareness the triage card gave.
    {
      data: referralFormData(hsscp, '2026-11-19', { incident_laAwareOn: '2026-11-13' }, [], 'e1', new Date('2026-11-16T09:12:00Z')),
      channel: false,
    },
    // Stockport's form, with its escalation pathway, sent back with every field as typed.
    { data: referralFormData(stockport, '2026-11-19', EVERY_FIELD, ['Date of death: must not be in the future']), channel: false },
  ],
  referralReceipt: [
    {
      data: {
        reference: record.reference,
        typeLabel: 'Serious Incident Notification Request',
        receivedText: 'Thu 19 Nov 2026, 10:00',
        nextStep: 'The DSPs decide',
      },
      channel: false,
    },
  ],
  caseCard: [
    { data: caseCardData({ profile: hsscp, record, votes, clocks }), channel: true },
    {
      data: caseCardData({ profile: hsscp, record, votes, clocks, viewerAgency: 'police', notice: 'Your vote is recorded.' }),
      channel: true,
    },
    { data: caseCardData({ profile: hsscp, record: { ...record, stage: 'notification' }, votes, clocks }), channel: true },
    // A looked-after child's death: the Secretary of State and Ofsted notification has its own line (#15 item 2).
    {
      data: caseCardData({
        profile: hsscp,
        record,
        votes,
        clocks: computeClocks(
          hsscp,
          [
            {
              type: 'referral_received',
              at: record.receivedAt,
              data: { childStatus: 'looked_after', isDeath: true, incidentOn: '2026-11-17' },
            },
            { type: 'la_aware', at: record.receivedAt, data: { awareOn: '2026-11-19' } },
          ],
          new Date('2026-11-20T10:00:00Z'),
          createWorkingDayCalendar(),
        ),
      }),
      channel: true,
    },
    // The awareness corrected, and the deadline it moved (issue #15 item 1): dates only, in the channel.
    {
      data: caseCardData({
        profile: hsscp,
        record: { ...record, stage: 'notification' },
        votes,
        clocks,
        events: [
          { type: 'la_aware', at: record.receivedAt, data: { awareOn: '2026-11-19', basis: 'referral_received' } },
          {
            type: 'la_aware',
            at: new Date('2026-11-20T11:00:00Z'),
            data: {
              awareOn: '2026-11-17',
              basis: 'correction',
              previousAwareOn: '2026-11-19',
              moved: [{ clockId: 'panel_notification', short: 'Panel notification', from: '2026-11-26', to: '2026-11-24' }],
            },
          },
        ],
      }),
      channel: true,
    },
  ],
  caseDetails: [
    { data: caseDetailsData(record.reference, referral, 'Business manager'), channel: false },
    {
      data: caseDetailsData(record.reference, parseReferral(referralFromForm(EVERY_FIELD), '2026-11-19'), 'Business manager'),
      channel: false,
    },
  ],
  notice: [
    {
      data: {
        title: 'Not available',
        lines: ['Only the police DSP can vote for police.'],
        style: 'attention',
        actions: [{ title: 'Refresh', verb: 'case.refresh', data: { caseId: record.id } }],
      },
      channel: true,
    },
    // The admin card's confirmation of a save that removes someone: its buttons carry the choices back.
    {
      data: {
        title: 'Confirm changes to who does what',
        style: 'warning',
        lines: [
          'Nothing is saved until you confirm.',
          'Test DSP Police would no longer be DSP: Police',
          'Test Safeguarding Lead Police would become DSP: Police',
        ],
        actions: [
          {
            title: 'Confirm changes',
            verb: 'admin.save',
            data: { form: 'roles', confirm: true, fingerprint: 'f'.repeat(64), dsp__police: 'x', engine_room__: 'x,y', rr_chair__: '' },
          },
          { title: 'Back', verb: 'admin.open', data: { form: 'roles', dsp__police: 'x', engine_room__: 'x,y', rr_chair__: '' } },
        ],
      },
      channel: false,
    },
  ],
  notifierCard: [
    {
      data: {
        caseId: record.id,
        reference: record.reference,
        localAuthority: 'Hartlepool',
        initials: 'A.T.',
        ageBand: '5-9',
        incidentDateText: 'Tue 17 Nov 2026',
        clockText: 'Panel notification due by the end of Thu 26 Nov',
        canConfirm: true,
        today: '2026-11-20',
        notifiedOn: '',
        panelReference: '',
        notice: '',
        noticeStyle: 'good',
      },
      channel: false,
    },
    {
      data: {
        caseId: record.id,
        reference: record.reference,
        localAuthority: 'Hartlepool',
        initials: 'A.T.',
        ageBand: '5-9',
        incidentDateText: 'Tue 17 Nov 2026',
        clockText: 'Panel notification done on time',
        canConfirm: false,
        today: '2026-11-20',
        notifiedOn: '2026-11-20',
        panelReference: 'CSPRP-1',
        notice: 'Recorded.',
        noticeStyle: 'good',
      },
      channel: false,
    },
  ],
  welcome: [{ data: { partnershipName: hsscp.name, message: 'Case cards will be posted in this channel.' }, channel: true }],
  alertCard: [
    {
      data: {
        alertId: 'a1',
        reference: record.reference,
        initials: 'A.T.',
        notice: '',
        style: 'attention',
        title: 'Overdue: DSP decision',
        clockText: 'DSP decision was due by the end of Mon 23 Nov',
        why: 'You are its owner.',
      },
      channel: true,
    },
  ],
  triageCard: [
    {
      data: {
        emailReferralId: 'e1',
        from: 'Pat Example <pat@school.example>',
        subject: 'Referral',
        receivedText: 'Thu 19 Nov 2026, 09:12',
        attachmentsText: 'referral-form.docx',
        preview: 'Please find attached.',
        notice: '',
        noticeStyle: 'good',
        laAwareOn: '',
        awareMax: '2026-11-19',
      },
      channel: false,
    },
    {
      data: {
        emailReferralId: 'e1',
        from: 'Pat Example <pat@school.example>',
        subject: 'Referral',
        receivedText: 'Thu 19 Nov 2026, 09:12',
        attachmentsText: 'none',
        preview: 'Please find attached.',
        notice: 'Date the local authority became aware: must not be in the future.',
        noticeStyle: 'attention',
        laAwareOn: '2026-11-20',
        awareMax: '2026-11-19',
      },
      channel: false,
    },
  ],
  caseSteps: [
    { data: stepsCardData(lifecycleRecord, stateAt(hsscp, 'rapid_review'), manager, { text: 'Recorded.', style: 'good' }), channel: true },
    { data: stepsCardData(lifecycleRecord, stateAt(hsscp, 'rapid_review'), [{ role: 'dsp', scope: 'police' }]), channel: true },
  ],
  // Every step's form, as the forms appear to the person who opened them in the channel.
  stepForm: [
    ...LIFECYCLE_STEPS.map((step) => ({ data: stepFormData(lifecycleRecord, stateAt(hsscp, 'rapid_review'), step), channel: true })),
    {
      data: stepFormData(lifecycleRecord, stateAt(darlington, 'learning_review'), findStep('learning_decision')!, {
        values: { outcome: 'multi_agency_audit', rationale: 'Fictional' },
        problems: [{ field: 'rationale', message: 'is required' }],
      }),
      channel: true,
    },
  ],
  infoRequest: [
    { data: infoRequestData(lifecycleRecord, hsscp, lifecycleEvents[3]!, undefined), channel: false },
    {
      data: infoRequestData(
        lifecycleRecord,
        hsscp,
        lifecycleEvents[3]!,
        { type: 'info_return_recorded', at: new Date(), data: { itemId: 'police', kind: 'nil' } },
        { text: 'Recorded.', style: 'good' },
      ),
      channel: false,
    },
  ],
  meetingPoll: [
    {
      data: {
        meetingId: 'm1',
        reference: record.reference,
        title: 'DSP teleconference',
        unchecked: 'Test DSP Health',
        notice: '',
        noticeColor: 'Good',
        open: true,
        options: [{ index: 0, text: 'Thu 19 Nov 2026, 10:30-11:30 (London)', votesText: '1 can' }],
      },
      channel: true,
    },
    {
      // Closed: the counts stay, the buttons go, and it says who closed it and when.
      data: {
        meetingId: 'm1',
        reference: record.reference,
        title: 'DSP teleconference',
        unchecked: 'Test DSP Health',
        notice: 'Closed early by Test Business Manager on Thu 19 Nov 2026, 10:10. Booking Thu 19 Nov 2026, 10:30-11:30 (London).',
        noticeColor: 'Default',
        open: false,
        options: [{ index: 0, text: 'Thu 19 Nov 2026, 10:30-11:30 (London)', votesText: '1 can' }],
      },
      channel: true,
    },
  ],
  adminCard: [
    {
      data: {
        partnershipName: hsscp.name,
        channelText: 'Partnership, General',
        notice: '',
        noticeStyle: 'good',
        fields: [{ id: 'dsp__police', label: 'DSP: Police', multi: false, value: '' }],
        deputies: [
          {
            label: 'Deputy DSP: Police',
            userField: 'deputy__police__0__user',
            fromField: 'deputy__police__0__from',
            untilField: 'deputy__police__0__until',
            userId: '',
            actsFrom: '',
            actsUntil: '',
          },
        ],
        people: [{ title: 'Test DSP', value: 'x' }],
      },
      channel: false,
    },
  ],
};

// The child's identifiers in the sample referral: none may reach a card that can be seen in a channel.
const CHILD_IDENTIFIERS = [
  referral.child.name,
  'Alexandra',
  'Testcase',
  referral.child.dateOfBirth,
  '14 Mar 2019',
  referral.child.nhsNumber!,
  '943 476 5919',
  referral.child.address!,
];

function parseErrors(card: unknown): string[] {
  const adaptive = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  adaptive.parse(card as never, context);
  const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  const validation = adaptive.validateProperties().validationEvents.map((e) => e.message);
  return [...events, ...validation];
}

describe('card templates', () => {
  it('has a sample for every template in cards/, and a file for every template the code names', () => {
    const files = readdirSync(new URL('../../cards/', import.meta.url))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace('.json', ''))
      .sort();
    expect(files).toEqual([...CARD_TEMPLATES].sort());
    expect(Object.keys(samples).sort()).toEqual([...CARD_TEMPLATES].sort());
  });

  for (const name of CARD_TEMPLATES) {
    samples[name].forEach(({ data, channel }, i) => {
      describe(`${name} #${i + 1}`, () => {
        const card = renderCard(name, data);
        const json = JSON.stringify(card);

        it('parses as a valid Adaptive Card 1.5 with no warnings', () => {
          expect(card.version).toBe('1.5');
          expect(parseErrors(card)).toEqual([]);
        });

        it('is under 28 KB', () => {
          expect(Buffer.byteLength(json, 'utf8')).toBeLessThan(28 * 1024);
        });

        it('has no unexpanded template expression', () => {
          expect(json).not.toMatch(/\$\{|"\$data"|"\$when"/);
        });

        if (channel) {
          it('carries no child identifier (it can be seen in a channel)', () => {
            for (const identifier of CHILD_IDENTIFIERS) expect(json).not.toContain(identifier);
          });
        }
      });
    });
  }

  it('has a validity check that does catch broken cards', () => {
    expect(parseErrors({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }] })).not.toEqual([]);
    expect(parseErrors({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text' }] })).not.toEqual([]);
  });

  it('escapes markdown people typed, so a rationale cannot become a link', () => {
    const card = renderCard(
      'caseCard',
      caseCardData({
        profile: hsscp,
        record: { ...record, summary: { ...record.summary, referringAgency: '[Click](http://evil.example)' } },
        votes,
        clocks,
      }),
    );
    expect(JSON.stringify(card)).toContain('\\\\[Click\\\\]\\\\(http://evil.example\\\\)');
  });

  it('shows a DSP their own vote and rationale to change, and the others only who has voted', () => {
    const mine = JSON.stringify(renderCard('caseCard', caseCardData({ profile: hsscp, record, votes, clocks, viewerAgency: 'police' })));
    expect(mine).toContain('Change my vote');
    expect(mine).toContain('"value":"notify"');
    const shared = JSON.stringify(renderCard('caseCard', caseCardData({ profile: hsscp, record, votes, clocks })));
    expect(shared).not.toContain('Input.ChoiceSet');
    expect(shared).not.toContain('A [link]');
    expect(shared).toContain('Voted');
    expect(shared).toContain('Waiting');
  });

  it("shows Stockport's escalation pathway on Stockport's form only, and prefills every new field as typed", () => {
    const ids = (card: unknown) => [...JSON.stringify(card).matchAll(/"id":"([a-zA-Z_]+)"/g)].map((m) => m[1]);
    expect(ids(renderCard('referralForm', referralFormData(hsscp, '2026-11-19')))).not.toContain('escalation_sought');
    const form = renderCard('referralForm', referralFormData(stockport, '2026-11-19', EVERY_FIELD));
    expect(ids(form)).toEqual(expect.arrayContaining(['escalation_sought', 'escalation_resolutionAttempts']));
    const json = JSON.stringify(form);
    for (const [id, value] of Object.entries(EVERY_FIELD)) {
      if (id === 'agenciesInvolved') continue;
      expect(json, id).toContain(`"id":"${id}"`);
      expect(json, id).toContain(JSON.stringify(value));
    }
    expect(json).toContain('"isMultiSelect":true');
    expect(json).toContain('"title":"Sudden infant death syndrome"');
  });

  it('shows every new field on the full-details card, in words', () => {
    const json = JSON.stringify(
      renderCard(
        'caseDetails',
        caseDetailsData(record.reference, parseReferral(referralFromForm(EVERY_FIELD), '2026-11-19'), 'Business manager'),
      ),
    );
    for (const shown of [
      'Tue 10 Nov 2026',
      'Sat 14 Nov 2026',
      'Not yet established, fictional',
      '"title":"Conduct of a staff member","value":"Yes"',
      '"title":"Coroner involved","value":"Unsure"',
      'HM Coroner for Fictionshire',
      '"value":"other: A fictional cause"',
      '"value":"Domestic violence; other: A fictional characteristic"',
      '"value":"from Mon 2 Jun 2025 to Fri 30 Jan 2026"',
      '"value":"from Mon 2 Feb 2026 \\\\(continuing\\\\)"',
      'A fictional safety plan.',
      'Supported \\\\(fictional\\\\).',
      'Two fictional meetings.',
    ])
      expect(json).toContain(shown);
  });

  it('says the clock in words, in London time', () => {
    const shared = JSON.stringify(renderCard('caseCard', caseCardData({ profile: hsscp, record, votes, clocks })));
    expect(shared).toContain('DSP decision due by the end of Mon 23 Nov');
  });
});
