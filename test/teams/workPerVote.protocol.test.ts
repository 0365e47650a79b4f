// What one vote costs (issue #14 item 6, "one case view per request"), pinned so it cannot grow
// back unnoticed: a DSP's vote through the real express app (authentication on, real Teams activity
// JSON), counting every SQL statement the store is sent, every clock computation and every card
// render. The use case answers with the snapshot it built in its transaction, so answering a vote
// reads nothing again, computes the case's clocks once and draws one card; delivering the refresh it
// queued computes them once more (its own snapshot) and draws each distinct view once. Before, one
// vote sent 24 statements and computed the clocks 3 times to answer, and 5 more times to deliver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { resetWorkCounters, workCounters } from '../../src/app/diagnostics/workCounters.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { countingDatabase } from '../bench/countingDatabase.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { sampleReferral } from '../support/fixtures.ts';
import {
  assignTestDsps,
  CHANNEL,
  installInTestTeam,
  PEOPLE,
  type PersonKey,
  startTeamsHarness,
  TEAM,
  type TeamsHarness,
} from '../support/teamsHarness.ts';
import { testEngines } from '../support/testDatabases.ts';

/**
 * Answering a vote that does not close the decision: remembering who clicked (1); the transaction:
 * the case's lock (1), then its votes, events, stored clocks and the DSPs with who they are (1), the
 * vote written and the votes read back (1), the card refresh queued (1), the audit entry (2); the
 * clicked card marked for redrawing (1). A vote changes no clock, so none is written.
 */
const VOTE_STATEMENTS = 8;
/**
 * The vote that closes it also records the decision (its event, the stage, what the decision queues:
 * the note in the thread, the notifiers' cards, the forwarding), reads the events again (the decision
 * added some), writes the clocks it changed and appends a second audit entry, in the same two audit
 * statements.
 */
const DECIDING_VOTE_STATEMENTS = 17;
/**
 * Delivering the refresh a vote queued: the outbox's own bookkeeping (looking for the channel,
 * claiming the row, recording the attempt and its outcome, looking again) and the refresh itself (the
 * case in one read, the channel, the DSPs, the case's cards, and its meeting cards)...
 */
const REFRESH_STATEMENTS = 14;
/** ...and for each card whose view changed: Teams' send windows (4) and the update recorded (1), then the window answered (1). */
const STATEMENTS_PER_CARD_UPDATE = 6;

type InvokeBody = { statusCode: number; value: Record<string, unknown> };

for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`the work one vote does, on ${engine.name}`, () => {
    let h: TeamsHarness;
    let counted: ReturnType<typeof countingDatabase>;
    let caseId: string;
    let statements: string[] = [];

    beforeAll(async () => {
      counted = countingDatabase(await engine.open(), (text) => statements.push(text));
      h = await startTeamsHarness({ db: counted.db });
      await installInTestTeam(h);
      await assignTestDsps(h);
      ({
        case: { id: caseId },
      } = await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId));
      // The case's thread and the three DSPs' 1:1 copies: the cards a vote refreshes.
      await h.settle();
    });
    afterAll(async () => h?.close());

    const vote = async (who: PersonKey, agency: string, decision: string, rationale: string) => {
      statements = [];
      resetWorkCounters();
      const res = await h.send(
        adaptiveCardExecute({
          serviceUrl: h.connector.serviceUrl,
          bot: h.botAccount,
          from: { ...PEOPLE[who] },
          tenantId: TEST_TENANT_ID,
          conversationType: 'channel',
          team: TEAM,
          channel: CHANNEL,
          verb: 'case.vote',
          data: { caseId, agency, decision, rationale },
        }),
      );
      expect(res.status).toBe(200);
      // The sender woken by the vote waits a moment before delivering (so the answer reaches Teams
      // first); should a slow machine let it start before the answer is read here, its statements
      // (it starts by reading the channel, then claims) are not the answer's.
      const first = statements.findIndex((s) => /FROM conversation_refs|WITH ready AS/.test(s));
      const answer = {
        card: JSON.stringify((res.body as InvokeBody).value),
        statements: first === -1 ? statements : statements.slice(0, first),
        clocks: workCounters.clockComputations,
        cards: workCounters.cardRenders,
      };
      statements = [];
      resetWorkCounters();
      const updatesBefore = h.connector.requests.filter((r) => r.route.startsWith('updateActivity')).length;
      await h.settle();
      const delivery = {
        statements: [...statements],
        clocks: workCounters.clockComputations,
        cards: workCounters.cardRenders,
        updates: h.connector.requests.filter((r) => r.route.startsWith('updateActivity')).length - updatesBefore,
      };
      return { answer, delivery };
    };

    it('answers a first vote and a changed vote in at most 8 statements, with the clocks computed once and one card drawn', async () => {
      for (const [who, agency, decision, rationale, said] of [
        ['policeDsp', 'police', 'notify', 'Police first view (fictional).', 'is recorded'],
        ['policeDsp', 'police', 'do_not_notify', 'Police second thoughts (fictional).', 'is changed'],
        ['policeDsp', 'police', 'notify', 'Police third view (fictional).', 'is changed'],
      ] as const) {
        const { answer } = await vote(who, agency, decision, rationale);
        expect(answer.card).toContain(`Your vote for Police ${said}.`);
        // Drawn from the vote's own snapshot: the police DSP's view shows what they just chose.
        expect(answer.card).toContain(rationale);
        expect(answer.statements.length, answer.statements.join('\n')).toBeLessThanOrEqual(VOTE_STATEMENTS);
        expect(answer.clocks).toBe(1);
        expect(answer.cards).toBe(1);
      }
    });

    it('delivers the refresh a vote queued computing the clocks once and drawing each distinct view once', async () => {
      const { delivery } = await vote('healthDsp', 'health', 'notify', 'Health view (fictional).');
      // One snapshot for the refresh; four distinct views among the case's four cards: the shared
      // channel card and each DSP's own view on their 1:1 copy.
      expect(delivery.clocks).toBe(1);
      expect(delivery.cards).toBe(4);
      expect(delivery.updates).toBeGreaterThan(0);
      expect(delivery.updates).toBeLessThanOrEqual(4);
      expect(delivery.statements.length, delivery.statements.join('\n')).toBeLessThanOrEqual(
        REFRESH_STATEMENTS + STATEMENTS_PER_CARD_UPDATE * delivery.updates,
      );
    });

    it('answers the vote that closes the decision from its own snapshot too: one clock computation, one card', async () => {
      const { answer } = await vote('laDsp', 'local_authority', 'notify', 'Local authority view (fictional).');
      expect(answer.card).toContain('All partners have voted.');
      // The snapshot is the case as the deciding transaction left it: the decision is on the card, no vote form.
      expect(answer.card).toContain('Decision made');
      expect(answer.card).not.toContain('"verb":"case.vote"');
      expect(answer.statements.length, answer.statements.join('\n')).toBeLessThanOrEqual(DECIDING_VOTE_STATEMENTS);
      expect(answer.clocks).toBe(1);
      expect(answer.cards).toBe(1);
    });
  });
}
