import { describe, expect, it } from 'vitest';

import { collectiveDecision } from '../../../src/domain/decisions/collectiveDecision.ts';

const deciders = ['local_authority', 'police', 'health'];

describe('the collective notification decision', () => {
  it('waits for every statutory partner', () => {
    expect(collectiveDecision(deciders, [{ agency: 'police', decision: 'notify' }])).toEqual({
      kind: 'waiting',
      waitingFor: ['local_authority', 'health'],
    });
  });
  it('agrees when all three decide the same', () => {
    expect(
      collectiveDecision(
        deciders,
        deciders.map((agency) => ({ agency, decision: 'notify' })),
      ),
    ).toEqual({ kind: 'agreed', outcome: 'notify' });
  });
  it('goes to dispute resolution on any disagreement', () => {
    const votes = [
      { agency: 'local_authority', decision: 'notify' },
      { agency: 'police', decision: 'notify' },
      { agency: 'health', decision: 'do_not_notify' },
    ];
    expect(collectiveDecision(deciders, votes)).toEqual({
      kind: 'disagreed',
      decisions: { local_authority: 'notify', police: 'notify', health: 'do_not_notify' },
    });
  });
  it('ignores a vote from an agency that does not decide', () => {
    expect(collectiveDecision(deciders, [{ agency: 'education', decision: 'notify' }]).kind).toBe('waiting');
  });
});

describe('a majority rule', () => {
  it('decides with two of three', () => {
    const votes = [
      { agency: 'local_authority', decision: 'notify' },
      { agency: 'police', decision: 'notify' },
      { agency: 'health', decision: 'do_not_notify' },
    ];
    expect(collectiveDecision(deciders, votes, 'majority')).toEqual({ kind: 'agreed', outcome: 'notify' });
  });
  it('disagrees when no choice has more than half', () => {
    const votes = [
      { agency: 'local_authority', decision: 'notify' },
      { agency: 'police', decision: 'learning_review' },
      { agency: 'health', decision: 'do_not_notify' },
    ];
    expect(collectiveDecision(deciders, votes, 'majority').kind).toBe('disagreed');
  });
});
