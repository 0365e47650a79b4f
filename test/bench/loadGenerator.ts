// The load generator for voteInvoke.bench.ts, run as a child process (forked with `--import tsx`) so
// that sending requests and timing the answers never competes with the service on its event loop.
// Import only its types. It receives one LoadRequest over IPC, runs autocannon for the warm-up and then the measured
// period, and answers with a LoadResult. Not a test, not a benchmark of its own.
import autocannon from 'autocannon';

export interface LoadRequest {
  /** e.g. http://127.0.0.1:1234/api/messages */
  readonly url: string;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  /**
   * Activity JSON bodies, used in turn. Each holds `placeholder`, replaced with a token unique to the
   * request (`<tag><phase>.<n>`, phase w or m), so every body differs from every other.
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

export interface PhaseResult {
  readonly seconds: number;
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly right: number;
  readonly wrong: number;
  /** Requests built (sent or about to be) in this phase: an upper bound on the service's writes. */
  readonly sent: number;
  readonly firstWrong?: string;
}

export interface LoadResult {
  readonly warmup: PhaseResult;
  readonly measured: PhaseResult;
}

async function phase(request: LoadRequest, name: 'w' | 'm', seconds: number): Promise<PhaseResult> {
  let built = 0;
  let right = 0;
  let wrong = 0;
  let firstWrong: string | undefined;
  const { templates, tokens, tag, placeholder } = request;
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{
      setupRequest(req) {
        const n = built;
        built += 1;
        return {
          ...req,
          headers: { ...req.headers, authorization: `Bearer ${tokens[n % tokens.length]!}` },
          body: templates[n % templates.length]!.replaceAll(placeholder, `${tag}${name}.${n}`),
        };
      },
      onResponse(status, body) {
        if (status >= 200 && status < 300 && request.expectAnyOf.some((s) => body.includes(s))) right += 1;
        else {
          wrong += 1;
          firstWrong ??= `${status} ${body.slice(0, 300)}`;
        }
      },
    }],
  });
  return {
    seconds: result.duration,
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    right,
    wrong,
    sent: built,
    ...(firstWrong ? { firstWrong } : {}),
  };
}

process.once('message', (message) => {
  const request = message as LoadRequest;
  void (async () => {
    const warmup = await phase(request, 'w', request.warmupSeconds);
    const measured = await phase(request, 'm', request.seconds);
    const answer: LoadResult = { warmup, measured };
    process.send!(answer);
  })().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
    process.disconnect();
  });
});
