import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

import express from 'express';

import { createGraphClient } from '../../../src/adapters/graph/graphClient.ts';

/**
 * A local Microsoft Graph that speaks the two endpoints booking uses, with bodies shaped as in the
 * Graph documentation (fixtures 09b, 10b), over HTTPS with a test certificate. It records every
 * request, and can be told to answer 429 with Retry-After, 503, hang, or create the event and then
 * hang (the answer lost on the way back). Event creation is idempotent on transactionId, as Graph's is.
 */
export type GraphFault =
  { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown } | { kind: 'hang' } | { kind: 'hang_after_create' };

export interface GraphRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly authorization: string | undefined;
  readonly prefer: string | undefined;
  readonly answered: number | 'hung';
}

export interface GraphStandIn {
  /** For the graph-client's baseUrl: https://127.0.0.1:<port>/ */
  readonly baseUrl: string;
  readonly requests: GraphRequestRecord[];
  readonly events: Map<string, Record<string, unknown>>;
  /** Busy intervals per email (UTC ISO strings), and calendars that cannot be read. */
  setBusy(email: string, intervals: { start: string; end: string }[]): void;
  setUnreadable(email: string): void;
  /** Someone's Outlook working hours (default: Monday to Friday, 08:00-18:00, GMT Standard Time). */
  setWorkingHours(email: string, hours: { daysOfWeek: string[]; startTime: string; endTime: string; timeZone: { name: string } }): void;
  failNext(route: 'getSchedule' | 'createEvent' | 'sendMail', fault: GraphFault, times?: number): void;
  /** Messages accepted by sendMail, in order. */
  readonly mail: Record<string, unknown>[];
  omitJoinUrl(omit: boolean): void;
  /** Subscriptions created, by id (the last PATCH applied). */
  readonly subscriptions: Map<string, Record<string, unknown>>;
  /** A new email arriving in the partnership mailbox's inbox (seen by the next delta query). */
  deliverEmail(message: {
    id: string;
    subject: string;
    from: string;
    name?: string;
    preview?: string;
    attachments?: { name: string; contentType: string; content: string }[];
    /** When it reached the mailbox (Graph's receivedDateTime); 09:12Z on Thu 19 Nov 2026 unless given. */
    receivedAt?: string;
  }): void;
  /** How an attendee has answered invitations (Graph's attendees[].status.response). */
  setResponse(email: string, response: string): void;
  /** Forget requests, events, busy times, unreadable calendars and pending faults. */
  reset(): void;
  close(): Promise<void>;
}

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../../shared/fixtures/graph/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
/** Graph writes times with seven fractional digits and no zone letter: 2019-03-15T12:00:00.0000000 */
const graphDateTime = (iso: string) => new Date(iso).toISOString().replace('Z', '0000');
const tls = (name: string) => readFileSync(new URL(`./tls/${name}`, import.meta.url));

export async function startGraphStandIn(): Promise<GraphStandIn> {
  const requests: GraphRequestRecord[] = [];
  const events = new Map<string, Record<string, unknown>>();
  const busy = new Map<string, { start: string; end: string }[]>();
  const unreadable = new Set<string>();
  const workingHours = new Map<string, unknown>();
  const ukHours = {
    daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
    startTime: '08:00:00.0000000',
    endTime: '18:00:00.0000000',
    timeZone: { name: 'GMT Standard Time' },
  };
  const faults: { route: string; fault: GraphFault; times: number }[] = [];
  let noJoinUrl = false;
  const hung: express.Response[] = [];

  const app = express();
  app.use(express.json({ limit: '1mb' }));

  const takeFault = (route: string) => {
    const f = faults.find((x) => x.route === route && x.times > 0);
    if (f) f.times -= 1;
    return f?.fault;
  };
  const record = (req: express.Request, answered: number | 'hung') =>
    requests.push({
      method: req.method,
      path: req.path,
      body: req.body as Record<string, unknown>,
      authorization: req.headers.authorization,
      prefer: req.headers.prefer as string | undefined,
      answered,
    });
  const answerFault = (req: express.Request, res: express.Response, fault: GraphFault | undefined): boolean => {
    if (!fault || fault.kind === 'hang_after_create') return false;
    if (fault.kind === 'hang') {
      record(req, 'hung');
      hung.push(res);
      return true;
    }
    record(req, fault.status);
    res
      .status(fault.status)
      .set(fault.headers ?? {})
      .json(fault.body ?? { error: { code: 'ServiceUnavailable', message: 'Injected by the test.' } });
    return true;
  };

  app.post('/v1.0/users/:user/calendar/getSchedule', (req, res) => {
    if (answerFault(req, res, takeFault('getSchedule'))) return;
    const template = (fixture('09b-getSchedule-response.json').value as Record<string, unknown>[])[0]!;
    const value = (req.body.schedules as string[]).map((email) =>
      unreadable.has(email)
        ? {
            scheduleId: email,
            error: {
              message: 'The specified user cannot be found or free/busy is not shared.',
              responseCode: 'ErrorMailRecipientNotFound',
            },
          }
        : {
            ...template,
            scheduleId: email,
            availabilityView: '',
            workingHours: workingHours.get(email) ?? ukHours,
            scheduleItems: (busy.get(email) ?? []).map((i) => ({
              isPrivate: false,
              status: 'busy',
              subject: 'Busy',
              start: { dateTime: graphDateTime(i.start), timeZone: 'UTC' },
              end: { dateTime: graphDateTime(i.end), timeZone: 'UTC' },
            })),
          },
    );
    record(req, 200);
    res.json({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)', value });
  });

  app.post('/v1.0/users/:user/events', (req, res) => {
    const fault = takeFault('createEvent');
    if (answerFault(req, res, fault)) return;
    const key = String(req.body.transactionId ?? Math.random());
    let event = events.get(key);
    if (!event) {
      const published = fixture('10b-create-event-online-meeting-response-201.json');
      event = {
        ...published,
        id: `AAMkAD-test-${events.size + 1}`,
        subject: req.body.subject,
        body: req.body.body,
        start: req.body.start,
        end: req.body.end,
        attendees: req.body.attendees,
        transactionId: req.body.transactionId,
        onlineMeeting: noJoinUrl ? null : published.onlineMeeting,
      };
      events.set(key, event);
    }
    if (fault?.kind === 'hang_after_create') {
      record(req, 'hung');
      hung.push(res);
      return;
    }
    record(req, 201);
    res.status(201).json(event);
  });

  const mail: Record<string, unknown>[] = [];
  const responses = new Map<string, string>();
  const subscriptions = new Map<string, Record<string, unknown>>();
  // The inbox and Graph's delta query over it: pages of 2 joined by @odata.nextLink, then an
  // @odata.deltaLink whose token remembers how much was delivered (as in fixtures 15a-15c).
  const inbox: {
    id: string;
    subject: string;
    from: string;
    name?: string;
    preview?: string;
    attachments?: { name: string; contentType: string; content: string }[];
    receivedAt?: string;
  }[] = [];
  app.get('/v1.0/users/:user/mailFolders/inbox/messages/delta', (req, res) => {
    record(req, 200);
    const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0/users/${encodeURIComponent(req.params.user)}/mailFolders/inbox/messages/delta`;
    const from = Number(req.query.$deltatoken ?? req.query.$skiptoken ?? 0);
    const page = inbox.slice(from, from + 2).map((m) => ({
      '@odata.type': '#microsoft.graph.message',
      '@odata.etag': 'W/"test"',
      id: m.id,
      subject: m.subject,
      isRead: false,
      hasAttachments: Boolean(m.attachments?.length),
      bodyPreview: m.preview ?? '',
      receivedDateTime: m.receivedAt ?? '2026-11-19T09:12:00Z',
      from: { emailAddress: { address: m.from, name: m.name ?? m.from } },
      sender: { emailAddress: { address: m.from, name: m.name ?? m.from } },
    }));
    const end = from + page.length;
    const more = end < inbox.length && page.length === 2;
    res.json({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(message)',
      ...(more ? { '@odata.nextLink': `${base}?$skiptoken=${end}` } : { '@odata.deltaLink': `${base}?$deltatoken=${end}` }),
      value: page,
    });
  });
  app.get('/v1.0/users/:user/messages/:id/attachments', (req, res) => {
    record(req, 200);
    const published = fixture('15d-get-fileAttachment-response.json');
    const message = inbox.find((m) => m.id === req.params.id);
    res.json({
      value: (message?.attachments ?? []).map((a, i) => ({
        ...published,
        id: `att-${i}`,
        name: a.name,
        contentType: a.contentType,
        size: a.content.length,
        contentBytes: Buffer.from(a.content).toString('base64'),
      })),
    });
  });
  app.post('/v1.0/subscriptions', (req, res) => {
    record(req, 201);
    const created = { ...fixture('13d-subscription-create-response-201.json'), ...req.body, id: `sub-${subscriptions.size + 1}` };
    subscriptions.set(created.id as string, created);
    res.status(201).json(created);
  });
  app.patch('/v1.0/subscriptions/:id', (req, res) => {
    const sub = subscriptions.get(req.params.id);
    record(req, sub ? 200 : 404);
    if (!sub) return void res.status(404).json({ error: { code: 'ResourceNotFound', message: 'The object was not found.' } });
    Object.assign(sub, req.body);
    res.json(sub);
  });
  const findEvent = (id: string) => [...events.values()].find((e) => e.id === id);
  app.get('/v1.0/users/:user/events/:id', (req, res) => {
    const event = findEvent(req.params.id);
    record(req, event ? 200 : 404);
    if (!event)
      return void res
        .status(404)
        .json({ error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' } });
    const attendees = (event.attendees as { emailAddress: { address: string } }[]).map((a) => ({
      ...a,
      status: { response: responses.get(a.emailAddress.address) ?? 'none', time: '0001-01-01T00:00:00Z' },
    }));
    res.json({ id: event.id, isCancelled: false, attendees });
  });
  app.post('/v1.0/users/:user/events/:id/cancel', (req, res) => {
    const event = findEvent(req.params.id);
    record(req, event ? 202 : 404);
    if (!event)
      return void res
        .status(404)
        .json({ error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' } });
    event.isCancelled = true;
    res.status(202).end();
  });
  app.patch('/v1.0/users/:user/events/:id', (req, res) => {
    const event = findEvent(req.params.id);
    record(req, event ? 200 : 404);
    if (!event)
      return void res
        .status(404)
        .json({ error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' } });
    Object.assign(event, { start: req.body.start ?? event.start, end: req.body.end ?? event.end });
    res.json(event);
  });
  app.post('/v1.0/users/:user/sendMail', (req, res) => {
    const fault = takeFault('sendMail');
    if (answerFault(req, res, fault)) return;
    mail.push(req.body.message as Record<string, unknown>);
    if (fault?.kind === 'hang_after_create') {
      record(req, 'hung');
      hung.push(res);
      return;
    }
    record(req, 202);
    res.status(202).end();
  });

  const server: Server = createServer({ key: tls('localhost-key.pem'), cert: tls('localhost-cert.pem') }, app);
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `https://127.0.0.1:${port}/`,
    requests,
    events,
    mail,
    subscriptions,
    setBusy: (email, intervals) => {
      busy.set(email, intervals);
    },
    setUnreadable: (email) => {
      unreadable.add(email);
    },
    setWorkingHours: (email, hours) => {
      workingHours.set(email, hours);
    },
    failNext: (route, fault, times = 1) => {
      faults.push({ route, fault, times });
    },
    omitJoinUrl: (omit) => {
      noJoinUrl = omit;
    },
    setResponse: (email, response) => {
      responses.set(email, response);
    },
    deliverEmail: (message) => {
      inbox.push(message);
    },
    reset: () => {
      responses.clear();
      inbox.length = 0;
      requests.length = 0;
      events.clear();
      mail.length = 0;
      busy.clear();
      unreadable.clear();
      workingHours.clear();
      faults.length = 0;
      noJoinUrl = false;
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of hung) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The real graph-client pointed at the stand-in, with a fixed test token; short waits for tests. */
export function graphClientFor(graph: GraphStandIn, options: { timeoutMs?: number } = {}) {
  const credential = { getToken: async () => ({ token: 'test-graph-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
  return createGraphClient({
    credential,
    baseUrl: graph.baseUrl,
    customHosts: new Set(['127.0.0.1']),
    timeoutMs: options.timeoutMs ?? 1_500,
    retryDelaySeconds: 1,
    maxRetries: 2,
  });
}
