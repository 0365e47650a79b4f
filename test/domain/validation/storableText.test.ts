import { describe, expect, it } from 'vitest';

import { unstorableCharacter, unstorableFields } from '../../../src/domain/validation/storableText.ts';

describe('unstorableCharacter', () => {
  it('names a NUL character', () => {
    expect(unstorableCharacter('a\u0000b')).toBe('a NUL character (U+0000)');
  });
  it('names a lone high surrogate, and a lone low one, by code point', () => {
    expect(unstorableCharacter('cut emoji \uD83D')).toBe('a broken character (an unpaired surrogate, U+D83D)');
    expect(unstorableCharacter('\uDE00 at the start')).toBe('a broken character (an unpaired surrogate, U+DE00)');
  });
  it('accepts whole emoji, accents, tabs and new lines', () => {
    expect(unstorableCharacter('Zoë 😀\tline\r\nnext')).toBeUndefined();
  });
});

describe('unstorableFields', () => {
  it('names every such field of a nested form by its dotted path', () => {
    expect(unstorableFields({ child: { name: 'A\u0000' }, list: ['ok', '\uD800'], n: 3 }).map((p) => p.field)).toEqual([
      'child.name',
      'list[1]',
    ]);
  });
});
