import { randomUUID } from 'node:crypto';

import { loadProfileFile, SHIPPED_PROFILES_DIR } from '../../src/adapters/profiles/loadProfiles.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import type { AppContext } from '../../src/app/appContext.ts';
import { createWorkingDayCalendar } from '../../src/domain/calendar/index.ts';
import type { ReferralInput } from '../../src/domain/referral/referralSchema.ts';

export const hsscp = loadProfileFile(`${SHIPPED_PROFILES_DIR}/hsscp.json`);

/** A clock the test moves by hand. */
export function fakeClock(start: string | Date) {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (to: string | Date) => {
      current = new Date(to);
    },
    advanceMs: (ms: number) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

export function testContext(db: Database, clock = fakeClock('2026-11-19T10:00:00Z'), profile = hsscp): AppContext {
  return { db, profile, calendar: createWorkingDayCalendar(), now: clock.now, newId: randomUUID };
}

/** Obviously fictional people only. */
export const DSP = {
  local_authority: '00000000-0000-4000-8000-00000000a001',
  police: '00000000-0000-4000-8000-00000000a002',
  health: '00000000-0000-4000-8000-00000000a003',
} as const;

export async function assignDsps(db: Database) {
  for (const [agency, userId] of Object.entries(DSP)) {
    await assignRole(db, { role: 'dsp', scope: agency, userId, displayName: `Test DSP (${agency})` });
  }
}

export function sampleReferral(overrides: Partial<ReferralInput> = {}): ReferralInput {
  return {
    type: 'serious_incident_notification',
    referrer: { name: 'Pat Example', agency: 'Example Primary School', email: 'pat.example@school.example' },
    referredOn: '2026-11-19',
    child: {
      name: 'Alexandra Testcase',
      dateOfBirth: '2019-03-14',
      statusAtTime: 'child_in_need',
      localAuthority: 'Hartlepool',
      nhsNumber: '9434765919',
      address: '1 Fictional Road, Nowhere',
    },
    incident: { date: '2026-11-17', isDeath: false },
    narrative: {
      whatHappened: 'A fictional serious incident used in tests.',
      whyCriteriaMet: 'Abuse or neglect is suspected (fictional).',
    },
    ...overrides,
  };
}

/** The referral form as a person fills it in (the card's input ids): valid, obviously fictional. */
export const REFERRAL_FORM = {
  type: 'serious_incident_notification',
  referrer_name: 'Pat Example',
  referrer_agency: 'Example Primary School',
  referrer_email: 'pat.example@school.example',
  referredOn: '2026-11-19',
  child_name: 'Alexandra Testcase',
  child_dateOfBirth: '2019-03-14',
  child_address: '1 Fictional Road, Nowhere',
  child_nhsNumber: '943 476 5919',
  child_statusAtTime: 'child_in_need',
  child_localAuthority: 'Hartlepool',
  incident_date: '2026-11-17',
  incident_isDeath: 'false',
  agenciesInvolved: 'Sam Fictional; Class teacher; Example Primary School; sam@school.example',
  narrative_whatHappened: 'A fictional serious incident used in tests.',
  narrative_whyCriteriaMet: 'Abuse or neglect is suspected (fictional).',
} as const;

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence, so randomised tests repeat. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
