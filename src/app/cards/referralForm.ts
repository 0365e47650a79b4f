import type { Profile } from '../../domain/profiles/profileSchema.ts';
import { CHILD_STATUSES, REFERRAL_TYPES } from '../../domain/referral/referralSchema.ts';
import type { FieldProblem } from '../../domain/validation/validationError.ts';
import { REFERRAL_TYPE_LABELS } from './caseCardModel.ts';

/**
 * The referral form card's inputs (cards/referralForm.json), each mapped to its place in the referral
 * and its label. One list drives the mapping, the prefill when the form comes back with errors, and the
 * labels in those errors.
 */
type Kind = 'text' | 'date' | 'toggle' | 'choice' | 'lines';
const FIELDS: ReadonlyArray<readonly [id: string, path: string, label: string, kind: Kind]> = [
  ['type', 'type', 'Type of referral', 'choice'],
  ['referrer_name', 'referrer.name', 'Your name', 'text'],
  ['referrer_agency', 'referrer.agency', 'Your agency', 'text'],
  ['referrer_email', 'referrer.email', 'Your email', 'text'],
  ['referrer_phone', 'referrer.phone', 'Your phone', 'text'],
  ['referrer_authorisingManager', 'referrer.authorisingManager', 'Authorising manager', 'text'],
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
  ['incident_isDeath', 'incident.isDeath', 'The child has died', 'toggle'],
  ['incident_causeCategory', 'incident.causeCategory', 'Cause category', 'text'],
  ['incident_coronerInvolved', 'incident.coronerInvolved', 'The coroner is involved', 'toggle'],
  ['family_parentsCarers', 'family.parentsCarers', 'Parents / carers', 'text'],
  ['family_siblings', 'family.siblings', 'Siblings', 'text'],
  ['family_gp', 'family.gp', 'GP', 'text'],
  ['family_associatedOthers', 'family.associatedOthers', 'Associated others', 'text'],
  ['agenciesInvolved', 'agenciesInvolved', 'Agencies and professionals involved', 'lines'],
  ['narrative_whatHappened', 'narrative.whatHappened', 'What happened', 'text'],
  ['narrative_whyCriteriaMet', 'narrative.whyCriteriaMet', 'Why you think this meets the criteria', 'text'],
  ['narrative_otherReviews', 'narrative.otherReviews', 'Other reviews pending', 'text'],
];

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

/** The card's submitted data (inputs keyed by id) → a referral for validation. Empty inputs are absent. */
export function referralFromForm(data: Record<string, unknown>): Record<string, unknown> {
  const referral: Record<string, unknown> = {};
  for (const [id, path, , kind] of FIELDS) {
    const raw = data[id];
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
      if (kind === 'toggle' && path === 'incident.isDeath') setPath(referral, path, false);
      continue;
    }
    const value = typeof raw === 'string' ? raw : String(raw);
    if (kind === 'toggle') setPath(referral, path, value === 'true');
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

/** Data for cards/referralForm.json; `values` prefills a form sent back with errors. */
export function referralFormData(
  profile: Profile,
  today: string,
  values: Record<string, unknown> = {},
  errors: string[] = [],
  emailReferralId = '',
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
    errors,
    values: prefill,
    referralTypes: REFERRAL_TYPES.map((t) => ({ title: REFERRAL_TYPE_LABELS[t], value: t })),
    statuses: CHILD_STATUSES.map((s) => ({ title: STATUS_LABELS[s], value: s })),
    localAuthorities: profile.localAuthorities.map((la) => ({ title: la, value: la })),
  };
}
