import type { AttendeeResponse } from '../../app/meetings/calendarGateway.ts';
import type { MeetingPoll } from '../../domain/meetings/meetingPoll.ts';
import type { SqlExecutor } from './sqlExecutor.ts';

/**
 * A case's meetings: one row per (case, kind), keyed by its Graph transaction id (`caseId:kind`), so
 * a retried booking finds the row the first attempt wrote. Statuses: no_slot, polling, booking,
 * booked, cancelled.
 */

export async function meetingStatus(db: SqlExecutor, transactionId: string): Promise<string | undefined> {
  const existing = await db.query<{ status: string }>('SELECT status FROM meetings WHERE transaction_id = $1', [transactionId]);
  return existing.rows[0]?.status;
}

/** The meeting's id; the row must exist (it was just written). */
export async function meetingIdOf(db: SqlExecutor, transactionId: string): Promise<string> {
  return (await db.query<{ id: string }>('SELECT id FROM meetings WHERE transaction_id = $1', [transactionId])).rows[0]!.id;
}

/** The poll a meeting was booked from, if any: its `unchecked` calendars go on the booking. */
export async function meetingPollOf(db: SqlExecutor, transactionId: string): Promise<{ unchecked?: string[] } | null | undefined> {
  return (await db.query<{ poll: { unchecked?: string[] } | null }>('SELECT poll FROM meetings WHERE transaction_id = $1', [transactionId]))
    .rows[0]?.poll;
}

export async function recordMeetingNoSlot(
  tx: SqlExecutor,
  m: { id: string; caseId: string; kind: string; transactionId: string; title: string; at: Date },
): Promise<void> {
  await tx.query(
    `INSERT INTO meetings (id, case_id, kind, transaction_id, status, title, updated_at) VALUES ($1, $2, $3, $4, 'no_slot', $5, $6)
         ON CONFLICT (transaction_id) DO UPDATE SET status = 'no_slot', updated_at = EXCLUDED.updated_at`,
    [m.id, m.caseId, m.kind, m.transactionId, m.title, m.at],
  );
}

export async function recordMeetingPolling(
  tx: SqlExecutor,
  m: {
    id: string;
    caseId: string;
    kind: string;
    transactionId: string;
    title: string;
    unchecked: readonly string[];
    poll: MeetingPoll;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO meetings (id, case_id, kind, transaction_id, status, title, unchecked, poll, updated_at) VALUES ($1, $2, $3, $4, 'polling', $5, $6, $7, $8)
         ON CONFLICT (transaction_id) DO UPDATE SET status = 'polling', poll = EXCLUDED.poll, unchecked = EXCLUDED.unchecked, updated_at = EXCLUDED.updated_at`,
    [m.id, m.caseId, m.kind, m.transactionId, m.title, m.unchecked, JSON.stringify(m.poll), m.at],
  );
}

export async function recordMeetingBooked(
  tx: SqlExecutor,
  m: {
    id: string;
    caseId: string;
    kind: string;
    transactionId: string;
    graphEventId: string;
    start: Date;
    end: Date;
    joinUrl: string | null;
    title: string;
    unchecked: readonly string[];
    /** How many were invited, and what the calendar said instead of a link: the booking notice says both. */
    invited: number;
    calendarNote: string | null;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO meetings (id, case_id, kind, transaction_id, graph_event_id, starts_at, ends_at, join_url, status, title, unchecked, invited, calendar_note, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'booked', $9, $10, $11, $12, $13)
       ON CONFLICT (transaction_id) DO UPDATE SET graph_event_id = EXCLUDED.graph_event_id, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
         join_url = EXCLUDED.join_url, status = 'booked', unchecked = EXCLUDED.unchecked, invited = EXCLUDED.invited,
         calendar_note = EXCLUDED.calendar_note, updated_at = EXCLUDED.updated_at`,
    [
      m.id,
      m.caseId,
      m.kind,
      m.transactionId,
      m.graphEventId,
      m.start,
      m.end,
      m.joinUrl,
      m.title,
      m.unchecked,
      m.invited,
      m.calendarNote,
      m.at,
    ],
  );
}

/** A case's meeting as its cards show it. */
export interface CaseMeetingRow {
  id: string;
  case_id: string;
  kind: string;
  title: string;
  status: string;
  starts_at: Date | null;
  ends_at: Date | null;
  join_url: string | null;
  unchecked: string[];
  poll: MeetingPoll | null;
  invited: number | null;
  calendar_note: string | null;
  reference: string;
}

/** Every meeting of a case, with the case's reference. */
export async function meetingsOfCase(db: SqlExecutor, caseId: string): Promise<CaseMeetingRow[]> {
  const { rows } = await db.query<CaseMeetingRow>(
    `SELECT m.id, m.case_id, m.kind, m.title, m.status, m.starts_at, m.ends_at, m.join_url, m.unchecked, m.poll, m.invited, m.calendar_note, c.reference
     FROM meetings m JOIN cases c ON c.id = m.case_id WHERE m.case_id = $1 ORDER BY m.updated_at, m.id`,
    [caseId],
  );
  return rows;
}

export interface MeetingPollRow {
  id: string;
  case_id: string;
  kind: string;
  title: string;
  status: string;
  poll: MeetingPoll;
  reference: string;
}

export async function findMeetingPoll(db: SqlExecutor, meetingId: string): Promise<MeetingPollRow | undefined> {
  const { rows } = await db.query<MeetingPollRow>(
    'SELECT m.id, m.case_id, m.kind, m.title, m.status, m.poll, c.reference FROM meetings m JOIN cases c ON c.id = m.case_id WHERE m.id = $1',
    [meetingId],
  );
  return rows[0];
}

export async function saveMeetingPoll(db: SqlExecutor, meetingId: string, poll: MeetingPoll, at: Date): Promise<void> {
  await db.query('UPDATE meetings SET poll = $2, updated_at = $3 WHERE id = $1', [meetingId, JSON.stringify(poll), at]);
}

/** The poll closed: the winning time is being booked (by the outbox). */
export async function markMeetingBooking(tx: SqlExecutor, meetingId: string, at: Date): Promise<void> {
  await tx.query(`UPDATE meetings SET status = 'booking', updated_at = $2 WHERE id = $1`, [meetingId, at]);
}

export interface UpcomingMeetingRow {
  id: string;
  case_id: string;
  kind: string;
  graph_event_id: string;
  starts_at: Date;
  ends_at: Date;
  title: string;
  responses: Record<string, AttendeeResponse>;
  reference: string;
}

/** Booked meetings still to come that have a real Graph event: all of them, or only the one with `eventId`. */
export async function upcomingBookedMeetings(db: SqlExecutor, now: Date, eventId?: string): Promise<UpcomingMeetingRow[]> {
  const { rows } = await db.query<UpcomingMeetingRow>(
    `SELECT m.id, m.case_id, m.kind, m.graph_event_id, m.starts_at, m.ends_at, m.title, m.responses, c.reference
     FROM meetings m JOIN cases c ON c.id = m.case_id
     WHERE m.status = 'booked' AND m.starts_at > $1 AND m.graph_event_id IS NOT NULL AND m.graph_event_id NOT LIKE 'local:%'
       AND ($2::text IS NULL OR m.graph_event_id = $2)`,
    [now, eventId ?? null],
  );
  return rows;
}

/** The attendees' answers as last read from Graph (a decline is alerted once: the next read compares with these). */
export async function saveMeetingResponses(
  tx: SqlExecutor,
  meetingId: string,
  responses: Readonly<Record<string, AttendeeResponse>>,
  at: Date,
): Promise<void> {
  await tx.query('UPDATE meetings SET responses = $2, checked_at = $3 WHERE id = $1', [meetingId, JSON.stringify(responses), at]);
}

export interface MeetingWithReferenceRow {
  case_id: string;
  kind: string;
  graph_event_id: string;
  title: string;
  status: string;
  reference: string;
}

export async function findMeetingWithReference(db: SqlExecutor, meetingId: string): Promise<MeetingWithReferenceRow | undefined> {
  const { rows } = await db.query<MeetingWithReferenceRow>(
    'SELECT m.case_id, m.kind, m.graph_event_id, m.title, m.status, c.reference FROM meetings m JOIN cases c ON c.id = m.case_id WHERE m.id = $1',
    [meetingId],
  );
  return rows[0];
}

export interface MeetingRow {
  case_id: string;
  kind: string;
  graph_event_id: string;
  starts_at: Date;
  title: string;
  status: string;
}

export async function findMeeting(db: SqlExecutor, meetingId: string): Promise<MeetingRow | undefined> {
  const { rows } = await db.query<MeetingRow>(
    'SELECT case_id, kind, graph_event_id, starts_at, title, status FROM meetings WHERE id = $1',
    [meetingId],
  );
  return rows[0];
}

export async function markMeetingCancelled(tx: SqlExecutor, meetingId: string, at: Date): Promise<void> {
  await tx.query(`UPDATE meetings SET status = 'cancelled', updated_at = $2 WHERE id = $1`, [meetingId, at]);
}

/** The same event at a new time: the answers given to the old time no longer count. */
export async function moveMeeting(tx: SqlExecutor, meetingId: string, slot: { start: Date; end: Date }, at: Date): Promise<void> {
  await tx.query(`UPDATE meetings SET starts_at = $2, ends_at = $3, responses = '{}', updated_at = $4 WHERE id = $1`, [
    meetingId,
    slot.start,
    slot.end,
    at,
  ]);
}

/** A change to a meeting someone made (moved, cancelled, its poll closed), as the audit log has it. */
export interface MeetingChange {
  readonly action: 'meeting_rebooked' | 'meeting_cancelled' | 'meeting_poll_closed';
  readonly actor: string;
  readonly at: Date;
  readonly details: Record<string, unknown>;
}

/** A case's meeting changes, oldest first: who did what to its meetings, and when (the cards say so). */
export async function meetingChangesOfCase(db: SqlExecutor, caseId: string): Promise<MeetingChange[]> {
  const { rows } = await db.query<MeetingChange>(
    `SELECT action, actor, at, details FROM audit_log
     WHERE case_id = $1 AND action IN ('meeting_rebooked', 'meeting_cancelled', 'meeting_poll_closed') ORDER BY seq`,
    [caseId],
  );
  return rows;
}
