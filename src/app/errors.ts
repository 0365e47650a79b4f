import { ValidationError } from '../domain/validation/validationError.ts';

/**
 * The stable code of each error a use case raises on purpose. Transports map the code, never the
 * message, to a status or a card (the card actions' router maps them in one place).
 */
export type ErrorCode = 'not_found' | 'forbidden' | 'conflict' | 'invalid_input';

/** Errors a use case raises on purpose, before it writes anything; transports map them by code. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
  readonly code = 'not_found';
}

/** The caller may not do this (e.g. votes for an agency they are not the DSP of). */
export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
  readonly code = 'forbidden';
}

/** The request is valid but the case is not in a state that allows it (e.g. the decision is made). */
export class ConflictError extends Error {
  override name = 'ConflictError';
  readonly code = 'conflict';
}

/** A refusal: one of the errors above, or bad input naming its fields (`invalid_input`, from the domain). */
export type RefusalError = NotFoundError | ForbiddenError | ConflictError | ValidationError;

/** The error as a refusal if it is one (anything else is unexpected: a fault, not an answer). */
export function asRefusal(error: unknown): RefusalError | undefined {
  return error instanceof NotFoundError ||
    error instanceof ForbiddenError ||
    error instanceof ConflictError ||
    error instanceof ValidationError
    ? error
    : undefined;
}
