export interface InboundMessage {
  readonly id: string;
  readonly subject: string;
  readonly fromAddress: string | null;
  readonly fromName: string | null;
  readonly receivedAt: Date | null;
  readonly bodyPreview: string;
  readonly hasAttachments: boolean;
}

export interface InboundAttachment {
  readonly name: string;
  readonly contentType: string | null;
  readonly size: number | null;
  /** base64, as Graph returns fileAttachment.contentBytes. */
  readonly contentBase64: string | null;
}

/**
 * What the intake needs from the mailbox: the inbox's changes since the last look (Graph delta
 * query: follow nextLinks, keep the deltaLink), and a message's attachments.
 */
export interface MailboxReader {
  changes(mailbox: string, deltaLink: string | null): Promise<{ messages: InboundMessage[]; deltaLink: string }>;
  attachments(mailbox: string, messageId: string): Promise<InboundAttachment[]>;
}
