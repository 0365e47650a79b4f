/**
 * Every outbox dedupe key, in one place. Two messages with the same key are the same message: the
 * outbox keeps the first (or, for a coalesced kind, re-arms it). A key names what the message is
 * about, never a child: case ids, clock ids, people's object ids, dates.
 */
interface AlertRung {
  readonly caseId: string;
  readonly clockId: string;
  readonly item: string;
  readonly dueDate: string;
  readonly level: string;
}

export const dedupeKeys = {
  /** The profile's meeting for a case, booked once; a poll's chosen time is its own booking. */
  meeting: (caseId: string, kind: string) => `meeting:${caseId}:${kind}`,
  meetingFromPoll: (caseId: string, kind: string) => `meeting:${caseId}:${kind}:poll`,
  /** A date set by hand for the meeting (the rapid review set-up's): each setting moves it once. */
  meetingSetByHand: (caseId: string, kind: string, setting: string) => `meeting:${caseId}:${kind}:set:${setting}`,

  notifierEmail: (caseId: string, userId: string) => `email:${caseId}:notifier:${userId}`,
  referrerEmail: (caseId: string) => `email:${caseId}:referrer`,
  learningEmail: (caseId: string) => `email:${caseId}:learning`,
  /** A decision's rationale to one member of the group the profile shares it with, per outcome (a later decision is shared again). */
  rationaleEmail: (caseId: string, outcome: string, userId: string) => `email:${caseId}:rationale:${outcome}:${userId}`,
  infoRequestEmail: (caseId: string, itemId: string) => `email:${caseId}:info_request:${itemId}`,
  infoRequestCard: (caseId: string, itemId: string, userId: string) => `info_request:${caseId}:${itemId}:${userId}`,
  triageCard: (emailReferralId: string, userId: string) => `triage:${emailReferralId}:${userId}`,
  digest: (londonDate: string) => `digest:${londonDate}`,

  /** One rung of a clock's alerts (due soon, overdue, an escalation) for one due date. */
  alertRung: (r: AlertRung) => `alert:${r.caseId}:${r.clockId}:${r.item}:${r.dueDate}:${r.level}`,
  alertChannelReply: (r: AlertRung) => `${dedupeKeys.alertRung(r)}:channel`,
  /** Every message of one person's alert (its card, reminders and email copy) starts with this. */
  alertMessagesOf: (r: AlertRung & { readonly recipient: string }) => `${dedupeKeys.alertRung(r)}:${r.recipient}:`,
  alertCard: (r: AlertRung & { readonly recipient: string }) => `${dedupeKeys.alertMessagesOf(r)}dm`,
  alertEmail: (r: AlertRung & { readonly recipient: string }) => `${dedupeKeys.alertMessagesOf(r)}email`,
  alertSnoozed: (r: AlertRung & { readonly recipient: string }, until: string) => `${dedupeKeys.alertMessagesOf(r)}snooze:${until}`,

  /** The case's one thread in the partnership channel. */
  caseThread: (caseId: string) => `case_thread:${caseId}`,
  dspCopy: (caseId: string, userId: string) => `dsp_copy:${caseId}:${userId}`,
  /** A note in the case's thread; `what` names the change it reports (an audit action, a vote's event). */
  threadNote: (caseId: string, what: string) => `thread_note:${caseId}:${what}`,
  /** Coalesced: one refresh of all the case's cards, re-armed by every change. */
  caseRefresh: (caseId: string) => `case_refresh:${caseId}`,
  notifierCard: (caseId: string, userId: string) => `notifier_card:${caseId}:${userId}`,
  detailsCard: (caseId: string, requestId: string) => `details_card:${caseId}:${requestId}`,
} as const;
