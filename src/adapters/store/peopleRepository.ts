import type { SqlExecutor } from './sqlExecutor.ts';

export interface Person {
  readonly aadObjectId: string;
  /** The Teams user id (29:...), what Bot Framework calls `from.id`. */
  readonly teamsUserId: string;
  readonly displayName: string | null;
  readonly tenantId: string | null;
  /** Where Outlook invitations go; from the team roster or PEOPLE_FILE. */
  readonly email?: string | null;
}

/** A `people` row as the store returns it. */
export interface PersonRow {
  readonly aad_object_id: string;
  readonly teams_user_id: string;
  readonly display_name: string | null;
  readonly tenant_id: string | null;
  readonly email: string | null;
}

export const personOfRow = (r: PersonRow): Person => ({
  aadObjectId: r.aad_object_id,
  teamsUserId: r.teams_user_id,
  displayName: r.display_name,
  tenantId: r.tenant_id,
  email: r.email,
});

/**
 * Remembers someone seen in an activity or the roster; a later sighting refreshes name and id. A
 * sighting that changes nothing writes nothing (every card click is one, and a write is a commit):
 * `updated_at` is when the row last changed.
 */
export async function rememberPerson(db: SqlExecutor, p: Person, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO people (aad_object_id, teams_user_id, display_name, tenant_id, email, updated_at)
     SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::timestamptz
     WHERE NOT EXISTS (SELECT 1 FROM people WHERE aad_object_id = $1 AND teams_user_id = $2 AND ($3::text IS NULL OR display_name = $3)
       AND ($4::text IS NULL OR tenant_id = $4) AND ($5::text IS NULL OR email = $5))
     ON CONFLICT (aad_object_id) DO UPDATE SET teams_user_id = EXCLUDED.teams_user_id,
       display_name = COALESCE(EXCLUDED.display_name, people.display_name), tenant_id = COALESCE(EXCLUDED.tenant_id, people.tenant_id),
       email = COALESCE(EXCLUDED.email, people.email), updated_at = EXCLUDED.updated_at`,
    [p.aadObjectId, p.teamsUserId, p.displayName, p.tenantId, p.email ?? null, at],
  );
}

export async function findPeople(db: SqlExecutor, aadObjectIds: readonly string[]): Promise<Person[]> {
  if (aadObjectIds.length === 0) return [];
  const { rows } = await db.query<PersonRow>('SELECT * FROM people WHERE aad_object_id = ANY($1::text[])', [aadObjectIds]);
  return rows.map(personOfRow);
}

/** Everyone's name the partnership knows (from Teams, or given with their role), by Entra object id. */
export async function knownNames(db: SqlExecutor): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; name: string }>(
    `SELECT user_id AS id, display_name AS name FROM role_assignments WHERE display_name IS NOT NULL
     UNION SELECT aad_object_id AS id, display_name AS name FROM people WHERE display_name IS NOT NULL`,
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
