import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import express, { type RequestHandler, type Response, Router } from 'express';

import { withCorrelation } from '../adapters/log/logger.ts';
import { judgeInboundActivity } from '../adapters/teams/inboundActivity.ts';

export interface BotRouteOptions {
  /** The channel token guard: absent only with authentication off (the local demo). */
  readonly tokenGuard?: RequestHandler;
  /** Tenants the bot serves; empty: any (the local demo). */
  readonly allowedTenantIds: readonly string[];
}

/**
 * POST /api/messages: Bot Framework activities in. With authentication on, the channel token guard
 * runs first, then one gate for every activity (its shape, its invoke, its tenant), then the
 * CloudAdapter's own validation; the bot sees only activities all three accept. A refusal is a 4xx
 * with a short fixed message, before anything is read into the store.
 */
export function botRoute(adapter: CloudAdapter, bot: ActivityHandler, options: BotRouteOptions): Router {
  const router = Router();
  const guards = options.tokenGuard ? [options.tokenGuard] : [];
  router.post('/api/messages', express.json({ limit: '512kb' }), ...guards, async (req, res) => {
    // botbuilder throws (a 500) on a body without a type; the caller should hear it sent no activity.
    if (!isActivityShaped(req.body)) {
      res.status(400).json({ error: 'not a Bot Framework activity: it needs a type' });
      return;
    }
    const verdict = judgeInboundActivity(req.body, options.allowedTenantIds);
    if (!verdict.ok) {
      res.status(verdict.status).json({ error: verdict.error });
      return;
    }
    // Each turn's log lines share a correlation id: the activity's id.
    const activityId = (req.body as { id?: unknown } | undefined)?.id;
    await withCorrelation(typeof activityId === 'string' ? activityId : undefined, () =>
      adapter.process(req, withoutEchoedErrors(res), (ctx) => bot.run(ctx)),
    );
  });
  return router;
}

function isActivityShaped(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { type?: unknown }).type === 'string' &&
    (body as { type: string }).type !== ''
  );
}

/**
 * CloudAdapter answers a turn that threw with the error's own message as the body (a connector's
 * refusal, a database error). The caller gets a fixed message instead; the turn's error handler has
 * logged what happened.
 */
function withoutEchoedErrors(res: Response): Response {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => {
    if (res.statusCode >= 500) return send({ error: 'the bot could not handle this activity' });
    if (res.statusCode === 401) return send({ error: 'unauthorized' });
    return send(body);
  }) as Response['send'];
  return res;
}
