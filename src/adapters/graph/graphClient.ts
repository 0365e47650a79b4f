import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  type Context,
  HTTPMessageHandler,
  type Middleware,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';

/**
 * Gives up on a request that hangs. The graph-client has no timeout of its own; an aborted request
 * surfaces as an error our retry policy handles (bookings carry a transactionId, so a retry after a
 * timeout cannot create a second event).
 */
class TimeoutHandler implements Middleware {
  private next?: Middleware;
  constructor(private readonly timeoutMs: number) {}
  async execute(context: Context): Promise<void> {
    context.options = { ...context.options, signal: AbortSignal.timeout(this.timeoutMs) };
    await this.next!.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

export interface GraphClientOptions {
  readonly credential: TokenCredential;
  /** Tests point this at a local Graph stand-in (served over HTTPS, so the token is attached). */
  readonly baseUrl?: string;
  readonly customHosts?: ReadonlySet<string>;
  readonly timeoutMs?: number;
  /** RetryHandler: 429, 503, 504, honouring Retry-After. */
  readonly retryDelaySeconds?: number;
  readonly maxRetries?: number;
}

/** The Microsoft Graph client: auth from @azure/identity, the client's own RetryHandler, a timeout. */
export function createGraphClient(options: GraphClientOptions): Client {
  const auth = new AuthenticationHandler(
    new TokenCredentialAuthenticationProvider(options.credential, { scopes: ['https://graph.microsoft.com/.default'] }),
  );
  const retry = new RetryHandler(new RetryHandlerOptions(options.retryDelaySeconds ?? 3, options.maxRetries ?? 3));
  const timeout = new TimeoutHandler(options.timeoutMs ?? 30_000);
  const http = new HTTPMessageHandler();
  auth.setNext(retry);
  retry.setNext(timeout);
  timeout.setNext(http);
  return Client.initWithMiddleware({
    middleware: auth,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.customHosts ? { customHosts: new Set(options.customHosts) } : {}),
    defaultVersion: 'v1.0',
  });
}
