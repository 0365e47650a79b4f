import type { Client } from '@microsoft/microsoft-graph-client';

import type { ChangeSubscriptions } from '../../app/meetings/changeSubscriptions.ts';

/** POST /subscriptions and PATCH /subscriptions/{id} (application permission Calendars.Read covers events). */
export function createGraphSubscriptions(client: Client): ChangeSubscriptions {
  return {
    async create({ resource, notificationUrl, clientState, expiresAt }) {
      const created = (await client.api('/subscriptions').post({
        changeType: 'updated,deleted',
        notificationUrl,
        resource,
        expirationDateTime: expiresAt.toISOString(),
        clientState,
      })) as { id: string; expirationDateTime: string };
      return { id: created.id, expiresAt: new Date(created.expirationDateTime) };
    },
    async renew(id, expiresAt) {
      await client.api(`/subscriptions/${encodeURIComponent(id)}`).patch({ expirationDateTime: expiresAt.toISOString() });
    },
  };
}
