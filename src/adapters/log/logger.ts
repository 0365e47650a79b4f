import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Log lines carry case references and ids, never a child's details; the redact
 * list is a second line of defence for fields that must never appear even by mistake.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'safeguarding-review-tracker' },
    redact: {
      paths: ['*.child', '*.referral', '*.family', '*.narrative', 'child', 'referral', 'family', 'narrative', '*.nhsNumber', '*.dateOfBirth', '*.address'],
      censor: '[redacted]',
    },
  });
}
