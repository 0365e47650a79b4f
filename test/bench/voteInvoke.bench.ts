// Benchmark: a DSP's vote (the adaptiveCard/action invoke `case.vote`) through the real service, next
// to a bare echo on the same HTTP stack, in the same run on the same machine. Both have
// authentication ON against the same local OpenID/JWKS identity provider, and both receive the same
// real Teams activity JSON (Action.Execute, channel scope). Prints a table; not a test, not run by CI.
//
//   npx tsx test/bench/voteInvoke.bench.ts                                   # PGlite only
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx test/bench/voteInvoke.bench.ts
//
// Environment: BENCH_SECONDS (measured period per path, default 10), BENCH_WARMUP_SECONDS (default 2),
// BENCH_CONNECTIONS (default 50), BENCH_CASES (default 200), BENCH_CASE_THREADS=off to skip posting
// each case's thread and DSP copies (then a vote has no cards to update in the background).
//
// The vote path is the composed service (src/composition.ts) as test/support/teamsHarness.ts builds
// it: channel token guard, CloudAdapter with botbuilder's own token validation, PartnershipBot,
// castVote. The cases come from submitReferral, each announced in the team's channel (a thread and a
// 1:1 copy per DSP, as a referral submitted in Teams is) and given a first police and health vote.
// Only the police and health DSPs then vote, so the decision (which needs all three agencies) never
// closes; the decision alternates per visit to a (case, agency) and every request carries a
// rationale no earlier request had, so every request changes a vote: it locks the case, updates the
// vote row, appends an audit entry, refreshes the clocks and answers with the voter's refreshed
// card; afterwards, in the background, the channel card and the three DSP copies are updated through
// the Bot Connector stand-in, as after a real vote. The run then checks that the votes and audit
// entries were really written.
//
// The echo path is a second app from createHttpApp with the same channel token guard and a CloudAdapter
// from createCloudAdapter, whose TeamsActivityHandler answers the invoke with a tiny card.
//
// The load comes from autocannon in a child process (loadGenerator.ts), so it does not share the
// service's event loop. PostgreSQL gets a database of its own for the run, dropped afterwards.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { type Activity, type AdaptiveCardInvokeResponse, TeamsActivityHandler } from 'botbuilder';
import type { ServiceClientCredentials } from 'botframework-connector';
import pg from 'pg';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import { listCaseMessages } from '../../src/adapters/store/caseMessageRepository.ts';
import { openPgliteDatabase } from '../../src/adapters/store/pgliteDatabase.ts';
import { openPostgresDatabase } from '../../src/adapters/store/postgresDatabase.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { createCloudAdapter } from '../../src/adapters/teams/botAuthentication.ts';
import { channelTokenGuard } from '../../src/adapters/teams/channelTokenGuard.ts';
import { escapeMarkdown } from '../../src/app/cards/cardText.ts';
import { agencyLabel } from '../../src/app/cards/caseCardModel.ts';
import { resetWorkCounters, workCounters } from '../../src/app/diagnostics/workCounters.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { CASE_POST_KINDS } from '../../src/app/teams/caseMessageDelivery.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import { composeServices, type Services } from '../../src/composition.ts';
import { allowedTenants, readConfig } from '../../src/config.ts';
import { createHttpApp } from '../../src/http/createHttpApp.ts';
import { type BotConnectorStandIn, type ConnectorMember, startBotConnectorStandIn } from '../support/botframework/botConnectorStandIn.ts';
import { type ListeningServer, listenOnLoopback } from '../support/botframework/listen.ts';
import {
  BOT_CONNECTOR_AUDIENCE,
  type LocalIdentityProvider,
  startLocalIdentityProvider,
  TEST_APP_ID,
  TEST_TENANT_ID,
  TestCredentialsFactory,
} from '../support/botframework/localIdentityProvider.ts';
import { postActivity } from '../support/botframework/postActivity.ts';
import { adaptiveCardExecute, botAddedToTeam, teamsBotAccount } from '../support/botframework/teamsActivities.ts';
import { fakeClock, sampleReferral } from '../support/fixtures.ts';
import { CHANNEL, PEOPLE, type PersonKey, TEAM } from '../support/teamsHarness.ts';
import { countingDatabase } from './countingDatabase.ts';
import type { LoadRequest, LoadResult } from './loadGenerator.ts';

const seconds = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds`);
  return value;
};
const SECONDS = seconds('BENCH_SECONDS', 10);
const WARMUP_SECONDS = seconds('BENCH_WARMUP_SECONDS', 2);
const CONNECTIONS = Math.round(seconds('BENCH_CONNECTIONS', 50));
const CASES = Math.round(seconds('BENCH_CASES', 200));
const CASE_THREADS = process.env.BENCH_CASE_THREADS !== 'off';
/** autocannon's default: an answer later than this is an error, and missing from the latency histogram. */
const TIMEOUT_SECONDS = 10;
const TOKENS = 8;
const PLACEHOLDER = '__BENCH_SEQ__';
const AIM_THROUGHPUT = 0.5;
const AIM_P99 = 3;
const CARD = 'application/vnd.microsoft.card.adaptive';
const ECHO_TEXT = 'Bench echo';
const VOTERS = [
  ['policeDsp', 'police'],
  ['healthDsp', 'health'],
] as const satisfies readonly (readonly [PersonKey, string])[];
const DECISIONS = ['notify', 'do_not_notify'] as const;

type WebResource = Parameters<ServiceClientCredentials['signRequest']>[0];

/**
 * TestCredentialsFactory signs a fresh Bot Connector token for every outbound call; botbuilder's real
 * credentials (MSAL, managed identity) fetch one and reuse it until it nears expiry. The benchmark
 * does the same, so RSA signing in the test double is not counted as the vote path's cost. The
 * factory's own checks (app id, local login endpoint) still run on every call.
 */
class ReusedTokenCredentialsFactory extends TestCredentialsFactory {
  private readonly tokens = new Map<string, { token: Promise<string>; renewAt: number }>();

  constructor(private readonly idp: LocalIdentityProvider) {
    super({ appId: TEST_APP_ID, identity: idp });
  }

  override async createCredentials(appId: string, audience: string | undefined, loginEndpoint: string): Promise<ServiceClientCredentials> {
    await super.createCredentials(appId, audience, loginEndpoint);
    const scope = audience || BOT_CONNECTOR_AUDIENCE;
    const tokenFor = () => {
      const cached = this.tokens.get(scope);
      if (cached && cached.renewAt > Date.now()) return cached.token;
      const token = this.idp.signBotToken({ appId, tenantId: this.tenantId, audience: scope });
      this.tokens.set(scope, { token, renewAt: Date.now() + 30 * 60_000 });
      return token;
    };
    return {
      async signRequest(webResource: WebResource): Promise<WebResource> {
        webResource.headers.set('authorization', `Bearer ${await tokenFor()}`);
        return webResource;
      },
    };
  }
}

/** The bare echo: answers every Action.Execute with a tiny card. */
class EchoBot extends TeamsActivityHandler {
  protected override async onAdaptiveCardInvoke(): Promise<AdaptiveCardInvokeResponse> {
    return {
      statusCode: 200,
      type: CARD,
      value: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: ECHO_TEXT }] } as never,
    };
  }
}

/** The roster the Bot Connector stand-in serves, as startTeamsHarness builds it. */
function rosterMember(key: PersonKey): ConnectorMember {
  const p = PEOPLE[key];
  return {
    id: p.id,
    name: p.name,
    objectId: p.aadObjectId,
    aadObjectId: p.aadObjectId,
    tenantId: TEST_TENANT_ID,
    userRole: 'user',
    email: `${key.toLowerCase()}@partnership.example`,
  };
}

interface Engine {
  readonly label: string;
  readonly db: Database;
  /** Drops whatever the engine created for the run (after db.close). */
  cleanup(): Promise<void>;
}

/** What an interrupted run must still undo (the PostgreSQL database, the PGlite folder). */
const cleanups: (() => Promise<void>)[] = [];
let interrupted = false;
const onSignal = (signal: NodeJS.Signals) => {
  // Stays registered: tsx relays a second signal when the first is not acknowledged at once, and
  // with no listener left the process would exit before cleaning up.
  if (interrupted) return;
  interrupted = true;
  console.error(`\n${signal}: cleaning up`);
  void Promise.allSettled(cleanups.map((c) => c())).finally(() => process.exit(130));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

/**
 * Whether a process of this machine is still running. Names below carry the pid of the run that made
 * them, so a run can remove what an earlier, killed run left behind (tsx answers an interrupt it
 * cannot deliver within 60 ms with SIGKILL, which no cleanup survives) without touching a live run's.
 */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openPglite(): Promise<Engine> {
  for (const entry of readdirSync(tmpdir())) {
    const pid = /^bench-vote-pglite-(\d+)-/.exec(entry)?.[1];
    if (pid && !running(Number(pid))) {
      rmSync(join(tmpdir(), entry), { recursive: true, force: true });
      console.log(`(removed ${entry}, left by an interrupted run)`);
    }
  }
  // As the service runs without DATABASE_URL: PGlite in a data directory of its own.
  const dir = mkdtempSync(join(tmpdir(), `bench-vote-pglite-${process.pid}-`));
  const remove = async () => rmSync(dir, { recursive: true, force: true });
  cleanups.push(remove);
  return { label: 'PGlite', db: await openPgliteDatabase(dir), cleanup: remove };
}

async function openPostgres(databaseUrl: string): Promise<Engine> {
  const name = `bench_vote_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    // Databases of earlier runs that were killed: their process is gone and nobody is connected.
    const { rows } = await admin.query<{ datname: string; connections: number }>(
      `SELECT d.datname, (SELECT count(*)::int FROM pg_stat_activity a WHERE a.datname = d.datname) AS connections
       FROM pg_database d WHERE d.datname ~ '^bench_vote_[0-9]+_[0-9a-f]+$'`,
    );
    for (const { datname, connections } of rows) {
      if (connections > 0 || running(Number(datname.split('_')[2]))) continue;
      await admin.query(`DROP DATABASE IF EXISTS ${datname}`).then(
        () => console.log(`(dropped database ${datname}, left by an interrupted run)`),
        (error: unknown) =>
          console.log(`(could not drop ${datname}, left by an interrupted run: ${error instanceof Error ? error.message : String(error)})`),
      );
    }
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const drop = async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
  cleanups.push(drop);
  const url = Object.assign(new URL(databaseUrl), { pathname: `/${name}` }).toString();
  // The pool the service opens for DATABASE_URL (openPostgresDatabase's default size).
  return { label: 'PostgreSQL', db: openPostgresDatabase({ connectionString: url }), cleanup: drop };
}

interface Stack {
  readonly services: Services;
  readonly vote: ListeningServer;
  readonly echo: ListeningServer;
}

async function startStack(db: Database, identity: LocalIdentityProvider): Promise<Stack> {
  const credentialsFactory = new ReusedTokenCredentialsFactory(identity);
  const botAuth = {
    endpoints: identity.botFrameworkAuthConfig(TEST_APP_ID),
    credentialsFactory,
    openIdMetadataUrl: identity.channelOpenIdMetadataUrl,
  };
  const clock = fakeClock('2026-11-19T10:00:00Z');
  const services = await composeServices(
    readConfig({ MicrosoftAppId: TEST_APP_ID, MicrosoftAppTenantId: TEST_TENANT_ID, LOG_LEVEL: 'error' }),
    { db, now: clock.now, botAuth },
  );
  const { config } = services;
  // The echo app: built exactly as composeServices builds the real one, with another bot.
  const adapter = createCloudAdapter(
    {
      appId: config.MicrosoftAppId,
      appType: config.MicrosoftAppType,
      tenantId: config.MicrosoftAppTenantId,
      password: config.MicrosoftAppPassword,
    },
    botAuth,
  );
  const tokenGuard = channelTokenGuard({ appId: config.MicrosoftAppId, openIdMetadataUrl: botAuth.openIdMetadataUrl });
  const echoHttp = createHttpApp({
    db,
    logger: services.logger,
    bot: { adapter, bot: new EchoBot(), tokenGuard, allowedTenantIds: allowedTenants(services.config) },
  });
  return { services, vote: await listenOnLoopback(services.http), echo: await listenOnLoopback(echoHttp) };
}

interface Seeded {
  readonly templates: string[];
  readonly setupMs: number;
}

/** The team, the DSPs and the cases; returns one activity template per (case, voter, decision). */
async function seed(stack: Stack, identity: LocalIdentityProvider, connector: BotConnectorStandIn): Promise<Seeded> {
  const started = performance.now();
  const { services } = stack;
  const bot = teamsBotAccount(TEST_APP_ID);
  const send = async (activity: Activity) =>
    postActivity(stack.vote.origin, activity, {
      token: await identity.signChannelToken({ appId: TEST_APP_ID, serviceUrl: connector.serviceUrl }),
    });

  // installInTestTeam and assignTestDsps, as the protocol tests set up.
  const added = await send(
    botAddedToTeam({
      serviceUrl: connector.serviceUrl,
      bot,
      from: { ...PEOPLE.manager },
      tenantId: TEST_TENANT_ID,
      team: TEAM,
      channel: CHANNEL,
    }),
  );
  if (added.status !== 200) throw new Error(`adding the bot to the team answered ${added.status}`);
  for (const [who, agency] of [
    ['laDsp', 'local_authority'],
    ['policeDsp', 'police'],
    ['healthDsp', 'health'],
  ] as const) {
    await assignRole(services.ctx.db, { role: 'dsp', scope: agency, userId: PEOPLE[who].aadObjectId });
  }
  await services.work.drain();

  const cases: { id: string; threadRootId?: string }[] = [];
  for (let i = 0; i < CASES; i += 1) {
    const { case: record } = await submitReferral(services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId);
    // The case's thread and DSP copies, from the outbox as the service sends them.
    if (CASE_THREADS) await services.send({ kinds: CASE_POST_KINDS });
    const thread = (await listCaseMessages(services.ctx.db, record.id)).find((m) => m.purpose === 'channel_card');
    cases.push({ id: record.id, ...(thread ? { threadRootId: thread.activityId } : {}) });
    // A first vote for each voter, so that every benchmark request changes one (an update, never an insert).
    for (const [who, agency] of VOTERS) {
      await castVote(
        services.ctx,
        { caseId: record.id, agency, decision: 'do_not_notify', rationale: 'Bench first vote (fictional).' },
        PEOPLE[who].aadObjectId,
      );
    }
  }
  connector.reset();

  // Template j: case j % CASES, voter (police, then health) by pass over the cases, decision by
  // round, so the requests in flight at once are for different cases (two DSPs rarely vote on one
  // case in the same moment) and consecutive visits to a (case, voter) alternate the decision. The
  // placeholder gives each request its own rationale and activity id.
  const pairs = VOTERS.flatMap(([who, agency]) => cases.map((c) => ({ ...c, who, agency })));
  const templates = DECISIONS.flatMap((decision) =>
    pairs.map(({ id, threadRootId, who, agency }) =>
      JSON.stringify(
        adaptiveCardExecute({
          serviceUrl: connector.serviceUrl,
          bot,
          from: { ...PEOPLE[who] },
          tenantId: TEST_TENANT_ID,
          conversationType: 'channel',
          team: TEAM,
          channel: CHANNEL,
          id: `bench-${PLACEHOLDER}`,
          ...(threadRootId ? { threadRootId, replyToId: threadRootId } : {}),
          verb: 'case.vote',
          title: 'Record my vote',
          data: { caseId: id, agency, decision, rationale: `Bench rationale ${PLACEHOLDER}: ${decision.replace(/_/g, ' ')} (fictional).` },
        }),
      ),
    ),
  );
  return { templates, setupMs: performance.now() - started };
}

async function runLoad(request: LoadRequest): Promise<LoadResult> {
  const child = fork(fileURLToPath(new URL('./loadGenerator.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const answered = once(child, 'message');
  child.send(request);
  const [result] = await Promise.race([
    answered,
    exited.then(([code]) => {
      throw new Error(`the load generator exited (${String(code)}) without a result`);
    }),
  ]);
  child.disconnect();
  await exited;
  return result as LoadResult;
}

interface Row {
  readonly engine: string;
  readonly path: 'echo' | 'vote';
  readonly result: LoadResult;
}

interface Verification {
  readonly lines: string[];
  readonly ok: boolean;
}

/** How the answer card spells "Your vote for <agency> is changed." (markdown-escaped, inside JSON). */
const changedText = (stack: Stack, agency: string) =>
  JSON.stringify(escapeMarkdown(`Your vote for ${agencyLabel(stack.services.ctx.profile, agency)} is changed.`)).slice(1, -1);

const count = async (db: Database, sql: string, values: unknown[] = []) => Number((await db.query<{ n: number }>(sql, values)).rows[0]!.n);

async function benchEngine(
  engine: Engine,
  identity: LocalIdentityProvider,
  connector: BotConnectorStandIn,
  index: number,
): Promise<{ rows: Row[]; notes: string[]; verification: Verification }> {
  const counted = countingDatabase(engine.db);
  const stack = await startStack(counted.db, identity);
  try {
    const { templates, setupMs } = await seed(stack, identity, connector);
    const tokens = await Promise.all(
      Array.from({ length: TOKENS }, () => identity.signChannelToken({ appId: TEST_APP_ID, serviceUrl: connector.serviceUrl })),
    );
    const base = {
      connections: CONNECTIONS,
      timeoutSeconds: TIMEOUT_SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      seconds: SECONDS,
      templates,
      tokens,
      placeholder: PLACEHOLDER,
    };
    const notes = [
      `${engine.label}: ${CASES} cases set up in ${(setupMs / 1000).toFixed(1)} s (${CASE_THREADS ? 'each with its channel thread and 3 DSP copies' : 'no channel threads'}).`,
    ];

    // One request down each path first: a wrong answer should stop the run, not become a figure.
    const probe = await postActivity(`${stack.echo.origin}/api/messages`, JSON.parse(templates[0]!.replaceAll(PLACEHOLDER, 'probe')), {
      token: tokens[0]!,
    });
    if (probe.status !== 200 || !JSON.stringify(probe.body).includes(ECHO_TEXT))
      throw new Error(`echo probe answered ${probe.status} ${JSON.stringify(probe.body)}`);
    const voteProbe = await postActivity(`${stack.vote.origin}/api/messages`, JSON.parse(templates[0]!.replaceAll(PLACEHOLDER, 'probe')), {
      token: tokens[0]!,
    });
    if (voteProbe.status !== 200 || !JSON.stringify(voteProbe.body).includes(changedText(stack, 'police')))
      throw new Error(`vote probe answered ${voteProbe.status} ${JSON.stringify(voteProbe.body).slice(0, 500)}`);
    await stack.services.work.drain();
    notes.push(await costOfOneVote(stack, templates, tokens[0]!, counted, engine.label));
    connector.reset();

    const echo = await runLoad({ ...base, url: `${stack.echo.origin}/api/messages`, tag: `X${index}`, expectAnyOf: [ECHO_TEXT] });

    // During the vote run: tally (and forget) the Bot Connector calls each second, and watch the
    // background work (the card updates) the votes leave behind.
    const db = engine.db;
    const auditBefore = await count(db, 'SELECT count(*)::int AS n FROM audit_log');
    const connectorCalls = new Map<string, number>();
    const tally = () => {
      for (const r of connector.requests)
        connectorCalls.set(`${r.route} ${r.status}`, (connectorCalls.get(`${r.route} ${r.status}`) ?? 0) + 1);
      connector.reset();
    };
    let peakBackground = 0;
    const sampler = setInterval(() => {
      peakBackground = Math.max(peakBackground, stack.services.work.size);
    }, 50);
    const tallier = setInterval(tally, 1000);
    const tag = `V${index}`;
    let vote: LoadResult;
    try {
      // Right: the answer the card action gives when castVote changed the vote.
      vote = await runLoad({
        ...base,
        url: `${stack.vote.origin}/api/messages`,
        tag,
        expectAnyOf: VOTERS.map(([, agency]) => changedText(stack, agency)),
      });
    } finally {
      clearInterval(sampler);
      clearInterval(tallier);
    }
    // The load generator has stopped, but the service may still be working through requests it
    // had accepted (some timed out on the client side) and their background card updates. Wait
    // until the audit log has stood still for a second with no background work left.
    const backlog = stack.services.work.size;
    peakBackground = Math.max(peakBackground, backlog);
    const settleStarted = performance.now();
    let settleMs = 0;
    for (let seen = -1; ;) {
      await stack.services.work.drain();
      const now = await count(db, 'SELECT count(*)::int AS n FROM audit_log');
      if (now === seen && stack.services.work.size === 0) break;
      if (now !== seen) settleMs = performance.now() - settleStarted;
      seen = now;
      if (performance.now() - settleStarted > 120_000) throw new Error('the service was still writing 2 minutes after the load stopped');
      await sleep(1000);
    }
    tally();

    // Proof the figure is real: what this run's requests wrote (each carries `<tag>.<n>` in its rationale).
    const runLike = `%Bench rationale ${tag}.%`;
    const votesAudited = (action: string) =>
      count(db, `SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND details->>'rationale' LIKE $2`, [action, runLike]);
    const changed = await votesAudited('vote_changed');
    const cast = await votesAudited('vote_cast');
    const auditAll = (await count(db, 'SELECT count(*)::int AS n FROM audit_log')) - auditBefore;
    const votesRows = await count(db, 'SELECT count(*)::int AS n FROM votes');
    const votesFromRun = await count(db, 'SELECT count(*)::int AS n FROM votes WHERE rationale LIKE $1', [runLike]);
    const laVotes = await count(db, `SELECT count(*)::int AS n FROM votes WHERE agency = 'local_authority'`);
    const decided = await count(db, `SELECT count(*)::int AS n FROM cases WHERE stage <> 'dsp_decision'`);
    const chain = await verifyAuditChain(db);
    const updates = [...connectorCalls].filter(([k]) => k.startsWith('updateActivity')).reduce((s, [, n]) => s + n, 0);
    const otherCalls = [...connectorCalls].filter(([k]) => !k.startsWith('updateActivity 200')).map(([k, n]) => `${k}: ${n}`);
    const t = vote.total;
    const written = changed >= t.right && changed <= t.sent;
    const ok =
      written &&
      cast === 0 &&
      t.wrong === 0 &&
      echo.total.wrong === 0 &&
      decided === 0 &&
      laVotes === 0 &&
      votesRows === 2 * CASES &&
      chain.ok &&
      votesFromRun > 0;
    const runSeconds = WARMUP_SECONDS + vote.seconds;
    const lines = [
      `${engine.label} vote run (${WARMUP_SECONDS} s warm-up + ${vote.seconds.toFixed(1)} s measured): ${t.sent} requests sent, ${t.right} answered right ("Your vote for <agency> is changed."), ${t.wrong} wrong, ${t.errors} errors; in the measured period ${vote.right} right, ${vote.wrong} wrong, ${vote.errors} errors of which ${vote.timeouts} timeouts (${TIMEOUT_SECONDS} s).`,
      `  audit entries: ${changed} vote_changed from this run's requests (vote_cast: ${cast}); ${auditAll} entries of any kind written during the run`,
      `  right answers <= votes changed <= requests sent: ${written ? 'yes' : 'NO'} (changed but not answered in time: requests in flight when the load stopped, or timed out)`,
      `  votes table: ${votesRows} rows (${CASES} cases x police and health; local authority: ${laVotes}), ${votesFromRun} of them last changed by this run; cases decided: ${decided}`,
      `  audit chain after the run: ${chain.ok ? 'unbroken' : 'BROKEN'} (${chain.entries} entries)`,
      `  background card updates: ${updates} updateActivity calls to the Bot Connector stand-in (${(updates / Math.max(1, changed)).toFixed(2)} per vote${CASE_THREADS ? '; 4 expected: the channel card and 3 DSP copies' : ''})${otherCalls.length ? `; other calls: ${otherCalls.join(', ')}` : ''}`,
      `  background work: peak ${peakBackground} tasks in flight, ${backlog} left when the load generator exited; the service was done (requests and card updates) ${(settleMs / 1000).toFixed(1)} s after the load stopped; counting that, about ${(changed / (runSeconds + settleMs / 1000)).toFixed(0)} votes/s were fully done`,
      ...(vote.firstWrong ? [`  first wrong answer: ${vote.firstWrong}`] : []),
      ...(echo.firstWrong ? [`  first wrong echo answer: ${echo.firstWrong}`] : []),
      ...(echo.errors || echo.non2xx ? [`  echo errors: ${echo.errors} (${echo.timeouts} timeouts), non-2xx: ${echo.non2xx}`] : []),
    ];
    return {
      rows: [
        { engine: engine.label, path: 'echo', result: echo },
        { engine: engine.label, path: 'vote', result: vote },
      ],
      notes,
      verification: { lines, ok },
    };
  } finally {
    await stack.vote.close();
    await stack.echo.close();
    await stack.services.close();
  }
}

/**
 * What one vote costs, one at a time (no load): SQL statements, clock computations and card renders
 * while the invoke is answered, and then for the posts it queued (delivered by the sender it wakes).
 */
async function costOfOneVote(
  stack: Stack,
  templates: string[],
  token: string,
  counted: ReturnType<typeof countingDatabase>,
  label: string,
): Promise<string> {
  const VOTES = 20;
  const answer = { sql: 0, clocks: 0, cards: 0 };
  const after = { sql: 0, clocks: 0, cards: 0 };
  for (let i = 0; i < VOTES; i += 1) {
    counted.reset();
    resetWorkCounters();
    const res = await postActivity(
      `${stack.vote.origin}/api/messages`,
      JSON.parse(templates[(i * 7) % templates.length]!.replaceAll(PLACEHOLDER, `cost.${i}`)),
      { token },
    );
    if (res.status !== 200) throw new Error(`cost probe answered ${res.status}`);
    answer.sql += counted.statements();
    answer.clocks += workCounters.clockComputations;
    answer.cards += workCounters.cardRenders;
    counted.reset();
    resetWorkCounters();
    await stack.services.work.drain();
    after.sql += counted.statements();
    after.clocks += workCounters.clockComputations;
    after.cards += workCounters.cardRenders;
  }
  const per = (n: number) => (n / VOTES).toFixed(1);
  return (
    `${label}: one vote (mean of ${VOTES}, one at a time): answering it ${per(answer.sql)} SQL statements, ${per(answer.clocks)} clock computations, ${per(answer.cards)} card renders; ` +
    `then delivering what it queued (card refreshes) ${per(after.sql)} SQL statements, ${per(after.clocks)} clock computations, ${per(after.cards)} card renders.`
  );
}

/**
 * A latency percentile. Timed-out requests have no latency, so when more than (1 - q) of the
 * requests timed out the percentile is at least the timeout, whatever the answered ones say.
 */
function percentile(r: LoadResult, q: 0.5 | 0.99): { ms: number; atLeast: boolean } {
  const timedOut = r.timeouts / Math.max(1, r.answers + r.timeouts);
  if (timedOut > 1 - q) return { ms: TIMEOUT_SECONDS * 1000, atLeast: true };
  return { ms: q === 0.5 ? r.p50 : r.p99, atLeast: false };
}
const shown = (p: { ms: number; atLeast: boolean }) => `${p.atLeast ? '>= ' : ''}${p.ms.toFixed(1)}`;

function printTable(rows: Row[]) {
  const header = ['engine', 'path', 'req/s', 'p50 ms', 'p99 ms', 'errors/non-2xx', 'wrong answers'];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const { engine, path, result: r } of rows) {
    console.log(
      `| ${[engine, path, r.rps.toFixed(0), shown(percentile(r, 0.5)), shown(percentile(r, 0.99)), `${r.errors}/${r.non2xx}`, String(r.wrong)].join(' | ')} |`,
    );
  }
}

const identity = await startLocalIdentityProvider();
const connector = await startBotConnectorStandIn({
  identity,
  appId: TEST_APP_ID,
  roster: (Object.keys(PEOPLE) as PersonKey[]).map(rosterMember),
});
const rows: Row[] = [];
const notes: string[] = [];
const verifications: Verification[] = [];
let failed = false;
try {
  const engines: (() => Promise<Engine>)[] = [openPglite];
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) engines.push(() => openPostgres(databaseUrl));
  else notes.push('PostgreSQL skipped: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to include it.');
  for (const [index, open] of engines.entries()) {
    const engine = await open();
    try {
      const result = await benchEngine(engine, identity, connector, index);
      rows.push(...result.rows);
      notes.push(...result.notes);
      verifications.push(result.verification);
    } finally {
      await engine.cleanup();
    }
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await connector.close();
  await identity.close();
}

console.log(
  `\nVote invoke vs bare echo, ${new Date().toISOString().slice(0, 10)}, ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'})`,
);
console.log(
  `${CONNECTIONS} connections, ${SECONDS} s measured after ${WARMUP_SECONDS} s warm-up per path (one continuous load); authentication on for both; load from autocannon in a child process.`,
);
console.log(
  `req/s and latencies are of the answers received in the measured period; a request unanswered after ${TIMEOUT_SECONDS} s is an error (timeout).\n`,
);
printTable(rows);
console.log('');
for (const engine of [...new Set(rows.map((r) => r.engine))]) {
  const echo = rows.find((r) => r.engine === engine && r.path === 'echo')!.result;
  const vote = rows.find((r) => r.engine === engine && r.path === 'vote')!.result;
  const share = vote.rps / echo.rps;
  const [voteP99, echoP99] = [percentile(vote, 0.99), percentile(echo, 0.99)];
  const p99 = voteP99.ms / echoP99.ms;
  // With timeouts a p99 is only a lower bound: the aim is met or missed only when the bound settles it.
  const p99Known = !(voteP99.atLeast && echoP99.atLeast);
  const p99Met = p99Known && !voteP99.atLeast && p99 <= AIM_P99;
  const p99Missed = p99Known && !echoP99.atLeast && p99 > AIM_P99;
  console.log(
    `${engine}: vote throughput = ${(share * 100).toFixed(0)}% of echo (aim >= ${AIM_THROUGHPUT * 100}%): ${share >= AIM_THROUGHPUT ? 'met' : 'MISSED'}`,
  );
  console.log(
    `${engine}: vote p99 = ${voteP99.atLeast ? '>= ' : ''}${p99.toFixed(1)}x echo p99 (aim <= ${AIM_P99}x): ${p99Met ? 'met' : p99Missed ? 'MISSED' : 'undetermined (timeouts)'}`,
  );
}
console.log('');
for (const v of verifications) console.log(v.lines.join('\n'));
for (const note of notes) console.log(note);
if (verifications.some((v) => !v.ok)) {
  console.log('\nVERIFICATION FAILED: the figures above do not describe working votes.');
  failed = true;
}
process.exitCode = failed ? 1 : 0;
