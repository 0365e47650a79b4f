import { z } from 'zod';
import { appendAudit } from '../../adapters/store/auditLog.ts';
import { appendCaseEvent } from '../../adapters/store/caseEventRepository.ts';
import { lockCase, setCaseStage, type CaseRecord } from '../../adapters/store/caseRepository.ts';
import { rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import { insertVoteOnce, listVotes, type VoteRecord } from '../../adapters/store/voteRepository.ts';
import { collectiveDecision, type CollectiveOutcome } from '../../domain/decisions/collectiveDecision.ts';
import { problemsOf, ValidationError } from '../../domain/validation/validationError.ts';
import type { AppContext } from '../appContext.ts';
import { refreshClocks } from '../cases/refreshClocks.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';

const voteInputSchema = z.object({
  caseId: z.string().uuid('must be a case id'),
  agency: z.string().min(1, 'is required'),
  decision: z.string().min(1, 'is required'),
  rationale: z.string().trim().min(1, 'is required: every decision is recorded with its reason').max(4000, 'must be at most 4000 characters'),
}).strict();

export type VoteInput = z.input<typeof voteInputSchema>;

export interface VoteResult {
  /** false when this agency had already voted: a repeated click changes nothing. */
  readonly recorded: boolean;
  readonly case: CaseRecord;
  readonly votes: readonly VoteRecord[];
  readonly outcome: CollectiveOutcome;
}

/**
 * A DSP records their agency's notification decision with a rationale. Votes on one case are taken
 * one at a time (the case row is locked), so three DSPs voting at once, or one DSP's click arriving
 * twice, give exactly one vote per agency, a consistent tally and an unbroken audit chain. The vote
 * that completes the set records the collective decision and moves the case on.
 */
export async function castVote(ctx: AppContext, input: unknown, voterId: string): Promise<VoteResult> {
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

  return ctx.db.transaction(async (tx) => {
    const record = await lockCase(tx, vote.caseId);
    if (!record) throw new NotFoundError(`case ${vote.caseId} not found`);
    const roles = await rolesOf(tx, voterId);
    if (!roles.some((r) => r.role === 'dsp' && r.scope === vote.agency)) {
      throw new ForbiddenError(`only the ${vote.agency} DSP can vote for ${vote.agency} on ${record.reference}`);
    }
    const before = await listVotes(tx, record.id);
    if (before.some((v) => v.agency === vote.agency)) {
      return { recorded: false, case: record, votes: before, outcome: collectiveDecision(decision.deciders, before) };
    }
    if (record.stage !== 'dsp_decision') throw new ConflictError(`${record.reference} is no longer awaiting the DSPs' decision`);

    const at = ctx.now();
    await insertVoteOnce(tx, { caseId: record.id, agency: vote.agency, voterId, decision: vote.decision, rationale: vote.rationale, castAt: at });
    await appendAudit(tx, {
      at, actor: voterId, action: 'vote_cast', caseId: record.id,
      details: { reference: record.reference, agency: vote.agency, decision: vote.decision, rationale: vote.rationale },
    });
    const votes = await listVotes(tx, record.id);
    const outcome = collectiveDecision(decision.deciders, votes);
    let current = record;
    if (outcome.kind !== 'waiting') {
      const next = outcome.kind === 'agreed'
        ? decision.outcomes.find((o) => o.id === outcome.outcome)!.next
        : decision.onDisagreement.next;
      const eventOutcome = outcome.kind === 'agreed' ? outcome.outcome : 'disagreed';
      await appendCaseEvent(tx, record.id, { type: 'notification_decision', at, data: { outcome: eventOutcome }, actor: 'system:decision', recordedAt: at });
      // The case stays open even when the route is 'closed': the referrer must still be told the
      // rationale on its own clock. Closing a case is a separate, recorded step.
      await setCaseStage(tx, record.id, next);
      await appendAudit(tx, {
        at, actor: 'system:decision', action: 'decision_made', caseId: record.id,
        details: { reference: record.reference, outcome: eventOutcome, stage: next },
      });
      current = { ...record, stage: next };
    }
    await refreshClocks(tx, ctx, record.id);
    return { recorded: true, case: current, votes, outcome };
  });
}
