import type { IsoDate } from '../calendar/isoDate.ts';
import type { WorkingDayCalendar } from '../calendar/workingDayCalendar.ts';
import type { CaseEvent, CaseEventType } from '../case/caseEvent.ts';
import type { ClockView } from '../clocks/computeClocks.ts';
import type { Profile } from '../profiles/profileSchema.ts';
import type { FieldProblem } from '../validation/validationError.ts';
import type { StepField, StepValues } from './stepFields.ts';

/** A case as the lifecycle rules see it: its stage, what has happened, and its clocks now. */
export interface CaseState {
  readonly profile: Profile;
  readonly calendar: WorkingDayCalendar;
  readonly now: Date;
  readonly today: IsoDate;
  readonly stage: string;
  readonly events: readonly CaseEvent[];
  readonly clocks: readonly ClockView[];
  readonly receivedOn: IsoDate;
  readonly localAuthority: string;
}

export interface RoleHeld {
  readonly role: string;
  readonly scope: string;
}

/** Something that happened, to record: on `on` (a London date) or, without it, now. */
export interface PlannedEvent {
  readonly type: CaseEventType;
  readonly on?: IsoDate;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Work a step asks for beyond the record: messages, which the app queues in the same transaction. */
export type StepEffect =
  /** A 1:1 card to each safeguarding lead of one of the profile's agencies. */
  | { readonly kind: 'info_request_card'; readonly itemId: string; readonly agency: string; readonly dueOn: IsoDate }
  /** An email to an agency outside the partnership's Teams. */
  | {
      readonly kind: 'info_request_email';
      readonly itemId: string;
      readonly agencyName: string;
      readonly email: string;
      readonly dueOn: IsoDate;
    }
  /** The learning decision and its rationale back to the referrer. */
  | { readonly kind: 'referrer_learning_email' }
  /** A notification decision reached another way (dispute resolution): what any decision sets going. */
  | { readonly kind: 'decision_messages'; readonly outcome: string }
  /** The partners vote again (the referrer answered their queries): the votes so far are cleared, and kept in the audit. */
  | { readonly kind: 'reopen_decision' };

export interface StepPlan {
  readonly events: readonly PlannedEvent[];
  /** The stage the case moves to; unchanged when absent. */
  readonly stage?: string;
  /** What happened, for the case thread: reference-level facts only, never about the child. */
  readonly note: string;
  readonly effects?: readonly StepEffect[];
}

/**
 * One thing a person records on a case after the DSP decision: the notifier's acknowledgement, the
 * information requests, the rapid review outcome, the governance decision, the report to the Panel,
 * the LCSPR's milestones, actions, closing. Pure: what is offered, to whom, with which inputs, and
 * what recording it means, all from the case's state.
 */
export interface LifecycleStep {
  readonly id: string;
  /** The button ("Record the rapid review outcome"). */
  readonly title: string;
  /** Roles that may record it (any one of them). Scoped roles are checked by `mayRecord`. */
  readonly roles: readonly string[];
  /** Recorded when something happens (a complaint, an extension): offered whenever it can be, never what the case waits on. */
  readonly adHoc?: boolean;
  /** Whether it can be recorded now (stage and what has happened). */
  available(state: CaseState): boolean;
  fields(state: CaseState): StepField[];
  /** A scoped check beyond `roles` (an agency lead records their own agency's return only). */
  mayRecord?(held: readonly RoleHeld[], values: StepValues, state: CaseState): boolean;
  /** The record, or the problems that stop it (beyond single-field checks). */
  plan(values: StepValues, state: CaseState): StepPlan | FieldProblem[];
}
