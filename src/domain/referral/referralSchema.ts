import { z } from 'zod';

import { isIsoDate } from '../calendar/isoDate.ts';

/**
 * The referral form: the Tees-wide Serious Incident / Learning Request form (seed 002) merged with
 * Darlington's (seed 004). Objects are strict, so a misspelt field is named, not dropped.
 */

// A missing field says "is required", not zod's "expected string, received undefined".
const required = { error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : 'must be text') };
const text = (max = 200) => z.string(required).trim().min(1, 'is required').max(max, `must be at most ${max} characters`);
const longText = z.string(required).trim().min(1, 'is required').max(10_000, 'must be at most 10000 characters');
const isoDate = z.string(required).refine(isIsoDate, 'must be a date YYYY-MM-DD');

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
        date: isoDate,
        isDeath: z.boolean({ error: 'is required: yes or no' }),
        causeCategory: text().optional(),
        characteristics: z.array(text()).max(20).optional(),
        coronerInvolved: z.boolean().optional(),
      })
      .strict(),
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
      })
      .strict(),
  })
  .strict()
  .refine((r) => r.child.dateOfBirth <= r.incident.date, {
    path: ['child', 'dateOfBirth'],
    message: 'must not be after the incident date',
  });

export type Referral = z.infer<typeof referralSchema>;
export type ReferralInput = z.input<typeof referralSchema>;
