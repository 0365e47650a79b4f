import { z } from 'zod';

import { isIsoDate } from '../calendar/isoDate.ts';
import { CASE_CHARACTERISTICS, CORONER_ANSWERS, keysOf, MAIN_CAUSES } from './referralChoices.ts';

/**
 * The referral form: the Tees-wide Serious Incident / Learning Request form (seed 002) merged with
 * Darlington's (seed 004 Appendix 1) and Stockport's escalation pathway (seed 003 Appendix A, 1.2 C).
 * Objects are strict, so a misspelt field is named, not dropped. The checks that need today's date or
 * compare dates with each other are in parseReferral.ts.
 */

// A missing field says "is required", not zod's "expected string, received undefined".
const required = { error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : 'must be text') };
const text = (max = 200) => z.string(required).trim().min(1, 'is required').max(max, `must be at most ${max} characters`);
const longText = z.string(required).trim().min(1, 'is required').max(10_000, 'must be at most 10000 characters');
const isoDate = z.string(required).refine(isIsoDate, 'must be a date YYYY-MM-DD');
const choice = <T extends Record<string, string>>(choices: T) =>
  z.enum(keysOf(choices), { error: `must be one of: ${Object.values(choices).join(', ')}` });

/** When a plan started and ended (either may be unknown); 004 Appendix 1 section 6. */
const planDates = z.object({ startedOn: isoDate.optional(), endedOn: isoDate.optional() }).strict();

/** NHS numbers are 10 digits whose last is a modulus-11 check digit. */
export function isValidNhsNumber(value: string): boolean {
  const digits = value.replace(/\s/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  const sum = [...digits.slice(0, 9)].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
  const check = 11 - (sum % 11);
  return check !== 10 && (check === 11 ? 0 : check) === Number(digits[9]);
}

export const REFERRAL_TYPES = ['serious_incident_notification', 'learning_request'] as const;
export type ReferralType = (typeof REFERRAL_TYPES)[number];

export const CHILD_STATUSES = [
  'not_known_to_social_care',
  'early_help',
  'youth_offending',
  'child_in_need',
  'child_protection',
  'looked_after',
] as const;

export const professionalSchema = z
  .object({
    name: text(),
    role: text(),
    agency: text(),
    contact: text().optional(),
  })
  .strict();

export const referralSchema = z
  .object({
    type: z.enum(REFERRAL_TYPES, { message: 'must be serious_incident_notification or learning_request' }),
    referrer: z
      .object({
        name: text(),
        agency: text(),
        email: z.string().trim().email('must be an email address'),
        phone: text(40).optional(),
        authorisingManager: text().optional(),
        /** "Agency authorising officer comment & recommendation" (004 Appendix 1 section 11). */
        authorisingOfficerComment: text(5000).optional(),
      })
      .strict(),
    /** The date on the form. */
    referredOn: isoDate,
    child: z
      .object({
        name: text(),
        dateOfBirth: isoDate,
        gender: text(60).optional(),
        ethnicity: text(100).optional(),
        address: text(500).optional(),
        nhsNumber: z.string().refine(isValidNhsNumber, 'must be a valid 10-digit NHS number').optional(),
        statusAtTime: z.enum(CHILD_STATUSES, { error: 'is required: choose one' }),
        /** The child's local authority: its Serious Incident Notifier notifies the Panel. */
        localAuthority: text(),
      })
      .strict(),
    incident: z
      .object({
        /** The date of the incident; on the Tees form (002) "Date of Death / Incident", one date for both. */
        date: isoDate,
        /** The date of death, when it differs or is known apart (004 Appendix 1 section 2 asks for both). */
        diedOn: isoDate.optional(),
        /**
         * When the local authority became aware of it, if before the referral (a strategy meeting, the
         * CDOP: 002 L6-10): the Panel notification's 5 working days count from it (laAwareness.ts).
         * Blank: the day the referral was received.
         */
        laAwareOn: isoDate.optional(),
        /** Whether the child died; a date of death says so on its own (the transform below). */
        isDeath: z.boolean({ error: 'is required: yes or no' }),
        /** "Does alleged incident involve the conduct of a staff member?" (004 Appendix 1 section 2). */
        staffConduct: z.boolean({ error: 'must be yes or no' }).optional(),
        /** "Is a coroner involved? Yes / No / Unsure", and if yes the coroner and their local authority area (004). */
        coroner: choice(CORONER_ANSWERS).optional(),
        coronerDetails: text(1000).optional(),
        /** "Cause of death (if applicable)": free text on the seed form (004 Appendix 1 section 2). */
        causeOfDeath: text(1000).optional(),
        /** "What is the main cause of incident" (004 Appendix 1 section 5): one of the seed's list. */
        mainCause: choice(MAIN_CAUSES).optional(),
        mainCauseOther: text().optional(),
        /** "What are the characteristics of the case (tick all that apply)" (004 Appendix 1 section 5). */
        characteristics: z
          .array(choice(CASE_CHARACTERISTICS))
          .max(Object.keys(CASE_CHARACTERISTICS).length)
          .refine((a) => new Set(a).size === a.length, 'lists a characteristic twice')
          .optional(),
        characteristicsOther: text().optional(),
        /** Recorded by earlier versions of the form (free text, and a yes/no): still read and shown, no longer asked. */
        causeCategory: text().optional(),
        coronerInvolved: z.boolean().optional(),
      })
      .strict()
      .transform((i) => (i.diedOn !== undefined && !i.isDeath ? { ...i, isDeath: true } : i)),
    /** The child's child protection and child in need plans at the time of or before the incident (004 Appendix 1 section 6). */
    plans: z
      .object({
        childProtection: planDates.optional(),
        childInNeed: planDates.optional(),
      })
      .strict()
      .optional(),
    family: z
      .object({
        parentsCarers: text(2000).optional(),
        siblings: text(2000).optional(),
        gp: text(500).optional(),
        associatedOthers: text(2000).optional(),
      })
      .strict()
      .default({}),
    agenciesInvolved: z.array(professionalSchema).max(50).default([]),
    narrative: z
      .object({
        whatHappened: longText,
        whyCriteriaMet: longText,
        otherReviews: text(2000).optional(),
        /** "Any action taken after the incident to safeguard the child/sibling" (004 Appendix 1 section 8). */
        actionsSinceIncident: text(10_000).optional(),
      })
      .strict(),
    /**
     * Stockport's third pathway, "Escalating a dispute case for Partnership Review" (003 Appendix A
     * 1.2 C): only where the profile's form offers it (submitReferral.ts). "Before the partnership can
     * become involved professionals must have attempted to discuss and resolve the dispute amongst
     * themselves", so what they tried is asked for (parseReferral.ts requires it).
     */
    escalation: z
      .object({
        sought: z.boolean({ error: 'must be yes or no' }).default(false),
        resolutionAttempts: text(5000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((r) => r.child.dateOfBirth <= r.incident.date, {
    path: ['child', 'dateOfBirth'],
    message: 'must not be after the incident date',
  });

export type Referral = z.infer<typeof referralSchema>;
export type ReferralInput = z.input<typeof referralSchema>;
