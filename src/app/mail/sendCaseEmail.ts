import type { Logger } from '../../adapters/log/logger.ts';
import { appendAudit } from '../../adapters/store/auditLog.ts';
import { appendCaseEvent, listCaseEvents } from '../../adapters/store/caseEventRepository.ts';
import { findCase, readReferralDetails } from '../../adapters/store/caseRepository.ts';
import { findPartnershipChannel } from '../../adapters/store/installationRepository.ts';
import { describeClock } from '../../domain/clocks/describeClock.ts';
import type { AppContext } from '../appContext.ts';
import { loadCaseSnapshot } from '../cases/caseSnapshot.ts';
import { NotFoundError } from '../errors.ts';
import { queueCaseChange } from '../teams/caseAnnouncements.ts';
import { reachablePeople } from '../teams/caseBroadcaster.ts';
import type { TeamsGateway } from '../teams/teamsGateway.ts';
import { infoRequestEmail, learningDecisionEmail, notifierEmail, rationaleShareEmail, referrerEmail } from './caseEmails.ts';
import type { MailGateway } from './mailGateway.ts';

export interface CaseEmailDeps {
  readonly ctx: AppContext;
  readonly mail: MailGateway;
  readonly gateway: TeamsGateway;
  readonly logger: Logger;
  readonly mailbox: string;
}

export type CaseEmail =
  | { readonly caseId: string; readonly template: 'notifier'; readonly recipient: string }
  | { readonly caseId: string; readonly template: 'referrer' }
  | { readonly caseId: string; readonly template: 'learning' }
  | { readonly caseId: string; readonly template: 'rationale_share'; readonly recipient: string }
  | { readonly caseId: string; readonly template: 'info_request'; readonly itemId: string };

/**
 * Sends one case email from the partnership mailbox, built now from the case as it stands, and
 * records it: a case event, an audit entry, and a note in the case thread (no addresses there).
 */
export async function sendCaseEmail(deps: CaseEmailDeps, email: CaseEmail): Promise<void> {
  const { ctx } = deps;
  const record = await findCase(ctx.db, email.caseId);
  const referral = record && (await readReferralDetails(ctx.db, record.id));
  if (!record || !referral) throw new NotFoundError(`case ${email.caseId} not found`);
  const channel = await findPartnershipChannel(ctx.db);
  let to: { email: string; name?: string };
  let built: { subject: string; html: string };
  let who: string;
  if (email.template === 'notifier') {
    const [person] = await reachablePeople(deps, channel, [email.recipient]);
    if (!person?.email) throw new Error('the notifier has no email address known to the partnership');
    to = { email: person.email, ...(person.displayName ? { name: person.displayName } : {}) };
    const clock = (await loadCaseSnapshot(ctx, record.id)).clocks.find((c) => c.clockId === 'panel_notification');
    built = notifierEmail(ctx.profile, record, referral, clock ? describeClock(clock) : 'within 5 working days');
    who = `the ${record.localAuthority} Serious Incident Notifier`;
  } else if (email.template === 'info_request') {
    const request = (await listCaseEvents(ctx.db, record.id))
      .filter((e) => e.type === 'info_request_sent' && e.data?.itemId === email.itemId)
      .at(-1);
    const address = typeof request?.data?.email === 'string' ? request.data.email : '';
    if (!address) throw new NotFoundError(`no email address recorded for the information request ${email.itemId}`);
    const agencyName = String(request?.data?.agencyName ?? 'the agency');
    to = { email: address, name: agencyName };
    built = infoRequestEmail(ctx.profile, record, agencyName, String(request?.data?.dueOn));
    who = agencyName;
  } else if (email.template === 'rationale_share') {
    const [person] = await reachablePeople(deps, channel, [email.recipient]);
    if (!person?.email) throw new Error('no email address is known for a member of the group the decision is shared with');
    to = { email: person.email, ...(person.displayName ? { name: person.displayName } : {}) };
    const data = ((await listCaseEvents(ctx.db, record.id)).filter((e) => e.type === 'notification_decision').at(-1)?.data ?? {}) as {
      outcome?: string;
      votes?: Record<string, { decision: string; rationale: string }>;
      resolution?: string;
    };
    built = rationaleShareEmail(ctx.profile, record, data.outcome ?? 'unknown', data.votes ?? {}, data.resolution);
    who = `a member of the ${ctx.profile.roles.find((r) => r.id === ctx.profile.notificationDecision.shareRationale?.with)?.label ?? 'group'}`;
  } else if (email.template === 'learning') {
    const decision = (await listCaseEvents(ctx.db, record.id)).filter((e) => e.type === 'learning_decision').at(-1);
    to = { email: referral.referrer.email, name: referral.referrer.name };
    built = learningDecisionEmail(ctx.profile, record, String(decision?.data?.outcome ?? ''), String(decision?.data?.rationale ?? ''));
    who = 'the referrer';
  } else {
    const decision = (await listCaseEvents(ctx.db, record.id)).filter((e) => e.type === 'notification_decision').at(-1);
    const data = (decision?.data ?? {}) as {
      outcome?: string;
      votes?: Record<string, { decision: string; rationale: string }>;
      resolution?: string;
    };
    to = { email: referral.referrer.email, name: referral.referrer.name };
    built = referrerEmail(ctx.profile, record, data.outcome ?? 'unknown', data.votes ?? {}, data.resolution);
    who = 'the referrer';
  }
  await deps.mail.send({ from: deps.mailbox, to: [to], ...built });
  const at = ctx.now();
  const how = deps.mail.local ? ' (local demo: kept in the case record, not sent)' : '';
  await ctx.db.transaction(async (tx) => {
    await appendCaseEvent(tx, record.id, {
      type: 'email_sent',
      at,
      data: { template: email.template, subject: built.subject },
      actor: 'system:mail',
      recordedAt: at,
    });
    await appendAudit(tx, {
      at,
      actor: 'system:mail',
      action: 'email_sent',
      caseId: record.id,
      details: { reference: record.reference, template: email.template, to: to.email, subject: built.subject },
    });
    // The thread's note is a message of its own, queued with the record of the email: posted here, a
    // note held back by Teams' limits retried the whole delivery, and the email went again.
    await queueCaseChange(tx, ctx, record.id, {
      what: `email:${email.template}:${at.toISOString()}`,
      text: `${record.reference}: emailed ${who}: "${built.subject}"${how}.`,
    });
  });
}
