/** An email from the partnership mailbox. */
export interface OutgoingMail {
  readonly from: string;
  readonly to: readonly { email: string; name?: string }[];
  readonly subject: string;
  /** HTML; every value people typed is escaped before it gets here. */
  readonly html: string;
}

/**
 * What mail needs: send one message as the partnership mailbox. Graph in Azure; a local one for the
 * demo that keeps the message in the case record only. Failures are DeliveryFailures; a request whose
 * answer was lost is `uncertain` (never repeated automatically).
 */
export interface MailGateway {
  readonly local: boolean;
  send(mail: OutgoingMail): Promise<void>;
}
