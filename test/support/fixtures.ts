import { randomUUID } from 'node:crypto';
import { loadProfileFile, SHIPPED_PROFILES_DIR } from '../../src/adapters/profiles/loadProfiles.ts';
import type { AppContext } from '../../src/app/appContext.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { createWorkingDayCalendar } from '../../src/domain/calendar/index.ts';
import type { ReferralInput } from '../../src/domain/referral/referralSchema.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';

export const hsscp = loadProfileFile(`${SHIPPED_PROFILES_DIR}/hsscp.json`);

/** A clock the test moves by hand. */
export function fakeClock(start: string | Date) {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (to: string | Date) => { current = new Date(to); },
    advanceMs: (ms: number) => { current = new Date(current.getTime() + ms); },
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
    narrative: { whatHappened: 'A fictional serious incident used in tests.', whyCriteriaMet: 'Abuse or neglect is suspected (fictional).' },
    ...overrides,
  };
}
