import type { CalendarGateway } from '../../app/meetings/calendarGateway.ts';
import type { SqlExecutor } from '../store/sqlExecutor.ts';

/**
 * The embedded default, with no Microsoft 365: everyone is free except for meetings this service has
 * booked, and "booking" keeps the meeting in the database (shown in the case thread and the demo).
 * There is no Teams link: the thread says so.
 */
export function createLocalCalendar(db: SqlExecutor): CalendarGateway {
  return {
    async getSchedule(_organizer, people, from, to) {
      const { rows } = await db.query<{ starts_at: Date; ends_at: Date }>(
        `SELECT starts_at, ends_at FROM meetings WHERE status = 'booked' AND starts_at < $2 AND ends_at > $1`,
        [from, to],
      );
      const busy = rows.map((r) => ({ start: r.starts_at, end: r.ends_at }));
      return people.map((email) => ({ email, readable: true, busy }));
    },
    // No one answers a local invitation.
    async getResponses() {
      return { cancelled: false, responses: {} };
    },
    async moveEvent() {
      return undefined;
    },
    async cancelEvent() {
      return undefined;
    },
    async createEvent(event) {
      return {
        id: `local:${event.transactionId}`,
        note: 'Local demo calendar: kept in the case record only; no Outlook invitation or Teams link (no Microsoft 365 connected).',
      };
    },
  };
}
