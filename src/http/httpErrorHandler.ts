import type { ErrorRequestHandler } from 'express';

import type { Logger } from '../adapters/log/logger.ts';

/** Body-parser's error types, answered in words a caller can act on. */
const CLIENT_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'the body is not valid JSON',
  'entity.too.large': 'the body is too large',
  'encoding.unsupported': 'the body encoding is not supported',
  'charset.unsupported': 'the body charset is not supported',
};

/**
 * The last express handler. Express's own would answer with an HTML page carrying the stack trace
 * outside production; ours answers a short JSON message and logs only the error's name and message,
 * never the request body (it may describe a child).
 */
export function httpErrorHandler(logger?: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const e = (err ?? {}) as { status?: unknown; type?: unknown; name?: unknown; message?: unknown };
    const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 500;
    if (status === 500) logger?.error({ path: req.path, err: { name: String(e.name), message: String(e.message) } }, 'request failed');
    const message = status === 500 ? 'internal error' : (typeof e.type === 'string' && CLIENT_ERRORS[e.type]) || 'bad request';
    res.status(status).json({ error: message });
  };
}
