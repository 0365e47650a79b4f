import type { SqlExecutor } from './sqlExecutor.ts';

/** Where the last look at a mailbox got to: Graph's delta link, so the next look reads only what changed. */

export async function findMailboxDeltaLink(db: SqlExecutor, mailbox: string): Promise<string | null> {
  const state = await db.query<{ delta_link: string | null }>('SELECT delta_link FROM mailbox_state WHERE mailbox = $1', [mailbox]);
  return state.rows[0]?.delta_link ?? null;
}

export async function saveMailboxDeltaLink(db: SqlExecutor, mailbox: string, deltaLink: string, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO mailbox_state (mailbox, delta_link, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (mailbox) DO UPDATE SET delta_link = EXCLUDED.delta_link, updated_at = EXCLUDED.updated_at`,
    [mailbox, deltaLink, at],
  );
}
