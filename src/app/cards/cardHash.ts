import { createHash } from 'node:crypto';

import type { AdaptiveCard } from './cardTemplates.ts';

/** What a card shows, as a short fingerprint: a card whose fingerprint is unchanged needs no update. */
export function cardHash(card: AdaptiveCard): string {
  return createHash('sha256').update(JSON.stringify(card)).digest('base64url');
}
