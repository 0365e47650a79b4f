/**
 * What happened on a case, in the order it happened. Clocks are computed from these events alone, so
 * the same events always give the same clocks. Profiles refer to these names.
 */
export const CASE_EVENT_TYPES = [
  'referral_received', // the partnership received the referral form (starts the case)
  'partners_told', // business manager told the partners of the referral (Darlington)
  'notification_decision', // the DSPs' collective decision; data.outcome
  'referrer_told_outcome', // the referrer was told the decision and rationale
  'forwarded_to_notifier', // the form went to the LA Serious Incident Notifier
  'la_aware', // the local authority became aware of the incident (the Panel-notification clock's start)
  'panel_notified', // the notifier confirmed the Panel was notified; data.notifiedOn, data.reference
  'panel_acknowledged', // the Panel acknowledged the notification (Darlington)
  'rr_panel_named', // rapid review panel members and chair named
  'info_requests_sent', // information request templates sent to agencies; data.agencies, data.dueOn
  'info_request_sent', // one agency's information request; data.itemId, data.agency, data.dueOn (a per-agency clock)
  'info_return_recorded', // one agency's return came back; data.itemId, data.kind ('received' | 'nil')
  'info_returns_complete', // every agency returned its template (or a nil return)
  'return_pack_circulated', // returns circulated to meeting attendees
  'rr_meeting_date_set', // the rapid review meeting was booked; data.meetingDate
  'rr_meeting_held', // the rapid review meeting took place
  'governance_meeting_held', // review governance meeting held (HSSCP)
  'rr_report_submitted', // rapid review report sent to the Panel
  'agencies_told_outcome', // agencies (and referrer) told the rapid review outcome (NEL)
  'panel_response_received', // the Panel answered the rapid review; data.response
  'lcspr_decision', // decision whether to commission a local practice review; data.commission
  'tor_meeting_held', // LCSPR terms of reference planning meeting
  'tor_approved', // terms of reference approved by the Executive
  'reviewer_named', // the lead reviewer agreed
  'reviewer_notified', // the Panel, Ofsted and DfE told the reviewer's name
  'checkpoint_held', // an LCSPR governance checkpoint named in the terms of reference
  'final_governance_held', // the LCSPR final governance meeting
  'publication_planned', // a planned publication date was set; data.plannedDate
  'report_copies_sent', // full report sent to the Panel, the Secretary of State and Ofsted
  'published', // the report was published; data.publishedOn, data.publicUntil, data.outcome ('full' | 'improvements_only')
  'publication_decided', // publish the full report, the improvements only, or not at all; data.outcome, data.reasons
  'publication_delayed', // publication put back past its 6-month deadline; data.itemId ('D1'), data.plannedDate, data.deadline, data.reasons
  'publication_delay_reported', // the Panel and the Secretary of State told the reasons for a delay; data.itemId, data.toldOn
  'non_publication_reported', // the Panel and the Secretary of State sent the justification for not publishing; data.toldOn
  'public_period_reviewed', // the report's year of public availability reviewed; data.reviewedOn, data.throughout, data.next
  'action_set', // an action plan item; data.itemId, data.agency (its owner), data.deadline; again for the same item: an extension (data.extension)
  'action_completed', // data.itemId, data.completedOn
  'desktop_review_done', // Stockport 6- and 12-month desk-top review; data.review ('6m' | '12m')
  'complaint_received', // a complaint about the process (Stockport); data.itemId ('C1'), data.receivedOn
  'complaint_answered', // its written response; data.itemId, data.answeredOn
  'learning_decision', // Engine Room / L&D group decision on a learning request; data.outcome
  'email_sent', // an email went from the partnership mailbox; data.template, data.subject
  'sos_ofsted_notified', // a looked-after child died: the LA told the Secretary of State and Ofsted; data.notifiedOn
  'referrer_answered', // the referrer answered the partners' queries (Stockport): the decision opens again; data.answeredOn
  'learning_decision_approval', // the partners' approval of the learning group's decision (Darlington); data.approved
  'case_closed',
] as const;

export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

export interface CaseEvent {
  readonly type: CaseEventType;
  /** When it happened (an instant). */
  readonly at: Date;
  readonly data?: Readonly<Record<string, unknown>>;
}
