import type { IsoDate } from '../calendar/isoDate.ts';
import type { CaseEvent, CaseEventType } from '../case/caseEvent.ts';
import { RUNNING_STATES } from '../clocks/clockState.ts';
import type { Profile } from '../profiles/profileSchema.ts';
import { londonDateOf } from '../time/londonTime.ts';
import type { CaseState } from './lifecycleStep.ts';

/** Small questions the lifecycle rules ask of a case's events and profile. */

export function happened(state: CaseState, type: CaseEventType): boolean {
  return state.events.some((e) => e.type === type);
}

export function latestOf(state: CaseState, type: CaseEventType): CaseEvent | undefined {
  return state.events.filter((e) => e.type === type).at(-1);
}

/** The London date an event happened on. */
export function dayOf(event: CaseEvent | undefined): IsoDate | undefined {
  return event ? londonDateOf(event.at) : undefined;
}

export function hasStage(profile: Profile, stage: string): boolean {
  return profile.stages.some((s) => s.id === stage);
}

/** The first of these stages the profile has (profiles name their stages; not all have a governance stage). */
export function firstStage(profile: Profile, ...candidates: string[]): string | undefined {
  return candidates.find((c) => hasStage(profile, c));
}

/** Whether any clock of the profile starts or stops on this event (a step the profile's seed asks for). */
export function profileTracks(profile: Profile, type: CaseEventType): boolean {
  return profile.clocks.some((c) => c.starts.event === type || c.completedBy.event === type);
}

/** The latest event's data field as a string ('' when absent). */
export function fieldOf(event: CaseEvent | undefined, field: string): string {
  const v = event?.data?.[field];
  return typeof v === 'string' ? v : '';
}

/** Per-item records (information requests, actions): the latest set-up of each item, and whether it was closed. */
export function itemsOf(
  state: CaseState,
  opened: CaseEventType,
  closed: CaseEventType,
): { itemId: string; event: CaseEvent; closed: boolean }[] {
  const items = new Map<string, CaseEvent>();
  for (const e of state.events.filter((x) => x.type === opened)) items.set(String(e.data?.itemId), e);
  const done = new Set(state.events.filter((x) => x.type === closed).map((x) => String(x.data?.itemId)));
  return [...items].map(([itemId, event]) => ({ itemId, event, closed: done.has(itemId) }));
}

/** Whether a clock that this event stops is running now (the step that records the event is owed). */
export function awaitedByClock(state: CaseState, type: CaseEventType): boolean {
  const stoppedBy = new Set(state.profile.clocks.filter((c) => c.completedBy.event === type).map((c) => c.id));
  return state.clocks.some((c) => stoppedBy.has(c.clockId) && RUNNING_STATES.includes(c.state));
}

/** Whether `later` happened after the latest `earlier` (in the order they were recorded). */
export function happenedSince(state: CaseState, later: CaseEventType, earlier: CaseEventType): boolean {
  const from = state.events.map((e) => e.type).lastIndexOf(earlier);
  return from >= 0 && state.events.slice(from + 1).some((e) => e.type === later);
}

/**
 * Whether the learning group's decision is (still) to be made: none yet, or the partners returned the
 * latest one for a new decision (004 s.10.7).
 */
export function awaitsLearningDecision(state: CaseState): boolean {
  if (!happened(state, 'learning_decision')) return true;
  return (
    happenedSince(state, 'learning_decision_approval', 'learning_decision') &&
    latestOf(state, 'learning_decision_approval')?.data?.approved === false
  );
}
