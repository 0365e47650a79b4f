import type { PartnershipChannel } from '../../adapters/store/installationRepository.ts';
import type { DeliveryOutcome, OutboxMessage } from '../../adapters/store/outboxRepository.ts';
import type { BroadcastDeps } from '../teams/caseBroadcaster.ts';

/** What a feature's outbox handler gets to deliver one message. */
export interface DeliveryContext extends BroadcastDeps {
  readonly channel: PartnershipChannel;
  /** Waits for a send slot to this conversation within Teams' limits (shared by every instance). */
  slot(conversationKey: string): Promise<void>;
}

/** Delivers one claimed outbox message; throwing means "try again later" (see the sender's backoff). */
export type DeliveryHandler = (context: DeliveryContext, message: OutboxMessage) => Promise<DeliveryOutcome>;
