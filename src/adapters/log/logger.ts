import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

import { type Logger, pino } from 'pino';

/** The correlation id of the request being handled, if any: every log line written for it carries it. */
const correlation = new AsyncLocalStorage<string>();

/** Runs `work` with a correlation id (the activity's id for a bot turn, else a new one). */
export function withCorrelation<T>(id: string | undefined, work: () => T): T {
  return correlation.run(id && id.length <= 200 ? id : randomUUID(), work);
}

export type { Logger };

/**
 * Structured JSON logs. Log lines carry case references and ids, never a child's details; the redact
 * list is a second line of defence for fields that must never appear even by mistake.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'safeguarding-review-tracker' },
      mixin: () => {
        const id = correlation.getStore();
        return id ? { correlationId: id } : {};
      },
      redact: {
        paths: [
          '*.child',
          '*.referral',
          '*.family',
          '*.narrative',
          'child',
          'referral',
          'family',
          'narrative',
          '*.nhsNumber',
          '*.dateOfBirth',
          '*.address',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? process.stdout,
  );
}
