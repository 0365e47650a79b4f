import { meetingsOfCase } from '../../adapters/store/meetingRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import { type MeetingWindow, meetingWindow } from '../../domain/meetings/meetingWindow.ts';
import { londonDateOf } from '../../domain/time/londonTime.ts';
import type { AppContext } from '../appContext.ts';
import type { CaseSnapshot } from '../cases/caseSnapshot.ts';

/** A case's meeting window now, with the dates its other meetings are booked for (the governance meeting comes after the rapid review). */
export async function caseMeetingWindow(
  ctx: AppContext,
  db: SqlExecutor,
  snapshot: CaseSnapshot,
  kind: string,
): Promise<MeetingWindow | undefined> {
  const booked = Object.fromEntries(
    (await meetingsOfCase(db, snapshot.record.id))
      .filter((m) => m.kind !== kind && m.status === 'booked' && m.starts_at)
      .map((m) => [m.kind, londonDateOf(m.starts_at!)]),
  );
  return meetingWindow(kind, {
    profile: ctx.profile,
    calendar: ctx.calendar,
    today: londonDateOf(ctx.now()),
    receivedOn: londonDateOf(snapshot.record.receivedAt),
    events: snapshot.events,
    clocks: snapshot.clocks,
    booked,
  });
}

/** The date the meeting was last set to by hand (the rapid review set-up's "meeting date"), if it was. */
export function dateSetByHand(ctx: AppContext, snapshot: CaseSnapshot, kind: string): string | undefined {
  const movedBy = ctx.profile.meetings.find((m) => m.kind === kind)?.movedBy;
  if (!movedBy) return undefined;
  const set = snapshot.events.filter((e) => e.type === movedBy.event).at(-1);
  return set?.data?.[movedBy.dateField] as string | undefined;
}
