import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createGraphCalendar } from '../../src/adapters/graph/graphCalendar.ts';
import { createGraphSubscriptions } from '../../src/adapters/graph/graphSubscriptions.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { sampleReferral } from '../support/fixtures.ts';
import { graphClientFor, type GraphStandIn, startGraphStandIn } from '../support/graph/graphStandIn.ts';
import { assignTestDsps, installInTestTeam, PEOPLE, startTeamsHarness, type TeamsHarness } from '../support/teamsHarness.ts';

describe("attendees' answers by Graph change notifications", () => {
  let h: TeamsHarness;
  let graph: GraphStandIn;
  const post = (path: string, body: unknown) =>
    fetch(`${h.bot.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    graph = await startGraphStandIn();
    const client = graphClientFor(graph);
    h = await startTeamsHarness({
      calendar: createGraphCalendar(client),
      subscriptions: createGraphSubscriptions(client),
      env: { PUBLIC_URL: 'https://tracker.example' },
    });
    await assignTestDsps(h);
    await installInTestTeam(h);
  });
  afterAll(async () => {
    await h.close();
    await graph.close();
  });

  it("answers Graph's validation handshake with the token, as text", async () => {
    const res = await fetch(`${h.bot.origin}/api/graph/notifications?validationToken=Validation%3A%20Testing%20client%20application`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toBe('Validation: Testing client application');
  });

  it("subscribes to the mailbox's events for two days, and renews a day before it lapses", async () => {
    h.clock.set('2026-11-19T09:00:00Z');
    expect(await h.services.keepSubscription()).toBe('created');
    const created = graph.requests.find((r) => r.path === '/v1.0/subscriptions')!;
    expect(created.body).toMatchObject({
      changeType: 'updated,deleted',
      resource: 'users/partnership@demo-partnership.example/events',
      notificationUrl: 'https://tracker.example/api/graph/notifications',
      expirationDateTime: '2026-11-21T09:00:00.000Z',
    });
    expect(String(created.body.clientState)).toMatch(/^[0-9a-f]{64}$/);
    expect(await h.services.keepSubscription()).toBe('current');
    h.clock.set('2026-11-20T10:00:00Z');
    expect(await h.services.keepSubscription()).toBe('renewed');
    expect(graph.requests.filter((r) => r.method === 'PATCH').map((r) => r.body)).toEqual([
      { expirationDateTime: '2026-11-22T10:00:00.000Z' },
    ]);
  });

  it("reads the changed meeting's answers when a notification carries our clientState, and ignores one that does not", async () => {
    h.clock.set('2026-11-19T10:00:00Z');
    await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId);
    await h.services.send(); // books the DSP call
    const event = [...graph.events.values()][0]!;
    const { rows } = await h.db.query<{ id: string; client_state: string }>('SELECT id, client_state FROM graph_subscriptions');
    graph.setResponse('healthdsp@partnership.example', 'declined');
    const notification = (clientState: string) => ({
      value: [
        {
          subscriptionId: rows[0]!.id,
          clientState,
          changeType: 'updated',
          resource: `users/x/events/${String(event.id)}`,
          resourceData: { id: event.id },
        },
      ],
    });
    graph.requests.length = 0;

    expect((await post('/api/graph/notifications', notification('not-our-secret'))).status).toBe(202);
    await h.settle();
    expect(graph.requests.filter((r) => r.method === 'GET')).toHaveLength(0);

    h.connector.reset();
    expect((await post('/api/graph/notifications', notification(rows[0]!.client_state))).status).toBe(202);
    await h.settle();
    expect(graph.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
    expect(
      h
        .cardsSent()
        .map((c) => JSON.stringify(c.card))
        .join(),
    ).toContain('Test DSP Health declined the DSP teleconference');
  });
});
