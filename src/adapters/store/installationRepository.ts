import type { PartnershipChannel } from '../../domain/teams/partnershipChannel.ts';
import type { SqlExecutor } from './sqlExecutor.ts';

const KEY = 'partnership_channel';

export async function savePartnershipChannel(db: SqlExecutor, channel: PartnershipChannel, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO conversation_refs (key, kind, reference, active, updated_at) VALUES ($1, 'team_channel', $2, true, $3)
     ON CONFLICT (key) DO UPDATE SET reference = EXCLUDED.reference, active = true, updated_at = EXCLUDED.updated_at`,
    [KEY, JSON.stringify(channel), at],
  );
}

/** The active partnership channel, or undefined when the bot is not (or no longer) installed. */
export async function findPartnershipChannel(db: SqlExecutor): Promise<PartnershipChannel | undefined> {
  const { rows } = await db.query<{ reference: PartnershipChannel }>('SELECT reference FROM conversation_refs WHERE key = $1 AND active', [
    KEY,
  ]);
  return rows[0]?.reference;
}

/** The bot was removed from this team: stop posting there. Returns whether it was the partnership's team. */
export async function deactivateTeam(db: SqlExecutor, teamId: string, at: Date): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE conversation_refs SET active = false, updated_at = $3 WHERE key = $1 AND active AND reference->>'teamId' = $2 RETURNING key`,
    [KEY, teamId, at],
  );
  return rows.length > 0;
}
