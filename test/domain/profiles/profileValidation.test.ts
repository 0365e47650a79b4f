// The five shipped profiles parse, follow the shared conventions the application relies on, and a
// broken profile is refused with a ProfileError that names the file and the field.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { parseProfile, ProfileError } from '../../../src/domain/profiles/parseProfile.ts';
import type { Profile } from '../../../src/domain/profiles/profileSchema.ts';

const FILES = [
  'src/profiles/hsscp.json',
  'src/profiles/nel.json',
  'src/profiles/stockport.json',
  'src/profiles/darlington.json',
  // South Tees (Middlesbrough, Redcar and Cleveland): the Tees-wide guidance, 002 (#15 item 10).
  'src/profiles/southtees.json',
] as const;

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** Canonical stage order; a profile uses a subset of it, in this order. */
const STAGE_ORDER = [
  'referral',
  'dsp_decision',
  'notification',
  'rapid_review',
  'governance',
  'panel_submission',
  'panel_response',
  'lcspr',
  'publication',
  'action_plan',
  'learning_review',
  'dispute_resolution',
  'other_process',
  'closed',
];

describe('shipped profiles', () => {
  const parsed = new Map<string, Profile>(FILES.map((f) => [f, parseProfile(readJson(f), f)]));

  it.each(FILES)('%s parses', (file) => {
    expect(parsed.get(file)?.clocks.length).toBeGreaterThan(0);
  });

  it.each(FILES)('%s names the three statutory agencies and the roles that may read full details', (file) => {
    const p = parsed.get(file)!;
    expect(p.agencies.map((a) => a.id)).toEqual(['local_authority', 'police', 'health']);
    expect(p.fullDetailsRoles).toEqual(expect.arrayContaining(['business_manager', 'dsp', 'la_notifier', 'rr_chair']));
    const roleKinds = Object.fromEntries(p.roles.map((r) => [r.id, r.kind]));
    expect(roleKinds).toMatchObject({
      dsp: 'per_agency',
      la_notifier: 'per_local_authority',
      business_manager: 'single',
      engine_room: 'group',
      rr_chair: 'single',
      partnership_chair: 'single',
      agency_leads: 'per_agency',
      lead_reviewer: 'single',
      referrer: 'single',
    });
  });

  it.each(FILES)('%s lists its stages in process order', (file) => {
    const ids = parsed.get(file)!.stages.map((s) => s.id);
    expect(ids.every((id) => STAGE_ORDER.includes(id))).toBe(true);
    expect([...ids].sort((a, b) => STAGE_ORDER.indexOf(a) - STAGE_ORDER.indexOf(b))).toEqual(ids);
  });

  it.each(FILES)('%s: every clock cites its seed and the statutory clocks are the national ones', (file) => {
    const p = parsed.get(file)!;
    for (const clock of p.clocks) expect(clock.source, clock.id).toMatch(/"/);
    const statutory = p.clocks.filter((c) => c.statutory).map((c) => c.id);
    expect(
      statutory.every((id) =>
        // lac_death_notification: the Secretary of State and Ofsted told of a looked-after child's death (#15 item 2).
        [
          'panel_notification',
          'rr_report_to_panel',
          'lcspr_copy_before_publication',
          'lcspr_publication',
          'lac_death_notification',
        ].includes(id),
      ),
    ).toBe(true);
  });

  it.each(FILES)(
    "%s: the Panel notification clock is the LA notifier's, 5 working days from the LA becoming aware, escalated to the DSPs",
    (file) => {
      const clock = parsed.get(file)!.clocks.find((c) => c.id === 'panel_notification')!;
      expect(clock).toMatchObject({
        owner: 'la_notifier',
        statutory: true,
        // From the latest recorded awareness date: the form's, the receipt's, or a correction's (issue #15 item 1).
        starts: { event: 'la_aware', dateField: 'awareOn', use: 'latest' },
        length: { workingDays: 5 },
        completedBy: { event: 'panel_notified' },
        escalation: [{ after: { workingDays: 0 }, notify: ['dsp'] }],
      });
      // On the decision to notify; in Stockport also whenever the child was looked after (003 Appendix A 1.2, #15 item 2).
      const when = clock.appliesWhen!;
      const conditions = 'anyOf' in when ? when.anyOf : [when];
      expect(conditions).toContainEqual(expect.objectContaining({ event: 'notification_decision', field: 'outcome' }));
    },
  );

  it('HSSCP and Darlington share the dsp_decision clock shape (Stockport and NEL state no decision clock)', () => {
    for (const file of ['src/profiles/hsscp.json', 'src/profiles/darlington.json']) {
      expect(parsed.get(file)!.clocks.find((c) => c.id === 'dsp_decision')).toMatchObject({
        stage: 'dsp_decision',
        owner: 'dsp',
        starts: { event: 'referral_received' },
        completedBy: { event: 'notification_decision' },
        dueSoon: { workingDaysBefore: 0 },
        escalation: [{ after: { workingDays: 0 }, notify: ['business_manager', 'partnership_chair'] }],
      });
    }
    expect(parsed.get('src/profiles/stockport.json')!.clocks.some((c) => c.id === 'dsp_decision')).toBe(false);
    expect(parsed.get('src/profiles/nel.json')!.clocks.some((c) => c.id === 'dsp_decision')).toBe(false);
  });

  it('HSSCP notification decision: all three agree to notify, not notify or refer for learning; disagreement to dispute resolution', () => {
    const decision = parsed.get('src/profiles/hsscp.json')!.notificationDecision;
    expect(decision.rule).toBe('unanimous');
    expect(decision.outcomes.map((o) => [o.id, o.next])).toEqual([
      ['notify', 'notification'],
      ['do_not_notify', 'closed'],
      ['learning_review', 'learning_review'],
    ]);
    expect(decision.onDisagreement.next).toBe('dispute_resolution');
  });

  it('Stockport notification decision: the five Virtual Panel outcomes of its referral form', () => {
    const decision = parsed.get('src/profiles/stockport.json')!.notificationDecision;
    expect(decision.outcomes.map((o) => o.id)).toEqual([
      'rapid_review',
      'practice_review',
      'case_escalation',
      'no_partnership_response',
      'queries_to_referrer',
    ]);
    expect(parsed.get('src/profiles/stockport.json')!.reviewCriteria.map((c) => c.id)).toEqual([
      '4.1',
      '4.2',
      '4.3',
      '4.4',
      '4.5',
      '4.6',
      '4.7',
    ]);
  });

  it('NEL and Stockport name their information request templates', () => {
    expect(parsed.get('src/profiles/nel.json')!.informationRequest?.template).toBe('Initial Scoping and Information Sharing Template');
    expect(parsed.get('src/profiles/stockport.json')!.informationRequest?.template).toMatch(/^Rapid Review Information Request/);
  });

  it('Darlington keeps engine_room as the Learning & Development Group and escalates action items to the Head of Service and Chief Officer', () => {
    const p = parsed.get('src/profiles/darlington.json')!;
    expect(p.roles.find((r) => r.id === 'engine_room')?.label).toBe('Learning & Development Group');
    expect(p.clocks.find((c) => c.id === 'action_plan_item')).toMatchObject({
      starts: { event: 'action_set', dateField: 'deadline' },
      perItem: 'itemId',
      length: { calendarDays: 0 },
      completedBy: { event: 'action_completed' },
      escalation: [
        { after: { months: 3 }, notify: ['head_of_service'] },
        { after: { months: 6 }, notify: ['chief_officer'] },
      ],
    });
  });
});

describe('a bad profile is refused, naming the file and the field', () => {
  const FILE = 'src/profiles/bad.json';

  /** The HSSCP profile with one change made to it. */
  function broken(change: (json: { clocks: Record<string, unknown>[] } & Record<string, unknown>) => void): unknown {
    const json = structuredClone(readJson('src/profiles/hsscp.json')) as { clocks: Record<string, unknown>[] } & Record<string, unknown>;
    change(json);
    return json;
  }

  function errorOf(json: unknown): ProfileError {
    try {
      parseProfile(json, FILE);
    } catch (error) {
      if (error instanceof ProfileError) return error;
      throw error;
    }
    throw new Error('the profile was accepted');
  }

  it('an unknown field: a misspelt "lenght" beside a clock\'s length', () => {
    const error = errorOf(
      broken((j) => {
        j.clocks[0]!.lenght = { workingDays: 2 };
      }),
    );
    expect(error.message).toBe(`${FILE}: clocks[0].lenght: unknown field`);
    expect(error).toMatchObject({ source: FILE, field: 'clocks[0].lenght' });
  });

  it('a clock\'s length renamed to "lenght": the misspelt key is named, as the cause of the missing one', () => {
    const error = errorOf(
      broken((j) => {
        j.clocks[0]!.lenght = j.clocks[0]!.length;
        delete j.clocks[0]!.length;
      }),
    );
    expect(error.message).toBe(`${FILE}: clocks[0].lenght: unknown field`);
  });

  it('an unknown top-level field', () => {
    expect(
      errorOf(
        broken((j) => {
          j.colour = 'blue';
        }),
      ).message,
    ).toBe(`${FILE}: colour: unknown field`);
  });

  it('an owner role that does not exist', () => {
    const error = errorOf(
      broken((j) => {
        j.clocks[1]!.owner = 'notifier';
      }),
    );
    expect(error.message).toBe(`${FILE}: clocks[1].owner: unknown role "notifier"`);
  });

  it('an escalation to a role that does not exist', () => {
    const error = errorOf(
      broken((j) => {
        j.clocks[0]!.escalation = [{ after: { workingDays: 0 }, notify: ['business_manager', 'ceo'] }];
      }),
    );
    expect(error.message).toBe(`${FILE}: clocks[0].escalation[0].notify[1]: unknown role "ceo"`);
  });

  it.each([
    ['a fractional count', { workingDays: 2.5 }],
    ['an unknown unit', { weeks: 2 }],
    ['two units at once', { workingDays: 2, calendarDays: 1 }],
    ['words', '2 working days'],
  ])('a malformed duration: %s', (_what, length) => {
    const error = errorOf(
      broken((j) => {
        j.clocks[0]!.length = length;
      }),
    );
    expect(error.source).toBe(FILE);
    expect(error.field).toBe('clocks[0].length');
    expect(error.message).toMatch(/^src\/profiles\/bad\.json: clocks\[0\]\.length: /);
  });

  it('an unknown stage', () => {
    const error = errorOf(
      broken((j) => {
        j.clocks[2]!.stage = 'triage';
      }),
    );
    expect(error.message).toBe(`${FILE}: clocks[2].stage: unknown stage "triage"`);
  });

  it("an unknown stage as a decision outcome's next step", () => {
    const error = errorOf(
      broken((j) => {
        (j.notificationDecision as { outcomes: { next: string }[] }).outcomes[1]!.next = 'archive';
      }),
    );
    expect(error.message).toBe(`${FILE}: notificationDecision.outcomes[1].next: unknown stage "archive"`);
  });

  it('an unknown event type', () => {
    const error = errorOf(
      broken((j) => {
        (j.clocks[0]!.starts as { event: string }).event = 'referral_recieved';
      }),
    );
    expect(error.field).toBe('clocks[0].starts.event');
    expect(error.message).toMatch(/^src\/profiles\/bad\.json: clocks\[0\]\.starts\.event: Invalid option/);
  });

  it('an unknown event type in a completion', () => {
    const error = errorOf(
      broken((j) => {
        j.clocks[3]!.completedBy = { event: 'panel_replied' };
      }),
    );
    expect(error.field).toBe('clocks[3].completedBy.event');
  });

  it('an appliesWhen naming a decision outcome the profile does not have', () => {
    const error = errorOf(
      broken((j) => {
        (j.clocks[1]!.appliesWhen as { in: string[] }).in = ['notified'];
      }),
    );
    expect(error.message).toBe(`${FILE}: clocks[1].appliesWhen.in[0]: unknown decision outcome "notified"`);
  });

  it('two clocks with the same id', () => {
    const error = errorOf(
      broken((j) => {
        j.clocks[4]!.id = 'dsp_decision';
      }),
    );
    expect(error.message).toBe(`${FILE}: clocks[4].id: duplicate id "dsp_decision"`);
  });
});
