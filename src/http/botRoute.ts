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
    // botbuilder throws (a 500) on a body without a type; the caller should hear it sent no activity.
    if (!isActivityShaped(req.body)) {
      res.status(400).json({ error: 'not a Bot Framework activity: it needs a type' });
      return;
    }
    // Each turn's log lines share a correlation id: the activity's id.
    const activityId = (req.body as { id?: unknown } | undefined)?.id;
    await withCorrelation(typeof activityId === 'string' ? activityId : undefined, () => adapter.process(req, res, (ctx) => bot.run(ctx)));
  });
  return router;
}

function isActivityShaped(body: unknown): boolean {
  return typeof body === 'object' && body !== null && typeof (body as { type?: unknown }).type === 'string' && (body as { type: string }).type !== '';
}
