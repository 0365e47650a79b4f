import type { RoleHeld } from '../lifecycle/lifecycleStep.ts';
import type { Profile } from '../profiles/profileSchema.ts';
import type { CaseAccess } from './caseAccess.ts';
import { accessOf, seesEveryCase } from './caseVisibility.ts';

/** One kind of access in words, for one assignment; undefined when the assignment's scope makes it show nothing. */
function phrase(access: CaseAccess, scope: string, profile: Profile): string | undefined {
  const agency = profile.agencies.find((a) => a.id === scope)?.label ?? scope;
  switch (access) {
    case 'all':
      return 'every case';
    case 'own_local_authority':
      return scope ? `cases of ${scope} children` : undefined;
    case 'information_requested':
      return scope ? `cases ${agency} was asked for information on` : undefined;
    case 'owns_action':
      return scope ? `cases with an action for ${agency}` : undefined;
    case 'rapid_review_route':
      return 'cases going to a rapid review, and the reviews that follow';
    case 'learning_route':
      return 'cases referred for learning';
  }
}

/**
 * What the dashboard shows someone, in words ("cases Police was asked for information on"), so the
 * page can say why a case someone expects is not there. Empty: they see no case.
 */
export function describeCaseAccess(held: readonly RoleHeld[], profile: Profile): string[] {
  if (seesEveryCase(held, profile)) return ['every case'];
  const phrases = held.flatMap((h) => accessOf(profile, h.role).map((access) => phrase(access, h.scope, profile)));
  return [...new Set(phrases.filter((p): p is string => p !== undefined))];
}
