import { z } from 'zod';

import { agencyLabel } from '../../cards/caseCardModel.ts';
import { castVote } from '../../votes/castVote.ts';
import { cardAction, inputText, recordId } from './cardAction.ts';
import { caseViewFor } from './caseView.ts';

/** A DSP's vote on the notification decision, from their view of the case card. */
export const caseVote = cardAction({
  verb: 'case.vote',
  data: z.object({ caseId: recordId, agency: inputText, decision: inputText, rationale: inputText }),

  async handle(vote, actor, deps, turn) {
    const result = await castVote(deps.ctx, vote, actor.aadObjectId);
    if (result.recorded) turn.committed({ queued: true });
    const said = {
      cast: `Your vote for ${agencyLabel(deps.ctx.profile, vote.agency)} is recorded.`,
      changed: `Your vote for ${agencyLabel(deps.ctx.profile, vote.agency)} is changed.`,
      unchanged: 'Your vote was already recorded; nothing changed.',
    }[result.effect];
    const notice = result.decided ? `${said} All partners have voted.` : said;
    return caseViewFor(deps, actor, vote.caseId, notice, undefined, { snapshot: result.snapshot, dsps: result.dsps });
  },

  // Refused: the case card again, saying why, with the decision and rationale as typed.
  async refusal(error, vote, actor, deps) {
    const typed = { decision: vote.decision, rationale: vote.rationale };
    switch (error.code) {
      case 'invalid_input': {
        const problems = error.problems.map((p) => `${p.field === 'rationale' ? 'Rationale' : p.field}: ${p.message}`).join('; ');
        return caseViewFor(deps, actor, vote.caseId, `Your vote was not recorded. ${problems}.`, typed);
      }
      case 'forbidden':
      case 'conflict':
        return caseViewFor(deps, actor, vote.caseId, `Your vote was not recorded: ${error.message}.`, typed);
      case 'not_found':
        return undefined;
    }
  },
});
