import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { CARD_ACTIONS, CARD_VERBS, cardActionFor, type CardVerb } from '../../src/app/teams/actions/index.ts';

/**
 * Buttons name their action by a verb string, in the card templates (cards/*.json) and in code that
 * builds actions (a notice's buttons, the case card's refresh, the steps list's extra button). A verb
 * that is not in the registry would answer "This button is not recognised" in Teams, so each is
 * checked here against the one list (src/app/teams/actions/index.ts).
 */

const ROOT = resolve(import.meta.dirname, '../..');
const CARDS = join(ROOT, 'cards');
const SRC = join(ROOT, 'src');

interface VerbUse {
  readonly verb: string;
  readonly where: string;
}

/** Every `"verb": "..."` in a template, except a placeholder (notice.json's `${verb}`, filled by code checked below). */
function templateVerbs(): { uses: VerbUse[]; placeholders: string[] } {
  const uses: VerbUse[] = [];
  const placeholders: string[] = [];
  for (const file of readdirSync(CARDS).filter((f) => f.endsWith('.json'))) {
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'verb' && typeof value === 'string') {
            if (/^\$\{[^}]*\}$/.test(value)) placeholders.push(`${file}: ${value}`);
            else uses.push({ verb: value, where: `cards/${file}` });
          }
          walk(value);
        }
      }
    };
    walk(JSON.parse(readFileSync(join(CARDS, file), 'utf8')));
  }
  return { uses, placeholders };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every `verb: '...'` property with a literal value in src/, and every `handle('...')` call (teamsApp runs actions by verb). */
function codeVerbs(): VerbUse[] {
  const uses: VerbUse[] = [];
  for (const file of sourceFiles(SRC)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node) => `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (
        ts.isPropertyAssignment(node) &&
        node.name.getText(source).replace(/['"]/g, '') === 'verb' &&
        ts.isStringLiteralLike(node.initializer)
      ) {
        uses.push({ verb: node.initializer.text, where: where(node) });
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'handle') {
        const first = node.arguments[0];
        if (first && ts.isStringLiteralLike(first)) uses.push({ verb: first.text, where: where(node) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return uses;
}

describe('card action verbs', () => {
  const templates = templateVerbs();
  const code = codeVerbs();
  const registered = new Set<string>(CARD_VERBS);

  it('registers each verb once, each with its data schema', () => {
    expect(new Set(CARD_VERBS).size).toBe(CARD_ACTIONS.length);
    for (const action of CARD_ACTIONS) {
      expect(cardActionFor(action.verb)).toBe(action);
      expect(typeof action.data.safeParse).toBe('function');
    }
  });

  it('finds the verbs in the templates and in code (so an empty pass means nothing)', () => {
    expect(templates.uses.map((u) => u.verb)).toEqual(
      expect.arrayContaining(['case.vote', 'referral.submit', 'admin.save', 'alert.ack', 'meeting.pollVote', 'triage.dismiss']),
    );
    expect(code.map((u) => u.verb)).toEqual(
      expect.arrayContaining([
        'case.refresh',
        'case.stepForm',
        'admin.open',
        'admin.save',
        'meeting.rebook',
        'meeting.cancel',
        'referral.open',
      ]),
    );
    // notice.json's buttons take their verb from code: the notices' callers are among the code checked.
    expect(templates.placeholders).toEqual(['notice.json: ${verb}']);
  });

  it('has every verb a card template sends in the registry', () => {
    expect(templates.uses.filter((u) => !registered.has(u.verb))).toEqual([]);
  });

  it('has every verb code puts on a button (or runs) in the registry', () => {
    expect(code.filter((u) => !registered.has(u.verb))).toEqual([]);
  });

  it('has a button somewhere for every registered action', () => {
    const sent = new Set([...templates.uses, ...code].map((u) => u.verb));
    expect(CARD_VERBS.filter((v) => !sent.has(v))).toEqual([]);
  });

  it('answers no name every object inherits', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) expect(cardActionFor(name)).toBeUndefined();
  });

  it('types the verbs as a union of the registered ones, not any string', () => {
    const known: CardVerb = 'case.vote';
    // @ts-expect-error a verb that is not registered is not a CardVerb (tsc fails here if CardVerb widened to string)
    const unknown: CardVerb = 'case.delete';
    expect([known, unknown]).toHaveLength(2);
  });
});
