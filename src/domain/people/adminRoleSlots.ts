import type { Profile } from '../profiles/profileSchema.ts';

/** One thing the admin card asks for: a role, in one scope (an agency, a local authority, or none). */
export interface RoleSlot {
  /** The card's input id: role and scope, so a submitted form maps back to its slot. */
  readonly id: string;
  readonly role: string;
  readonly scope: string;
  /** Whether more than one person may hold it: each agency's vote is cast by one DSP. */
  readonly multi: boolean;
  /** As the admin card shows it, and as the confirmation of a save names it. */
  readonly label: string;
  /**
   * The partnership stops working without someone here: nobody could administer without a business
   * manager, and a DSP decision waits on every deciding agency's vote.
   */
  readonly required: boolean;
}

/** What each role is called on the card; a scoped slot adds its agency or local authority. */
const ROLE_NAMES: Record<string, string> = {
  dsp: 'DSP',
  la_notifier: 'Serious Incident Notifier',
  business_manager: 'Business manager',
  engine_room: 'Engine Room member',
  partnership_chair: 'Partnership chair',
  rr_chair: 'Rapid review chair',
  agency_leads: 'Safeguarding lead',
};

/**
 * A role's label in a scope. A scope the profile no longer has (an agency dropped since it was
 * assigned) still gets a label, by its id, so a save that removes its holder can say so.
 */
export function roleLabel(profile: Profile, role: string, scope: string): string {
  const name = ROLE_NAMES[role] ?? role;
  if (scope === '') return name;
  return `${name}: ${profile.agencies.find((a) => a.id === scope)?.label ?? scope}`;
}

/** The roles the admin card assigns, in the order it shows them. */
export function adminRoleSlots(profile: Profile): RoleSlot[] {
  const slot = (role: string, scope: string, multi: boolean, required: boolean): RoleSlot => ({
    id: `${role}__${scope}`,
    role,
    scope,
    multi,
    required,
    label: roleLabel(profile, role, scope),
  });
  return [
    ...profile.notificationDecision.deciders.map((agency) => slot('dsp', agency, false, true)),
    ...profile.localAuthorities.map((la) => slot('la_notifier', la, true, false)),
    slot('business_manager', '', true, true),
    slot('engine_room', '', true, false),
    slot('partnership_chair', '', true, false),
    slot('rr_chair', '', true, false),
    ...profile.agencies.map((a) => slot('agency_leads', a.id, true, false)),
  ];
}
