import express, { type Request, type RequestHandler, type Response, Router } from 'express';

import { knownNames } from '../adapters/store/peopleRepository.ts';
import { listRoleAssignments } from '../adapters/store/roleAssignmentRepository.ts';
import type { LocalTabSessions } from '../adapters/teams/localTabSession.ts';
import { TabAuthError, type TabIdentity } from '../adapters/teams/tabTokenVerifier.ts';
import type { AppContext } from '../app/appContext.ts';
import { readDashboardCaseDetails } from '../app/dashboard/caseDetails.ts';
import { listDashboardCases } from '../app/dashboard/caseList.ts';
import { caseTimeline } from '../app/dashboard/caseTimeline.ts';
import { exportCasesCsv } from '../app/dashboard/exportCsv.ts';
import { partnershipCharts } from '../app/dashboard/partnershipCharts.ts';
import { type Viewer, viewerOf } from '../app/dashboard/viewer.ts';
import { ForbiddenError, NotFoundError } from '../app/errors.ts';
import { describeCaseAccess } from '../domain/dashboard/caseAccessSummary.ts';
import { seesEveryCase } from '../domain/dashboard/caseVisibility.ts';
import { tabAssets } from './tabAssets.ts';

/** Where Teams (web, desktop, mobile) and the Microsoft 365 hosts frame tabs from. */
const TEAMS_FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.teams.microsoft.us',
  'https://*.skype.com',
  'https://*.office.com',
  'https://*.microsoft365.com',
  'https://*.cloud.microsoft',
  'https://outlook.office.com',
  'https://outlook.office365.com',
];
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  `frame-ancestors ${TEAMS_FRAME_ANCESTORS.join(' ')}`,
].join('; ');

export interface TabRouteDependencies {
  readonly ctx: AppContext;
  /** Teams SSO: absent in the local embedded mode. */
  readonly verifySsoToken?: (token: string) => Promise<TabIdentity>;
  /** Local sign-in: present only in the local embedded mode. */
  readonly localSessions?: LocalTabSessions;
}

type Authed = Request & { viewer?: Viewer };

function page(title: string, pageName: string): string {
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="stylesheet" href="/tab/app.css"></head>
<body data-page="${pageName}"><main id="app" aria-live="polite"><p>Loading…</p></main>
<noscript>This dashboard needs JavaScript.</noscript><script type="module" src="/tab/app.js"></script></body></html>`;
}

/**
 * The Teams tab: its pages and bundle (CSP: scripts from here only; framed only by Teams and
 * Microsoft 365), and the JSON API it calls. Every /api/tab call needs a validated Teams SSO token
 * (or, in the local embedded mode only, a local sign-in); the person is mapped to their partnership
 * roles, and someone with none is refused.
 */
export function tabRoutes(deps: TabRouteDependencies): Router {
  const { ctx } = deps;
  const assets = tabAssets();
  const router = Router();
  const security: RequestHandler = (_req, res, next) => {
    res.set({
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    next();
  };
  router.use(['/tab', '/api/tab'], security);
  router.get('/tab', (_req, res) => {
    res.type('html').send(page('Safeguarding cases', 'dashboard'));
  });
  router.get('/tab/configure', (_req, res) => {
    res.type('html').send(page('Add the cases dashboard', 'configure'));
  });
  router.get('/tab/app.js', async (_req, res) => {
    res.type('text/javascript').send((await assets()).js);
  });
  router.get('/tab/app.css', async (_req, res) => {
    res.type('text/css').send((await assets()).css);
  });

  router.get('/api/tab/mode', async (_req, res) => {
    if (!deps.localSessions) {
      res.json({ mode: 'teams' });
      return;
    }
    // Local embedded mode: the configured people, to sign in as one of them.
    const [assignments, names] = await Promise.all([listRoleAssignments(ctx.db), knownNames(ctx.db)]);
    const people = new Map<string, { id: string; name: string; roles: string[] }>();
    for (const a of assignments) {
      const person = people.get(a.userId) ?? { id: a.userId, name: names.get(a.userId) ?? a.userId, roles: [] };
      person.roles.push(ctx.profile.roles.find((r) => r.id === a.role)?.label ?? a.role);
      people.set(a.userId, person);
    }
    res.json({ mode: 'local', people: [...people.values()] });
  });

  router.post('/api/tab/local-session', express.json({ limit: '2kb' }), async (req, res) => {
    if (!deps.localSessions) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    const userId = typeof req.body?.userId === 'string' ? req.body.userId : '';
    const viewer = await viewerOf(ctx, userId, '');
    if (viewer.roles.length === 0) {
      res.status(403).json({ error: 'that person holds no role in this partnership' });
      return;
    }
    const name = (await knownNames(ctx.db)).get(userId) ?? '';
    res.json({ token: await deps.localSessions.issue(userId, name) });
  });

  router.use('/api/tab', async (req: Authed, res, next) => {
    const header = req.get('authorization') ?? '';
    const token = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header)?.[1];
    if (!token) {
      res.status(401).json({ error: 'sign in through Teams first' });
      return;
    }
    try {
      const identity = deps.verifySsoToken ? await deps.verifySsoToken(token) : await deps.localSessions!.verify(token);
      const viewer = await viewerOf(ctx, identity.oid, identity.name);
      if (viewer.roles.length === 0) {
        res.status(403).json({ error: 'you hold no role in this partnership: ask its business manager' });
        return;
      }
      req.viewer = viewer;
      next();
    } catch (error) {
      if (!(error instanceof TabAuthError)) throw error;
      res.status(error.status).json({ error: error.message });
    }
  });

  const viewer = (req: Authed) => req.viewer!;
  router.get('/api/tab/me', (req: Authed, res) => {
    const v = viewer(req);
    res.json({
      name: v.name,
      roles: [...new Set(v.roles.map((r) => ctx.profile.roles.find((x) => x.id === r.role)?.label ?? r.role))],
      canSeeDetails: v.roles.some((r) => ctx.profile.fullDetailsRoles.includes(r.role)),
      // Which cases the list holds, in words, so a case someone expects and does not find is explained.
      seesAllCases: seesEveryCase(v.roles, ctx.profile),
      caseAccess: describeCaseAccess(v.roles, ctx.profile),
      partnership: ctx.profile.name,
      profile: ctx.profile.id,
      stages: ctx.profile.stages,
    });
  });
  router.get('/api/tab/cases', async (req: Authed, res) => {
    const q = req.query;
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    res.json(
      await listDashboardCases(ctx, viewer(req), {
        ...(q.open === 'true' ? { open: true } : q.open === 'false' ? { open: false } : {}),
        ...(q.overdue === 'true' ? { overdue: true } : {}),
        ...(text(q.stage) ? { stage: text(q.stage)! } : {}),
        ...(text(q.profile) ? { profile: text(q.profile)! } : {}),
      }),
    );
  });
  router.get('/api/tab/charts', async (req: Authed, res) => {
    res.json(await partnershipCharts(ctx, viewer(req)));
  });
  router.get('/api/tab/export.csv', async (req: Authed, res) => {
    const csv = await exportCasesCsv(ctx, viewer(req));
    res.type('text/csv').set('Content-Disposition', 'attachment; filename="cases-and-clocks.csv"').send(csv);
  });
  const caseId = (req: Request, res: Response): string | undefined => {
    const id = String(req.params.id ?? '');
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return id;
    res.status(404).json({ error: 'no such case' });
    return undefined;
  };
  router.get('/api/tab/cases/:id', async (req: Authed, res) => {
    const id = caseId(req, res);
    if (!id) return;
    try {
      res.json(await caseTimeline(ctx, id, viewer(req)));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      res.status(404).json({ error: 'no such case' });
    }
  });
  router.get('/api/tab/cases/:id/details', async (req: Authed, res) => {
    const id = caseId(req, res);
    if (!id) return;
    try {
      res.json(await readDashboardCaseDetails(ctx, id, viewer(req)));
    } catch (error) {
      if (error instanceof ForbiddenError) res.status(403).json({ error: `${error.message}` });
      else if (error instanceof NotFoundError) res.status(404).json({ error: 'no such case' });
      else throw error;
    }
  });
  router.use('/api/tab', (_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  return router;
}
