import { CASE_CHARACTERISTICS, CORONER_ANSWERS, MAIN_CAUSES } from '../../domain/referral/referralChoices.ts';
import type { Referral } from '../../domain/referral/referralSchema.ts';
import { fullDate } from '../../domain/time/formatLondon.ts';
import { escapeMarkdown } from './cardText.ts';
import { REFERRAL_TYPE_LABELS } from './caseCardModel.ts';

type Fact = { title: string; value: string };

function facts(pairs: ReadonlyArray<readonly [string, string | undefined]>): Fact[] {
  return pairs.filter(([, v]) => v !== undefined && v !== '').map(([title, value]) => ({ title, value: escapeMarkdown(value!) }));
}

type PlanDates = { startedOn?: string; endedOn?: string } | undefined;

/** "from Mon 2 Mar 2026 to Fri 5 Jun 2026", "from Mon 2 Mar 2026", "ended Fri 5 Jun 2026". */
export function planText(plan: PlanDates): string | undefined {
  if (!plan || (!plan.startedOn && !plan.endedOn)) return undefined;
  const from = plan.startedOn ? `from ${fullDate(plan.startedOn)}` : '';
  const to = plan.endedOn ? `${from ? 'to' : 'ended'} ${fullDate(plan.endedOn)}` : from ? '(continuing)' : '';
  return [from, to].filter(Boolean).join(' ');
}

/** A choice and its "other, please state", in the form's words. */
function withOther(labels: readonly string[], other: string | undefined): string | undefined {
  const all = [...labels, ...(other ? [`other: ${other}`] : [])].filter((l) => l !== 'Other' || !other);
  return all.length > 0 ? all.join('; ') : undefined;
}

/** The full referral as titled facts, section by section: the details card and the dashboard's details show these. */
export function referralSections(r: Referral) {
  const yesNo = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'Yes' : 'No');
  const { incident } = r;
  return [
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
        ["Authorising officer's comment", r.referrer.authorisingOfficerComment],
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
        ['Child protection plan', planText(r.plans?.childProtection)],
        ['Child in need plan', planText(r.plans?.childInNeed)],
      ]),
    },
    {
      heading: 'Incident',
      facts: facts([
        ['Date of incident', fullDate(incident.date)],
        ['Date of death', incident.diedOn ? fullDate(incident.diedOn) : undefined],
        ['Local authority aware', incident.laAwareOn ? fullDate(incident.laAwareOn) : undefined],
        ['Death', yesNo(incident.isDeath)],
        ['Cause of death', incident.causeOfDeath],
        ['Conduct of a staff member', yesNo(incident.staffConduct)],
        ['Coroner involved', incident.coroner ? CORONER_ANSWERS[incident.coroner] : yesNo(incident.coronerInvolved)],
        ['Coroner', incident.coronerDetails],
        ['Main cause', withOther(incident.mainCause ? [MAIN_CAUSES[incident.mainCause]] : [], incident.mainCauseOther)],
        ['Cause category', incident.causeCategory],
        [
          'Characteristics',
          withOther(
            (incident.characteristics ?? []).map((c) => CASE_CHARACTERISTICS[c]),
            incident.characteristicsOther,
          ),
        ],
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
        ['Actions taken since the incident', r.narrative.actionsSinceIncident],
      ]),
    },
    {
      heading: 'Case escalation',
      facts: facts([
        ['Escalating a dispute for Partnership Review', r.escalation?.sought ? 'Yes' : undefined],
        ['What was tried to resolve it', r.escalation?.resolutionAttempts],
      ]),
    },
  ].filter((s) => s.facts.length > 0);
}

/** Data for cards/caseDetails.json: the full referral, for a 1:1 chat with a reader the profile allows. */
export function caseDetailsData(reference: string, r: Referral, role: string) {
  return { reference, role, sections: referralSections(r) };
}
