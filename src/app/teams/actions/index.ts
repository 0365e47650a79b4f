import { adminOpen } from './adminOpen.ts';
import { adminSave } from './adminSave.ts';
import { alertAck } from './alertAck.ts';
import { alertSnooze } from './alertSnooze.ts';
import type { CardAction } from './cardAction.ts';
import { caseConfirmNotification } from './caseConfirmNotification.ts';
import { caseDetails } from './caseDetails.ts';
import { caseRefresh } from './caseRefresh.ts';
import { caseStep } from './caseStep.ts';
import { caseStepForm } from './caseStepForm.ts';
import { caseSteps } from './caseSteps.ts';
import { caseVote } from './caseVote.ts';
import { meetingCancel } from './meetingCancel.ts';
import { meetingPollBook } from './meetingPollBook.ts';
import { meetingPollVote } from './meetingPollVote.ts';
import { meetingRebook } from './meetingRebook.ts';
import { referralOpen } from './referralOpen.ts';
import { referralSubmit } from './referralSubmit.ts';
import { triageDismiss } from './triageDismiss.ts';
import { triageReferral } from './triageReferral.ts';

/**
 * Every card action the bot answers: the one list. The verbs, the lookup and the data checks are
 * derived from it (../cardActions.ts); a card or code naming a verb not here fails
 * test/cards/cardVerbs.test.ts.
 */
export const CARD_ACTIONS = [
  referralOpen,
  referralSubmit,
  caseVote,
  caseRefresh,
  caseDetails,
  caseConfirmNotification,
  caseSteps,
  caseStepForm,
  caseStep,
  alertAck,
  alertSnooze,
  meetingRebook,
  meetingCancel,
  meetingPollVote,
  meetingPollBook,
  triageReferral,
  triageDismiss,
  adminOpen,
  adminSave,
] as const;

export type CardVerb = (typeof CARD_ACTIONS)[number]['verb'];

export const CARD_VERBS: readonly CardVerb[] = CARD_ACTIONS.map((a) => a.verb);

/**
 * A registered action, whatever its data. Its schema's output is what its handler takes, and the
 * router hands the handler only what that schema parsed.
 */
export type RegisteredAction = CardAction<CardVerb, unknown>;

/** The actions by verb: a Map, so a verb such as "constructor" or "__proto__" finds nothing. */
const BY_VERB: ReadonlyMap<string, RegisteredAction> = new Map(CARD_ACTIONS.map((a): [string, RegisteredAction] => [a.verb, a]));
if (BY_VERB.size !== CARD_ACTIONS.length) throw new Error('two card actions share a verb');

/** The action a card's verb names, if it is one of ours. */
export function cardActionFor(verb: string): RegisteredAction | undefined {
  return BY_VERB.get(verb);
}
