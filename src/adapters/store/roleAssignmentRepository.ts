import { type Person, personOfRow, type PersonRow } from './peopleRepository.ts';
import type { SqlExecutor } from './sqlExecutor.ts';

export interface RoleAssignment {
  readonly role: string;
  /** The agency (for a DSP) or local authority (for a notifier); '' for partnership-wide roles. */
  readonly scope: string;
  /** Entra object id. */
  readonly userId: string;
  readonly displayName?: string | null;
}

/** A `role_assignments` row as the store returns it. */
export interface RoleAssignmentRow {
  readonly role: string;
  readonly scope: string;
  readonly user_id: string;
  readonly display_name: string | null;
}

export const roleAssignmentOfRow = (r: RoleAssignmentRow): RoleAssignment => ({
  role: r.role,
  scope: r.scope,
  userId: r.user_id,
  displayName: r.display_name,
});

export async function assignRole(tx: SqlExecutor, a: RoleAssignment): Promise<void> {
  await tx.query(
    `INSERT INTO role_assignments (role, scope, user_id, display_name) VALUES ($1, $2, $3, $4)
     ON CONFLICT (role, scope, user_id) DO UPDATE SET display_name = EXCLUDED.display_name`,
    [a.role, a.scope, a.userId, a.displayName ?? null],
  );
}

export async function rolesOf(db: SqlExecutor, userId: string): Promise<RoleAssignment[]> {
  const { rows } = await db.query<RoleAssignmentRow>('SELECT * FROM role_assignments WHERE user_id = $1 ORDER BY role, scope', [userId]);
  return rows.map(roleAssignmentOfRow);
}

export async function holdersOf(db: SqlExecutor, role: string, scope?: string): Promise<RoleAssignment[]> {
  const { rows } = await db.query<{ role: string; scope: string; user_id: string; display_name: string | null }>(
    `SELECT * FROM role_assignments WHERE role = $1 ${scope === undefined ? '' : 'AND scope = $2'} ORDER BY scope, user_id`,
    scope === undefined ? [role] : [role, scope],
  );
  return rows.map((r) => ({ role: r.role, scope: r.scope, userId: r.user_id, displayName: r.display_name }));
}

/** Someone holding a role, with the person the bot knows them as (absent for someone it has not met yet). */
export interface RoleHolder {
  readonly holder: RoleAssignment;
  readonly person?: Person;
}

/**
 * The subquery (in a statement of the caller's) that reads who holds `role` (an SQL expression) as
 * JSON, each with their `people` row, in holdersOf's order: read it with `roleHoldersOfJson`.
 */
export const roleHoldersColumn = (role: string) =>
  `(SELECT coalesce(json_agg(json_build_object('holder', r, 'person', (SELECT row_to_json(p) FROM people p WHERE p.aad_object_id = r.user_id))
     ORDER BY r.scope, r.user_id), '[]'::json) FROM role_assignments r WHERE r.role = ${role})`;

export const roleHoldersOfJson = (rows: readonly { holder: RoleAssignmentRow; person: PersonRow | null }[]): RoleHolder[] =>
  rows.map((r) => ({ holder: roleAssignmentOfRow(r.holder), ...(r.person ? { person: personOfRow(r.person) } : {}) }));

/** Who holds `role`, each with the person the bot knows them as: holdersOf and findPeople in one statement. */
export async function holdersWithPeople(db: SqlExecutor, role: string): Promise<RoleHolder[]> {
  const { rows } = await db.query<{ holders: { holder: RoleAssignmentRow; person: PersonRow | null }[] }>(
    `SELECT ${roleHoldersColumn('$1')} AS holders`,
    [role],
  );
  return roleHoldersOfJson(rows[0]!.holders);
}

/** Everyone holding any of these roles (in any scope). */
export async function holdersOfRoles(db: SqlExecutor, roles: readonly string[]): Promise<RoleAssignment[]> {
  return (await Promise.all(roles.map((role) => holdersOf(db, role)))).flat();
}

export async function listRoleAssignments(db: SqlExecutor): Promise<RoleAssignment[]> {
  const { rows } = await db.query<{ role: string; scope: string; user_id: string; display_name: string | null }>(
    'SELECT * FROM role_assignments ORDER BY role, scope, user_id',
  );
  return rows.map((r) => ({ role: r.role, scope: r.scope, userId: r.user_id, displayName: r.display_name }));
}

// Any constant: saves of the admin card queue on it, so a save's check of who holds what (the
// confirmation's fingerprint, the lock-out rule) still holds when it writes.
const ROLES_LOCK = 7_160_412;

/** Holds the role assignments' lock until the caller's transaction ends: one admin save at a time. */
export async function lockRoleAssignments(tx: SqlExecutor): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [ROLES_LOCK]);
}

/** Replaces everyone holding `role` (in every scope) with `assignments`, in the caller's transaction. */
export async function replaceRoleHolders(tx: SqlExecutor, role: string, assignments: readonly RoleAssignment[]): Promise<void> {
  await tx.query('DELETE FROM role_assignments WHERE role = $1', [role]);
  for (const a of assignments) await assignRole(tx, a);
}
