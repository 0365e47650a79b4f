import express, { Router } from 'express';

/**
 * POST /api/graph/notifications: Microsoft Graph's change notifications. The subscription handshake
 * (?validationToken=...) is answered with the token as text within Graph's 10 seconds; notifications
 * are acknowledged with 202 at once (Graph wants it within 3) and handled afterwards.
 */
export function graphNotificationsRoute(handle: (body: unknown) => void): Router {
  const router = Router();
  router.post('/api/graph/notifications', express.json({ limit: '1mb' }), (req, res) => {
    const token = req.query.validationToken;
    if (typeof token === 'string') {
      res.status(200).type('text/plain').send(token);
      return;
    }
    res.status(202).end();
    handle(req.body);
  });
  return router;
}
