import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import type { ClockState } from '../../domain/clocks/clockState.ts';
import { dayMonth } from '../../domain/time/formatLondon.ts';
import type { Profile } from '../../domain/profiles/profileSchema.ts';
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
  const { rows } = await db.query<{
    id: string; case_id: string; clock_id: string; item: string; due_date: string; level: string; recipient: string;
    acknowledged_at: Date | null; snoozed_until: Date | null; reference: string; initials: string; state: ClockState | null; current_due: string | null;
  }>(
    `SELECT a.*, c.reference, c.summary->>'initials' AS initials, k.state, k.due_date AS current_due
     FROM alerts a JOIN cases c ON c.id = a.case_id
     LEFT JOIN clocks k ON k.case_id = a.case_id AND k.clock_id = a.clock_id AND k.item = a.item
     WHERE a.id = $1`,
    [alertId],
  );
  const r = rows[0];
  return r && {
    id: r.id, caseId: r.case_id, clockId: r.clock_id, item: r.item, dueDate: r.due_date, level: r.level, recipient: r.recipient,
    acknowledgedAt: r.acknowledged_at, snoozedUntil: r.snoozed_until, reference: r.reference, initials: r.initials,
    clockState: r.state, currentDueDate: r.current_due,
  };
}

/** Whether the alert still asks something of its recipient: not acknowledged, and the same deadline still running. */
export function alertStillWanted(alert: AlertRecord): boolean {
  return !alert.acknowledgedAt && alert.currentDueDate === alert.dueDate && ['pending', 'due_soon', 'overdue'].includes(alert.clockState ?? '');
}

/** "DSP decision overdue", in a sentence for a card or a thread. */
export function alertHeadline(profile: Profile, alert: Pick<AlertRecord, 'clockId' | 'item' | 'level' | 'dueDate'>): { title: string; clockText: string; why: string } {
  const clock = profile.clocks.find((c) => c.id === alert.clockId);
  const name = `${clock?.short ?? alert.clockId}${alert.item ? ` (${alert.item})` : ''}`;
  const by = `by the end of ${dayMonth(alert.dueDate)}`;
  if (alert.level === 'due_soon') return { title: `Due soon: ${name}`, clockText: `${name} due ${by}`, why: 'You are its owner.' };
  if (alert.level === 'overdue') return { title: `Overdue: ${name}`, clockText: `${name} was due ${by}`, why: 'You are its owner.' };
  return { title: `Escalation: ${name} is overdue`, clockText: `${name} was due ${by}`, why: 'You are told because the profile escalates this deadline to your role.' };
}

export function alertCard(profile: Profile, alert: AlertRecord, notice = ''): AdaptiveCard {
  const headline = alertHeadline(profile, alert);
  return renderCard('alertCard', {
    alertId: alert.id, reference: alert.reference, initials: alert.initials, notice,
    style: alert.level === 'due_soon' ? 'warning' : 'attention', ...headline,
  });
}
