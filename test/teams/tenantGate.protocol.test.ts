// One tenant gate before every handler. A valid channel token proves an activity came through the
// Bot Service, not that it came from the partnership's organisation: replays of good tokens with
// activities naming another tenant (installs, removals, "post here", messages, invokes) are refused
// with 403 before anything is read into the store, and nothing is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findPartnershipChannel } from '../../src/adapters/store/installationRepository.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { sampleReferral } from '../support/fixtures.ts';
import { assignTestDsps, installInTestTeam, PEOPLE, startTeamsHarness, type TeamsHarness } from '../support/teamsHarness.ts';
import { OTHER_TENANT, otherTenantReplays, rowCounts } from './support/otherTenantReplays.ts';

describe('the tenant gate: activities naming a tenant the partnership does not serve', () => {
  let h: TeamsHarness;
  let caseId: string;

  beforeAll(async () => {
    h = await startTeamsHarness();
    await assignTestDsps(h);
    await assignRole(h.db, {
      role: 'business_manager',
      scope: '',
      userId: PEOPLE.manager.aadObjectId,
      displayName: 'Test Business Manager',
    });
    await installInTestTeam(h);
    caseId = (await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId)).case.id;
    await h.settle();
  });
  afterAll(async () => h?.close());

  it('refuses each replay with 403 and a short fixed message, writes no row and sends nothing', async () => {
    const channelBefore = await findPartnershipChannel(h.db);
    const before = await rowCounts(h.db);
    h.connector.reset();
    const table: string[] = [];
    for (const [kind, activity] of otherTenantReplays(h, caseId)) {
      const res = await h.send(activity);
      table.push(`${res.status} ${kind}`);
      expect(res.status, kind).toBe(403);
      expect(res.body, kind).toEqual({ error: "this bot serves only its partnership's organisations" });
    }
    await h.settle();
    console.log(`[tenantGate] ${table.join('\n  ')}`);
    expect(await rowCounts(h.db)).toEqual(before);
    expect(h.connector.requests).toEqual([]);
    // The stored channel still points at the partnership's own team, tenant and service URL.
    expect(await findPartnershipChannel(h.db)).toEqual(channelBefore);
    expect(channelBefore?.tenantId).toBe(TEST_TENANT_ID);
  });

  it('keeps no record of the strangers who sent them', async () => {
    const { rows } = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM people WHERE tenant_id = $1', [OTHER_TENANT]);
    expect(rows[0]!.n).toBe(0);
  });

  it("still serves the same activities from the partnership's own tenant (so the refusals were about the tenant)", async () => {
    const replays = otherTenantReplays(h, caseId, TEST_TENANT_ID);
    const message = replays.find(([kind]) => kind.startsWith('a personal message'))![1];
    const res = await h.send(message);
    expect(res.status).toBe(200);
    await h.settle();
    expect(h.connector.requests.length).toBeGreaterThan(0);
    const postHere = replays.find(([kind]) => kind.startsWith('"post here"'))![1];
    expect((await h.send(postHere)).status).toBe(200);
    await h.settle();
    expect((await findPartnershipChannel(h.db))?.channelId).toBe('19:elsewhere@thread.tacv2');
  });

  it('refuses an activity that names no tenant at all, and one whose two tenant fields disagree', async () => {
    const [, message] = otherTenantReplays(h, caseId, TEST_TENANT_ID).find(([kind]) => kind.startsWith('a personal message'))!;
    const noTenant = structuredClone(message) as unknown as { channelData?: { tenant?: unknown }; conversation: { tenantId?: string } };
    delete noTenant.channelData?.tenant;
    delete noTenant.conversation.tenantId;
    expect((await h.send(noTenant as never)).status).toBe(403);
    const split = structuredClone(message) as unknown as { channelData: { tenant: { id: string } }; conversation: { tenantId?: string } };
    split.channelData.tenant = { id: OTHER_TENANT };
    split.conversation.tenantId = TEST_TENANT_ID;
    expect((await h.send(split as never)).status).toBe(403);
  });
});
