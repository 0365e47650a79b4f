import type { CaseEvent } from '../case/caseEvent.ts';
import { type ClockView, computeClocks } from '../clocks/computeClocks.ts';
import { describeClock } from '../clocks/describeClock.ts';
import { shiftDate } from '../clocks/shiftDate.ts';
import { awarenessProblem, currentAwareness, type MovedDeadline } from '../referral/laAwareness.ts';
import { dayMonth, fullDate } from '../time/formatLondon.ts';
import type { FieldProblem } from '../validation/validationError.ts';
import { fieldOf, happened, latestOf } from './caseFacts.ts';
import type { CaseState, LifecycleStep } from './lifecycleStep.ts';

/**
 * The date the local authority became aware of the incident, corrected. The Panel notification is
 * due "within five working days of becoming aware" (000 L38, 001 L64, 002 L21, 003 L146, 004 s.5.2),
 * and the LA often knew before the referral reached the partnership: at the strategy meeting or the
 * CDOP (002 L6-10), or, when no date was given, the receipt stands in for it. When the business
 * manager or the child's local authority's notifier learns the real date, they record it here with
 * the reason (the audit log keeps both); the clocks that count from it move, and the thread and the
 * case card say which deadline moved and to when. It is a new `la_aware` event, so the earlier date
 * stays in the record.
 */

/** One moved deadline for the thread: where it is now (with its state), and where it was. */
function movedSentence(view: ClockView | undefined, moved: MovedDeadline): string {
  const direction = moved.to < moved.from ? 'earlier' : 'later';
  if (!view?.dueDate)
    return `Deadline moved ${direction}: ${moved.short}, once it applies, due by the end of ${dayMonth(moved.to)}, instead of ${dayMonth(moved.from)}`;
  return `Deadline moved ${direction}: ${describeClock(view)}, instead of ${dayMonth(moved.from)}`;
}

/** The deadlines that count from the awareness, and where the new date puts them. */
function movedDeadlines(state: CaseState, from: string, to: string, after: readonly ClockView[]): MovedDeadline[] {
  return state.profile.clocks
    .filter((c) => c.starts.event === 'la_aware')
    .flatMap((clock) => {
      const before = state.clocks.find((v) => v.clockId === clock.id);
      if (!before || before.state === 'not_applicable') return [];
      const now = after.find((v) => v.clockId === clock.id);
      // A clock not started yet (the decision to notify is awaited) will count from the date recorded.
      const was = before.dueDate ?? (clock.starts.dateField ? shiftDate(from, clock.length, state.calendar) : undefined);
      const will = now?.dueDate ?? (clock.starts.dateField ? shiftDate(to, clock.length, state.calendar) : undefined);
      return was && will && was !== will ? [{ clockId: clock.id, short: clock.short ?? clock.label, from: was, to: will }] : [];
    });
}

export const awarenessCorrection: LifecycleStep = {
  id: 'la_awareness_corrected',
  title: 'Correct when the local authority became aware',
  roles: ['business_manager', 'la_notifier'],
  // A correction, offered while the case is open, never what it waits on.
  adHoc: true,
  available: (s) => happened(s, 'la_aware') && s.stage !== 'closed' && !happened(s, 'case_closed'),
  fields: (s) => {
    const current = currentAwareness(s.events);
    return [
      {
        id: 'awareOn',
        label: `Date the local authority became aware of the incident (recorded now: ${current ? fullDate(current.awareOn) : 'none'}; a strategy meeting or CDOP meeting, for example)`,
        kind: 'date',
        required: true,
        tense: 'past',
      },
      {
        id: 'reason',
        label: 'Why it is corrected, and how it is known (kept in the audit log, not shown in the channel)',
        kind: 'longText',
        required: true,
        maxLength: 2000,
      },
    ];
  },
  plan: (v, s) => {
    const awareOn = v.awareOn as string;
    const previous = currentAwareness(s.events)!.awareOn;
    const notifiedOn = fieldOf(latestOf(s, 'panel_notified'), 'notifiedOn');
    const problem =
      awarenessProblem(awareOn, s.receivedOn, s.today) ??
      (notifiedOn && awareOn > notifiedOn ? `must not be after the Panel was notified (${fullDate(notifiedOn)})` : undefined) ??
      (awareOn === previous ? 'is already the date recorded' : undefined);
    if (problem) return [{ field: 'awareOn', message: problem }] satisfies FieldProblem[];

    const draft: CaseEvent = { type: 'la_aware', at: s.now, data: { awareOn } };
    const after = computeClocks(s.profile, [...s.events, draft], s.now, s.calendar);
    const moved = movedDeadlines(s, previous, awareOn, after);
    const said = moved.map((m) =>
      movedSentence(
        after.find((c) => c.clockId === m.clockId),
        m,
      ),
    );
    return {
      // Recorded now (not on the date it names), so it is the latest la_aware event: the one clocks count from.
      events: [{ type: 'la_aware', data: { awareOn, basis: 'correction', previousAwareOn: previous, moved } }],
      note: `the date the local authority became aware is corrected from ${fullDate(previous)} to ${fullDate(awareOn)}. ${
        said.length > 0 ? said.join('. ') : 'No deadline moved'
      }`,
    };
  },
};
