import { z } from 'zod';

import { unstorableCharacter, unstorableMessage } from './storableText.ts';

/**
 * Free text a person types (a rationale, a note). It is shown again in cards and read by senior
 * officers, so markup is refused with a readable reason rather than silently stripped: what was
 * recorded is exactly what was typed. Markdown is allowed as typed and escaped when displayed.
 */
export function freeText(max: number, requiredMessage = 'is required') {
  return z
    .string({ message: requiredMessage })
    .trim()
    .min(1, requiredMessage)
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/<\/?[a-z][^>]*>/i.test(s), 'must be plain text: HTML tags are not accepted')
    .superRefine((s, ctx) => {
      const what = unstorableCharacter(s);
      if (what) ctx.addIssue({ code: 'custom', message: unstorableMessage(what) });
    });
}
