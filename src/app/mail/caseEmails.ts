import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import type { Profile } from '../../domain/profiles/profileSchema.ts';
import type { Referral } from '../../domain/referral/referralSchema.ts';
import { fullDate } from '../../domain/time/formatLondon.ts';
import { agencyLabel, outcomeLabel, REFERRAL_TYPE_LABELS } from '../cards/caseCardModel.ts';

/** Text people typed, safe inside HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const row = (label: string, value: string | undefined) =>
  value ? `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>` : '';

/**
 * To the child's local authority's Serious Incident Notifier, on "notify": the referral, so they can
 * notify the national Panel. The notifier's role may see full details (the profile says so); if a
 * profile did not allow it, only the case reference and initials would go.
 */
export function notifierEmail(profile: Profile, record: CaseRecord, referral: Referral, dueText: string) {
  const entitled = profile.fullDetailsRoles.includes('la_notifier');
  const details = entitled
    ? `<table>${[
        row('Referral type', REFERRAL_TYPE_LABELS[referral.type]),
        row('Referred by', `${referral.referrer.name}, ${referral.referrer.agency} (${referral.referrer.email})`),
        row('Child', referral.child.name),
        row('Date of birth', fullDate(referral.child.dateOfBirth)),
        row('Address', referral.child.address),
        row('NHS number', referral.child.nhsNumber),
        row('Status at the time', referral.child.statusAtTime.replace(/_/g, ' ')),
        row('Date of incident', fullDate(referral.incident.date)),
        row('Death', referral.incident.isDeath ? 'Yes' : 'No'),
        row('What happened', referral.narrative.whatHappened),
        row('Why the criteria are met', referral.narrative.whyCriteriaMet),
        row('Other reviews', referral.narrative.otherReviews),
      ].join('')}</table>`
    : `<p>Child: ${escapeHtml(record.summary.initials)}. Full details are in the case record.</p>`;
  return {
    subject: `Please notify the national Panel: ${record.reference}`,
    html: [
      `<p>The Delegated Safeguarding Partners of the ${escapeHtml(profile.name)} decided that the national Child Safeguarding Practice Review Panel should be notified of case <b>${escapeHtml(record.reference)}</b>.</p>`,
      `<p>As ${escapeHtml(record.localAuthority)}'s Serious Incident Notifier, please notify the Panel through its online system: ${escapeHtml(dueText)}. Then tell the partnership the date and the Panel's reference.</p>`,
      details,
      '<p>This email contains special category personal data about a child. Do not forward it.</p>',
    ].join(''),
  };
}

/** To the referrer, when the partners decided not to notify or to refer for learning: the decision and each partner's reasons. */
export function referrerEmail(
  profile: Profile,
  record: CaseRecord,
  outcome: string,
  votes: Record<string, { decision: string; rationale: string }>,
  resolution?: string,
) {
  const reasons = Object.entries(votes)
    .map(([agency, v]) => `<li><b>${escapeHtml(agencyLabel(profile, agency))}</b>: ${escapeHtml(v.rationale)}</li>`)
    .join('');
  return {
    subject: `Your referral ${record.reference}: the partnership's decision`,
    html: [
      `<p>Thank you for your referral <b>${escapeHtml(record.reference)}</b> (child: ${escapeHtml(record.summary.initials)}, incident ${escapeHtml(fullDate(record.summary.incidentDate))}).</p>`,
      `<p>The safeguarding partners' decision: <b>${escapeHtml(outcomeLabel(profile, outcome))}</b>.</p>`,
      `<p>Their reasons:</p><ul>${reasons}</ul>`,
      ...(resolution
        ? [`<p>The partners first disagreed; the dispute resolution procedure decided, because:</p><p>${escapeHtml(resolution)}</p>`]
        : []),
      "<p>If you have questions, reply to this email: it reaches the partnership's business unit.</p>",
    ].join(''),
  };
}

/**
 * To an involved agency outside the partnership's Teams: the information request. It names the case
 * by reference and initials only; the agency's lead replies to the mailbox and gets the child's
 * details by the partnership's secure route, so nothing identifying travels to an address typed on a card.
 */
export function infoRequestEmail(profile: Profile, record: CaseRecord, agencyName: string, dueOn: string) {
  return {
    subject: `Information request for a rapid review: ${record.reference}`,
    html: [
      `<p>The ${escapeHtml(profile.name)} has started a rapid review of case <b>${escapeHtml(record.reference)}</b> (child: ${escapeHtml(record.summary.initials)}, age ${escapeHtml(record.summary.ageBand)}, incident ${escapeHtml(fullDate(record.summary.incidentDate))}).</p>`,
      `<p>We understand ${escapeHtml(agencyName)} may have been involved. Please complete the <b>${escapeHtml(profile.informationRequest.template)}</b> and return it by the end of <b>${escapeHtml(fullDate(dueOn))}</b>, or tell us it is a nil return.</p>`,
      "<p>Reply to this email to receive the child's details and the template by the partnership's secure route.</p>",
    ].join(''),
  };
}

/** To the referrer: the Engine Room's (or learning group's) decision on a learning request, with its rationale. */
export function learningDecisionEmail(profile: Profile, record: CaseRecord, outcome: string, rationale: string) {
  const label = profile.learningDecision.outcomes.find((o) => o.id === outcome)?.label ?? outcome;
  const by = profile.roles.find((r) => r.id === profile.learningDecision.decidedBy)?.label ?? 'the partnership';
  return {
    subject: `Your referral ${record.reference}: the learning decision`,
    html: [
      `<p>Thank you for your referral <b>${escapeHtml(record.reference)}</b> (child: ${escapeHtml(record.summary.initials)}, incident ${escapeHtml(fullDate(record.summary.incidentDate))}).</p>`,
      `<p>${escapeHtml(by)} decided: <b>${escapeHtml(label)}</b>.</p>`,
      `<p>Their rationale:</p><p>${escapeHtml(rationale).replace(/\n/g, '<br>')}</p>`,
      "<p>If you have questions, reply to this email: it reaches the partnership's business unit.</p>",
    ].join(''),
  };
}

/**
 * To each member of the group the profile shares decisions with (Darlington's Learning and Development
 * Group, 004 s.5.6 and 10.4-10.5): the partners' decision and each partner's rationale, with the
 * child's initials only, so the group can consider the learning and scrutinise the decision.
 */
export function rationaleShareEmail(
  profile: Profile,
  record: CaseRecord,
  outcome: string,
  votes: Record<string, { decision: string; rationale: string }>,
  resolution?: string,
) {
  const group = profile.roles.find((r) => r.id === profile.notificationDecision.shareRationale?.with)?.label ?? 'the group';
  const reasons = Object.entries(votes)
    .map(([agency, v]) => `<li><b>${escapeHtml(agencyLabel(profile, agency))}</b>: ${escapeHtml(v.rationale)}</li>`)
    .join('');
  return {
    subject: `${record.reference}: the partners' decision and rationale, for the ${group}`,
    html: [
      `<p>Case <b>${escapeHtml(record.reference)}</b> (child: ${escapeHtml(record.summary.initials)}, incident ${escapeHtml(fullDate(record.summary.incidentDate))}).</p>`,
      `<p>The safeguarding partners' decision: <b>${escapeHtml(outcomeLabel(profile, outcome))}</b>.</p>`,
      `<p>Their rationale:</p><ul>${reasons}</ul>`,
      ...(resolution ? [`<p>Reached through the dispute resolution procedure, because:</p><p>${escapeHtml(resolution)}</p>`] : []),
      `<p>Shared with the ${escapeHtml(group)} as the partnership's procedure requires. Full details are in the case record.</p>`,
    ].join(''),
  };
}
