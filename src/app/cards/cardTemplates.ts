import { readFileSync } from 'node:fs';

import * as ACData from 'adaptivecards-templating';

import { workCounters } from '../diagnostics/workCounters.ts';

/** Every card the bot sends is one of these templates in cards/, expanded with data. */
export const CARD_TEMPLATES = [
  'referralForm',
  'referralReceipt',
  'caseCard',
  'caseDetails',
  'notice',
  'notifierCard',
  'welcome',
  'adminCard',
  'alertCard',
  'triageCard',
  'meetingPoll',
  'caseSteps',
  'stepForm',
  'infoRequest',
] as const;
export type CardTemplateName = (typeof CARD_TEMPLATES)[number];

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

export class CardTemplateError extends Error {
  override name = 'CardTemplateError';
}

const CARDS_DIR = new URL('../../../cards/', import.meta.url);
const templates = new Map<CardTemplateName, unknown>();
/** Parsed once: building a Template parses every expression in it (about 7 ms a card), and a vote renders five. */
const compiled = new Map<CardTemplateName, ACData.Template>();

function compiledTemplate(name: CardTemplateName): ACData.Template {
  let template = compiled.get(name);
  if (!template) {
    template = new ACData.Template(templateOf(name));
    compiled.set(name, template);
  }
  return template;
}

function templateOf(name: CardTemplateName): unknown {
  let template = templates.get(name);
  if (!template) {
    template = JSON.parse(readFileSync(new URL(`${name}.json`, CARDS_DIR), 'utf8'));
    templates.set(name, template);
  }
  return template;
}

/**
 * Expands a template with data (adaptivecards-templating). A placeholder left unbound would show a
 * person `${...}`, so it is an error here rather than a surprise in Teams. Values in `data` are never
 * evaluated as expressions, so text people typed cannot inject template syntax.
 */
export function renderCard(name: CardTemplateName, data: Record<string, unknown>): AdaptiveCard {
  workCounters.cardRenders += 1;
  // Text people typed may itself read "${notice}": it is masked while the card is expanded and checked,
  // so it is never taken for one of the template's own unbound placeholders, then given back as typed.
  const masked = mapStrings(data, (s) => s.replaceAll('${', TYPED_PLACEHOLDER)) as Record<string, unknown>;
  const { $schema: _schema, ...card } = compiledTemplate(name).expand({ $root: masked }) as AdaptiveCard;
  const unbound = findUnbound(templateOf(name), card);
  if (unbound.length > 0) throw new CardTemplateError(`card ${name}: unbound ${unbound.join(', ')}`);
  return mapStrings(card, (s) => s.replaceAll(TYPED_PLACEHOLDER, '${')) as AdaptiveCard;
}

/** "${" as typed, while a card is being expanded (a word joiner inside it: not template syntax). */
const TYPED_PLACEHOLDER = '$\u2060{';

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  }
  return value;
}

/** Placeholders of the template that came out unexpanded (checked on the template's own strings, not on data). */
function findUnbound(template: unknown, card: unknown): string[] {
  const placeholders = new Set<string>();
  const collect = (node: unknown) => {
    if (typeof node === 'string') for (const m of node.matchAll(/\$\{[^}]*\}/g)) placeholders.add(m[0]);
    else if (Array.isArray(node)) node.forEach(collect);
    else if (node && typeof node === 'object') Object.values(node).forEach(collect);
  };
  collect(template);
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node === 'string') {
      if (placeholders.has(node)) out.push(node);
    } else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(card);
  return out;
}
