import type { Client } from '@microsoft/microsoft-graph-client';

import type { InboundMessage, MailboxReader } from '../../app/intake/mailboxReader.ts';

interface DeltaPage {
  value: {
    id: string;
    '@removed'?: unknown;
    subject?: string;
    from?: { emailAddress?: { address?: string; name?: string } };
    sender?: { emailAddress?: { address?: string; name?: string } };
    receivedDateTime?: string;
    bodyPreview?: string;
    hasAttachments?: boolean;
  }[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** The partnership mailbox's inbox through Graph's delta query (application permission Mail.Read, scoped by Exchange RBAC). */
export function createGraphMailbox(client: Client): MailboxReader {
  return {
    async changes(mailbox, deltaLink) {
      const messages: InboundMessage[] = [];
      let next: string | undefined =
        deltaLink ??
        `/users/${encodeURIComponent(mailbox)}/mailFolders/inbox/messages/delta?$select=subject,from,sender,receivedDateTime,bodyPreview,hasAttachments`;
      for (;;) {
        const page = (await client.api(next).get()) as DeltaPage;
        for (const m of page.value) {
          if (m['@removed']) continue; // deleted or moved out of the inbox: a draft already made stays
          const from = m.from?.emailAddress ?? m.sender?.emailAddress;
          messages.push({
            id: m.id,
            subject: m.subject ?? '(no subject)',
            fromAddress: from?.address ?? null,
            fromName: from?.name ?? null,
            receivedAt: m.receivedDateTime ? new Date(m.receivedDateTime) : null,
            bodyPreview: m.bodyPreview ?? '',
            hasAttachments: Boolean(m.hasAttachments),
          });
        }
        if (page['@odata.nextLink']) next = page['@odata.nextLink'];
        else return { messages, deltaLink: page['@odata.deltaLink'] ?? next };
      }
    },
    async attachments(mailbox, messageId) {
      const page = (await client
        .api(`/users/${encodeURIComponent(mailbox)}/messages/${encodeURIComponent(messageId)}/attachments`)
        .get()) as {
        value: { '@odata.type'?: string; name: string; contentType?: string; size?: number; contentBytes?: string }[];
      };
      return page.value.map((a) => ({
        name: a.name,
        contentType: a.contentType ?? null,
        size: a.size ?? null,
        contentBase64: a['@odata.type'] === '#microsoft.graph.fileAttachment' ? (a.contentBytes ?? null) : null,
      }));
    },
  };
}
