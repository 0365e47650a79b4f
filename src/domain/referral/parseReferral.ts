import { unstorableFields } from '../validation/storableText.ts';
import { ValidationError } from '../validation/validationError.ts';
import { problemsOf } from '../validation/validationError.ts';
import { type Referral, referralSchema } from './referralSchema.ts';

/** Validates a submitted referral. `today` (London date) rules out incident and form dates in the future. */
export function parseReferral(input: unknown, today: string): Referral {
  // Checked on the raw input first, so each such field is named whatever else is wrong with it.
  const unstorable = unstorableFields(input);
  if (unstorable.length > 0) throw new ValidationError(unstorable, 'referral');
  const parsed = referralSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(problemsOf(parsed.error), 'referral');
  const r = parsed.data;
  const future = [
    ...(r.incident.date > today ? [{ field: 'incident.date', message: 'must not be in the future' }] : []),
    ...(r.referredOn > today ? [{ field: 'referredOn', message: 'must not be in the future' }] : []),
  ];
  if (future.length > 0) throw new ValidationError(future, 'referral');
  return r;
}
