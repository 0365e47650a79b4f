import { type AdaptiveCard, renderCard } from './cardTemplates.ts';

/** A button on a notice. `verb` is a card action's verb (test/cards/cardVerbs.test.ts checks each is registered). */
export interface NoticeAction {
  readonly title: string;
  readonly verb: string;
  readonly data: Record<string, unknown>;
}

/** A short card that says one thing: a refusal, a confirmation, a failure. */
export function noticeCard(
  title: string,
  lines: string[],
  style: 'default' | 'attention' | 'good' | 'warning' = 'attention',
  actions: NoticeAction[] = [],
): AdaptiveCard {
  return renderCard('notice', { title, lines, style, actions });
}
