import express, { Router } from 'express';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';

/** POST /api/messages: Bot Framework activities in, authenticated by the CloudAdapter before the bot sees them. */
export function botRoute(adapter: CloudAdapter, bot: ActivityHandler): Router {
  const router = Router();
  router.post('/api/messages', express.json({ limit: '512kb' }), async (req, res) => {
    await adapter.process(req, res, (ctx) => bot.run(ctx));
  });
  return router;
}
