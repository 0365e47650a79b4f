// The load generator for voteInvoke.bench.ts, run as a child process (forked with `--import tsx`) so
// that sending requests and timing the answers never competes with the service on its event loop.
// Import only its types. It receives one LoadRequest over IPC, runs autocannon once for the warm-up
// and the measured period together, and answers with a LoadResult.
//
// One continuous run, not two: autocannon abandons the requests in flight when a run ends, and the
// service still works through them, so a measured run started after a separate warm-up run would
// first spend its time on the warm-up's leftovers. Here the load never pauses; only the answers that
// arrive in the measured period are counted and timed.
import { performance } from 'node:perf_hooks';

import autocannon from 'autocannon';

export interface LoadRequest {
  /** e.g. http://127.0.0.1:1234/api/messages */
  readonly url: string;
  readonly connections: number;
  /** A request unanswered after this long counts as a timeout (an error), not as a latency. */
  readonly timeoutSeconds: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  /**
   * Activity JSON bodies, used in turn. Each holds `placeholder`, replaced with a token unique to the
   * request (`<tag>.<n>`), so every body differs from every other.
   */
  readonly templates: readonly string[];
  readonly placeholder: string;
  /** Channel tokens (JWTs), used in turn as `Authorization: Bearer <token>`. */
  readonly tokens: readonly string[];
  /** Prefix of the per-request token, so the service's writes can be found by run afterwards. */
  readonly tag: string;
  /** A 2xx answer counts as right when its body contains one of these. */
  readonly expectAnyOf: readonly string[];
}

export interface LoadResult {
  /** Length of the measured period, from the end of the warm-up to the end of the run. */
  readonly seconds: number;
  /** Answers received in the measured period, of any status. */
  readonly answers: number;
  readonly rps: number;
  /** Latencies (ms) of the answers received in the measured period. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** In the measured period: connection errors, of which timeouts; answers that were not 2xx. */
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  /** In the measured period: 2xx answers with, and any answers without, the expected text. */
  readonly right: number;
  readonly wrong: number;
  /** Over the whole run (warm-up too). */
  readonly total: { readonly sent: number; readonly right: number; readonly wrong: number; readonly errors: number };
  readonly firstWrong?: string;
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function run(request: LoadRequest): Promise<LoadResult> {
  const { templates, tokens, tag, placeholder } = request;
  const latencies: number[] = [];
  const measured = { answers: 0, errors: 0, timeouts: 0, non2xx: 0, right: 0, wrong: 0 };
  const total = { sent: 0, right: 0, wrong: 0, errors: 0 };
  let firstWrong: string | undefined;
  const started = performance.now();
  const measuredFrom = started + request.warmupSeconds * 1000;
  const inMeasuredPeriod = () => performance.now() >= measuredFrom;

  await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        connections: request.connections,
        duration: request.warmupSeconds + request.seconds,
        timeout: request.timeoutSeconds,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            setupRequest(req) {
              const n = total.sent;
              total.sent += 1;
              return {
                ...req,
                headers: { ...req.headers, authorization: `Bearer ${tokens[n % tokens.length]!}` },
                body: templates[n % templates.length]!.replaceAll(placeholder, `${tag}.${n}`),
              };
            },
            onResponse(status, body) {
              const right = status >= 200 && status < 300 && request.expectAnyOf.some((s) => body.includes(s));
              if (right) total.right += 1;
              else {
                total.wrong += 1;
                firstWrong ??= `${status} ${body.slice(0, 300)}`;
              }
              if (!inMeasuredPeriod()) return;
              if (right) measured.right += 1;
              else measured.wrong += 1;
            },
          },
        ],
      },
      (error: unknown, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (!inMeasuredPeriod()) return;
      measured.answers += 1;
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode >= 300) measured.non2xx += 1;
    });
    instance.on('reqError', (error: unknown) => {
      total.errors += 1;
      if (!inMeasuredPeriod()) return;
      measured.errors += 1;
      if (error instanceof Error && error.message === 'request timed out') measured.timeouts += 1;
    });
  });

  const seconds = (performance.now() - measuredFrom) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    seconds,
    ...measured,
    rps: measured.answers / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? 0,
    total,
    ...(firstWrong ? { firstWrong } : {}),
  };
}

process.once('message', (message) => {
  run(message as LoadRequest).then(
    (result) => process.send!(result),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
      process.disconnect();
    },
  );
});
