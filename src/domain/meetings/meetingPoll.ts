/** A "when can you do?" poll for a meeting whose attendees' calendars could not all be read. */
export interface MeetingPoll {
  readonly options: readonly { start: string; end: string }[];
  /** Entra object id → the options (indexes) that person can do. */
  readonly votes: Readonly<Record<string, number[]>>;
  readonly unchecked: readonly string[];
  /** Required attendees: the meeting is booked when all of them have answered. */
  readonly required: readonly string[];
}

/** The option most people can do; ties go to the earliest. */
export function pollWinner(poll: MeetingPoll): number {
  const counts = poll.options.map((_, i) => Object.values(poll.votes).filter((v) => v.includes(i)).length);
  return counts.indexOf(Math.max(...counts));
}
