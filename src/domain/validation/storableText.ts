import type { FieldProblem } from './validationError.ts';

/**
 * Characters a person can type (or paste) that cannot be kept: PostgreSQL refuses a NUL in text and
 * JSON, and an unpaired UTF-16 surrogate (half of an emoji, cut) is not a character at all. Both are
 * refused where the text comes in, naming the character, rather than failing in the database with
 * an error nobody can act on.
 */
export function unstorableCharacter(text: string): string | undefined {
  if (text.includes('\u0000')) return 'a NUL character (U+0000)';
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
  if (lone) return `a broken character (an unpaired surrogate, U+${lone[0].charCodeAt(0).toString(16).toUpperCase()})`;
  return undefined;
}

/** What a form says about such a field. */
export function unstorableMessage(what: string): string {
  return `contains ${what}, which cannot be stored: delete it and type that part again`;
}

/** Every string in a submitted form (at any depth) that holds such a character, by its dotted path. */
export function unstorableFields(input: unknown, path = ''): FieldProblem[] {
  if (typeof input === 'string') {
    const what = unstorableCharacter(input);
    return what ? [{ field: path || '(root)', message: unstorableMessage(what) }] : [];
  }
  if (Array.isArray(input)) return input.flatMap((v, i) => unstorableFields(v, `${path}[${i}]`));
  if (input !== null && typeof input === 'object') {
    return Object.entries(input).flatMap(([k, v]) => unstorableFields(v, path ? `${path}.${k}` : k));
  }
  return [];
}
