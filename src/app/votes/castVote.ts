import { z } from 'zod';

import { appendAudits } from '../../adapters/store/auditLog.ts';
import { listCaseEvents } from '../../adapters/store/caseEventRepository.ts';
import { readVotingHistory } from '../../adapters/store/caseHistoryRepository.ts';
import { lockCase, setCaseStage } from '../../adapters/store/caseRepository.ts';
import type { RoleHolder } from '../../adapters/store/roleAssignmentRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import { saveVote } from '../../adapters/store/voteRepository.ts';
import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import { alwaysNotifyRefusal, mayBreachAlwaysNotify } from '../../domain/decisions/alwaysNotify.ts';
import { collectiveDecision, type CollectiveOutcome } from '../../domain/decisions/collectiveDecision.ts';
import { freeText } from '../../domain/validation/freeText.ts';
import { problemsOf, ValidationError } from '../../domain/validation/validationError.ts';
import type { VoteRecord } from '../../domain/votes/voteRecord.ts';
import type { AppContext } from '../appContext.ts';
import { type CaseSnapshot, caseSnapshotOf } from '../cases/caseSnapshot.ts';
import { queueDecisionMessages } from '../cases/decisionMessages.ts';
import { recordCaseEvent } from '../cases/recordCaseEvent.ts';
import { storeClocks } from '../cases/refreshClocks.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { queueCaseChange } from '../teams/caseAnnouncements.ts';
import { checkVoter } from './checkVoter.ts';

const voteInputSchema = z
  .object({
    caseId: z.string().uuid('must be a case id'),
    agency: z.string().min(1, 'is required'),
    decision: z.string().min(1, 'is required'),
    rationale: freeText(4000, 'is required: every decision is recorded with its reason'),
  })
  .strict();

export type VoteInput = z.input<typeof voteInputSchema>;

/** cast: a first vote; changed: the agency's DSP changed their vote; unchanged: a repeated click. */
export type VoteEffect = 'cast' | 'changed' | 'unchanged';

export interface VoteResult {
  readonly effect: VoteEffect;
  /** Whether anything was written (false for a repeated click). */
  readonly recorded: boolean;
  readonly case: CaseRecord;
  readonly votes: readonly VoteRecord[];
  readonly outcome: CollectiveOutcome;
  /** Set when this vote closed the decision. */
  readonly decided?: { readonly outcome: string; readonly stage: string };
  /** The case as the vote's transaction left it (read and computed there): the answer is drawn from it, not read again. */
  readonly snapshot: CaseSnapshot;
  /** The DSPs (with the people they are) as the vote was checked against them: the answer's card refreshes for them. */
  readonly dsps: readonly RoleHolder[];
}

function checkInput(ctx: AppContext, input: unknown) {
  const parsed = voteInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(problemsOf(parsed.error), 'vote');
  const vote = parsed.data;
  const decision = ctx.profile.notificationDecision;
  if (!decision.deciders.includes(vote.agency)) {
    throw new ValidationError([{ field: 'agency', message: `must be one of ${decision.deciders.join(', ')}` }], 'vote');
  }
  if (!decision.outcomes.some((o) => o.id === vote.decision)) {
    throw new ValidationError([{ field: 'decision', message: `must be one of ${decision.outcomes.map((o) => o.id).join(', ')}` }], 'vote');
  }
  return vote;
}

/** Records the collective decision once every decider has voted; returns what it decided. */
async function closeDecision(
  tx: SqlExecutor,
  ctx: AppContext,
  record: CaseRecord,
  votes: readonly VoteRecord[],
  outcome: CollectiveOutcome,
  at: Date,
) {
  if (outcome.kind === 'waiting') return undefined;
  const decision = ctx.profile.notificationDecision;
  const decided = outcome.kind === 'agreed' ? outcome.outcome : 'disagreed';
  const stage = outcome.kind === 'agreed' ? decision.outcomes.find((o) => o.id === outcome.outcome)!.next : decision.onDisagreement.next;
  // The rationales travel with the decision: a "do not notify" reply to the referrer quotes them.
  const rationales = Object.fromEntries(votes.map((v) => [v.agency, { decision: v.decision, rationale: v.rationale }]));
  await recordCaseEvent(tx, ctx, record.id, {
    type: 'notification_decision',
    at,
    data: { outcome: decided, rule: decision.rule, votes: rationales },
    actor: 'system:decision',
  });
  await queueDecisionMessages(tx, ctx, record, decided, at);
  // The case stays open even when the route is 'closed': the referrer must still be told the
  // rationale on its own clock. Closing a case is a separate, recorded step.
  await setCaseStage(tx, record.id, stage);
  const audit = {
    at,
    actor: 'system:decision',
    action: 'decision_made',
    caseId: record.id,
    details: { reference: record.reference, outcome: decided, rule: decision.rule, stage },
  };
  return { outcome: decided, stage, audit };
}

/**
 * A DSP records their agency's notification decision with a rationale, and may change it until the
 * decision closes. Votes on one case are taken one at a time (the case row is locked), so three DSPs
 * voting at once, or one DSP's click arriving twice, give exactly one vote per agency, a consistent
 * tally and an unbroken audit chain. The vote that completes the set records the collective decision.
 */
export async function castVote(ctx: AppContext, input: unknown, voterId: string): Promise<VoteResult> {
  const vote = checkInput(ctx, input);
  const { deciders, rule } = ctx.profile.notificationDecision;

  return ctx.db.transaction(async (tx) => {
    const record = await lockCase(tx, vote.caseId);
    if (!record) throw new NotFoundError(`case ${vote.caseId} not found`);
    // Under the lock: the votes, the events, the clocks as stored and the DSPs, in one statement.
    const { votes: before, events, dsps, storedClocks } = await readVotingHistory(tx, record.id);
    // #15 item 11: the agency's DSP, or a deputy DSP acting today (recorded with the DSP in whose place).
    const voter = await checkVoter(tx, ctx, { agency: vote.agency, voterId, dsps, reference: record.reference });
    const existing = before.find((v) => v.agency === vote.agency);
    const repeated = existing?.decision === vote.decision && existing.rationale === vote.rationale;
    if (repeated) {
      return {
        effect: 'unchanged',
        recorded: false,
        case: record,
        votes: before,
        outcome: collectiveDecision(deciders, before, rule),
        snapshot: caseSnapshotOf(ctx, { record, votes: before, events }),
        dsps,
      };
    }
    if (record.stage !== 'dsp_decision') throw new ConflictError(`the decision on ${record.reference} has already been made`);
    // A referral the profile says must always be notified (003: a looked-after child): its facts decide whether this vote may stand.
    if (mayBreachAlwaysNotify(ctx.profile, vote.decision)) {
      const refusal = alwaysNotifyRefusal(ctx.profile, events, vote.decision);
      if (refusal) throw new ValidationError([{ field: 'decision', message: refusal }], 'vote');
    }

    const at = ctx.now();
    const next: VoteRecord = {
      caseId: record.id,
      agency: vote.agency,
      voterId,
      decision: vote.decision,
      rationale: vote.rationale,
      castAt: at,
      ...voter,
    };
    const votes = await saveVote(tx, next, existing ? 'changed' : 'first');
    const outcome = collectiveDecision(deciders, votes, rule);
    const decided = await closeDecision(tx, ctx, record, votes, outcome, at);
    // The case as this vote leaves it, its clocks computed once: stored, and drawn in the answer.
    // Only the decision adds events; without it the events read under the lock are still all of them.
    const snapshot = caseSnapshotOf(
      ctx,
      {
        record: decided ? { ...record, stage: decided.stage } : record,
        votes,
        events: decided ? await listCaseEvents(tx, record.id) : events,
      },
      at,
    );
    await storeClocks(tx, ctx, record.id, snapshot.clocks, storedClocks);
    await queueCaseChange(tx, ctx, record.id);
    // The audit entries go last: appending takes the one lock every case's writes share (the chain's
    // head), so it is held only for the end of the transaction.
    await appendAudits(tx, [
      {
        at,
        actor: voterId,
        action: existing ? 'vote_changed' : 'vote_cast',
        caseId: record.id,
        details: {
          reference: record.reference,
          agency: vote.agency,
          decision: vote.decision,
          rationale: vote.rationale,
          ...voter,
          ...(existing ? { previousDecision: existing.decision, previousRationale: existing.rationale } : {}),
        },
      },
      ...(decided ? [decided.audit] : []),
    ]);
    return {
      effect: existing ? 'changed' : 'cast',
      recorded: true,
      case: snapshot.record,
      votes,
      outcome,
      ...(decided ? { decided: { outcome: decided.outcome, stage: decided.stage } } : {}),
      snapshot,
      dsps,
    };
  });
}
