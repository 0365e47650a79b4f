import fc from 'fast-check';

import { CARD_VERBS } from '../../../src/app/teams/actions/index.ts';
import { LIFECYCLE_STEPS } from '../../../src/domain/lifecycle/lifecycleCatalogue.ts';
import type { StepField } from '../../../src/domain/lifecycle/stepFields.ts';
import type { PersonKey } from '../../support/teamsHarness.ts';

/** Names every JavaScript object inherits: a lookup table keyed by user input must not find them. */
export const INHERITED_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'] as const;

/** Ids that are not a case's: blank, a reference, text, and strings shaped like a uuid that are not one. */
export const BAD_CASE_IDS = [
  '',
  ' ',
  'not-a-case',
  'HSSCP-2026-0001',
  '00000000-0000-4000-8000-000000000000', // well-formed, no such case
  '------------------------------------', // 36 characters of [0-9a-f-]: looks like an id to findCase's test
  'abcdef0123456789abcdef0123456789abcd', // 36 hex digits, no dashes
  '8cde48ac-7136-4730-8e82-df3addcfe34', // one digit short
  "'; DROP TABLE cases; --",
  'x'.repeat(5000),
] as const;

/** Field ids the card forms send: every lifecycle step's (read from the catalogue), the vote's, the notifier's, the referral form's, and others. */
export function knownFieldIds(fromCatalogue: readonly string[]): string[] {
  return [
    ...new Set([
      ...fromCatalogue,
      'caseId',
      'step',
      'from',
      'itemId',
      'agency',
      'decision',
      'rationale',
      'notifiedOn',
      'panelReference',
      'alertId',
      'meetingId',
      'option',
      'emailReferralId',
      'type',
      'referrer_name',
      'referrer_agency',
      'referrer_email',
      'referredOn',
      'child_name',
      'child_dateOfBirth',
      'child_localAuthority',
      'child_nhsNumber',
      'incident_date',
      'incident_isDeath',
      'narrative_whatHappened',
      'narrative_whyCriteriaMet',
      'dsp__police',
      'business_manager__',
    ]),
  ];
}

/** Values a field can arrive with: right and wrong types, lengths, markup, unicode, impossible dates, choice values. */
export function fieldValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.constantFrom('2026-11-19', '2026-11-18', '2026-11-23', '2026-12-01', '2027-06-30', '2025-01-01'), weight: 4 },
    {
      arbitrary: fc.constantFrom(
        '2026-02-30',
        '2026-13-01',
        '2026-00-10',
        '19/11/2026',
        '2026-11-19T10:00:00Z',
        '20261119',
        '0000-00-00',
        '9999-12-31',
        '2026-11-1',
      ),
      weight: 3,
    },
    {
      arbitrary: fc.constantFrom(
        'notify',
        'do_not_notify',
        'learning_review',
        'police',
        'health',
        'local_authority',
        'police,health',
        'police,,police',
        'local_review',
        'national_review',
        'no_review',
        'met',
        'not_met',
        'unclear',
        'received',
        'nil',
        'true',
        'false',
        'agree',
        'Hartlepool',
      ),
      weight: 4,
    },
    {
      arbitrary: fc.constantFrom(
        '<script>alert(1)</script>',
        '<b>bold</b>',
        '**bold** [link](https://example.invalid)',
        '${caseId}',
        '${$root}',
        '${{caseId}}',
        '{{$root}}',
        '${title}',
        '${value}',
        '${notice}',
        '${myRationale}',
        '\u202Eevil',
        'Zoë Ünïcødé 🧒🏽 ﷽',
        '\u0000nul',
        'line one\nline two\r\nline three',
        'A, b@example.invalid\nNo address here',
      ),
      weight: 3,
    },
    { arbitrary: fc.string({ maxLength: 40 }), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }), weight: 2 },
    { arbitrary: fc.constantFrom('x'.repeat(4001), 'y'.repeat(20_000), 'é'.repeat(2001)), weight: 1 },
    {
      arbitrary: fc.oneof(
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
      ),
      weight: 2,
    },
  );
}

export interface CardSubmission {
  readonly who: PersonKey;
  readonly where: 'channel' | 'personal';
  readonly verb: string;
  readonly data: unknown;
}

/**
 * Action.Execute submissions: a known verb (mostly) or a made-up one; `data` an object of case id,
 * step id and field values (mostly) or not an object at all.
 */
export function cardSubmission(options: {
  people: readonly PersonKey[];
  caseIds: readonly string[];
  fieldIds: readonly string[];
}): fc.Arbitrary<CardSubmission> {
  const stepIds = [...LIFECYCLE_STEPS.map((s) => s.id), 'panel_notified'];
  const verb = fc.oneof(
    { arbitrary: fc.constantFrom(...CARD_VERBS), weight: 12 },
    { arbitrary: fc.constantFrom('case.delete', 'CASE.VOTE', 'case.vote ', 'case', '', 'admin.save.now', ...INHERITED_NAMES), weight: 2 },
    { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
  );
  const caseId = fc.oneof(
    { arbitrary: fc.constantFrom(...options.caseIds), weight: 8 },
    { arbitrary: fc.constantFrom(...BAD_CASE_IDS), weight: 2 },
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: fieldValue(), weight: 1 },
  );
  const step = fc.oneof(
    { arbitrary: fc.constantFrom(...stepIds), weight: 8 },
    { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
    { arbitrary: fieldValue(), weight: 1 },
  );
  const fields = fc.dictionary(fc.constantFrom(...options.fieldIds), fieldValue(), { maxKeys: 8 });
  const objectData = fc
    .record({ caseId, step, fields, from: fc.constantFrom(undefined, 'infoRequest', 'elsewhere') })
    .map(({ caseId: id, step: s, fields: f, from }) => ({ ...f, caseId: id, step: s, ...(from === undefined ? {} : { from }) }));
  const data = fc.oneof(
    { arbitrary: objectData, weight: 12 },
    {
      arbitrary: fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.integer(),
        fc.boolean(),
        fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
        fc.constant(null),
      ),
      weight: 1,
    },
  );
  return fc.record({
    who: fc.constantFrom(...options.people),
    where: fc.constantFrom('channel' as const, 'personal' as const),
    verb,
    data,
  });
}

/** A step a case could take at setup, with the fields its form asks for there. */
export interface StepPlan {
  readonly caseId: string;
  readonly step: string;
  readonly fields: readonly StepField[];
}

/** A value the field accepts (today is the harness's 19 Nov 2026). */
function validValue(field: StepField): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'date':
      return fc.constant(field.tense === 'past' ? '2026-11-19' : '2026-12-01');
    case 'text':
      return fc.constantFrom('Fictional Person, Example Agency', 'A fictional note');
    case 'longText':
      return field.id === 'otherAgencies'
        ? fc.constantFrom('Example Academy, lead@academy.example', '')
        : fc.constantFrom('A fictional reason.', 'First Member, Police\nSecond Member, Health');
    case 'choice':
      return field.options.length > 0 ? fc.constantFrom(...field.options.map((o) => o.value)) : fc.constant('');
    case 'multiChoice':
      return field.options.length > 0
        ? fc
            .subarray(
              field.options.map((o) => o.value),
              { minLength: 1 },
            )
            .map((xs) => xs.join(','))
        : fc.constant('');
    case 'confirm':
      return fc.constantFrom(true, 'true');
  }
}

/**
 * Submissions a person could plausibly make from a card (mostly good values, some fuzzed), so a
 * fair share gets past validation and writes: a step's form, a vote, the Panel notification.
 */
export function plausibleSubmission(options: {
  people: readonly PersonKey[];
  caseIds: readonly string[];
  plans: readonly StepPlan[];
  deciders: readonly string[];
  outcomes: readonly string[];
}): fc.Arbitrary<CardSubmission> {
  // Half the submissions are clean (every value good); the rest have each value fuzzed one time in four.
  const values = (fields: readonly StepField[]) =>
    fc
      .boolean()
      .chain((clean) =>
        fc.record(
          Object.fromEntries(
            fields.map((f) => [
              f.id,
              clean ? validValue(f) : fc.oneof({ arbitrary: validValue(f), weight: 3 }, { arbitrary: fieldValue(), weight: 1 }),
            ]),
          ),
        ),
      );
  const maybe = (good: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: fieldValue(), weight: 1 });
  const where = fc.constantFrom('channel' as const, 'personal' as const);
  // The business manager records most steps; anyone else may try.
  const recorder = fc.oneof(
    { arbitrary: fc.constant<PersonKey>('manager'), weight: 1 },
    { arbitrary: fc.constantFrom(...options.people), weight: 1 },
  );
  const step = fc.constantFrom(...options.plans).chain((plan) =>
    fc.record({
      who: recorder,
      where,
      verb: fc.constantFrom('case.step', 'case.step', 'case.step', 'case.stepForm'),
      data: values(plan.fields).map((v) => ({ caseId: plan.caseId, step: plan.step, ...v })),
    }),
  );
  const dsps = [
    ['laDsp', 'local_authority'],
    ['policeDsp', 'police'],
    ['healthDsp', 'health'],
  ] as const;
  const vote = fc
    .record({
      dsp: fc.constantFrom(...dsps),
      other: fc.constantFrom<PersonKey>('laDsp', 'policeDsp', 'healthDsp', 'manager', 'outsider'),
      own: fc.boolean(),
      where,
      caseId: fc.constantFrom(...options.caseIds),
      agency: maybe(fc.constantFrom(...options.deciders)),
      decision: maybe(fc.constantFrom(...options.outcomes)),
      rationale: maybe(fc.constantFrom('A fictional rationale.', 'Another fictional rationale.')),
    })
    .map(({ dsp, other, own, where: w, caseId, agency, decision, rationale }) => ({
      // Mostly a DSP voting for their own agency; sometimes someone voting for an agency not theirs.
      who: own ? dsp[0] : other,
      where: w,
      verb: 'case.vote',
      data: { caseId, agency: own ? dsp[1] : agency, decision, rationale },
    }));
  const notified = fc.record({
    who: fc.constantFrom<PersonKey>('notifier', 'manager', 'outsider'),
    where,
    verb: fc.constant('case.confirmNotification'),
    data: fc.record({
      caseId: fc.constantFrom(...options.caseIds),
      notifiedOn: maybe(fc.constant('2026-11-19')),
      panelReference: maybe(fc.constantFrom('CSPRP-FUZZ-1', 'CSPRP-FUZZ-2')),
    }),
  });
  return fc.oneof({ arbitrary: step, weight: 6 }, { arbitrary: vote, weight: 3 }, { arbitrary: notified, weight: 1 });
}
