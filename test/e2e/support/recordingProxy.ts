import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One activity the bot produced: a message it sent (or updated), or the card it answered an invoke with. */
export interface RecordedActivity {
  readonly kind: 'sent' | 'invoke_answer';
  readonly conversationId: string;
  readonly body: string;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Sits between the Agents Playground and the bot and records everything the bot says, so a test can
 * scan every activity the suite produced. Inbound, it forwards the playground's activities to the bot
 * with their serviceUrl pointed at itself (and records the bot's invoke answers); outbound, it records
 * the bot's Bot Connector calls (send, reply, update) and forwards them to the playground.
 */
export async function startRecordingProxy(botMessagesUrl: string) {
  const recorded: RecordedActivity[] = [];
  let playgroundServiceUrl = '';
  const outbound = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const conversationId = decodeURIComponent(/\/v3\/conversations\/([^/]+)/.exec(req.url ?? '')?.[1] ?? '');
      if (req.method === 'POST' || req.method === 'PUT') recorded.push({ kind: 'sent', conversationId, body: body.toString('utf8') });
      const target = new URL(req.url ?? '/', playgroundServiceUrl);
      const answer = await fetch(target, {
        method: req.method ?? 'GET',
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => ['content-type', 'authorization', 'accept'].includes(k)) as [string, string][],
        ),
        ...(body.length > 0 ? { body } : {}),
      });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    })().catch((error: unknown) => {
      res.writeHead(502);
      res.end(String(error));
    });
  });
  const outboundOrigin = await listen(outbound);
  const inbound = createServer((req, res) => {
    void (async () => {
      const activity = JSON.parse((await readBody(req)).toString('utf8')) as {
        serviceUrl?: string;
        type?: string;
        conversation?: { id?: string };
      };
      if (activity.serviceUrl) {
        const original = new URL(activity.serviceUrl);
        playgroundServiceUrl = original.origin;
        activity.serviceUrl = `${outboundOrigin}${original.pathname}`;
      }
      const answer = await fetch(botMessagesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) },
        body: JSON.stringify(activity),
      });
      const text = await answer.text();
      if (activity.type === 'invoke') recorded.push({ kind: 'invoke_answer', conversationId: activity.conversation?.id ?? '', body: text });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(text);
    })().catch((error: unknown) => {
      res.writeHead(502);
      res.end(String(error));
    });
  });
  const inboundOrigin = await listen(inbound);
  return {
    /** Give the playground this as the bot's endpoint. */
    botEndpoint: `${inboundOrigin}/api/messages`,
    recorded,
    async close() {
      await Promise.all(
        [inbound, outbound].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}
