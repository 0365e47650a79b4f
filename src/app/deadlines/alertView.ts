import { findAlertRow } from '../../adapters/store/alertRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import type { ClockState } from '../../domain/clocks/clockState.ts';
import type { Profile } from '../../domain/profiles/profileSchema.ts';
import { dayMonth, londonDateTime } from '../../domain/time/formatLondon.ts';
import type { AdaptiveCard } from '../cards/cardTemplates.ts';
import { renderCard } from '../cards/cardTemplates.ts';

export interface AlertRecord {
  readonly id: string;
  readonly caseId: string;
  readonly clockId: string;
  readonly item: string;
  readonly dueDate: string;
  readonly level: string;
  readonly recipient: string;
  readonly acknowledgedAt: Date | null;
  readonly snoozedUntil: Date | null;
  readonly reference: string;
  readonly initials: string;
  /** The clock's state now, and whether the deadline still is the one alerted about. */
  readonly clockState: ClockState | null;
  readonly currentDueDate: string | null;
}

export async function findAlert(db: SqlExecutor, alertId: string): Promise<AlertRecord | undefined> {
  const r = await findAlertRow(db, alertId);
  return (
    r && {
      id: r.id,
      caseId: r.case_id,
      clockId: r.clock_id,
      item: r.item,
      dueDate: r.due_date,
      level: r.level,
      recipient: r.recipient,
      acknowledgedAt: r.acknowledged_at,
      snoozedUntil: r.snoozed_until,
      reference: r.reference,
      initials: r.initials,
      clockState: r.state,
      currentDueDate: r.current_due,
    }
  );
}

/** Whether the alert still asks something of its recipient: not acknowledged, and the same deadline still running. */
export function alertStillWanted(alert: AlertRecord): boolean {
  return (
    !alert.acknowledgedAt && alert.currentDueDate === alert.dueDate && ['pending', 'due_soon', 'overdue'].includes(alert.clockState ?? '')
  );
}

/** "DSP decision overdue", in a sentence for a card or a thread. */
export function alertHeadline(
  profile: Profile,
  alert: Pick<AlertRecord, 'clockId' | 'item' | 'level' | 'dueDate'>,
): { title: string; clockText: string; why: string } {
  const clock = profile.clocks.find((c) => c.id === alert.clockId);
  const name = `${clock?.short ?? alert.clockId}${alert.item ? ` (${alert.item})` : ''}`;
  const by = `by the end of ${dayMonth(alert.dueDate)}`;
  if (alert.level === 'due_soon') return { title: `Due soon: ${name}`, clockText: `${name} due ${by}`, why: 'You are its owner.' };
  if (alert.level === 'overdue') return { title: `Overdue: ${name}`, clockText: `${name} was due ${by}`, why: 'You are its owner.' };
  return {
    title: `Escalation: ${name} is overdue`,
    clockText: `${name} was due ${by}`,
    why: 'You are told because the profile escalates this deadline to your role.',
  };
}

/**
 * The alert's 1:1 card. Its buttons stay only while it still asks something of its recipient: once
 * acknowledged, or once its clock stops (the step done, by anyone), it says so and asks nothing.
 */
export function alertCard(profile: Profile, alert: AlertRecord, notice = ''): AdaptiveCard {
  const headline = alertHeadline(profile, alert);
  const open = alertStillWanted(alert);
  const running = alert.currentDueDate === alert.dueDate && ['pending', 'due_soon', 'overdue'].includes(alert.clockState ?? '');
  const closed =
    running && alert.acknowledgedAt
      ? `Acknowledged ${londonDateTime(alert.acknowledgedAt)}. No more reminders about this.`
      : 'Done: this deadline is no longer running. Nothing more is asked of you here.';
  return renderCard('alertCard', {
    alertId: alert.id,
    reference: alert.reference,
    initials: alert.initials,
    open,
    notice: notice || (open ? '' : closed),
    // Green only once the deadline is met or stopped; acknowledged, it is still overdue.
    style: !running ? 'good' : alert.level === 'due_soon' ? 'warning' : 'attention',
    ...headline,
  });
}
