import { z } from 'zod';

import { CASE_EVENT_TYPES } from '../case/caseEvent.ts';
import { CASE_ACCESS } from '../dashboard/caseAccess.ts';

/**
 * A partnership profile: who does what, the stages, and every clock, as data. Objects are strict so
 * a misspelt field is an error at start-up rather than a clock silently ignored.
 */

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a snake_case id');
const eventType = z.enum(CASE_EVENT_TYPES);

/** A duration counted from a date. Negative values count back ("7 working days before"). */
export const durationSchema = z.union([
  z.object({ workingDays: z.number().int() }).strict(),
  z.object({ calendarDays: z.number().int() }).strict(),
  z.object({ months: z.number().int() }).strict(),
]);

/** True when the latest event of `event` has `field` equal to one of `in`. */
export const conditionSchema = z
  .object({
    event: eventType,
    field: z.string().min(1),
    in: z.array(z.union([z.string(), z.boolean()])).min(1),
  })
  .strict();

/**
 * When a clock applies: one condition, or all of several (a looked-after child who died: 002 L21), or
 * any of several (Stockport: a rapid review decision, or a looked-after child: 003 Appendix A 1.2).
 */
export const appliesWhenSchema = z.union([
  conditionSchema,
  z.object({ allOf: z.array(conditionSchema).min(2) }).strict(),
  z.object({ anyOf: z.array(conditionSchema).min(2) }).strict(),
]);

/** What starts a clock: an event, the date it counts from, which of several. */
const startsSchema = z
  .object({
    event: eventType,
    /** A date field of the event's data to count from instead of the day the event happened. */
    dateField: z.string().min(1).optional(),
    /** Which of several events of that type anchors the clock: the first (default) or the latest. */
    use: z.enum(['first', 'latest']).default('first'),
    /** This reading of the deadline in the seed's words, shown beside the other where there are two (`orStarts`). */
    reads: z.string().min(1).max(80).optional(),
  })
  .strict();

export const clockSchema = z
  .object({
    id,
    label: z.string().min(1),
    /** A few words for cards and alerts ("DSP decision"); the label when absent. */
    short: z.string().min(1).max(40).optional(),
    stage: id,
    /** Where the rule comes from: the seed file, its section, and the words. */
    source: z.string().min(1),
    statutory: z.boolean().default(false),
    starts: startsSchema,
    /**
     * A second starting point the seed gives for the same deadline (003: "within 15 working days of the
     * referral being received" and "15 working days from notification"). The earlier due date is the
     * deadline, the other is shown beside it; both need `reads`.
     */
    orStarts: startsSchema.optional(),
    /** The clock applies only if this holds; if its event has happened and it fails: not applicable. */
    appliesWhen: appliesWhenSchema.optional(),
    length: durationSchema,
    /** The earliest allowed date, for windows like "between 7 and 13 working days". */
    notBefore: durationSchema.optional(),
    completedBy: z
      .object({
        event: eventType,
        /** Only events whose data match stop this clock (e.g. the 12-month desk-top review, not the 6-month one). */
        where: z
          .object({ field: z.string().min(1), in: z.array(z.union([z.string(), z.boolean()])).min(1) })
          .strict()
          .optional(),
        /**
         * Judge on-time by this date in the event's data rather than when it was recorded: a Panel
         * notification made on day 5 and confirmed on day 6 was made on time.
         */
        dateField: z.string().min(1).optional(),
      })
      .strict(),
    owner: id,
    /** "Due soon" from the start of the working day this many working days before the due date (0: the due day itself). */
    dueSoon: z.object({ workingDaysBefore: z.number().int().min(0) }).strict(),
    /** Who is told, and when: each step's `after` counts from the due date (0 working days: the moment it is overdue). */
    escalation: z
      .array(
        z
          .object({
            after: durationSchema,
            notify: z.array(id).min(1),
            /**
             * What `after` counts from: the due date now (default), or the original one, before any revision
             * of the item (004 s.9.2: "six months beyond the original deadline", whatever extension was agreed).
             */
            from: z.enum(['due', 'original_due']).default('due'),
          })
          .strict(),
      )
      .default([]),
    /** Data field that keys separate instances of this clock (e.g. one per action-plan item). */
    perItem: z.string().min(1).optional(),
    /** Once this holds the clock no longer applies (a decision not to publish ends the wait for publication); until its event, it does. */
    notApplicableWhen: conditionSchema.optional(),
    /** Whether the case waits for this clock to close (false: a date watched past the case's work, the report's public year). */
    blocksClosing: z.boolean().default(true),
    /**
     * A line of its own on the case card, beside the main clock line: once started (a duty that runs
     * alongside, such as the Secretary of State and Ofsted told of a looked-after child's death), or
     * only when late (Darlington's referral made more than 1 working day after the incident).
     */
    onCard: z.enum(['started', 'late']).optional(),
  })
  .strict();

/**
 * Something a meeting must come after: a clock's due date (the agencies' returns circulated), the
 * information returns being due (those requested; until any is, those a request sent today would
 * give), or another meeting of the case (held, or else booked).
 */
export const meetingAfterSchema = z.union([
  z.object({ clock: id, gap: durationSchema.optional() }).strict(),
  z.object({ informationReturns: z.literal('due'), gap: durationSchema.optional() }).strict(),
  z.object({ meeting: id, gap: durationSchema.optional() }).strict(),
]);

export const roleSchema = z
  .object({
    id,
    label: z.string().min(1),
    /** one person; one per statutory agency; one per local authority; or a group. */
    kind: z.enum(['single', 'per_agency', 'per_local_authority', 'group']),
  })
  .strict();

export const decisionOutcomeSchema = z
  .object({
    id,
    label: z.string().min(1),
    /** The stage a case moves to when this is the outcome. */
    next: id,
  })
  .strict();

export const profileSchema = z
  .object({
    id,
    name: z.string().min(1),
    /** Case references are `<prefix>-<year>-<nnnn>`. */
    referencePrefix: z.string().regex(/^[A-Z]{2,10}$/, 'must be 2-10 capital letters'),
    seed: z.string().min(1),
    agencies: z.array(z.object({ id, label: z.string().min(1) }).strict()).min(1),
    localAuthorities: z.array(z.string().min(1)).min(1),
    roles: z.array(roleSchema).min(1),
    stages: z.array(z.object({ id, label: z.string().min(1) }).strict()).min(1),
    notificationDecision: z
      .object({
        /** Who decides: the DSPs of these agencies, each with a rationale. */
        deciders: z.array(id).min(1),
        /**
         * How the deciders' votes combine once all have voted: `unanimous` (HSSCP, seed 000: a collective
         * decision, any disagreement to dispute resolution) or `majority` (the most common choice, if
         * more than half chose it).
         */
        rule: z.enum(['unanimous', 'majority']).default('unanimous'),
        outcomes: z.array(decisionOutcomeSchema).min(2),
        /** What happens when the deciders do not agree (seed 000: the dispute resolution procedure). */
        onDisagreement: z.object({ next: id, label: z.string().min(1) }).strict(),
        /**
         * Referrals that must always be notified to the Panel (003: a looked-after child): a vote for an
         * outcome that does not lead to the notification is refused, with `reason`. An outcome that sends
         * the case back before the decision (queries to the referrer) is still allowed.
         */
        alwaysNotify: z
          .object({ when: appliesWhenSchema, reason: z.string().min(1), source: z.string().min(1) })
          .strict()
          .optional(),
        /** Decisions whose outcome and rationales are sent to a group (004 s.5.6, 10.4-10.5: the Learning and Development Group). */
        shareRationale: z
          .object({ with: id, outcomes: z.array(id).min(1), source: z.string().min(1) })
          .strict()
          .optional(),
        source: z.string().min(1),
      })
      .strict(),
    /** The rapid review's information request to each involved agency's safeguarding lead. */
    informationRequest: z
      .object({
        template: z.string().min(1),
        /** When returns are due: this long after the request is sent, or after the referral (NEL). */
        returnWithin: durationSchema,
        from: z.enum(['sent', 'referral']),
        source: z.string().min(1),
      })
      .strict(),
    /** What the Engine Room / Learning and Development group may decide on a learning request, and where each leads. */
    learningDecision: z
      .object({
        decidedBy: id,
        outcomes: z.array(decisionOutcomeSchema).min(2),
        source: z.string().min(1),
        /**
         * The decision goes to the statutory partners for approval before its course of action goes ahead
         * (004 s.10.7): a step a DSP records (or the business manager for them); returned, it is decided again.
         */
        partnersApprove: z
          .object({ source: z.string().min(1) })
          .strict()
          .optional(),
      })
      .strict(),
    /** Criteria the LCSPR decision records, each considered with notes and a view (000; 003 Appendix E). */
    reviewCriteria: z.array(z.object({ id: z.string().min(1), text: z.string().min(1) }).strict()).default([]),
    /** Roles allowed to read a case's full referral details. */
    fullDetailsRoles: z.array(id).min(1),
    /**
     * Which cases each role's holders see in the dashboard (its list, pages, export and charts); someone
     * holding several roles sees what any of them shows. A role not listed sees no case, and a profile
     * that lists none shows no one anything: access is granted, never assumed.
     */
    dashboardAccess: z
      .array(
        z
          .object({
            role: id,
            sees: z.array(z.enum(CASE_ACCESS)).min(1),
            /** Where the choice comes from: the seed and its words, or, where the seed is silent, that it is data minimisation. */
            source: z.string().min(1),
          })
          .strict(),
      )
      .default([]),
    /**
     * What the referral form asks beyond the common fields: Stockport's form offers a third pathway,
     * "Escalating a dispute case for Partnership Review" (003 Appendix A 1.2 C); no other seed does.
     */
    referralForm: z
      .object({
        escalationPathway: z
          .object({ source: z.string().min(1) })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    clocks: z.array(clockSchema).min(1),
    /** Who must ask for an action's deadline to be extended (004 s.9.2: "at the request of the Chief Officer"); anyone, when absent. */
    actionExtension: z
      .object({ requestedBy: id, source: z.string().min(1) })
      .strict()
      .optional(),
    /** What every written response to a complaint must say, in the seed's words (003: the Local Government Ombudsman). */
    complaints: z
      .object({ responseMustInclude: z.string().min(1), source: z.string().min(1) })
      .strict()
      .optional(),
    /** Meetings booked in Outlook, each inside the window a clock gives (from its event to its deadline). */
    meetings: z
      .array(
        z
          .object({
            kind: id,
            title: z.string().min(1),
            /** Booked when this happens. */
            bookOn: eventType,
            /** The clock whose deadline ends the booking window. */
            clock: id,
            /**
             * The event that records the meeting took place, where that comes before its clock stops (the
             * rapid review's outcome, long before the report reaches the Panel): its cards ask nothing more then.
             */
            heldBy: eventType.optional(),
            /** Only when this holds (e.g. the review was commissioned). */
            when: conditionSchema.optional(),
            /** The window ends this long before the clock's due date (a rapid review must leave time for the report). */
            endsBefore: durationSchema.optional(),
            /**
             * A clock whose own window also bounds the meeting: no earlier than its `notBefore`, no later than
             * its due date (Darlington: 7-10 working days, while the deadline it serves is the 15th: 004 s.6.2).
             */
            within: id.optional(),
            /** What must come first: the meeting is on or after the working day `gap` after each (the next one when absent). */
            after: z.array(meetingAfterSchema).default([]),
            /** The step that sets the meeting's date by hand: recording it moves the booked meeting to that date. */
            movedBy: z
              .object({ event: eventType, dateField: z.string().min(1) })
              .strict()
              .optional(),
            durationMinutes: z.number().int().min(15).max(480),
            /** Agenda items for the invitation (seed 000 Appendix 4 for the final governance meeting). */
            agenda: z.array(z.string().min(1)).default([]),
            /** Roles invited; `required` ones must be free (and a decline from one raises an alert). */
            attendees: z.array(id).min(1),
            required: z.array(id).default([]),
            source: z.string().min(1),
          })
          .strict(),
      )
      .default([]),
    /** The hours meetings may be booked in, London time, on working days. */
    meetingHours: z
      .object({ start: z.string().regex(/^\d{2}:\d{2}$/), end: z.string().regex(/^\d{2}:\d{2}$/) })
      .strict()
      .default({ start: '09:00', end: '17:00' }),
    /** How alerts behave: an alert not acknowledged within this many hours is also sent by email. */
    alerting: z
      .object({
        emailFallbackAfterHours: z
          .number()
          .positive()
          .max(24 * 14),
      })
      .strict()
      .default({ emailFallbackAfterHours: 24 }),
  })
  .strict();

export type Duration = z.infer<typeof durationSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type AppliesWhen = z.infer<typeof appliesWhenSchema>;
export type ClockDefinition = z.infer<typeof clockSchema>;
export type Profile = z.infer<typeof profileSchema>;
export type MeetingDefinition = Profile['meetings'][number];
export type MeetingAfter = z.infer<typeof meetingAfterSchema>;
export type ProfileInput = z.input<typeof profileSchema>;
