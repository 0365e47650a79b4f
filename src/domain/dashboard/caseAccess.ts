/**
 * The kinds of case a role's holders may see in the dashboard, as a profile names them in
 * `dashboardAccess` (issue #13 item 7). Each is a fact about the case, so a role's view follows the
 * case's own record rather than a list someone must keep up to date.
 */
export const CASE_ACCESS = [
  /** Every case of the partnership. */
  'all',
  /** Cases whose child's local authority is the role's scope (a Serious Incident Notifier's own). */
  'own_local_authority',
  /** Cases on which the role's agency (its scope) was sent an information request. */
  'information_requested',
  /** Cases with an action-plan item owned by the role's agency (its scope). */
  'owns_action',
  /** Cases the partners decided go to the Panel notification or a rapid review, and the reviews that follow. */
  'rapid_review_route',
  /** Learning requests, and cases the partners referred for a learning review. */
  'learning_route',
] as const;

export type CaseAccess = (typeof CASE_ACCESS)[number];

/** Access that only means something for a role held per local authority, or per agency. */
export const SCOPED_ACCESS: Readonly<Partial<Record<CaseAccess, 'per_local_authority' | 'per_agency'>>> = {
  own_local_authority: 'per_local_authority',
  information_requested: 'per_agency',
  owns_action: 'per_agency',
};
