import type { z } from 'zod';

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `child.dateOfBirth`. */
  readonly field: string;
  readonly message: string;
}

/** Bad input, with every field at fault named. Nothing has been written when this is thrown. */
export class ValidationError extends Error {
  /** Its stable code among the errors use cases raise on purpose (src/app/errors.ts). */
  readonly code = 'invalid_input';

  constructor(
    readonly problems: readonly FieldProblem[],
    what = 'input',
  ) {
    super(`invalid ${what}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    this.name = 'ValidationError';
  }
}

function pathOf(path: ReadonlyArray<PropertyKey>): string {
  return (
    path
      .map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`))
      .join('')
      .replace(/^\./, '') || '(root)'
  );
}

export function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((k) => ({ field: pathOf([...issue.path, k]), message: 'unknown field' }))
      : [{ field: pathOf(issue.path), message: issue.message }],
  );
}
