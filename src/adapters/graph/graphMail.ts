import type { Client } from '@microsoft/microsoft-graph-client';

import type { MailGateway } from '../../app/mail/mailGateway.ts';
import { DeliveryFailure } from '../../app/outbox/deliveryFailure.ts';

/** Mail over Microsoft Graph: POST /users/{mailbox}/sendMail (202, no body), saved to Sent Items. */
export function createGraphMail(client: Client): MailGateway {
  return {
    local: false,
    async send(mail) {
      try {
        await client.api(`/users/${encodeURIComponent(mail.from)}/sendMail`).post({
          message: {
            subject: mail.subject,
            body: { contentType: 'HTML', content: mail.html },
            toRecipients: mail.to.map((t) => ({ emailAddress: { address: t.email, ...(t.name ? { name: t.name } : {}) } })),
          },
          saveToSentItems: true,
        });
      } catch (error) {
        const e = error as { statusCode?: number; code?: string; message?: string; name?: string };
        const status = e.statusCode ?? -1;
        if (status === 429 || status === 503 || status === 504)
          throw new DeliveryFailure('transient', `Microsoft Graph answered ${status}`);
        // No answer at all (timed out, connection dropped): Graph may have accepted it. sendMail has
        // no idempotency key, so repeating it could send the email twice.
        if (status <= 0)
          throw new DeliveryFailure(
            'uncertain',
            'no answer from Microsoft Graph: the email may have been sent, so it was not repeated; check Sent Items',
          );
        if (status >= 500) throw new DeliveryFailure('transient', `Microsoft Graph answered ${status}`);
        throw new DeliveryFailure('permanent', `Microsoft Graph refused the email (${status} ${e.code ?? ''})`.trim());
      }
    },
  };
}
