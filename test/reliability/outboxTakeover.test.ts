import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sendDueMessages, type SenderDeps } from '../../src/app/outbox/outboxSender.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { queueCaseChange } from '../../src/app/teams/caseAnnouncements.ts';
import type { TeamsGateway } from '../../src/app/teams/teamsGateway.ts';
import { sampleReferral } from '../support/fixtures.ts';
import { assignTestDsps, installInTestTeam, PEOPLE, startTeamsHarness, type TeamsHarness } from '../support/teamsHarness.ts';

/**
 * One process runs two outbox senders at once: the round src/main.ts starts every few seconds, and
 * the one an action wakes to deliver its posts at once (composition.ts, wakeSender). Both claim in the
 * process's one instance id. When a batch's earlier messages wait (Teams' limits, a slow connector)
 * past the lease of a later one, the other loop takes that one over as the lease allows, and is
 * sending it when the first loop reaches it. Found by test/reliability/postsCrash.test.ts: thread
 * notes and DSP copies posted twice, with no resend recorded, by an instance that was never killed
 * (its attempt history: the first claim never finished, the second claim by the same instance sent).
 */
/** A promise and its resolve (Node 20 has no Promise.withResolvers). */
function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('two sender loops in one process, a claim taken over by the other loop', () => {
  let h: TeamsHarness;
  let caseId: string;
  const LEASE_MS = 1_000;

  beforeAll(async () => {
    h = await startTeamsHarness();
    await assignTestDsps(h);
    await installInTestTeam(h);
    caseId = (await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId)).case.id;
    await h.settle(); // the thread and the DSPs' copies
  }, 60_000);
  afterAll(async () => h.close());

  it('posts a message once, or records the second post as a resend', async () => {
    // Two notes in the thread, queued by one change: one batch claims both.
    await h.db.transaction(async (tx) => {
      await queueCaseChange(tx, h.services.ctx, caseId, { what: 'takeover:a', text: 'Note A (fictional).' });
      await queueCaseChange(tx, h.services.ctx, caseId, { what: 'takeover:b', text: 'Note B (fictional).' });
    });
    // Teams, slow to answer the first post of each note, until the test lets it go.
    const posted: Record<string, number> = {};
    const held = new Map<string, { entered: ReturnType<typeof signal>; release: ReturnType<typeof signal> }>();
    const hold = (text: string) => held.set(text, { entered: signal(), release: signal() });
    hold('Note A (fictional).');
    hold('Note B (fictional).');
    const gateway: TeamsGateway = {
      ...h.services.gateway,
      async replyInThread(channel, thread, text, mentions) {
        posted[text] = (posted[text] ?? 0) + 1;
        const gate = held.get(text);
        if (gate) {
          held.delete(text);
          gate.entered.resolve();
          await gate.release.promise;
        }
        return h.services.gateway.replyInThread(channel, thread, text, mentions);
      },
    };
    const gates = { a: held.get('Note A (fictional).')!, b: held.get('Note B (fictional).')! };
    // The two loops of one process: the same instance id.
    const deps = (): SenderDeps => ({
      ctx: h.services.ctx,
      gateway,
      logger: h.services.logger,
      instanceId: 'one-process',
      leaseMs: LEASE_MS,
    });
    const kinds = ['thread_note'] as const;

    const first = sendDueMessages(deps(), { kinds });
    await gates.a.entered.promise; // the first loop is sending note A, note B waits behind it in its batch
    h.clock.advanceMs(LEASE_MS + 1); // note A's send outlasts the lease of the batch
    const second = sendDueMessages(deps(), { kinds });
    await gates.b.entered.promise; // the second loop took both over (A as a resend) and is sending note B
    gates.a.release.resolve(); // the first loop finishes A and goes on to B, which it still believes it holds
    await new Promise((resolve) => setTimeout(resolve, 200));
    gates.b.release.resolve();
    await Promise.all([first, second]);

    const { rows } = await h.db.query<{ text: string; reclaims: number; status: string }>(
      `SELECT payload->>'text' AS text, reclaims, status FROM outbox WHERE kind = 'thread_note' AND dedupe_key LIKE '%takeover:%' ORDER BY id`,
    );
    const attempts = (
      await h.db.query<{ text: string; resend: boolean; outcome: string | null }>(
        `SELECT o.payload->>'text' AS text, a.resend, a.outcome FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id WHERE o.dedupe_key LIKE '%takeover:%' ORDER BY a.id`,
      )
    ).rows;
    console.log(
      `[outbox takeover] posts: ${JSON.stringify(posted)}; messages: ${JSON.stringify(rows)}; attempts: ${JSON.stringify(attempts)}`,
    );
    for (const note of rows) {
      expect(note.status).toBe('sent');
      // Each post beyond the first must be a recorded resend (as note A's is).
      expect(
        posted[note.text],
        `${note.text} posted ${posted[note.text]} times with ${note.reclaims} recorded resends`,
      ).toBeLessThanOrEqual(1 + note.reclaims);
    }
  }, 30_000);
});
