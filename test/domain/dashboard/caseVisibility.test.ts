// Who sees which case in the dashboard (issue #13 item 7): the pure rule, on the shipped profiles'
// `dashboardAccess`, and the checks that refuse a profile naming access that cannot work.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { describeCaseAccess } from '../../../src/domain/dashboard/caseAccessSummary.ts';
import { type CaseVisibilityFacts, maySeeCase, seesEveryCase } from '../../../src/domain/dashboard/caseVisibility.ts';
import { parseProfile, ProfileError } from '../../../src/domain/profiles/parseProfile.ts';
import type { Profile } from '../../../src/domain/profiles/profileSchema.ts';

const FILES = ['hsscp', 'nel', 'stockport', 'darlington'] as const;
const readJson = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../src/profiles/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const profiles = Object.fromEntries(FILES.map((f) => [f, parseProfile(readJson(f), `${f}.json`)])) as Record<
  (typeof FILES)[number],
  Profile
>;
const hsscp = profiles.hsscp;

/** A case's facts: a Hartlepool referral still at the DSPs' decision unless told otherwise. */
const facts = (overrides: Partial<CaseVisibilityFacts> = {}): CaseVisibilityFacts => ({
  type: 'serious_incident_notification',
  stage: 'dsp_decision',
  localAuthority: 'Hartlepool',
  agenciesAsked: [],
  actionOwners: [],
  decisionOutcomes: [],
  learningDecided: false,
  ...overrides,
});
const held = (...roles: [string, string?][]) => roles.map(([role, scope]) => ({ role, scope: scope ?? '' }));

const CASES = {
  atDecision: facts(),
  stocktonAtDecision: facts({ localAuthority: 'Stockton-on-Tees' }),
  notified: facts({ stage: 'notification', decisionOutcomes: ['notify'] }),
  policeAsked: facts({ stage: 'rapid_review', decisionOutcomes: ['notify'], agenciesAsked: ['police', 'health'] }),
  healthAsked: facts({
    stage: 'rapid_review',
    localAuthority: 'Stockton-on-Tees',
    decisionOutcomes: ['notify'],
    agenciesAsked: ['health'],
  }),
  policeAction: facts({ stage: 'action_plan', decisionOutcomes: ['notify'], actionOwners: ['police'] }),
  closedNotNotified: facts({ stage: 'closed', decisionOutcomes: ['do_not_notify'] }),
  learningRequest: facts({ type: 'learning_request', stage: 'learning_review' }),
  referredForLearning: facts({ stage: 'learning_review', decisionOutcomes: ['learning_review'] }),
  learningClosed: facts({ type: 'learning_request', stage: 'closed', learningDecided: true }),
  // A dispute resolved to notify: the resolution's outcome follows the disagreement.
  disputeResolvedToNotify: facts({ stage: 'notification', decisionOutcomes: ['disagreed', 'notify'] }),
  inDispute: facts({ stage: 'dispute_resolution', decisionOutcomes: ['disagreed'] }),
} as const;
type CaseName = keyof typeof CASES;
const seen = (who: ReturnType<typeof held>, profile: Profile = hsscp) =>
  (Object.keys(CASES) as CaseName[]).filter((name) => maySeeCase(who, profile, CASES[name]));

describe('HSSCP: who sees which case in the dashboard', () => {
  it.each(['business_manager', 'partnership_chair', 'dsp'])('%s sees every case', (role) => {
    expect(seen(held([role, role === 'dsp' ? 'police' : '']))).toEqual(Object.keys(CASES));
    expect(seesEveryCase(held([role]), hsscp)).toBe(true);
  });

  it('an agency lead sees the cases their agency was asked for information on, or owns an action of, and no other', () => {
    expect(seen(held(['agency_leads', 'police']))).toEqual(['policeAsked', 'policeAction']);
    expect(seen(held(['agency_leads', 'health']))).toEqual(['policeAsked', 'healthAsked']);
    expect(seesEveryCase(held(['agency_leads', 'police']), hsscp)).toBe(false);
  });

  it("a notifier sees the cases of their local authority's children only", () => {
    expect(seen(held(['la_notifier', 'Hartlepool']))).toEqual(
      Object.keys(CASES).filter((c) => !['stocktonAtDecision', 'healthAsked'].includes(c)),
    );
    expect(seen(held(['la_notifier', 'Stockton-on-Tees']))).toEqual(['stocktonAtDecision', 'healthAsked']);
  });

  it("the Engine Room sees cases on the learning route and those going to a rapid review (its members are the panel), not the DSPs' undecided or closed-without-review ones", () => {
    expect(seen(held(['engine_room']))).toEqual([
      'notified',
      'policeAsked',
      'healthAsked',
      'policeAction',
      'learningRequest',
      'referredForLearning',
      'learningClosed',
      'disputeResolvedToNotify',
    ]);
  });

  it('the rapid review chair sees the cases going to a rapid review and what follows it', () => {
    expect(seen(held(['rr_chair']))).toEqual(['notified', 'policeAsked', 'healthAsked', 'policeAction', 'disputeResolvedToNotify']);
  });

  it.each(['lead_reviewer', 'referrer', 'not_a_role'])('%s sees no case', (role) => {
    expect(seen(held([role]))).toEqual([]);
  });

  it('a scoped role without its scope sees nothing through it', () => {
    expect(seen(held(['la_notifier']))).toEqual([]);
    expect(seen(held(['agency_leads']))).toEqual([]);
  });

  it('someone holding two roles sees the union of what each shows', () => {
    expect(seen(held(['la_notifier', 'Stockton-on-Tees'], ['agency_leads', 'police']))).toEqual([
      'stocktonAtDecision',
      'policeAsked',
      'healthAsked',
      'policeAction',
    ]);
    expect(seesEveryCase(held(['agency_leads', 'police'], ['business_manager']), hsscp)).toBe(true);
  });

  it('says in words what the viewer sees', () => {
    expect(describeCaseAccess(held(['business_manager'], ['agency_leads', 'police']), hsscp)).toEqual(['every case']);
    expect(describeCaseAccess(held(['agency_leads', 'police'], ['la_notifier', 'Hartlepool']), hsscp)).toEqual([
      'cases Police was asked for information on',
      'cases with an action for Police',
      'cases of Hartlepool children',
    ]);
    expect(describeCaseAccess(held(['engine_room']), hsscp)).toEqual([
      'cases going to a rapid review, and the reviews that follow',
      'cases referred for learning',
    ]);
    expect(describeCaseAccess(held(['lead_reviewer']), hsscp)).toEqual([]);
  });
});

describe('the other profiles: their learning groups see every case, as their seeds say', () => {
  it.each(['nel', 'stockport', 'darlington'] as const)('%s: the Engine Room role sees every case', (name) => {
    expect(seesEveryCase(held(['engine_room']), profiles[name])).toBe(true);
  });

  it('NEL: the partnership chair sees the reviews and learning reviews, not the undecided referrals', () => {
    const chair = held(['partnership_chair']);
    expect(maySeeCase(chair, profiles.nel, facts({ localAuthority: 'North East Lincolnshire' }))).toBe(false);
    expect(
      maySeeCase(
        chair,
        profiles.nel,
        facts({ localAuthority: 'North East Lincolnshire', stage: 'rapid_review', decisionOutcomes: ['do_not_notify'] }),
      ),
    ).toBe(true);
  });

  it('Darlington: a Head of Service sees only the cases with an action for their agency', () => {
    const head = held(['head_of_service', 'police']);
    expect(
      maySeeCase(
        head,
        profiles.darlington,
        facts({ localAuthority: 'Darlington', stage: 'action_plan', decisionOutcomes: ['notify'], actionOwners: ['police'] }),
      ),
    ).toBe(true);
    expect(
      maySeeCase(
        head,
        profiles.darlington,
        facts({ localAuthority: 'Darlington', stage: 'rapid_review', decisionOutcomes: ['notify'], agenciesAsked: ['police'] }),
      ),
    ).toBe(false);
  });
});

describe.each(FILES)('%s: dashboard access agrees with the rest of the profile', (name) => {
  const profile = profiles[name];

  it('every role that owns a clock, is told when one is overdue, or may read full details sees cases', () => {
    const roles = new Set([
      ...profile.clocks.flatMap((c) => [c.owner, ...c.escalation.flatMap((e) => e.notify)]),
      ...profile.fullDetailsRoles,
    ]);
    for (const role of roles)
      expect(
        profile.dashboardAccess.some((a) => a.role === role),
        role,
      ).toBe(true);
  });

  it('the business manager, the DSPs and the partnership chair or learning group see every case; every grant cites its seed', () => {
    expect(seesEveryCase(held(['business_manager']), profile)).toBe(true);
    expect(seesEveryCase(held(['dsp', 'police']), profile)).toBe(true);
    for (const grant of profile.dashboardAccess) expect(grant.source, grant.role).toMatch(/^00[0-4] /);
  });
});

describe('a profile whose dashboard access cannot work is refused at start-up, naming the field', () => {
  const withAccess = (access: unknown) => ({ ...structuredClone(readJson('hsscp')), dashboardAccess: access });
  const errorOf = (json: unknown): string => {
    try {
      parseProfile(json, 'bad.json');
    } catch (error) {
      if (error instanceof ProfileError) return error.message;
      throw error;
    }
    throw new Error('the profile was accepted');
  };

  it.each<[string, unknown, string]>([
    ['an unknown role', [{ role: 'ceo', sees: ['all'], source: '000 test' }], 'bad.json: dashboardAccess[0].role: unknown role "ceo"'],
    [
      'a role named twice',
      [
        { role: 'dsp', sees: ['all'], source: '000 test' },
        { role: 'dsp', sees: ['all'], source: '000 test' },
      ],
      'bad.json: dashboardAccess[1].role: duplicate role "dsp"',
    ],
    ['an unknown kind of access', [{ role: 'dsp', sees: ['everything'], source: '000 test' }], 'bad.json: dashboardAccess[0].sees[0]: '],
    [
      "a local authority's cases for a role not held per local authority",
      [{ role: 'engine_room', sees: ['own_local_authority'], source: '000 test' }],
      'bad.json: dashboardAccess[0].sees[0]: "own_local_authority" needs a role held per local authority, and "engine_room" is not',
    ],
    [
      "an agency's cases for a role not held per agency",
      [{ role: 'la_notifier', sees: ['learning_route', 'information_requested'], source: '000 test' }],
      'bad.json: dashboardAccess[0].sees[1]: "information_requested" needs a role held per agency, and "la_notifier" is not',
    ],
    [
      '"all" beside narrower access',
      [{ role: 'business_manager', sees: ['all', 'learning_route'], source: '000 test' }],
      'bad.json: dashboardAccess[0].sees: "all" already includes every case: name it alone',
    ],
    ['no seed cited', [{ role: 'dsp', sees: ['all'] }], 'bad.json: dashboardAccess[0].source: '],
  ])('%s', (_what, access, message) => {
    expect(errorOf(withAccess(access))).toContain(message);
  });

  it('a profile that names no dashboard access shows no one any case (nothing is shown by default)', () => {
    const json = structuredClone(readJson('hsscp'));
    delete json.dashboardAccess;
    const profile = parseProfile(json, 'none.json');
    expect(profile.dashboardAccess).toEqual([]);
    expect(maySeeCase(held(['business_manager']), profile, facts())).toBe(false);
  });
});
