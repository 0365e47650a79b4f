import type { z } from 'zod';

import { problemsOf } from '../../domain/validation/validationError.ts';
import type { AdaptiveCard } from '../cards/cardTemplates.ts';
import { escapeMarkdown } from '../cards/cardText.ts';
import { noticeCard } from '../cards/noticeCard.ts';
import { asRefusal, type RefusalError } from '../errors.ts';
import { type ActionResult, type ActionTurn, type CardActionDeps, isRecordIdIssue, RECORDED_NOT_SHOWN } from './actions/cardAction.ts';
import { cardActionFor, type RegisteredAction } from './actions/index.ts';
import type { Actor } from './actor.ts';

/**
 * The card actions' router: finds the action a verb names (actions/index.ts lists them), parses the
 * card's data with that action's schema, runs it, and answers every failure with a card that says
 * truly what happened. Errors become cards here and nowhere else (issue #14 item 9).
 */
export function createCardActions(deps: CardActionDeps) {
  return {
    async handle(verb: string, input: unknown, actor: Actor): Promise<ActionResult> {
      const action = cardActionFor(verb);
      if (!action) return { card: unrecognisedCard(verb) };
      const parsed = action.data.safeParse(input);
      if (!parsed.success) return { card: unreadableDataCard(parsed.error) };
      const turn = trackedTurn();
      try {
        const card = await action.handle(parsed.data, actor, deps, turn);
        return { card, ...(turn.queued() ? { queued: true } : {}) };
      } catch (error) {
        return answerFailure(deps, action, parsed.data, actor, turn, error);
      }
    },
  };
}

/** How far an action got: nothing committed yet, possibly part-committed (a use case that writes then does more), or committed. */
type TurnStage = 'before_commit' | 'may_have_committed' | 'committed';

type TrackedTurn = ActionTurn & { stage(): TurnStage; queued(): boolean };

function trackedTurn(): TrackedTurn {
  let stage: TurnStage = 'before_commit';
  let queued = false;
  return {
    committed(options) {
      stage = 'committed';
      queued ||= options?.queued === true;
    },
    mayCommit() {
      if (stage === 'before_commit') stage = 'may_have_committed';
    },
    stage: () => stage,
    queued: () => queued,
  };
}

/**
 * A failed action's answer. After its change committed: that it was recorded, and where to look (the
 * posts it queued still go). A refusal (raised before anything is written): the action's own view of
 * it if it has one (the form again, as typed), else the refusal's notice. Anything else is a fault,
 * logged: "Nothing was changed" if nothing could have been committed yet, else that it may have been.
 */
async function answerFailure(
  deps: CardActionDeps,
  action: RegisteredAction,
  data: unknown,
  actor: Actor,
  turn: TrackedTurn,
  error: unknown,
): Promise<ActionResult> {
  const stage = turn.stage();
  const reference = actor.activityId ?? 'none';
  const logFault = (fault: unknown) =>
    deps.logger.error(
      {
        err: fault instanceof Error ? { name: fault.name, message: fault.message, stack: fault.stack } : String(fault),
        verb: action.verb,
        activityId: actor.activityId,
        stage,
      },
      'card action failed',
    );
  if (stage === 'committed') {
    logFault(error);
    return { card: failureCard('recorded', reference, action.recordedNotShown), ...(turn.queued() ? { queued: true } : {}) };
  }
  let fault = error;
  const refusal = asRefusal(error);
  if (refusal) {
    try {
      return { card: (await action.refusal?.(refusal, data, actor, deps)) ?? refusalCard(refusal) };
    } catch (viewError) {
      // The refusal's own view failed (the case went meanwhile, say): still a refusal, or a fault.
      const again = asRefusal(viewError);
      if (again) return { card: refusalCard(again) };
      fault = viewError;
    }
  }
  logFault(fault);
  // Part-way, it may have queued posts too: waking the sender costs nothing if it did not.
  return stage === 'may_have_committed'
    ? { card: failureCard('may_have_changed', reference), queued: true }
    : { card: failureCard('nothing_changed', reference) };
}

/** A refusal as a notice, by its code. Refusals are raised before anything is written, so "Nothing was recorded" is true. */
function refusalCard(error: RefusalError): AdaptiveCard {
  switch (error.code) {
    case 'not_found':
      return noticeCard('Not found', [error.message]);
    case 'forbidden':
      return noticeCard('Not available', [`${sentence(error.message)} Nothing was recorded.`]);
    case 'conflict':
      return noticeCard('Not possible now', [`${sentence(error.message)} Nothing was recorded.`]);
    case 'invalid_input':
      return noticeCard('Not recorded', [...error.problems.map((p) => `${p.field}: ${p.message}.`), 'Nothing was recorded.']);
  }
}

/**
 * The card for a failure the action could not answer itself, saying only what is true: nothing was
 * changed (the failure came before any commit: the transaction rolled back), the change was recorded
 * (it failed after, drawing the answer), or it may have been (part-way through work that commits in steps).
 * The partnership bot's own catch-all (a failure before any action ran) says "nothing_changed".
 */
export function failureCard(
  kind: 'nothing_changed' | 'recorded' | 'may_have_changed',
  reference: string,
  recorded: string = RECORDED_NOT_SHOWN,
): AdaptiveCard {
  const ref = `Reference: ${reference}`;
  switch (kind) {
    case 'nothing_changed':
      return noticeCard('Sorry, that did not work', [
        'Nothing was changed. Please try again; if it keeps happening, tell the business manager.',
        ref,
      ]);
    case 'recorded':
      return noticeCard('Recorded, but the card could not be shown', [recorded, ref], 'warning');
    case 'may_have_changed':
      return noticeCard('Sorry, that did not finish', [
        'It may have been recorded before the problem: look at the card again before trying again. If it keeps happening, tell the business manager.',
        ref,
      ]);
  }
}

function unrecognisedCard(verb: string): AdaptiveCard {
  return noticeCard('This button is not recognised', [
    `"${escapeMarkdown(verb.slice(0, 40))}" is not an action this bot knows. The card may be from an older version: type "new referral" or open the case again.`,
  ]);
}

/**
 * Card data its action's schema refused. A bad record id: the card refers to nothing this
 * partnership has (from an older version, or made up). Anything else: what was wrong, by field.
 * Nothing ran, so nothing was recorded.
 */
function unreadableDataCard(error: z.ZodError): AdaptiveCard {
  if (error.issues.some(isRecordIdIssue)) {
    return noticeCard('Not found', [
      'This card refers to something this partnership does not have. It may be from an older version: open the case again. Nothing was recorded.',
    ]);
  }
  const problems = problemsOf(error)
    .slice(0, 3)
    .map((p) => `${p.field}: ${p.message}`)
    .join('; ');
  return noticeCard('This card could not be read', [
    `Its answer is not what this button sends (${escapeMarkdown(problems)}). Nothing was recorded: open the case again for a fresh card.`,
  ]);
}

/** A use case's message ("only the police DSP can...") as a sentence. */
function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
