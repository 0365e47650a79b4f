/**
 * Which card about a meeting a remembered message is (case_messages, purpose `meeting`): the booking
 * notice, the poll, or a notice that required attendees declined (one per decline, with the time it
 * was booked for then and who declined, so it can be redrawn and told apart from a later decline).
 */
export type MeetingCardRef =
  | { readonly card: 'booked'; readonly meetingId: string }
  | { readonly card: 'poll'; readonly meetingId: string }
  | { readonly card: 'declined'; readonly meetingId: string; readonly startsAt: Date; readonly declined: readonly string[] };

/** The message's recipient: "<meeting id>|booked", "<meeting id>|poll", "<meeting id>|declined|<start>|<object ids>". */
export function meetingCardKey(ref: MeetingCardRef): string {
  if (ref.card === 'declined') return `${ref.meetingId}|declined|${ref.startsAt.toISOString()}|${ref.declined.join(',')}`;
  return `${ref.meetingId}|${ref.card}`;
}

export function parseMeetingCardKey(recipient: string): MeetingCardRef | undefined {
  const [meetingId, card, startsAt, declined] = recipient.split('|');
  if (!meetingId) return undefined;
  if (card === 'booked' || card === 'poll') return { card, meetingId };
  if (card === 'declined' && startsAt && declined) {
    const start = new Date(startsAt);
    if (Number.isNaN(start.getTime())) return undefined;
    return { card, meetingId, startsAt: start, declined: declined.split(',') };
  }
  return undefined;
}
