import type { Profile } from '../profiles/profileSchema.ts';
import { adminRoleSlots, roleLabel, type RoleSlot } from './adminRoleSlots.ts';

export interface Holder {
  readonly role: string;
  readonly scope: string;
  readonly userId: string;
}

/** Someone joining or leaving a role, with the role's label as the admin card shows it. */
export interface RoleChange extends Holder {
  readonly label: string;
}

export interface RolePlan {
  /** Required slots the save would leave empty: the save must be refused. */
  readonly missing: readonly RoleSlot[];
  /** Who would lose a role: the save needs confirming. */
  readonly removals: readonly RoleChange[];
  readonly additions: readonly RoleChange[];
}

const slotKey = (role: string, scope: string) => `${role}\u0000${scope}`;
const holderKey = (h: Holder) => `${slotKey(h.role, h.scope)}\u0000${h.userId}`;

/**
 * What saving the admin card's `chosen` holders over the `current` ones would do. A save replaces
 * every holder of each role the card assigns, in every scope, so a current holder in a scope the card
 * no longer shows counts as removed; roles the card does not assign are left alone, so not compared.
 */
export function planRoleChanges(profile: Profile, current: readonly Holder[], chosen: readonly Holder[]): RolePlan {
  const slots = adminRoleSlots(profile);
  const roles = new Set(slots.map((s) => s.role));
  const rank = new Map(slots.map((s, i) => [slotKey(s.role, s.scope), i]));
  // In the card's order (a slot's holders together, as given), each holder once.
  const inCardOrder = (hs: readonly Holder[]) => {
    const unique = [...new Map(hs.filter((h) => roles.has(h.role)).map((h) => [holderKey(h), h])).values()];
    const rankOf = (h: Holder) => rank.get(slotKey(h.role, h.scope)) ?? slots.length;
    return unique
      .map((h, i) => ({ h, i }))
      .sort((a, b) => rankOf(a.h) - rankOf(b.h) || a.i - b.i)
      .map(({ h }) => h);
  };
  const before = inCardOrder(current);
  const after = inCardOrder(chosen);
  const had = new Set(before.map(holderKey));
  const keeps = new Set(after.map(holderKey));
  const change = (h: Holder): RoleChange => ({
    role: h.role,
    scope: h.scope,
    userId: h.userId,
    label: roleLabel(profile, h.role, h.scope),
  });
  return {
    missing: slots.filter((s) => s.required && !after.some((h) => h.role === s.role && h.scope === s.scope)),
    removals: before.filter((h) => !keeps.has(holderKey(h))).map(change),
    additions: after.filter((h) => !had.has(holderKey(h))).map(change),
  };
}
