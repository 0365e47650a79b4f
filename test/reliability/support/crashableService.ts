// The test's side of test/reliability/postsCrash.test.ts: service instances as processes that can be
// SIGKILLed (support/serviceProcess.ts), the token service that signs their Bot Connector tokens, and a
// slow link in front of the Bot Connector stand-in, so that kills land while posts are in flight.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { Agent, createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';
import express from 'express';
import pg from 'pg';

import { migrate } from '../../../src/adapters/store/migrate.ts';
import { openPostgresDatabase } from '../../../src/adapters/store/postgresDatabase.ts';
import type { Database } from '../../../src/adapters/store/sqlExecutor.ts';
import { type ListeningServer, listenOnLoopback } from '../../support/botframework/listen.ts';
import { type BotTokenRequest, type LocalIdentityProvider, TEST_APP_ID } from '../../support/botframework/localIdentityProvider.ts';
import { startTeamsStandIns, type TeamsStandIns } from './restartableService.ts';

/** Signs the bot's Bot Connector tokens for instances in other processes (the keys stay here). */
export async function startTokenService(identity: LocalIdentityProvider): Promise<ListeningServer & { url: string }> {
  const app = express();
  app.post('/token', express.json(), async (req, res) => {
    res.json({ token: await identity.signBotToken(req.body as BotTokenRequest) });
  });
  const server = await listenOnLoopback(app);
  return { ...server, url: `${server.origin}/token` };
}

/** One call through the link: what went to the stand-in, and what it answered. */
export interface ConnectorExchange {
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  status?: number;
  /** The stand-in's answer (parsed JSON), once it has come back; undefined while in flight. */
  answer?: unknown;
  answered: boolean;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);
const endToEnd = (headers: IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));

/**
 * The network between the bot and the Bot Connector: each call goes straight to the stand-in (which
 * records and answers it: Teams has the post from then on), and its answer comes back to the bot after
 * up to `maxDelayMs`. A bot killed in that gap has posted something it never heard about. Each
 * forwarded call carries `proxySeq` in its query (the stand-in records the query), so a recorded
 * request can be matched with the answer it got (the id of the activity it created).
 */
export async function startSlowConnectorLink(target: string, options: { maxDelayMs: number; random?: () => number }) {
  const upstream = new URL(target);
  const random = options.random ?? Math.random;
  const exchanges = new Map<number, ConnectorExchange>();
  const waiting = new Set<() => void>();
  const agent = new Agent({ keepAlive: true });
  let seq = 0;
  /** Calls whose answer never comes back to the bot (the stand-in still takes and records them). */
  let holding: ((call: { method: string; path: string; body: string }) => boolean) | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seq += 1;
      const exchange: ConnectorExchange = { seq, method: req.method ?? 'GET', path: req.url ?? '/', answered: false };
      exchanges.set(seq, exchange);
      for (const wake of waiting) wake();
      waiting.clear();
      const url = req.url ?? '/';
      const forwarded = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          agent,
          path: `${url}${url.includes('?') ? '&' : '?'}proxySeq=${seq}`,
          headers: { ...endToEnd(req.headers), host: upstream.host },
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            const raw = Buffer.concat(body);
            const text = raw.toString('utf8');
            exchange.status = answer.statusCode ?? 0;
            try {
              exchange.answer = text ? (JSON.parse(text) as unknown) : undefined;
            } catch {
              exchange.answer = text;
            }
            exchange.answered = true;
            if (holding?.({ method: exchange.method, path: exchange.path, body: Buffer.concat(chunks).toString('utf8') })) return;
            setTimeout(() => {
              if (res.destroyed) return; // the bot is gone
              res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
              res.end(raw);
            }, random() * options.maxDelayMs);
          });
        },
      );
      forwarded.on('error', () => res.destroy());
      forwarded.end(Buffer.concat(chunks));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    exchanges,
    /** From now on, calls for which `which` says true get no answer (undefined: every call is answered again). */
    holdAnswers(which: typeof holding) {
      holding = which;
    },
    /** Resolves true when the next call arrives, false after `timeoutMs` without one. */
    nextCall(timeoutMs: number): Promise<boolean> {
      return new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiting.delete(wake);
          resolve(false);
        }, timeoutMs);
        waiting.add(wake);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * serviceProcess.ts compiled by esbuild into one ES module with the src/ modules and the packages it
 * imports: a crash test starts an instance for every kill, and an instance under `node --import tsx`
 * takes about 6 s of CPU to load its 300-odd TypeScript modules through the loader hooks, about 2.5 s
 * compiled with the packages loaded from node_modules, and about 1 s as one file. `packages:
 * 'external'` keeps the packages as installed. PGlite (WebAssembly beside its module), esbuild and
 * pg's optional native binding stay outside; everything else keeps its own import.meta.url (the card
 * templates, profiles and migrations are read from beside their modules), and CommonJS packages get
 * a require. Written under node_modules/.cache, so that what stays outside resolves from there.
 */
export async function bundleServiceProcess(
  options: { packages?: 'bundle' | 'external' } = {},
): Promise<{ file: string; remove(): Promise<void> }> {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const file = `${root}node_modules/.cache/posts-crash/serviceProcess-${randomBytes(4).toString('hex')}.mjs`;
  await build({
    entryPoints: [fileURLToPath(new URL('./serviceProcess.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: file,
    logLevel: 'warning',
    ...(options.packages === 'external'
      ? { packages: 'external' as const }
      : {
          external: ['@electric-sql/pglite', 'esbuild', 'pg-native'],
          banner: {
            js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
          },
        }),
    plugins: [
      {
        name: 'own-module-urls',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (args) => ({
            contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  return { file, remove: () => rm(file, { force: true }) };
}

/** A service instance as its own process (test/reliability/support/serviceProcess.ts). */
export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Set once it listens. */
  origin?: string;
  instanceId?: string;
  /** Whether it has said "ready" and has not been killed. */
  readonly alive: boolean;
  /** Composes and listens (a spare that was waiting), resolving once it is ready. */
  go(): Promise<void>;
  /** Resolves once it is ready (without telling a spare to go). */
  readonly ready: Promise<void>;
  kill(): void;
  readonly exited: Promise<void>;
  /** What it printed (the last 20,000 characters). */
  output(): string;
}

/**
 * Starts an instance process (the compiled `bundle`, or the TypeScript under tsx). With `spare`, it
 * loads its modules and waits for go() before composing the service; otherwise go() only waits for
 * it to be ready.
 */
export function spawnServiceProcess(
  name: string,
  env: Record<string, string>,
  options: { spare: boolean; bundle?: string },
): ServiceProcess {
  const args = options.bundle ? [options.bundle] : ['--import', 'tsx', fileURLToPath(new URL('./serviceProcess.ts', import.meta.url))];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, WAIT_FOR_GO: options.spare ? '1' : '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let ready = false;
  let killed = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const readyAt = new Promise<void>((resolve, reject) => {
    const look = () => {
      const match = /ready (\d+) (\S+)/.exec(out);
      if (!match) return;
      handle.origin = `http://127.0.0.1:${match[1]}`;
      handle.instanceId = match[2];
      ready = true;
      child.stdout!.off('data', look);
      resolve();
    };
    child.stdout!.on('data', look);
    child.once('exit', (code, signal) => {
      if (!ready) reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${out}`));
    });
  });
  readyAt.catch(() => undefined);
  const handle: ServiceProcess = {
    name,
    child,
    exited,
    ready: readyAt,
    get alive() {
      return ready && !killed;
    },
    async go() {
      if (options.spare) child.stdin!.write('go\n');
      await readyAt;
    },
    kill() {
      killed = true;
      child.kill('SIGKILL');
    },
    output: () => out,
  };
  return handle;
}

/**
 * Everything around the instances of a crash test: a database of its own on the PostgreSQL server at
 * `databaseUrl` (migrated), Teams (the identity provider and the Bot Connector stand-in, behind the
 * slow link), the token service, and the compiled instance. `spawn` starts instances (or spares);
 * `close` kills whatever is left and drops the database.
 */
export async function startCrashableWorld(
  databaseUrl: string,
  options: { prefix: string; leaseSeconds: number; connectorDelayMs: number; clockStart: number },
) {
  const dbName = `${options.prefix}_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${dbName}`);
  const url = Object.assign(new URL(databaseUrl), { pathname: `/${dbName}` }).toString();
  const db: Database = openPostgresDatabase({ connectionString: url });
  await migrate(db);
  const standIns: TeamsStandIns = await startTeamsStandIns();
  const link = await startSlowConnectorLink(new URL(standIns.connector.serviceUrl).origin, { maxDelayMs: options.connectorDelayMs });
  const tokens = await startTokenService(standIns.identity);
  const bundle = await bundleServiceProcess();
  const { identity } = standIns;
  /** What Teams puts on inbound activities: the Bot Connector, reached through the link. */
  const serviceUrl = `${link.origin}/amer/`;
  const env = {
    DATABASE_URL: url,
    CLOCK_OFFSET_MS: String(options.clockStart - Date.now()),
    OUTBOX_LEASE_SECONDS: String(options.leaseSeconds),
    SENDER_INTERVAL_MS: '500',
    BOT_AUTH: JSON.stringify({
      endpoints: identity.botFrameworkAuthConfig(TEST_APP_ID),
      openIdMetadataUrl: identity.channelOpenIdMetadataUrl,
      identityUrl: identity.url,
      tokenUrl: tokens.url,
    }),
  };
  const token = await identity.signChannelToken({ appId: TEST_APP_ID, serviceUrl });
  const processes = new Set<ServiceProcess>();
  /** Instance id -> its process, once it has said ready. */
  const instances = new Map<string, ServiceProcess>();
  let spawned = 0;
  return {
    db,
    url,
    standIns,
    link,
    serviceUrl,
    instances,
    spawn(spare: boolean): ServiceProcess {
      spawned += 1;
      const p = spawnServiceProcess(`instance ${spawned}`, env, { spare, bundle: bundle.file });
      processes.add(p);
      void p.ready.then(
        () => instances.set(p.instanceId!, p),
        () => undefined,
      );
      void p.exited.then(() => processes.delete(p));
      return p;
    },
    /** One POST to an instance with a channel token, as the Bot Framework channel makes it; rejects when the connection is refused or cut. */
    async post(origin: string, activity: unknown): Promise<{ status: number; body: unknown }> {
      const res = await fetch(`${origin}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(activity),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await res.text();
      return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : text };
    },
    async close() {
      for (const p of processes) p.kill();
      await Promise.all([...processes].map((p) => p.exited));
      await db.close();
      await tokens.close();
      await link.close();
      await standIns.close();
      await bundle.remove();
      await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    },
  };
}
