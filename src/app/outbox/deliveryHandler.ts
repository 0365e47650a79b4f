import type { DeliveryOutcome, OutboxMessage } from '../../adapters/store/outboxRepository.ts';
import type { PartnershipChannel } from '../../domain/teams/partnershipChannel.ts';
import type { BroadcastDeps } from '../teams/caseBroadcaster.ts';

/**
 * What a feature's outbox handler gets to deliver one message. Its gateway waits for each call's
 * slot within Teams' limits itself (rateLimitedGateway.ts), shared by every instance.
 */
export interface DeliveryContext extends BroadcastDeps {
  readonly channel: PartnershipChannel;
}

/** Delivers one claimed outbox message; throwing means "try again later" (see the sender's backoff). */
export type DeliveryHandler = (context: DeliveryContext, message: OutboxMessage) => Promise<DeliveryOutcome>;
