import express, { Router, type RequestHandler } from 'express';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';

/**
 * POST /api/messages: Bot Framework activities in. With authentication on, the channel token guard
 * runs first, then the CloudAdapter's own validation; the bot sees only activities both accept.
 */
export function botRoute(adapter: CloudAdapter, bot: ActivityHandler, tokenGuard?: RequestHandler): Router {
  const router = Router();
  const guards = tokenGuard ? [tokenGuard] : [];
  router.post('/api/messages', express.json({ limit: '512kb' }), ...guards, async (req, res) => {
    await adapter.process(req, res, (ctx) => bot.run(ctx));
  });
  return router;
}
