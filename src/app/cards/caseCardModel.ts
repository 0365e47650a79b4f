import type { CaseEvent } from '../../domain/case/caseEvent.ts';
import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import { clockCardLines } from '../../domain/clocks/clockCardLines.ts';
import type { ClockView } from '../../domain/clocks/computeClocks.ts';
import { describeClock, nextClock } from '../../domain/clocks/describeClock.ts';
import { collectiveDecision } from '../../domain/decisions/collectiveDecision.ts';
import type { Profile } from '../../domain/profiles/profileSchema.ts';
import { awarenessLine, currentAwareness } from '../../domain/referral/laAwareness.ts';
import { fullDate, londonDateTime } from '../../domain/time/formatLondon.ts';
import type { VoteRecord } from '../../domain/votes/voteRecord.ts';
import { escapeMarkdown } from './cardText.ts';

export const REFERRAL_TYPE_LABELS = {
  serious_incident_notification: 'Serious Incident Notification Request',
  learning_request: 'Learning Request',
} as const;

export interface CaseCardInput {
  readonly profile: Profile;
  readonly record: CaseRecord;
  readonly votes: readonly VoteRecord[];
  readonly clocks: readonly ClockView[];
  /** The DSP looking at their own view; absent for the shared card everyone sees. */
  readonly viewerAgency?: string;
  readonly notice?: string;
  /** What a DSP typed in a vote that was refused: shown again in the form, not the stored vote. */
  readonly typedVote?: { readonly decision: string; readonly rationale: string };
  /** What comes next on the case (the lifecycle's open steps), in a line. */
  readonly nextText?: string;
  /** The case's events: the card shows when the local authority became aware, and what a correction moved. */
  readonly events?: readonly CaseEvent[];
}

export function agencyLabel(profile: Profile, agency: string): string {
  return profile.agencies.find((a) => a.id === agency)?.label ?? agency;
}

export function outcomeLabel(profile: Profile, outcome: string): string {
  if (outcome === 'disagreed') return profile.notificationDecision.onDisagreement.label;
  return profile.notificationDecision.outcomes.find((o) => o.id === outcome)?.label ?? outcome;
}

/**
 * The data for cards/caseCard.json. Only the open summary reaches it (reference, initials, age band,
 * dates, types, agencies, who has voted): the shared card goes to a channel. Other DSPs' choices stay
 * hidden until everyone has voted, so no vote anchors another.
 */
export function caseCardData(input: CaseCardInput): Record<string, unknown> {
  const { profile, record, votes, clocks } = input;
  const decision = profile.notificationDecision;
  const tally = collectiveDecision(decision.deciders, votes, decision.rule);
  const decided = record.stage !== 'dsp_decision';
  const decidedOutcome = tally.kind === 'agreed' ? tally.outcome : tally.kind === 'disagreed' ? 'disagreed' : undefined;
  const clock = nextClock(clocks) ?? clocks.find((c) => c.clockId === 'dsp_decision');
  const mine = votes.find((v) => v.agency === input.viewerAgency);
  const stage = profile.stages.find((s) => s.id === record.stage)?.label ?? record.stage;
  return {
    caseId: record.id,
    reference: record.reference,
    typeLabel: REFERRAL_TYPE_LABELS[record.type],
    stageLabel: `Stage: ${stage}`,
    initials: record.summary.initials,
    ageBand: record.summary.ageBand,
    incidentDateText: fullDate(record.summary.incidentDate),
    referringAgency: escapeMarkdown(record.summary.referringAgency),
    receivedText: londonDateTime(record.receivedAt),
    awarenessText: awarenessLine(currentAwareness(input.events ?? [])),
    clockText: clock ? describeClock(clock) : 'No clock running',
    clockLines: clockCardLines(profile, clocks),
    nextText: input.nextText ?? '',
    decisionHeading:
      decision.rule === 'unanimous'
        ? `Notification decision: all ${decision.deciders.length} partners must agree`
        : 'Notification decision: by majority of the partners',
    voters: decision.deciders.map((agency) => {
      const vote = votes.find((v) => v.agency === agency);
      return {
        agencyLabel: agencyLabel(profile, agency),
        status: !vote ? 'Waiting' : decided ? outcomeLabel(profile, vote.decision).split(':')[0]! : 'Voted',
        color: vote ? 'Good' : 'Warning',
      };
    }),
    decided: decided && decidedOutcome !== undefined,
    outcomeTitle: decidedOutcome === 'disagreed' ? 'The partners disagree' : 'Decision made',
    outcomeText: decidedOutcome ? outcomeLabel(profile, decidedOutcome) : '',
    outcomeStyle: decidedOutcome === 'disagreed' ? 'warning' : 'good',
    notice: input.notice ? escapeMarkdown(input.notice) : '',
    canVote: Boolean(input.viewerAgency) && !decided,
    viewerAgency: input.viewerAgency ?? '',
    viewerAgencyLabel: input.viewerAgency ? agencyLabel(profile, input.viewerAgency) : '',
    outcomes: decision.outcomes.map((o) => ({ title: o.label, value: o.id })),
    myDecision: input.typedVote?.decision ?? mine?.decision ?? '',
    myRationale: input.typedVote?.rationale ?? mine?.rationale ?? '',
    voteButton: mine ? 'Change my vote' : 'Record my vote',
  };
}
