/** Errors a use case raises on purpose; transports map them to a status or a readable card. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** The caller may not do this (e.g. votes for an agency they are not the DSP of). */
export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

/** The request is valid but the case is not in a state that allows it (e.g. the decision is made). */
export class ConflictError extends Error {
  override name = 'ConflictError';
}
