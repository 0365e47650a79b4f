import { loadCaseSnapshot } from '../../../src/app/cases/caseSnapshot.ts';
import { caseCard } from '../../../src/app/teams/caseBroadcaster.ts';
import type { startWalk } from './caseWalk.ts';

type Walk = Awaited<ReturnType<typeof startWalk>>;

/** The shared case card, rendered from the case as it is now (what the channel shows): its facts, title to value. */
export async function caseCardFacts(w: Walk): Promise<{ title: string; value: string }[]> {
  const card = caseCard(w.ctx, await loadCaseSnapshot(w.ctx, w.caseId));
  const body = card.body as { type: string; facts?: { title: string; value: string }[] }[];
  return body.find((b) => b.type === 'FactSet')!.facts!;
}

/** The value of one of the card's facts (the first with this title), or undefined. */
export async function caseCardFact(w: Walk, title: string): Promise<string | undefined> {
  return (await caseCardFacts(w)).find((f) => f.title === title)?.value;
}
