import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import express, { type Express, type RequestHandler } from 'express';

import type { Logger } from '../adapters/log/logger.ts';
import type { Database } from '../adapters/store/sqlExecutor.ts';
import { botRoute } from './botRoute.ts';
import { graphNotificationsRoute } from './graphNotificationsRoute.ts';
import { healthRoutes } from './healthRoutes.ts';
import { httpErrorHandler } from './httpErrorHandler.ts';
import { type TabRouteDependencies, tabRoutes } from './tabRoutes.ts';

export interface HttpDependencies {
  readonly db: Database;
  readonly bot?: {
    readonly adapter: CloudAdapter;
    readonly bot: ActivityHandler;
    readonly tokenGuard?: RequestHandler;
    readonly allowedTenantIds: readonly string[];
  };
  /** Microsoft Graph change notifications, handled after they are acknowledged. */
  readonly graphNotifications?: (body: unknown) => void;
  /** The Teams tab (dashboard) and its API. */
  readonly tab?: TabRouteDependencies;
  /** Where failed requests are logged (name and message only). */
  readonly logger?: Logger;
}

export function createHttpApp(deps: HttpDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(deps.db));
  if (deps.bot)
    app.use(
      botRoute(deps.bot.adapter, deps.bot.bot, {
        allowedTenantIds: deps.bot.allowedTenantIds,
        ...(deps.bot.tokenGuard ? { tokenGuard: deps.bot.tokenGuard } : {}),
      }),
    );
  if (deps.graphNotifications) app.use(graphNotificationsRoute(deps.graphNotifications));
  if (deps.tab) app.use(tabRoutes(deps.tab));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use(httpErrorHandler(deps.logger));
  return app;
}
