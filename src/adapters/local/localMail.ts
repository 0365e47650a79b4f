import type { MailGateway } from '../../app/mail/mailGateway.ts';

/** The embedded default: no mail leaves the machine; the case record and thread say an email would have gone. */
export function createLocalMail(): MailGateway {
  return { local: true, send: async () => undefined };
}
