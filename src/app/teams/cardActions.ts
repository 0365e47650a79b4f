import { createHash } from 'node:crypto';
import { rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import { canonicalJson } from '../../domain/audit/canonicalJson.ts';
import { londonDateOf } from '../../domain/time/londonTime.ts';
import { fullDate, londonDateTime } from '../../domain/time/formatLondon.ts';
import { confirmNotification } from '../lifecycle/confirmNotification.ts';
import { notifierCard } from '../lifecycle/notifierCard.ts';
import { describeClock } from '../../domain/clocks/describeClock.ts';
import { ValidationError } from '../../domain/validation/validationError.ts';
import { isUuid } from '../../domain/validation/uuid.ts';
import { renderCard, type AdaptiveCard } from '../cards/cardTemplates.ts';
import { agencyLabel, REFERRAL_TYPE_LABELS } from '../cards/caseCardModel.ts';
import { formErrors, referralFormData, referralFromForm } from '../cards/referralForm.ts';
import { loadCaseSnapshot } from '../cases/caseSnapshot.ts';
import { readCaseDetails } from '../cases/readCaseDetails.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { submitReferral } from '../referrals/submitReferral.ts';
import { acknowledgeAlert, snoozeAlert } from '../deadlines/alertActions.ts';
import { cancelMeeting, rebookMeeting } from '../meetings/rebookMeeting.ts';
import { bookPollNow, voteInPoll } from '../meetings/meetingPoll.ts';
import { convertEmailDraft, dismissEmailDraft, findEmailDraft, isBusinessManager, triageCard } from '../intake/triage.ts';
import type { CalendarGateway } from '../meetings/calendarGateway.ts';
import { castVote } from '../votes/castVote.ts';
import type { Actor } from './actor.ts';
import { adminActions } from './adminActions.ts';
import { lifecycleActions } from './lifecycleActions.ts';
import { caseCard, dspRecipients, type BroadcastDeps } from './caseBroadcaster.ts';
import { queueDetailsCard } from './caseAnnouncements.ts';
import { detailsCardFor } from './detailsCard.ts';

export const CARD_VERBS = ['referral.open', 'referral.submit', 'case.vote', 'case.refresh', 'case.details', 'admin.open', 'admin.save', 'alert.ack', 'alert.snooze', 'meeting.rebook', 'meeting.cancel', 'meeting.pollVote', 'meeting.pollBook', 'triage.referral', 'triage.dismiss', 'case.confirmNotification', 'case.steps', 'case.stepForm', 'case.step'] as const;
export type CardVerb = (typeof CARD_VERBS)[number];

/** The id each verb acts on, which its card data must carry. */
const VERB_IDS: Partial<Record<CardVerb, string>> = {
  'case.vote': 'caseId', 'case.refresh': 'caseId', 'case.details': 'caseId', 'case.confirmNotification': 'caseId',
  'case.steps': 'caseId', 'case.stepForm': 'caseId', 'case.step': 'caseId',
  'alert.ack': 'alertId', 'alert.snooze': 'alertId',
  'meeting.rebook': 'meetingId', 'meeting.cancel': 'meetingId', 'meeting.pollVote': 'meetingId', 'meeting.pollBook': 'meetingId',
  'triage.referral': 'emailReferralId', 'triage.dismiss': 'emailReferralId',
};

/** What a card action answers: the card that replaces the clicked one (for the clicker only). */
export interface ActionResult {
  readonly card: AdaptiveCard;
  /**
   * The action queued posts in the outbox (in its own transaction): the sender is woken to deliver
   * them now rather than on its next round. Waking it is only for speed; the queue is what delivers.
   */
  readonly queued?: boolean;
}

export interface CardActionDeps extends BroadcastDeps {
  /** Entra object ids allowed to administer before a business manager is configured. */
  readonly adminUserIds: readonly string[];
  /** Meetings: the calendar and the partnership mailbox that organizes them. */
  readonly calendar?: CalendarGateway;
  readonly organizer?: string;
}

export function noticeCard(title: string, lines: string[], style: 'default' | 'attention' | 'good' | 'warning' = 'attention', actions: { title: string; verb: CardVerb; data: Record<string, unknown> }[] = []): AdaptiveCard {
  return renderCard('notice', { title, lines, style, actions });
}

function dataString(data: Record<string, unknown>, key: string): string {
  const v = data[key];
  return typeof v === 'string' ? v : '';
}

/**
 * The agency this person votes for on this case, if they are a DSP. Someone holding more than one
 * agency's DSP role (a deputy covering an absence) sees the first agency still to vote, in the
 * profile's order, then the next after voting.
 */
async function dspAgencyOf(deps: CardActionDeps, actor: Actor, votes: readonly { agency: string }[]): Promise<string | undefined> {
  const held = (await rolesOf(deps.ctx.db, actor.aadObjectId)).filter((r) => r.role === 'dsp').map((r) => r.scope);
  const mine = deps.ctx.profile.notificationDecision.deciders.filter((a) => held.includes(a));
  return mine.find((a) => !votes.some((v) => v.agency === a)) ?? mine[0];
}

/** The case card as this person should see it: their own vote view if they are a DSP, else the shared one. */
async function caseViewFor(deps: CardActionDeps, actor: Actor, caseId: string, notice?: string, typedVote?: { decision: string; rationale: string }): Promise<AdaptiveCard> {
  const snapshot = await loadCaseSnapshot(deps.ctx, caseId);
  const agency = await dspAgencyOf(deps, actor, snapshot.votes);
  const dsps = await dspRecipients(deps);
  return caseCard(deps.ctx, snapshot, {
    ...(agency ? { viewerAgency: agency } : {}),
    ...(notice ? { notice } : {}),
    ...(typedVote ? { typedVote } : {}),
    refreshUserIds: dsps.map((d) => d.person.teamsUserId),
  });
}

export function createCardActions(deps: CardActionDeps) {
  const { ctx } = deps;

  const handlers: Record<CardVerb, (data: Record<string, unknown>, actor: Actor) => Promise<ActionResult>> = {
    'referral.open': async () => ({ card: renderCard('referralForm', referralFormData(ctx.profile, londonDateOf(ctx.now()))) }),

    'referral.submit': async (data, actor) => {
      const emailReferralId = dataString(data, 'emailReferralId');
      try {
        // The same request sent again (a retry after a lost answer) carries the same activity id and
        // form: it gets the receipt for the case it opened, not a second case.
        const submissionKey = actor.activityId ? createHash('sha256').update(`${actor.aadObjectId}\n${actor.activityId}\n${canonicalJson(data)}`).digest('hex') : undefined;
        const { case: record, clocks, repeated } = await submitReferral(ctx, referralFromForm(data), actor.aadObjectId, submissionKey ? { submissionKey } : {});
        if (emailReferralId && !repeated) await ctx.db.transaction((tx) => convertEmailDraft(tx, emailReferralId, record.id, actor, ctx.now()));
        const dsp = clocks.find((c) => c.clockId === 'dsp_decision');
        return {
          card: renderCard('referralReceipt', {
            reference: record.reference,
            typeLabel: REFERRAL_TYPE_LABELS[record.type],
            receivedText: londonDateTime(record.receivedAt),
            nextStep: record.type === 'learning_request'
              ? 'The Engine Room will consider your learning request.'
              : dsp ? `The Delegated Safeguarding Partners decide: ${describeClock(dsp)}.` : 'The partnership will consider your referral.',
          }),
          ...(repeated ? {} : { queued: true }),
        };
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return { card: renderCard('referralForm', referralFormData(ctx.profile, londonDateOf(ctx.now()), data, formErrors(error.problems), emailReferralId)) };
      }
    },

    'case.vote': async (data, actor) => {
      const caseId = dataString(data, 'caseId');
      const vote = { caseId, agency: dataString(data, 'agency'), decision: dataString(data, 'decision'), rationale: dataString(data, 'rationale') };
      try {
        const result = await castVote(ctx, vote, actor.aadObjectId);
        const said = {
          cast: `Your vote for ${agencyLabel(ctx.profile, vote.agency)} is recorded.`,
          changed: `Your vote for ${agencyLabel(ctx.profile, vote.agency)} is changed.`,
          unchanged: 'Your vote was already recorded; nothing changed.',
        }[result.effect];
        return {
          card: await caseViewFor(deps, actor, caseId, result.decided ? `${said} All partners have voted.` : said),
          ...(result.recorded ? { queued: true } : {}),
        };
      } catch (error) {
        if (error instanceof ValidationError) {
          const problems = error.problems.map((p) => `${p.field === 'rationale' ? 'Rationale' : p.field}: ${p.message}`).join('; ');
          return { card: await caseViewFor(deps, actor, caseId, `Your vote was not recorded. ${problems}.`, vote) };
        }
        if (error instanceof ForbiddenError || error instanceof ConflictError) {
          return { card: await caseViewFor(deps, actor, caseId, `Your vote was not recorded: ${error.message}.`, vote) };
        }
        throw error;
      }
    },

    'case.refresh': async (data, actor) => ({ card: await caseViewFor(deps, actor, dataString(data, 'caseId')) }),

    'case.details': async (data, actor) => {
      const caseId = dataString(data, 'caseId');
      try {
        if (actor.conversationType === 'personal') {
          const referral = await readCaseDetails(ctx, caseId, actor.aadObjectId);
          return { card: await detailsCardFor(deps, caseId, referral, actor.aadObjectId) };
        }
        // Never in a channel, even for one viewer: the details go to a 1:1 chat, through the outbox
        // (the card is drawn when it is sent; the queue holds only ids). The read is audited with it.
        await readCaseDetails(ctx, caseId, actor.aadObjectId, (tx) => queueDetailsCard(tx, ctx, caseId, actor, actor.activityId ?? ctx.newId()));
        return { card: await caseViewFor(deps, actor, caseId, 'Full details have been sent to you in a 1:1 chat with the bot.'), queued: true };
      } catch (error) {
        if (error instanceof ForbiddenError) return { card: await caseViewFor(deps, actor, caseId, `${error.message}.`) };
        throw error;
      }
    },

    'alert.ack': async (data, actor) => {
      const { card, refusal } = await acknowledgeAlert(ctx, dataString(data, 'alertId'), actor);
      return { card: card ?? noticeCard('Not available', [refusal!]) };
    },

    'alert.snooze': async (data, actor) => {
      const { card, refusal } = await snoozeAlert(ctx, dataString(data, 'alertId'), actor);
      return { card: card ?? noticeCard('Not available', [refusal!]) };
    },

    'meeting.rebook': async (data, actor) => {
      if (!deps.calendar || !deps.organizer) return { card: noticeCard('Not available', ['Meetings are not configured.']) };
      const said = await rebookMeeting({ ctx, gateway: deps.gateway, logger: deps.logger, calendar: deps.calendar, organizer: deps.organizer }, dataString(data, 'meetingId'), actor);
      return { card: noticeCard('Rebook', [said], said.startsWith('Moved') ? 'good' : 'attention') };
    },

    'meeting.cancel': async (data, actor) => {
      if (!deps.calendar || !deps.organizer) return { card: noticeCard('Not available', ['Meetings are not configured.']) };
      const said = await cancelMeeting({ ctx, gateway: deps.gateway, logger: deps.logger, calendar: deps.calendar, organizer: deps.organizer }, dataString(data, 'meetingId'), actor);
      return { card: noticeCard('Cancel', [said], said.startsWith('Cancelled') ? 'good' : 'attention') };
    },

    'meeting.pollVote': async (data, actor) => {
      const answer = await voteInPoll(ctx, dataString(data, 'meetingId'), Number(data.option), actor);
      return { card: typeof answer === 'string' ? noticeCard('Not recorded', [answer]) : answer };
    },

    'meeting.pollBook': async (data, actor) => {
      const answer = await bookPollNow(ctx, dataString(data, 'meetingId'), actor);
      return { card: typeof answer === 'string' ? noticeCard('Not available', [answer]) : answer };
    },

    'case.confirmNotification': async (data, actor) => {
      const caseId = dataString(data, 'caseId');
      const values = { notifiedOn: dataString(data, 'notifiedOn'), panelReference: dataString(data, 'panelReference') };
      try {
        const { case: record, clocks } = await confirmNotification(ctx, { caseId, ...values }, actor.aadObjectId);
        const report = clocks.find((c) => c.clockId === 'rr_report_to_panel');
        const said = `Recorded: the Panel was notified on ${fullDate(values.notifiedOn)}, reference ${values.panelReference}.${report ? ` ${describeClock(report)}.` : ''}`;
        return { card: notifierCard(ctx, await loadCaseSnapshot(ctx, record.id), { notice: said }), queued: true };
      } catch (error) {
        if (!(error instanceof ValidationError || error instanceof ForbiddenError || error instanceof ConflictError)) throw error;
        const notice = error instanceof ValidationError
          ? `Not recorded. ${error.problems.map((p) => `${p.field === 'notifiedOn' ? 'Date' : p.field === 'panelReference' ? 'Reference' : p.field}: ${p.message}`).join('; ')}.`
          : `Not recorded: ${error.message}.`;
        return { card: notifierCard(ctx, await loadCaseSnapshot(ctx, caseId), { notice, noticeStyle: 'attention', values }) };
      }
    },

    ...lifecycleActions(deps),

    'triage.referral': async (data, actor) => {
      if (!(await isBusinessManager(ctx, actor))) return { card: noticeCard('Not available', ['Only the business manager triages the partnership mailbox.']) };
      const draft = await findEmailDraft(ctx.db, dataString(data, 'emailReferralId'));
      if (!draft || draft.status !== 'draft') return { card: noticeCard('Already triaged', ['This email has already been triaged.']) };
      // The form, with what the email tells us about the referrer; the rest comes from the email and its attachments.
      const values = { referrer_email: draft.fromAddress ?? '', referrer_name: draft.fromName ?? '' };
      return { card: renderCard('referralForm', referralFormData(ctx.profile, londonDateOf(ctx.now()), values, [], draft.id)) };
    },

    'triage.dismiss': async (data, actor) => {
      if (!(await isBusinessManager(ctx, actor))) return { card: noticeCard('Not available', ['Only the business manager triages the partnership mailbox.']) };
      const draft = await findEmailDraft(ctx.db, dataString(data, 'emailReferralId'));
      if (!draft) return { card: noticeCard('Not found', ['That email was not found.']) };
      const said = await dismissEmailDraft(ctx, draft.id, actor);
      return { card: triageCard({ ...draft, status: 'not_referral' }, said) };
    },

    ...adminActions(deps),
  };

  return {
    async handle(verb: string, input: unknown, actor: Actor): Promise<ActionResult> {
      // Only the table's own verbs: not "constructor" or "toString", which every object inherits.
      const handler = Object.hasOwn(handlers, verb) ? handlers[verb as CardVerb] : undefined;
      if (!handler) return { card: noticeCard('This button is not recognised', [`"${verb.slice(0, 40)}" is not an action this bot knows. The card may be from an older version: type "new referral" or open the case again.`]) };
      // Card data comes from the client: an object, whose ids must be ids this service issued.
      const data = input !== null && typeof input === 'object' && !Array.isArray(input) ? input as Record<string, unknown> : {};
      const idField = VERB_IDS[verb as CardVerb];
      if (idField && !isUuid(data[idField])) return { card: noticeCard('Not found', ['This card refers to something this partnership does not have. It may be from an older version: open the case again. Nothing was recorded.']) };
      try {
        return await handler(data, actor);
      } catch (error) {
        if (error instanceof NotFoundError) return { card: noticeCard('Not found', [error.message]) };
        throw error;
      }
    },
  };
}
