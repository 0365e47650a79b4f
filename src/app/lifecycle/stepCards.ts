import type { CaseEvent } from '../../domain/case/caseEvent.ts';
import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import { describeClock, nextClock } from '../../domain/clocks/describeClock.ts';
import { fieldOf } from '../../domain/lifecycle/caseFacts.ts';
import { availableSteps, stepsFor } from '../../domain/lifecycle/lifecycleCatalogue.ts';
import type { CaseState, LifecycleStep, RoleHeld } from '../../domain/lifecycle/lifecycleStep.ts';
import type { StepField } from '../../domain/lifecycle/stepFields.ts';
import type { Profile } from '../../domain/profiles/profileSchema.ts';
import { fullDate } from '../../domain/time/formatLondon.ts';
import type { FieldProblem } from '../../domain/validation/validationError.ts';
import { type AdaptiveCard, renderCard } from '../cards/cardTemplates.ts';
import { escapeMarkdown } from '../cards/cardText.ts';

function stageLabel(profile: Profile, stage: string): string {
  return `Stage: ${profile.stages.find((s) => s.id === stage)?.label ?? stage}`;
}

function clockText(state: CaseState): string {
  const clock = nextClock(state.clocks);
  return clock ? describeClock(clock) : 'No clock running';
}

function roleLabels(profile: Profile, step: LifecycleStep): string {
  const roles = step.roles.length > 0 ? step.roles : [profile.learningDecision.decidedBy];
  return roles.map((r) => profile.roles.find((x) => x.id === r)?.label ?? r).join(' or ');
}

/** What comes next on a case, in a line for the case card: the steps open now (any role's). */
export function nextStepsText(state: CaseState): string {
  if (state.events.some((e) => e.type === 'case_closed')) return 'Closed';
  if (state.stage === 'dsp_decision') return "The partners' decision";
  if (state.stage === 'notification') return 'The notifier records the Panel notification';
  const titles = availableSteps(state)
    .filter((s) => s.id !== 'case_closed' && !s.adHoc)
    .map((s) => s.title);
  return titles.length > 0
    ? titles.slice(0, 3).join('; ') + (titles.length > 3 ? `; and ${titles.length - 3} more` : '')
    : 'Close the case';
}

/** The list of steps this person can record now, each a button that opens its form. */
export function stepsCard(
  record: CaseRecord,
  state: CaseState,
  held: readonly RoleHeld[],
  notice?: { text: string; style: 'good' | 'attention' },
  first: readonly { id: string; title: string }[] = [],
): AdaptiveCard {
  return renderCard('caseSteps', stepsCardData(record, state, held, notice, first));
}

/**
 * The steps as a person should meet them: what the case is waiting for first, then corrections and
 * records that can come at any time, and closing the case last (it was first, above the step due).
 */
function inChooserOrder<T extends { id: string; adHoc?: boolean }>(steps: readonly T[]): T[] {
  const rank = (s: T) => (s.id === 'case_closed' ? 2 : s.adHoc ? 1 : 0);
  return [...steps].sort((a, b) => rank(a) - rank(b));
}

export function stepsCardData(
  record: CaseRecord,
  state: CaseState,
  held: readonly RoleHeld[],
  notice?: { text: string; style: 'good' | 'attention' },
  /** Steps listed before the catalogue's (the notifier's Panel notification form, which has its own card). */
  first: readonly { id: string; title: string }[] = [],
): Record<string, unknown> {
  const mine = stepsFor(state, held);
  const open = availableSteps(state);
  const others = open
    .filter((s) => !mine.includes(s) && !s.adHoc)
    .slice(0, 3)
    .map((s) => `${s.title} (${roleLabels(state.profile, s)})`);
  return {
    caseId: record.id,
    reference: record.reference,
    initials: record.summary.initials,
    stageLabel: stageLabel(state.profile, state.stage),
    clockText: clockText(state),
    notice: notice ? escapeMarkdown(notice.text) : '',
    noticeStyle: notice?.style ?? 'good',
    hasSteps: first.length + mine.length > 0,
    steps: [...first, ...inChooserOrder(mine)].map((s) => ({ id: s.id, title: s.title })),
    noStepsText:
      others.length > 0
        ? `Nothing here is for your role to record now. Next on this case: ${others.join('; ')}.`
        : 'Nothing is waiting to be recorded on this case now.',
  };
}

function fieldData(field: StepField, value: unknown, today: string) {
  const shown = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '';
  const base = {
    id: field.id,
    label: field.label,
    kind: field.kind,
    today,
    value: shown,
    required: false,
    maxLength: 0,
    options: [] as unknown[],
    style: 'compact',
    tense: '',
  };
  switch (field.kind) {
    case 'confirm':
      return { ...base, value: shown === 'true' ? 'true' : 'false', required: true };
    case 'date':
      return { ...base, required: field.required, tense: field.tense };
    case 'text':
    case 'longText':
      return { ...base, required: field.required, maxLength: field.maxLength };
    case 'choice':
    case 'multiChoice':
      return { ...base, required: field.required, options: field.options, style: field.options.length <= 3 ? 'expanded' : 'compact' };
  }
}

/** A step's form: its inputs as the step describes them, with what was typed kept when it is shown again with problems. */
export function stepFormCard(
  record: CaseRecord,
  state: CaseState,
  step: LifecycleStep,
  options: { values?: Readonly<Record<string, unknown>>; problems?: readonly FieldProblem[] } = {},
): AdaptiveCard {
  return renderCard('stepForm', stepFormData(record, state, step, options));
}

export function stepFormData(
  record: CaseRecord,
  state: CaseState,
  step: LifecycleStep,
  options: { values?: Readonly<Record<string, unknown>>; problems?: readonly FieldProblem[] } = {},
): Record<string, unknown> {
  const fields = step.fields(state);
  const label = (id: string) => fields.find((f) => f.id === id)?.label.replace(/\s*\(.*$/, '') ?? id;
  const problems = options.problems ?? [];
  return {
    caseId: record.id,
    step: step.id,
    title: step.title,
    reference: record.reference,
    initials: record.summary.initials,
    stageLabel: stageLabel(state.profile, state.stage),
    notice:
      problems.length > 0 ? escapeMarkdown(`Not recorded. ${problems.map((p) => `${label(p.field)}: ${p.message}`).join('; ')}.`) : '',
    fields: fields.map((f) => fieldData(f, options.values?.[f.id], state.today)),
    submitTitle: 'Record',
  };
}

/** The 1:1 card an agency's safeguarding lead gets: what is asked, by when, and the two answers. */
export function infoRequestCard(
  record: CaseRecord,
  profile: Profile,
  request: CaseEvent,
  returned: CaseEvent | undefined,
  notice?: { text: string; style: 'good' | 'attention' },
): AdaptiveCard {
  return renderCard('infoRequest', infoRequestData(record, profile, request, returned, notice));
}

export function infoRequestData(
  record: CaseRecord,
  profile: Profile,
  request: CaseEvent,
  returned: CaseEvent | undefined,
  notice?: { text: string; style: 'good' | 'attention' },
): Record<string, unknown> {
  const kind = fieldOf(returned, 'kind');
  return {
    caseId: record.id,
    reference: record.reference,
    initials: record.summary.initials,
    ageBand: record.summary.ageBand,
    incidentDateText: fullDate(record.summary.incidentDate),
    agencyName: escapeMarkdown(fieldOf(request, 'agencyName')),
    template: profile.informationRequest.template,
    itemId: fieldOf(request, 'itemId'),
    dueText: `the end of ${fullDate(fieldOf(request, 'dueOn'))}`,
    statusText: returned ? (kind === 'nil' ? 'Nil return recorded' : 'Return recorded') : 'Awaited',
    open: !returned,
    notice: notice ? escapeMarkdown(notice.text) : '',
    noticeStyle: notice?.style ?? 'good',
  };
}
