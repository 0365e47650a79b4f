import { Router } from 'express';

import { isSchemaCurrent } from '../adapters/store/migrate.ts';
import type { Database } from '../adapters/store/sqlExecutor.ts';

/** /healthz: the process is up. /readyz: the database answers and its schema is the one this release expects. */
export function healthRoutes(db: Database): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      if (await isSchemaCurrent(db)) res.json({ status: 'ready', engine: db.engine });
      else res.status(503).json({ status: 'not ready', reason: 'database schema is not current' });
    } catch {
      res.status(503).json({ status: 'not ready', reason: 'database unreachable' });
    }
  });
  return router;
}
