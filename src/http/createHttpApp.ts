import express, { type Express } from 'express';
import type { Database } from '../adapters/store/sqlExecutor.ts';
import { healthRoutes } from './healthRoutes.ts';

export interface HttpDependencies {
  readonly db: Database;
}

export function createHttpApp(deps: HttpDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(deps.db));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  return app;
}
