import { readFileSync } from 'node:fs';
import { createServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

import type { GraphFault, GraphStandIn } from '../../support/graph/graphStandIn.ts';

/** The two Graph calls a booking makes. */
export type BookingRoute = 'getSchedule' | 'createEvent';

export interface ProxiedCall {
  readonly route: BookingRoute;
  /** 1-based count of calls to this route so far. */
  readonly n: number;
  /** The graph-client's Retry-Attempt header: set when its RetryHandler repeats a call. */
  readonly retryAttempt: number;
  /** What the stand-in was told to do with this call, if anything. */
  readonly fault?: GraphFault;
}

export interface GraphFaultProxy {
  /** For the graph-client's baseUrl, in place of the stand-in's. */
  readonly baseUrl: string;
  readonly calls: ProxiedCall[];
  close(): Promise<void>;
}

export interface FaultPlan {
  /** Decides, call by call, whether the stand-in should answer this one with a fault. */
  decide(call: { route: BookingRoute; n: number; retryAttempt: number }): GraphFault | undefined;
  /** Runs just before a call is forwarded (to bring the stand-in's state up to date). */
  beforeForward?(route: BookingRoute): void;
}

const tls = (name: string) => readFileSync(new URL(`../../support/graph/tls/${name}`, import.meta.url));

function routeOf(method: string | undefined, url: string | undefined): BookingRoute | undefined {
  if (method !== 'POST' || !url) return undefined;
  const path = url.split('?')[0]!;
  if (/\/users\/[^/]+\/calendar\/getSchedule$/.test(path)) return 'getSchedule';
  if (/\/users\/[^/]+\/events$/.test(path)) return 'createEvent';
  return undefined;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

/**
 * A small HTTPS forwarder in front of the Graph stand-in. The stand-in can already answer a fault
 * (its failNext hook: 429, 503, or create-then-hang), but only for "the next call"; this proxy arms
 * that hook call by call, as the plan decides, then forwards the call unchanged. So the stand-in still
 * does all the answering and records every request, and the faults land on whichever calls the plan
 * picks (including the graph-client's own retries), not on a pre-counted sequence.
 *
 * Calls are armed and forwarded one at a time per route, which holds while the outbox sender (the
 * only Graph caller here) sends one message after another.
 */
export async function startGraphFaultProxy(graph: GraphStandIn, plan: FaultPlan): Promise<GraphFaultProxy> {
  const upstream = new URL(graph.baseUrl);
  const ca = tls('localhost-cert.pem');
  const calls: ProxiedCall[] = [];
  const counts: Record<BookingRoute, number> = { getSchedule: 0, createEvent: 0 };

  const server: Server = createServer({ key: tls('localhost-key.pem'), cert: tls('localhost-cert.pem') }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const route = routeOf(req.method, req.url);
      if (route) {
        counts[route] += 1;
        const retryAttempt = Number(req.headers['retry-attempt'] ?? 0);
        plan.beforeForward?.(route);
        const fault = plan.decide({ route, n: counts[route], retryAttempt });
        if (fault) graph.failNext(route, fault, 1);
        calls.push({ route, n: counts[route], retryAttempt, ...(fault ? { fault } : {}) });
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
      const forwarded = httpsRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          ca,
          headers: { ...headers, host: upstream.host },
        },
        (answer) => {
          res.writeHead(
            answer.statusCode ?? 502,
            Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()))),
          );
          answer.pipe(res);
        },
      );
      forwarded.on('error', () => res.destroy());
      // The caller gave up (its timeout): let go of the call to the stand-in too.
      res.on('close', () => {
        if (!res.writableFinished) forwarded.destroy();
      });
      forwarded.end(Buffer.concat(chunks));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `https://127.0.0.1:${port}/`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
