import { z } from 'zod';

import { isIsoDate } from '../calendar/isoDate.ts';
import type { Profile } from '../profiles/profileSchema.ts';
import { problemsOf, ValidationError } from '../validation/validationError.ts';
import type { DspDeputy } from './dspDeputy.ts';

/**
 * Who holds which role, by Entra object id (so guests from other tenants work too), as an operator
 * writes it in PEOPLE_FILE. The admin card changes the same assignments later.
 */
const oid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be an Entra object id (a GUID)');
const londonDate = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD (a London date)');

/** A deputy DSP (#15 item 11): who, and the London dates they act from and until, both inclusive. */
const deputy = z
  .object({ id: oid, actsFrom: londonDate, actsUntil: londonDate })
  .strict()
  .refine((d) => d.actsFrom <= d.actsUntil, { message: 'actsUntil must be on or after actsFrom', path: ['actsUntil'] });

export const peopleConfigSchema = z
  .object({
    dsp: z.record(z.string(), oid).default({}),
    /** Per deciding agency, the people who may vote in its DSP's place on the days they act. */
    dsp_deputies: z.record(z.string(), z.array(deputy)).default({}),
    la_notifier: z.record(z.string(), z.array(oid)).default({}),
    business_manager: z.array(oid).default([]),
    engine_room: z.array(oid).default([]),
    partnership_chair: z.array(oid).default([]),
    rr_chair: z.array(oid).default([]),
    /** Each agency's safeguarding lead: information requests, returns, actions. */
    agency_leads: z.record(z.string(), z.array(oid)).default({}),
    /** Darlington's action-plan escalations: per agency. */
    head_of_service: z.record(z.string(), z.array(oid)).default({}),
    chief_officer: z.record(z.string(), z.array(oid)).default({}),
  })
  .strict();

export interface ConfiguredAssignment {
  readonly role: string;
  readonly scope: string;
  readonly userId: string;
}

/** Validates the file against the profile (its agencies and local authorities) and flattens it. */
export function parsePeopleConfig(
  json: unknown,
  profile: Profile,
): { roles: string[]; assignments: ConfiguredAssignment[]; deputies: DspDeputy[] } {
  const parsed = peopleConfigSchema.safeParse(json);
  if (!parsed.success) throw new ValidationError(problemsOf(parsed.error), 'people file');
  const p = parsed.data;
  const problems = [
    ...Object.keys(p.dsp)
      .filter((a) => !profile.notificationDecision.deciders.includes(a))
      .map((a) => ({ field: `dsp.${a}`, message: `not an agency of ${profile.id}: ${profile.notificationDecision.deciders.join(', ')}` })),
    ...Object.keys(p.dsp_deputies)
      .filter((a) => !profile.notificationDecision.deciders.includes(a))
      .map((a) => ({
        field: `dsp_deputies.${a}`,
        message: `not an agency of ${profile.id}: ${profile.notificationDecision.deciders.join(', ')}`,
      })),
    // A deputy acts for someone else: the DSP is not their own deputy, and one person has one period per agency.
    ...Object.entries(p.dsp_deputies).flatMap(([a, ds]) =>
      ds.flatMap((d, i) => [
        ...(p.dsp[a] === d.id ? [{ field: `dsp_deputies.${a}[${i}].id`, message: `is the ${a} DSP already` }] : []),
        ...(ds.findIndex((x) => x.id === d.id) < i
          ? [{ field: `dsp_deputies.${a}[${i}].id`, message: 'is listed twice for this agency' }]
          : []),
      ]),
    ),
    ...(['agency_leads', 'head_of_service', 'chief_officer'] as const).flatMap((role) =>
      Object.keys(p[role])
        .filter((a) => !profile.agencies.some((x) => x.id === a))
        .map((a) => ({ field: `${role}.${a}`, message: `not an agency of ${profile.id}` })),
    ),
    ...Object.keys(p.la_notifier)
      .filter((la) => !profile.localAuthorities.includes(la))
      .map((la) => ({
        field: `la_notifier.${la}`,
        message: `not a local authority of ${profile.id}: ${profile.localAuthorities.join(', ')}`,
      })),
  ];
  if (problems.length > 0) throw new ValidationError(problems, 'people file');
  return {
    roles: [
      'dsp',
      'la_notifier',
      'business_manager',
      'engine_room',
      'partnership_chair',
      'rr_chair',
      'agency_leads',
      'head_of_service',
      'chief_officer',
    ],
    assignments: [
      ...Object.entries(p.dsp).map(([scope, userId]) => ({ role: 'dsp', scope, userId })),
      ...Object.entries(p.la_notifier).flatMap(([scope, ids]) => ids.map((userId) => ({ role: 'la_notifier', scope, userId }))),
      ...p.business_manager.map((userId) => ({ role: 'business_manager', scope: '', userId })),
      ...p.engine_room.map((userId) => ({ role: 'engine_room', scope: '', userId })),
      ...p.partnership_chair.map((userId) => ({ role: 'partnership_chair', scope: '', userId })),
      ...p.rr_chair.map((userId) => ({ role: 'rr_chair', scope: '', userId })),
      ...(['agency_leads', 'head_of_service', 'chief_officer'] as const).flatMap((role) =>
        Object.entries(p[role]).flatMap(([scope, ids]) => ids.map((userId) => ({ role, scope, userId }))),
      ),
    ],
    deputies: Object.entries(p.dsp_deputies).flatMap(([agency, ds]) =>
      ds.map((d) => ({ agency, userId: d.id, actsFrom: d.actsFrom, actsUntil: d.actsUntil })),
    ),
  };
}
