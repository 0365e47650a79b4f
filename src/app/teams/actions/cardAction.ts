import { z } from 'zod';

import { isUuid } from '../../../domain/validation/uuid.ts';
import type { AdaptiveCard } from '../../cards/cardTemplates.ts';
import type { RefusalError } from '../../errors.ts';
import type { CalendarGateway } from '../../meetings/calendarGateway.ts';
import type { Actor } from '../actor.ts';
import type { BroadcastDeps } from '../caseBroadcaster.ts';

/**
 * What one card action is: its verb, the zod schema its card data must match, and its handler. Each
 * lives in its own module in this folder; `index.ts` lists them, and the router (../cardActions.ts)
 * derives the verbs, the lookup and the data checks from that list (issue #14 item 8).
 */
export interface CardAction<Verb extends string = string, Data = unknown> {
  readonly verb: Verb;
  /** The card data this action reads. The router parses it first: the handler gets only data that matches. */
  readonly data: z.ZodType<Data>;
  /**
   * Does the action and answers with the card that replaces the clicked one (for the clicker only).
   * A refusal is thrown (a RefusalError, before anything is written); the router turns it into a card.
   */
  handle(data: Data, actor: Actor, deps: CardActionDeps, turn: ActionTurn): Promise<AdaptiveCard>;
  /**
   * The card for a refusal when this action has a better one than the router's notice (the form
   * again, with what was typed and what is wrong); undefined leaves it to the router.
   */
  refusal?(error: RefusalError, data: Data, actor: Actor, deps: CardActionDeps): Promise<AdaptiveCard | undefined>;
  /** What the person is told if the answer's card fails after the change is committed (default: RECORDED_NOT_SHOWN). */
  readonly recordedNotShown?: string;
}

/** What a failure after the commit says, unless the action says better: true, and where to look. */
export const RECORDED_NOT_SHOWN = 'Your change was recorded, but the card could not be shown: refresh the case card.';

/** Declares a card action, keeping its verb's literal type and its data's parsed type for the handler. */
export function cardAction<const Verb extends string, Schema extends z.ZodType>(
  action: CardAction<Verb, z.output<Schema>> & { readonly data: Schema },
): CardAction<Verb, z.output<Schema>> {
  return action;
}

/**
 * What an action tells the router while it runs, so a failure is answered truthfully: "Nothing was
 * changed" only before anything could have been committed.
 */
export interface ActionTurn {
  /** The action's change is committed (`queued`: with posts in the outbox to deliver now). */
  committed(options?: { readonly queued?: boolean }): void;
  /** The next call may commit part of its work and then fail (a use case that writes, then calls Graph or draws its own card). */
  mayCommit(): void;
}

/** What the router answers a card action with. */
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

/**
 * The id of a record this service issued (a case, an alert, a meeting, an email): a canonical UUID.
 * Anything else (missing, a reference, text) is answered "Not found" by the router: the card refers
 * to nothing this partnership has. Its issues are marked so the router can tell them from other bad data.
 */
export const recordId = z.custom<string>(isUuid, { error: 'is not an id this partnership issued', params: { recordId: true } });

/** A record id that may be absent or empty (a form that can come from a triage card or not). */
export const optionalRecordId = z
  .custom<string>((v) => v === '' || isUuid(v), { error: 'is not an id this partnership issued', params: { recordId: true } })
  .optional();

/** Whether a data issue is about a record id (see `recordId`). */
export function isRecordIdIssue(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'custom' && (issue.params as { recordId?: unknown } | undefined)?.recordId === true;
}

/** Text a card input sends (Input.Text, Input.ChoiceSet, Input.Date all send strings); missing reads as empty. */
export const inputText = z.string().default('');
