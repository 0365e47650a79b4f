import { DeliveryFailure } from '../../app/outbox/deliveryFailure.ts';

interface RestLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { headers?: { get?(name: string): string | undefined }; bodyAsText?: string };
}

function retryAfterMs(error: RestLikeError): number | undefined {
  const value = error.response?.headers?.get?.('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Translates what botbuilder's ConnectorClient throws into a DeliveryFailure. Teams sends
 * MessageWritesBlocked inside a doubly-encoded 403 body, so the body text is searched for it.
 */
export function toDeliveryFailure(error: unknown): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error;
  const e = (error ?? {}) as RestLikeError;
  const status = e.statusCode;
  const body = `${e.response?.bodyAsText ?? ''} ${e.message ?? ''}`;
  if (status === 429) return new DeliveryFailure('throttled', 'Teams throttled the bot (429)', retryAfterMs(e));
  if (status === 412) return new DeliveryFailure('transient', 'precondition failed (412)', retryAfterMs(e));
  if (status === 403 && body.includes('MessageWritesBlocked'))
    return new DeliveryFailure('blocked', 'MessageWritesBlocked: the bot can no longer post there');
  if (status !== undefined && status >= 400 && status < 500) return new DeliveryFailure('permanent', `rejected by Teams (${status})`);
  return new DeliveryFailure(
    'transient',
    status ? `Teams answered ${status}` : `could not reach Teams (${e.code ?? 'network'})`,
    retryAfterMs(e),
  );
}
