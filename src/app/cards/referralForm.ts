import type { Profile } from '../../domain/profiles/profileSchema.ts';
import { CASE_CHARACTERISTICS, CORONER_ANSWERS, MAIN_CAUSES } from '../../domain/referral/referralChoices.ts';
import { CHILD_STATUSES, REFERRAL_TYPES } from '../../domain/referral/referralSchema.ts';
import { londonDateTime } from '../../domain/time/formatLondon.ts';
import { londonDateOf } from '../../domain/time/londonTime.ts';
import type { FieldProblem } from '../../domain/validation/validationError.ts';
import { REFERRAL_TYPE_LABELS } from './caseCardModel.ts';

/**
 * The referral form card's inputs (cards/referralForm.json), each mapped to its place in the referral
 * and its label. One list drives the mapping, the prefill when the form comes back with errors, and the
 * labels in those errors.
 */
type Kind = 'text' | 'date' | 'toggle' | 'choice' | 'lines' | 'yesno' | 'multi';
const FIELDS: ReadonlyArray<readonly [id: string, path: string, label: string, kind: Kind]> = [
  ['type', 'type', 'Type of referral', 'choice'],
  ['referrer_name', 'referrer.name', 'Your name', 'text'],
  ['referrer_agency', 'referrer.agency', 'Your agency', 'text'],
  ['referrer_email', 'referrer.email', 'Your email', 'text'],
  ['referrer_phone', 'referrer.phone', 'Your phone', 'text'],
  ['referrer_authorisingManager', 'referrer.authorisingManager', 'Authorising manager', 'text'],
  ['referrer_authorisingOfficerComment', 'referrer.authorisingOfficerComment', "Authorising officer's comment and recommendation", 'text'],
  ['referredOn', 'referredOn', 'Date of referral', 'date'],
  ['child_name', 'child.name', "Child's full name", 'text'],
  ['child_dateOfBirth', 'child.dateOfBirth', 'Date of birth', 'date'],
  ['child_gender', 'child.gender', 'Gender', 'text'],
  ['child_ethnicity', 'child.ethnicity', 'Ethnicity', 'text'],
  ['child_address', 'child.address', 'Address', 'text'],
  ['child_nhsNumber', 'child.nhsNumber', 'NHS number', 'text'],
  ['child_statusAtTime', 'child.statusAtTime', 'Status at the time of the incident', 'choice'],
  ['child_localAuthority', 'child.localAuthority', "Child's local authority", 'choice'],
  ['incident_date', 'incident.date', 'Date of incident or death', 'date'],
  ['incident_diedOn', 'incident.diedOn', 'Date of death', 'date'],
  ['incident_laAwareOn', 'incident.laAwareOn', 'Date the local authority became aware', 'date'],
  ['incident_isDeath', 'incident.isDeath', 'The child has died', 'toggle'],
  ['incident_causeOfDeath', 'incident.causeOfDeath', 'Cause of death', 'text'],
  ['incident_staffConduct', 'incident.staffConduct', 'Conduct of a staff member', 'yesno'],
  ['incident_coroner', 'incident.coroner', 'Is a coroner involved?', 'choice'],
  ['incident_coronerDetails', 'incident.coronerDetails', 'The coroner and their local authority area', 'text'],
  ['incident_mainCause', 'incident.mainCause', 'Main cause of the incident', 'choice'],
  ['incident_mainCauseOther', 'incident.mainCauseOther', 'Other main cause', 'text'],
  ['incident_characteristics', 'incident.characteristics', 'Characteristics of the case', 'multi'],
  ['incident_characteristicsOther', 'incident.characteristicsOther', 'Other characteristics', 'text'],
  ['plans_childProtection_startedOn', 'plans.childProtection.startedOn', 'Child protection plan: date it started', 'date'],
  ['plans_childProtection_endedOn', 'plans.childProtection.endedOn', 'Child protection plan: date it ended', 'date'],
  ['plans_childInNeed_startedOn', 'plans.childInNeed.startedOn', 'Child in need plan: date it started', 'date'],
  ['plans_childInNeed_endedOn', 'plans.childInNeed.endedOn', 'Child in need plan: date it ended', 'date'],
  ['family_parentsCarers', 'family.parentsCarers', 'Parents / carers', 'text'],
  ['family_siblings', 'family.siblings', 'Siblings', 'text'],
  ['family_gp', 'family.gp', 'GP', 'text'],
  ['family_associatedOthers', 'family.associatedOthers', 'Associated others', 'text'],
  ['agenciesInvolved', 'agenciesInvolved', 'Agencies and professionals involved', 'lines'],
  ['narrative_whatHappened', 'narrative.whatHappened', 'What happened', 'text'],
  ['narrative_whyCriteriaMet', 'narrative.whyCriteriaMet', 'Why you think this meets the criteria', 'text'],
  ['narrative_otherReviews', 'narrative.otherReviews', 'Other reviews pending', 'text'],
  ['narrative_actionsSinceIncident', 'narrative.actionsSinceIncident', 'Actions taken since the incident', 'text'],
  ['escalation_sought', 'escalation.sought', 'Escalating a dispute case', 'toggle'],
  ['escalation_resolutionAttempts', 'escalation.resolutionAttempts', 'How you and your managers tried to resolve the disagreement', 'text'],
];

const choices = (labels: Record<string, string>) => Object.entries(labels).map(([value, title]) => ({ title, value }));

const STATUS_LABELS: Record<(typeof CHILD_STATUSES)[number], string> = {
  not_known_to_social_care: 'Not known to social care',
  early_help: 'Early help',
  youth_offending: 'Youth offending service',
  child_in_need: 'Child in need',
  child_protection: 'Child protection plan',
  looked_after: 'Looked after',
};

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}

/** "name; role; agency; contact" per line → professionals. A malformed line is left for validation to name. */
function parseProfessionals(text: string): unknown[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [name, role, agency, contact] = line.split(';').map((p) => p.trim());
      return { name: name ?? '', role: role ?? '', agency: agency ?? '', ...(contact ? { contact } : {}) };
    });
}

/**
 * The card's submitted data (inputs keyed by id) → a referral for validation. Empty inputs are absent;
 * so is a toggle left off, but for "The child has died", which the referral always answers. A yes/no
 * choice becomes true or false (anything else is left for validation to name); a multi-select choice
 * arrives as its values joined by commas.
 */
export function referralFromForm(data: Record<string, unknown>): Record<string, unknown> {
  const referral: Record<string, unknown> = {};
  for (const [id, path, , kind] of FIELDS) {
    const raw = data[id];
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
      if (kind === 'toggle' && path === 'incident.isDeath') setPath(referral, path, false);
      continue;
    }
    const value = typeof raw === 'string' ? raw : String(raw);
    if (kind === 'toggle') {
      if (value === 'true' || path === 'incident.isDeath') setPath(referral, path, value === 'true');
    } else if (kind === 'yesno') setPath(referral, path, value === 'yes' ? true : value === 'no' ? false : value);
    else if (kind === 'multi')
      setPath(
        referral,
        path,
        value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      );
    else if (kind === 'lines') setPath(referral, path, parseProfessionals(value));
    else setPath(referral, path, value);
  }
  return referral;
}

/** Server-side problems in the form's own words: "Date of birth: must be a date YYYY-MM-DD". */
export function formErrors(problems: readonly FieldProblem[]): string[] {
  return problems.map((p) => {
    const field = FIELDS.find(([, path]) => p.field === path || p.field.startsWith(`${path}.`) || p.field.startsWith(`${path}[`));
    return `${field ? field[2] : p.field}: ${p.message}`;
  });
}

/**
 * Data for cards/referralForm.json; `values` prefills a form sent back with errors. A form completing
 * an email carries the email's id and when it arrived: the referral was received then, so its clocks
 * count from then, and the local authority's awareness can be no later than that day.
 */
export function referralFormData(
  profile: Profile,
  today: string,
  values: Record<string, unknown> = {},
  errors: string[] = [],
  emailReferralId = '',
  emailReceivedAt?: Date,
) {
  const prefill = Object.fromEntries(
    FIELDS.map(([id, , , kind]) => {
      const v = values[id];
      if (v === undefined || v === null) return [id, kind === 'date' && id === 'referredOn' ? today : kind === 'toggle' ? 'false' : ''];
      return [id, String(v)];
    }),
  );
  return {
    partnershipName: profile.name,
    today,
    /** Set when the form completes an email referral from the triage card. */
    emailReferralId,
    receivedNote: emailReceivedAt
      ? `Received by email on ${londonDateTime(emailReceivedAt)}: the referral's clocks count from then, not from when this form is completed.`
      : '',
    /** The latest date the local authority can have become aware: the day the referral was received. */
    awareMax: emailReceivedAt ? londonDateOf(emailReceivedAt) : today,
    errors,
    values: prefill,
    referralTypes: REFERRAL_TYPES.map((t) => ({ title: REFERRAL_TYPE_LABELS[t], value: t })),
    statuses: CHILD_STATUSES.map((s) => ({ title: STATUS_LABELS[s], value: s })),
    localAuthorities: profile.localAuthorities.map((la) => ({ title: la, value: la })),
    yesNo: [
      { title: 'Yes', value: 'yes' },
      { title: 'No', value: 'no' },
    ],
    coronerAnswers: choices(CORONER_ANSWERS),
    mainCauses: choices(MAIN_CAUSES),
    characteristics: choices(CASE_CHARACTERISTICS),
    /** Only a profile whose form offers it shows the escalation pathway (Stockport, 003 Appendix A 1.2 C). */
    escalationPathway: profile.referralForm?.escalationPathway !== undefined,
  };
}
