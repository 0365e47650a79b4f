import { z } from 'zod';

/**
 * The admin card's data: `form: 'roles'` from its own buttons, a confirmation's `confirm` and
 * `fingerprint`, and each role slot's chosen people (comma-separated ids, one field per slot of the
 * profile, so not listed here: adminActions reads the profile's slots).
 */
export const adminFormData = z.looseObject({
  form: z.string().optional(),
  confirm: z.boolean().optional(),
  fingerprint: z.string().optional(),
});
