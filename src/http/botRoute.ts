import express, { Router, type RequestHandler } from 'express';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import { withCorrelation } from '../adapters/log/logger.ts';

/**
 * POST /api/messages: Bot Framework activities in. With authentication on, the channel token guard
 * runs first, then the CloudAdapter's own validation; the bot sees only activities both accept.
 */
export function botRoute(adapter: CloudAdapter, bot: ActivityHandler, tokenGuard?: RequestHandler): Router {
  const router = Router();
  const guards = tokenGuard ? [tokenGuard] : [];
  router.post('/api/messages', express.json({ limit: '512kb' }), ...guards, async (req, res) => {
    // Each turn's log lines share a correlation id: the activity's id.
    const activityId = (req.body as { id?: unknown } | undefined)?.id;
    await withCorrelation(typeof activityId === 'string' ? activityId : undefined, () => adapter.process(req, res, (ctx) => bot.run(ctx)));
  });
  return router;
}
