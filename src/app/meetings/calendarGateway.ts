import type { Interval } from '../../domain/meetings/findSlots.ts';

export interface PersonSchedule {
  readonly email: string;
  /** False when the calendar could not be read (a guest from another tenant): no free/busy known. */
  readonly readable: boolean;
  readonly busy: readonly Interval[];
}

export interface NewEvent {
  readonly organizer: string;
  readonly subject: string;
  /** HTML agenda: case reference and the child's initials only. */
  readonly bodyHtml: string;
  readonly start: Date;
  readonly end: Date;
  readonly attendees: readonly { email: string; name: string; required: boolean }[];
  /** Makes a retry of the same booking return the same event instead of creating a second. */
  readonly transactionId: string;
}

export interface BookedEvent {
  readonly id: string;
  /**
   * When the event actually is. A retry with the same transactionId gets the event the first attempt
   * created, which may be at another time than the retry asked for: this is the one to record.
   */
  readonly start?: Date;
  readonly end?: Date;
  /** The Teams join link; missing if Outlook did not make the event an online meeting. */
  readonly joinUrl?: string;
  /** Said instead of the link when the calendar is not Outlook (the local demo). */
  readonly note?: string;
}

export type AttendeeResponse = 'none' | 'organizer' | 'tentativelyAccepted' | 'accepted' | 'declined' | 'notResponded';

export interface EventResponses {
  readonly cancelled: boolean;
  /** Each attendee's answer, by email address. */
  readonly responses: Readonly<Record<string, AttendeeResponse>>;
}

/** What booking needs from a calendar service: free/busy and creating an event. Graph in Azure; a local one for the demo. */
export interface CalendarGateway {
  getSchedule(organizer: string, people: readonly string[], from: Date, to: Date): Promise<PersonSchedule[]>;
  createEvent(event: NewEvent): Promise<BookedEvent>;
  /** The attendees' answers so far (Graph: event.attendees[].status.response). */
  getResponses(organizer: string, eventId: string): Promise<EventResponses>;
  /** Moves the same event (its invitations are updated, not duplicated). */
  moveEvent(organizer: string, eventId: string, start: Date, end: Date): Promise<void>;
  /** Cancels the event: attendees get a cancellation with the comment. */
  cancelEvent(organizer: string, eventId: string, comment: string): Promise<void>;
}
