import type { Activity } from 'botbuilder';

import type { Database } from '../../../src/adapters/store/sqlExecutor.ts';
import {
  adaptiveCardExecute,
  botAddedToTeam,
  botRemovedFromTeam,
  channelMessageMentioningBot,
  installationUpdateAdd,
  personalMessage,
} from '../../support/botframework/teamsActivities.ts';
import { CHANNEL, PEOPLE, TEAM, type TeamsHarness } from '../../support/teamsHarness.ts';

/** Another organisation's tenant (fictional). */
export const OTHER_TENANT = '00000000-0000-4000-8000-00000000e7a2';

/** Every table an activity could write to. */
export const WATCHED_TABLES = [
  'cases',
  'case_details',
  'case_events',
  'votes',
  'clocks',
  'meetings',
  'outbox',
  'conversation_refs',
  'role_assignments',
  'audit_log',
  'people',
  'case_messages',
  'alerts',
] as const;

export async function rowCounts(db: Database): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of WATCHED_TABLES) result[table] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  return result;
}

/**
 * Activities that would each change where the partnership's cards go, who it knows, or a case, built
 * from Microsoft's published payloads and naming `tenantId` (another organisation's by default). An
 * attacker holding any valid channel token for this bot could send them: the business manager's own
 * object id, the partnership's team and channel, a DSP voting.
 */
export function otherTenantReplays(h: TeamsHarness, caseId: string, tenantId = OTHER_TENANT): [string, Activity][] {
  const common = { serviceUrl: h.connector.serviceUrl, bot: h.botAccount, tenantId };
  return [
    [
      '"post here" in another channel, as the business manager',
      channelMessageMentioningBot('post here', {
        ...common,
        from: { ...PEOPLE.manager },
        team: TEAM,
        channel: { id: '19:elsewhere@thread.tacv2', name: 'Elsewhere' },
      }),
    ],
    [
      'the bot "removed" from the partnership team',
      botRemovedFromTeam({ ...common, from: { ...PEOPLE.manager }, team: TEAM, channel: CHANNEL }),
    ],
    [
      'the bot "added" to the partnership team (rewriting its tenant and service URL)',
      botAddedToTeam({ ...common, from: { ...PEOPLE.manager }, team: TEAM, channel: CHANNEL }),
    ],
    [
      'an installationUpdate add for the partnership team',
      installationUpdateAdd({ ...common, from: { ...PEOPLE.manager }, team: TEAM, channel: CHANNEL }),
    ],
    [
      'a personal message "new referral" from a stranger',
      personalMessage('new referral', {
        ...common,
        from: { id: '29:stranger', name: 'Test Stranger', aadObjectId: '00000000-0000-4000-8000-00000000e7a3' },
      }),
    ],
    [
      'a vote invoke as the police DSP',
      adaptiveCardExecute({
        ...common,
        from: { ...PEOPLE.policeDsp },
        verb: 'case.vote',
        data: { caseId, agency: 'police', decision: 'notify', rationale: 'Replayed (fictional).' },
        conversationType: 'channel',
        team: TEAM,
        channel: CHANNEL,
      }),
    ],
  ];
}
