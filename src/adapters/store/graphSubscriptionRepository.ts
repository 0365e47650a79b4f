import type { SqlExecutor } from './sqlExecutor.ts';

/**
 * Our Graph change-notification subscriptions (one per resource), with the clientState secret each
 * notification must carry.
 */

export async function findGraphSubscription(db: SqlExecutor, resource: string): Promise<{ id: string; expires_at: Date } | undefined> {
  const { rows } = await db.query<{ id: string; expires_at: Date }>('SELECT id, expires_at FROM graph_subscriptions WHERE resource = $1', [
    resource,
  ]);
  return rows[0];
}

export async function setGraphSubscriptionExpiry(db: SqlExecutor, id: string, expiresAt: Date): Promise<void> {
  await db.query('UPDATE graph_subscriptions SET expires_at = $2 WHERE id = $1', [id, expiresAt]);
}

/** The resource's subscription is now this one (a lapsed one is forgotten), in the caller's transaction. */
export async function replaceGraphSubscription(
  tx: SqlExecutor,
  s: { id: string; resource: string; clientState: string; expiresAt: Date; createdAt: Date },
): Promise<void> {
  await tx.query('DELETE FROM graph_subscriptions WHERE resource = $1', [s.resource]);
  await tx.query('INSERT INTO graph_subscriptions (id, resource, client_state, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)', [
    s.id,
    s.resource,
    s.clientState,
    s.expiresAt,
    s.createdAt,
  ]);
}

export async function listGraphSubscriptions(db: SqlExecutor): Promise<{ id: string; client_state: string }[]> {
  const { rows } = await db.query<{ id: string; client_state: string }>('SELECT id, client_state FROM graph_subscriptions');
  return rows;
}
