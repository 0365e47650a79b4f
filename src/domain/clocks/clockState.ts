/**
 * Where a clock stands at a moment.
 * - not_started: what starts it has not happened yet;
 * - not_applicable: the case took a route this clock does not apply to (e.g. "do not notify");
 * - pending / due_soon / overdue: running;
 * - met / met_late: stopped, before or after its due instant.
 */
export const CLOCK_STATES = ['not_started', 'not_applicable', 'pending', 'due_soon', 'overdue', 'met', 'met_late'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

export const RUNNING_STATES: readonly ClockState[] = ['pending', 'due_soon', 'overdue'];
