import type { Referral } from '../../domain/referral/referralSchema.ts';
import { fullDate } from '../../domain/time/formatLondon.ts';
import { escapeMarkdown } from './cardText.ts';
import { REFERRAL_TYPE_LABELS } from './caseCardModel.ts';

type Fact = { title: string; value: string };

function facts(pairs: ReadonlyArray<readonly [string, string | undefined]>): Fact[] {
  return pairs.filter(([, v]) => v !== undefined && v !== '').map(([title, value]) => ({ title, value: escapeMarkdown(value!) }));
}

/** Data for cards/caseDetails.json: the full referral, for a 1:1 chat with a reader the profile allows. */
export function caseDetailsData(reference: string, r: Referral, role: string) {
  const yesNo = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'Yes' : 'No');
  return {
    reference,
    role,
    sections: [
      {
        heading: 'Referral',
        facts: facts([
          ['Type', REFERRAL_TYPE_LABELS[r.type]],
          ['Date of referral', fullDate(r.referredOn)],
          ['Referrer', r.referrer.name],
          ['Agency', r.referrer.agency],
          ['Email', r.referrer.email],
          ['Phone', r.referrer.phone],
          ['Authorising manager', r.referrer.authorisingManager],
        ]),
      },
      {
        heading: 'Child',
        facts: facts([
          ['Name', r.child.name],
          ['Date of birth', fullDate(r.child.dateOfBirth)],
          ['Gender', r.child.gender],
          ['Ethnicity', r.child.ethnicity],
          ['Address', r.child.address],
          ['NHS number', r.child.nhsNumber],
          ['Status at the time', r.child.statusAtTime.replace(/_/g, ' ')],
          ['Local authority', r.child.localAuthority],
        ]),
      },
      {
        heading: 'Incident',
        facts: facts([
          ['Date', fullDate(r.incident.date)],
          ['Death', yesNo(r.incident.isDeath)],
          ['Cause category', r.incident.causeCategory],
          ['Coroner involved', yesNo(r.incident.coronerInvolved)],
        ]),
      },
      {
        heading: 'Family and others',
        facts: facts([
          ['Parents / carers', r.family.parentsCarers],
          ['Siblings', r.family.siblings],
          ['GP', r.family.gp],
          ['Associated others', r.family.associatedOthers],
        ]),
      },
      {
        heading: 'Agencies involved',
        facts: r.agenciesInvolved.map((p) => ({
          title: escapeMarkdown(p.name),
          value: escapeMarkdown([p.role, p.agency, p.contact].filter(Boolean).join(', ')),
        })),
      },
      {
        heading: 'What happened',
        facts: facts([
          ['What happened', r.narrative.whatHappened],
          ['Why the criteria are met', r.narrative.whyCriteriaMet],
          ['Other reviews', r.narrative.otherReviews],
        ]),
      },
    ].filter((s) => s.facts.length > 0),
  };
}
