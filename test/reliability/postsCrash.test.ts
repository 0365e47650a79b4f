import { setTimeout as pause } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import type { RecordedConnectorRequest } from '../support/botframework/botConnectorStandIn.ts';
import { TEST_APP_ID, TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute, adaptiveCardRefresh, botAddedToTeam, teamsBotAccount } from '../support/botframework/teamsActivities.ts';
import { REFERRAL_FORM } from '../support/fixtures.ts';
import { CHANNEL, PEOPLE, type PersonKey, TEAM } from '../support/teamsHarness.ts';
import { type ServiceProcess, startCrashableWorld, type startSlowConnectorLink } from './support/crashableService.ts';
import type { TeamsStandIns } from './support/restartableService.ts';

/**
 * The posts that follow a change to a case (its thread, the DSPs' copies, the notes in the thread,
 * every card redrawn, the notifier's card, the information request) go through the outbox, so a
 * crash loses none of them. Here two instances of the service, each its own process on one
 * PostgreSQL database, take Teams invokes from clients while one or the other is SIGKILLed at random
 * moments, POSTS_CRASH_ROUNDS times, and started again; the other goes on serving and sending. Clients
 * act as the people would, on what Teams shows them: the referrer submits referrals, each DSP votes on
 * the case from their 1:1 copy (or, from the channel, on the view the card's refresh gives them), the
 * notifier records the Panel notification from their card, the business manager sends the information
 * request once the thread says the Panel was told, the police lead answers it from their card. Every
 * invoke goes to whichever instance is up, and is tried again (the same activity) when its answer is
 * lost. At the end, from what the Bot Connector stand-in received and from the store: every post of
 * every change delivered, a duplicate only where a resend was recorded (at most one per kill), one
 * thread per case, and no card left asking for something already done.
 *
 * Each instance is test/reliability/support/serviceProcess.ts: the real composition with bot
 * authentication on, against the identity provider and the Bot Connector stand-in in this process,
 * with src/main.ts's loops. It is compiled once into one file (a restart then loads in about 1 s of
 * CPU, not 6), and spares load it ahead, so a restart costs the composition. The connector's answers
 * come back through a link that holds each for up to CONNECTOR_DELAY_MS, and half the kills come just
 * as a request reaches it, so kills land between Teams taking a post and the sender hearing of it.
 * Cards Teams still has that no stored message names (the first of a posted-twice pair, never redrawn
 * again) are counted in the figures, not asserted.
 */
const databaseUrl = process.env.DATABASE_URL;
const ROUNDS = Number(process.env.POSTS_CRASH_ROUNDS ?? 12);
const REFERRERS = 1;
/**
 * A referral about every 6 s: each case makes about a dozen requests to the channel (its thread, the
 * notes, the bookings, its card redrawn after every change), and Teams allows a bot 60 per 30 s in one
 * channel, all cases together; more would only queue.
 */
const REFERRAL_EVERY_MS = 6_000;
/** Spares loading their modules while the two instances run: a restart is then a composition, not a compile. */
const SPARES = 3;
/** The longest the Bot Connector's answer takes to come back: the gap in which a kill loses an answer. */
const CONNECTOR_DELAY_MS = 40;
const LEASE_SECONDS = 5;
/** How long the clients may take, after the last kill, to walk every acknowledged case to its end. */
const SETTLE_MS = 150_000;
/** How often a client looks at what Teams shows it. */
const POLL_MS = 100;
/** The instances' clock: real time from Thursday 19 Nov 2026, 10:00 London (DSP decisions due Mon 23 Nov). */
const START = Date.parse('2026-11-19T10:00:00Z');
const TODAY = '2026-11-19';
const DSPS = [
  ['laDsp', 'local_authority'],
  ['policeDsp', 'police'],
  ['healthDsp', 'health'],
] as const;
const BOT = teamsBotAccount(TEST_APP_ID);
/** The kinds that reach Teams (the rest are email and calendar). */
const TEAMS_KINDS = [
  'case_thread',
  'dsp_copy',
  'thread_note',
  'case_refresh',
  'notifier_card',
  'details_card',
  'info_request',
  'book_meeting',
  'channel_reply',
  'teams_dm',
  'channel_post',
  'triage_card',
];

if (!databaseUrl) console.warn('\n[posts crash test] SKIPPING: it needs PostgreSQL (DATABASE_URL), as two instances share the store\n');

type Card = Record<string, unknown> & { refresh?: { action?: { verb?: string; data?: Record<string, unknown> }; userIds?: string[] } };
interface CardAction {
  verb: string;
  data: Record<string, unknown>;
}

/** Every Action.Execute a card offers (its own refresh aside). */
function actionsOf(card: unknown): CardAction[] {
  const found: CardAction[] = [];
  const walk = (node: unknown, key?: string) => {
    if (key === 'refresh' || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n) => walk(n));
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Execute' && typeof o.verb === 'string')
      found.push({ verb: o.verb, data: (o.data ?? {}) as Record<string, unknown> });
    for (const [k, v] of Object.entries(o)) walk(v, k);
  };
  walk(card);
  return found;
}

const cardOf = (activity: unknown): Card | undefined => {
  const a = activity as { attachments?: { contentType?: string; content?: Card }[] } | undefined;
  return a?.attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
};
const caseIdOf = (card: Card | undefined) =>
  (typeof card?.refresh?.action?.data?.caseId === 'string' ? card.refresh.action.data.caseId : undefined) ??
  actionsOf(card)
    .map((a) => a.data.caseId)
    .find((id): id is string => typeof id === 'string');
const referenceIn = (text: string) => /HSSCP-2026-\d{4}/.exec(text)?.[0];

/** A post the connector took: a new activity (a thread, a 1:1 card, a reply), with the id it answered. */
interface Post {
  readonly index: number;
  readonly route: RecordedConnectorRequest['route'];
  readonly conversationId: string;
  readonly activityId: string;
  readonly card?: Card;
  readonly text?: string;
  readonly summary?: string;
  /** A new thread in the partnership channel. */
  readonly threadStart: boolean;
}

/** The latest version Teams has of one activity, and the actions its card offers. */
interface Shown {
  readonly card?: Card;
  readonly actions: CardAction[];
  readonly index: number;
  readonly conversationId: string;
  readonly activityId: string;
}

/**
 * What Teams holds and shows, from the stand-in's recorded requests in the order it took them: every
 * post, and the latest version of each activity (a post, then its updates). The stand-in does not
 * record its answers; the slow link does (`proxySeq` in each request's query names its exchange).
 */
function teamsView(standIns: TeamsStandIns, link: Awaited<ReturnType<typeof startSlowConnectorLink>>) {
  const posts: Post[] = [];
  const latest = new Map<string, Shown>();
  /** Keys of the activities in each person's 1:1 chat, and of the thread cards. */
  const chatKeys = new Map<string, Set<string>>();
  const threadKeys = new Set<string>();
  /** 1:1 conversation id -> the Teams user id it is with. */
  const chatWith = new Map<string, string>();
  /** Thread conversation id -> case id (from the card that started it). */
  const threadCase = new Map<string, string>();
  /** Case reference -> case id, and back, from any card that names both. */
  const caseOfReference = new Map<string, string>();
  const referenceOfCase = new Map<string, string>();
  const learn = (card: Card | undefined) => {
    const caseId = caseIdOf(card);
    const reference = referenceIn(JSON.stringify(card ?? ''));
    if (caseId && reference) {
      caseOfReference.set(reference, caseId);
      referenceOfCase.set(caseId, reference);
    }
  };
  const unmatched: string[] = [];
  let scanned = 0;
  const key = (conversationId: string, activityId: string) => `${conversationId}|${activityId}`;
  const show = (conversationId: string, activityId: string, card: Card | undefined, index: number) => {
    const k = key(conversationId, activityId);
    latest.set(k, { ...(card ? { card } : {}), actions: actionsOf(card), index, conversationId, activityId });
    const person = chatWith.get(conversationId);
    if (person) chatKeys.set(person, (chatKeys.get(person) ?? new Set()).add(k));
    if (threadCase.has(conversationId) && conversationId.endsWith(`;messageid=${activityId}`)) threadKeys.add(k);
  };
  return {
    posts,
    latest,
    chatWith,
    threadCase,
    caseOfReference,
    referenceOfCase,
    unmatched,
    key,
    /** Takes in what the connector has answered since the last look. */
    scan() {
      const { requests } = standIns.connector;
      for (; scanned < requests.length; scanned += 1) {
        const r = requests[scanned]!;
        if (r.status === 0) return;
        const exchange = link.exchanges.get(Number(r.query.proxySeq));
        if (!exchange) {
          unmatched.push(`${r.method} ${r.path}`);
          continue;
        }
        if (!exchange.answered) return; // its answer is still on its way through the link
        if (r.status < 200 || r.status >= 300) continue;
        const answer = (exchange.answer ?? {}) as { id?: string; activityId?: string };
        const body = (r.body ?? {}) as Record<string, unknown> & {
          members?: { id?: string }[];
          isGroup?: boolean;
          channelData?: { channel?: { id?: string } };
          activity?: unknown;
          text?: string;
          summary?: string;
        };
        learn(cardOf(body) ?? cardOf(body.activity));
        if (r.route === 'createConversation') {
          if (body.isGroup && body.channelData?.channel?.id) {
            const card = cardOf(body.activity);
            const post: Post = {
              index: scanned,
              route: r.route,
              conversationId: answer.id!,
              activityId: answer.activityId!,
              threadStart: true,
              ...(card ? { card } : {}),
              ...(typeof (body.activity as { summary?: string })?.summary === 'string'
                ? { summary: (body.activity as { summary: string }).summary }
                : {}),
            };
            posts.push(post);
            const caseId = caseIdOf(card);
            if (caseId) threadCase.set(post.conversationId, caseId);
            show(post.conversationId, post.activityId, card, scanned);
          } else if (answer.id && body.members?.[0]?.id) {
            chatWith.set(answer.id, body.members[0].id);
          }
        } else if (r.route === 'sendToConversation' || r.route === 'replyToActivity') {
          const card = cardOf(body);
          const post: Post = {
            index: scanned,
            route: r.route,
            conversationId: r.conversationId!,
            activityId: answer.id ?? '',
            threadStart: false,
            ...(card ? { card } : {}),
            ...(typeof body.text === 'string' ? { text: body.text } : {}),
            ...(typeof body.summary === 'string' ? { summary: body.summary } : {}),
          };
          posts.push(post);
          show(post.conversationId, post.activityId, card, scanned);
        } else if (r.route === 'updateActivity') {
          show(r.conversationId!, r.activityId!, cardOf(body), scanned);
        }
      }
    },
    /** The latest cards in one person's 1:1 chat. */
    cardsInChatOf(teamsUserId: string): Shown[] {
      return [...(chatKeys.get(teamsUserId) ?? [])].map((k) => latest.get(k)!).filter((v) => v.card);
    },
    /** The latest version of each case's thread card. */
    threadCards(): Shown[] {
      return [...threadKeys].map((k) => latest.get(k)!).filter((v) => v.card);
    },
  };
}

describe.skipIf(!databaseUrl)(
  'posts crash test: two instances on PostgreSQL, one SIGKILLed again and again while referrals, votes and steps come in',
  () => {
    let world: Awaited<ReturnType<typeof startCrashableWorld>>;

    beforeAll(async () => {
      world = await startCrashableWorld(databaseUrl!, {
        prefix: 'posts_crash',
        leaseSeconds: LEASE_SECONDS,
        connectorDelayMs: CONNECTOR_DELAY_MS,
        clockStart: START,
      });
      for (const [who, agency] of DSPS) await assignRole(world.db, { role: 'dsp', scope: agency, userId: PEOPLE[who].aadObjectId });
      await assignRole(world.db, { role: 'la_notifier', scope: 'Hartlepool', userId: PEOPLE.notifier.aadObjectId });
      await assignRole(world.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
      await assignRole(world.db, { role: 'agency_leads', scope: 'police', userId: PEOPLE.policeLead.aadObjectId });
    }, 60_000);
    afterAll(async () => world?.close());

    it(
      `delivers every post of every change, one thread per case, no stale form, over ${ROUNDS} kills`,
      async () => {
        const started = Date.now();
        const { db, standIns, link, serviceUrl, instances: instanceIds, post } = world;
        const spawnInstance = (spare: boolean) => world.spawn(spare);
        const live: ServiceProcess[] = [spawnInstance(false), spawnInstance(false)];
        await Promise.all(live.map((p) => p.go()));
        const spares = Array.from({ length: SPARES }, () => spawnInstance(true));

        const figures = { requests: 0, retried: 0, lostAnswers: 0, errorCards: 0, other: [] as string[] };

        /**
         * A Teams invoke to whichever instance is up, tried again (the same activity: same id, same data)
         * while its answer is lost, refused, or the "Sorry, that did not work" card.
         */
        async function invoke(
          who: PersonKey,
          verb: string,
          data: Record<string, unknown>,
          where: { threadRootId?: string } = {},
          refresh = false,
        ): Promise<string> {
          const options = {
            serviceUrl,
            bot: BOT,
            from: { ...PEOPLE[who] },
            tenantId: TEST_TENANT_ID,
            verb,
            data,
            ...(where.threadRootId
              ? { conversationType: 'channel' as const, team: TEAM, channel: CHANNEL, threadRootId: where.threadRootId }
              : { conversationType: 'personal' as const }),
          };
          const activity = refresh ? adaptiveCardRefresh(options) : adaptiveCardExecute(options);
          for (let attempt = 1; ; attempt += 1) {
            const up = live.filter((p) => p.alive);
            const target = up[Math.floor(Math.random() * up.length)];
            if (target) {
              figures.requests += 1;
              try {
                const res = await post(target.origin!, activity);
                const text = JSON.stringify((res.body as { value?: unknown } | undefined)?.value ?? res.body);
                if (res.status === 200 && !text.includes('Sorry, that did not work')) return text;
                if (res.status === 200) figures.errorCards += 1;
                else figures.other.push(`${verb}: HTTP ${res.status}`);
              } catch {
                figures.lostAnswers += 1;
              }
            }
            if (attempt >= 400) throw new Error(`${verb} from ${who} did not go through after ${attempt} attempts`);
            figures.retried += 1;
            await pause(Math.min(200, 10 * attempt));
          }
        }

        // The bot is added to the team's Cases channel.
        const added = await post(
          live[0]!.origin!,
          botAddedToTeam({ serviceUrl, bot: BOT, from: { ...PEOPLE.manager }, tenantId: TEST_TENANT_ID, team: TEAM, channel: CHANNEL }),
        );
        expect(added.status).toBe(200);

        const view = teamsView(standIns, link);
        const acked = {
          referrals: new Map<string, string>(), // reference -> marker
          votes: [] as { caseId: string; agency: string; decision: string; rationale: string }[],
          notifications: new Set<string>(),
          requests: new Set<string>(),
          returns: new Set<string>(),
        };
        /**
         * Each person's last word on a case, acknowledged or not: an answer lost and tried again can come
         * back "already recorded" or "not open any more", and the case has still gone on.
         */
        const answered = { votes: new Map<string, number>(), returns: new Set<string>() };
        /** Each case's fate, from its number: mostly notify; some do not notify; some disagree (police says no). */
        const decisionOf = (reference: string, agency: string) => {
          const n = Number(reference.slice(-4)) % 10;
          if (n >= 7 && n <= 8) return 'do_not_notify';
          if (n === 9 && agency === 'police') return 'do_not_notify';
          return 'notify';
        };
        let referring = true;
        let working = true;
        const failures: string[] = [];
        const client = (name: string, loop: () => Promise<void>) =>
          loop().catch((error: unknown) => {
            failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
          });

        const referrer = async (n: number) => {
          for (let i = 1; referring; i += 1) {
            const marker = `Posts crash referral ${n}-${i}: a fictional serious incident used in tests.`;
            const text = await invoke('referrer', 'referral.submit', {
              ...REFERRAL_FORM,
              referredOn: TODAY,
              incident_date: '2026-11-18',
              child_name: `Client${n} Number${i} Testcase`,
              narrative_whatHappened: marker,
            });
            const reference = referenceIn(text);
            if (text.includes('Referral received') && reference) acked.referrals.set(reference, marker);
            else figures.other.push(`referral answered without a receipt: ${text.slice(0, 200)}`);
            await pause(REFERRAL_EVERY_MS * (0.75 + Math.random() / 2));
          }
        };

        /** A DSP votes once on each case shown to them: from their 1:1 copy, or (one case in four) from the channel card's refresh. */
        const dsp = async (who: PersonKey, agency: string) => {
          const me = PEOPLE[who].id;
          const voted = new Set<string>();
          const fromChannel = new Map<string, boolean>();
          while (working) {
            view.scan();
            const mine = new Map<string, { data: Record<string, unknown> }>();
            for (const c of view.cardsInChatOf(me)) {
              const action = c.actions.find((a) => a.verb === 'case.vote' && a.data.agency === agency);
              if (action && typeof action.data.caseId === 'string') mine.set(action.data.caseId, action);
            }
            const threads = new Map<string, { conversationId: string; activityId: string; card: Card }>();
            for (const t of view.threadCards()) {
              const caseId = view.threadCase.get(t.conversationId)!;
              if (t.card?.refresh?.userIds?.includes(me))
                threads.set(caseId, { conversationId: t.conversationId, activityId: t.activityId, card: t.card });
            }
            const todo = [...new Set([...mine.keys(), ...threads.keys()])].filter((id) => !voted.has(id));
            if (todo.length === 0) {
              await pause(POLL_MS);
              continue;
            }
            const caseId = todo[Math.floor(Math.random() * todo.length)]!;
            if (!fromChannel.has(caseId)) fromChannel.set(caseId, Math.random() < 0.25);
            await pause(Math.random() * 150);
            let vote: { data: Record<string, unknown>; threadRootId?: string } | undefined;
            const thread = threads.get(caseId);
            if (fromChannel.get(caseId) && thread) {
              // Teams fetches this DSP's own view of the channel card (refresh.userIds), then they vote on it.
              const own = await invoke(who, 'case.refresh', thread.card.refresh!.action!.data!, { threadRootId: thread.activityId }, true);
              const action = actionsOf(JSON.parse(own)).find((a) => a.verb === 'case.vote' && a.data.agency === agency);
              if (action) vote = { data: action.data, threadRootId: thread.activityId };
            } else if (mine.has(caseId)) {
              vote = { data: mine.get(caseId)!.data };
            }
            if (!vote) {
              fromChannel.set(caseId, false); // nothing to vote on from there yet: wait for the copy
              await pause(POLL_MS);
              continue;
            }
            const decision = decisionOf(view.referenceOfCase.get(caseId) ?? '0000', agency);
            const rationale = `${agency}: fictional rationale for ${caseId.slice(0, 8)}.`;
            voted.add(caseId);
            const text = await invoke(
              who,
              'case.vote',
              { ...vote.data, decision, rationale },
              vote.threadRootId ? { threadRootId: vote.threadRootId } : {},
            );
            answered.votes.set(caseId, (answered.votes.get(caseId) ?? 0) + 1);
            if (/Your vote for [^"]+ is (recorded|changed)\.|Your vote was already recorded/.test(text))
              acked.votes.push({ caseId, agency, decision, rationale });
            else figures.other.push(`vote not recorded: ${/Your vote was not recorded[^"]*/.exec(text)?.[0] ?? text.slice(0, 200)}`);
          }
        };

        /** The notifier records the Panel notification from each notifier card that still asks for it. */
        const notifier = async () => {
          const done = new Set<string>();
          while (working) {
            view.scan();
            const asking = view
              .cardsInChatOf(PEOPLE.notifier.id)
              .flatMap((c) => c.actions.filter((a) => a.verb === 'case.confirmNotification'))
              .filter((a) => typeof a.data.caseId === 'string' && !done.has(a.data.caseId));
            const action = asking[0];
            if (!action) {
              await pause(POLL_MS);
              continue;
            }
            const caseId = action.data.caseId as string;
            done.add(caseId);
            await pause(Math.random() * 150);
            const text = await invoke('notifier', 'case.confirmNotification', {
              ...action.data,
              notifiedOn: TODAY,
              panelReference: `CSPRP-TEST-${caseId.slice(0, 8)}`,
            });
            if (text.includes('Recorded: the Panel was notified')) acked.notifications.add(caseId);
            else if (!text.includes('is not awaited: it may already be recorded'))
              figures.other.push(`notification not recorded: ${text.slice(0, 300)}`);
          }
        };

        /** The business manager sends the police its information request once the thread says the Panel was told. */
        const manager = async () => {
          const done = new Set<string>();
          while (working) {
            view.scan();
            const told = view.posts.filter(
              (p) =>
                p.text?.includes('the national Panel was notified on') &&
                view.threadCase.has(p.conversationId) &&
                !done.has(view.threadCase.get(p.conversationId)!),
            );
            const note = told[0];
            if (!note) {
              await pause(POLL_MS);
              continue;
            }
            const caseId = view.threadCase.get(note.conversationId)!;
            done.add(caseId);
            await pause(Math.random() * 150);
            const threadRootId = note.conversationId.split(';messageid=')[1]!;
            const text = await invoke('manager', 'case.step', { caseId, step: 'info_requests_sent', agencies: 'police' }, { threadRootId });
            if (text.includes('Recorded: ')) acked.requests.add(caseId);
            else if (!text.includes('Not recorded')) figures.other.push(`information request not recorded: ${text.slice(0, 300)}`);
          }
        };

        /** The police lead answers each information request from its card (a nil return). */
        const policeLead = async () => {
          const done = new Set<string>();
          while (working) {
            view.scan();
            const open = view
              .cardsInChatOf(PEOPLE.policeLead.id)
              .flatMap((c) => c.actions.filter((a) => a.verb === 'case.step' && a.data.kind === 'nil'))
              .filter((a) => typeof a.data.caseId === 'string' && !done.has(a.data.caseId));
            const action = open[0];
            if (!action) {
              await pause(POLL_MS);
              continue;
            }
            const caseId = action.data.caseId as string;
            done.add(caseId);
            await pause(Math.random() * 150);
            const text = await invoke('policeLead', 'case.step', action.data);
            answered.returns.add(caseId);
            if (text.includes('Recorded: nil return from Police')) acked.returns.add(caseId);
            else if (!text.includes('is not open')) figures.other.push(`return not recorded: ${text.slice(0, 300)}`);
          }
        };

        const referrers = Array.from({ length: REFERRERS }, (_, i) => client(`referrer ${i + 1}`, () => referrer(i + 1)));
        const people = [
          ...DSPS.map(([who, agency]) => client(who, () => dsp(who, agency))),
          client('notifier', notifier),
          client('manager', manager),
          client('policeLead', policeLead),
        ];

        // The kills: at a random moment (half of them just as a post reaches the connector), one of the
        // two instances is SIGKILLed and a spare takes its place; the other serves and sends meanwhile.
        let kills = 0;
        const restartMs: number[] = [];
        for (let round = 0; round < ROUNDS; round += 1) {
          await pause(150 + Math.random() * 850);
          if (Math.random() < 0.5) await link.nextCall(500);
          const slot = Math.floor(Math.random() * 2);
          live[slot]!.kill();
          kills += 1;
          const begun = Date.now();
          const next = spares.shift()!;
          spares.push(spawnInstance(true));
          await next.go();
          live[slot] = next;
          restartMs.push(Date.now() - begun);
        }
        const chaosMs = Date.now() - started;
        referring = false;
        await Promise.all(referrers);

        // Every acknowledged case to the end of its path (the survivors at work), then the outbox drained.
        const pathDone = () =>
          [...acked.referrals.keys()].every((reference) => {
            const caseId = view.caseOfReference.get(reference);
            if (!caseId || (answered.votes.get(caseId) ?? 0) < 3) return false;
            return DSPS.some(([, agency]) => decisionOf(reference, agency) !== 'notify') || answered.returns.has(caseId);
          });
        const settling = Date.now();
        for (const until = Date.now() + SETTLE_MS; !(pathDone() || failures.length > 0 || Date.now() > until);) {
          view.scan();
          await pause(200);
        }
        const settleMs = Date.now() - settling;
        const draining = Date.now();
        for (const until = Date.now() + 60_000; Date.now() < until;) {
          const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'claimed')`);
          if (rows[0]!.n === 0) break;
          await pause(200);
        }
        const drainMs = Date.now() - draining;
        await pause(500); // the last answers through the link
        working = false;
        await Promise.all(people);
        for (const p of live) p.kill();
        await Promise.all(live.map((p) => p.exited));
        view.scan();

        // --- What the store holds.
        const cases = (
          await db.query<{ id: string; reference: string; stage: string; marker: string }>(
            `SELECT c.id, c.reference, c.stage, d.referral->'narrative'->>'whatHappened' AS marker FROM cases c JOIN case_details d ON d.case_id = c.id ORDER BY c.reference`,
          )
        ).rows;
        const events = (
          await db.query<{ case_id: string; type: string; data: Record<string, unknown> }>(
            `SELECT case_id, type, data FROM case_events WHERE type IN ('notification_decision', 'panel_notified', 'info_requests_sent', 'info_return_recorded') ORDER BY id`,
          )
        ).rows;
        const messages = (
          await db.query<{ case_id: string; purpose: string; recipient: string; conversation_id: string; activity_id: string }>(
            'SELECT * FROM case_messages',
          )
        ).rows;
        const outbox = (
          await db.query<{
            id: number;
            kind: string;
            case_id: string | null;
            recipient: string;
            payload: Record<string, unknown>;
            status: string;
            attempts: number;
            reclaims: number;
            last_error: string | null;
          }>('SELECT id, kind, case_id, recipient, payload, status, attempts, reclaims, last_error FROM outbox ORDER BY id')
        ).rows;
        const attempts = (
          await db.query<{
            outbox_id: number;
            instance_id: string;
            resend: boolean;
            started_at: Date;
            finished_at: Date | null;
            outcome: string | null;
          }>('SELECT outbox_id, instance_id, resend, started_at, finished_at, outcome FROM outbox_attempts ORDER BY id')
        ).rows;
        const votes = (
          await db.query<{ case_id: string; agency: string; decision: string; rationale: string }>(
            'SELECT case_id, agency, decision, rationale FROM votes',
          )
        ).rows;
        const byReference = new Map(cases.map((c) => [c.reference, c]));
        const eventOf = (caseId: string, type: string) => events.filter((e) => e.case_id === caseId && e.type === type);
        const killed = [...instanceIds.entries()].filter(([, p]) => !live.includes(p)).map(([id]) => id);
        /** A message's attempts, for the reader of a failure: which instance, resend or not, how it ended. */
        const history = (id: number) =>
          attempts
            .filter((a) => a.outbox_id === id)
            .map(
              (a) =>
                `${instanceIds.get(a.instance_id)?.name ?? a.instance_id}${killed.includes(a.instance_id) ? ' (killed)' : ''} ${a.resend ? 'RESEND ' : ''}${a.started_at.toISOString().slice(17, 23)}-${a.finished_at?.toISOString().slice(17, 23) ?? '?'} ${a.outcome ?? 'unfinished'}`,
            )
            .join('; ');

        // Nothing acknowledged is missing from the store, and every acknowledged case went all the way
        // (each step is taken on what Teams showed, so a lost post stalls its case).
        const missing: string[] = [];
        for (const [reference, marker] of acked.referrals)
          if (byReference.get(reference)?.marker !== marker) missing.push(`referral ${reference}`);
        for (const v of acked.votes) {
          const stored = votes.find((x) => x.case_id === v.caseId && x.agency === v.agency);
          if (stored?.decision !== v.decision || stored.rationale !== v.rationale) missing.push(`${v.agency}'s vote on ${v.caseId}`);
        }
        for (const id of acked.notifications) if (eventOf(id, 'panel_notified').length !== 1) missing.push(`notification on ${id}`);
        for (const id of acked.requests) if (eventOf(id, 'info_requests_sent').length !== 1) missing.push(`information request on ${id}`);
        for (const id of acked.returns) if (eventOf(id, 'info_return_recorded').length !== 1) missing.push(`return on ${id}`);
        const stalled = [...acked.referrals.keys()]
          .filter((reference) => {
            const c = byReference.get(reference);
            if (!c) return true;
            const notify = DSPS.every(([, agency]) => decisionOf(reference, agency) === 'notify');
            return notify ? eventOf(c.id, 'info_return_recorded').length === 0 : eventOf(c.id, 'notification_decision').length === 0;
          })
          .map((reference) => `${reference} at ${byReference.get(reference)?.stage ?? '?'}`);

        // --- Every post of every change delivered (for every case stored; the acknowledged ones are among them).
        const { posts, latest } = view;
        const lost: string[] = [];
        const sayIn = (conversationId: string, words: string) =>
          posts.filter((p) => p.conversationId === conversationId && p.text?.includes(words));
        const delivered = (
          c: { reference: string },
          what: string,
          stored: { conversation_id: string; activity_id: string } | undefined,
          queued: (typeof outbox)[number] | undefined,
          cancelledBecause: RegExp,
        ) => {
          if (stored) {
            if (!posts.some((p) => p.conversationId === stored.conversation_id && p.activityId === stored.activity_id))
              lost.push(`${c.reference}: the stored ${what} was never posted`);
          } else if (!(queued?.status === 'cancelled' && cancelledBecause.test(queued.last_error ?? ''))) {
            lost.push(
              `${c.reference}: no ${what} (${queued ? `#${queued.id} ${queued.status}: ${queued.last_error ?? ''}; ${history(queued.id)}` : 'never queued'})`,
            );
          }
        };
        for (const c of cases) {
          const mine = messages.filter((m) => m.case_id === c.id);
          for (const m of outbox.filter((x) => x.case_id === c.id && TEAMS_KINDS.includes(x.kind))) {
            if (m.status !== 'sent' && m.status !== 'cancelled')
              lost.push(`${c.reference}: ${m.kind} #${m.id} to ${m.recipient} ended ${m.status} (${m.last_error ?? ''}; ${history(m.id)})`);
          }
          // Its thread: one stored channel card, one thread started for it, and they are the same.
          const cards = mine.filter((m) => m.purpose === 'channel_card');
          const starts = posts.filter((p) => p.threadStart && view.threadCase.get(p.conversationId) === c.id);
          if (cards.length !== 1 || starts.length === 0) {
            lost.push(`${c.reference}: ${cards.length} stored channel cards, ${starts.length} threads started`);
            continue;
          }
          const thread = cards[0]!;
          if (!starts.some((s) => s.conversationId === thread.conversation_id && s.activityId === thread.activity_id))
            lost.push(`${c.reference}: the stored channel card is not a thread Teams has`);
          for (const [who] of DSPS) {
            delivered(
              c,
              `copy for ${who}`,
              mine.find((m) => m.purpose === 'dsp_copy' && m.recipient === PEOPLE[who].aadObjectId),
              outbox.find((m) => m.case_id === c.id && m.kind === 'dsp_copy' && m.recipient === PEOPLE[who].aadObjectId),
              /decision was made/,
            );
          }
          const decision = eventOf(c.id, 'notification_decision')[0];
          if (decision) {
            const outcome = String(decision.data.outcome);
            const words = outcome === 'disagreed' ? `${c.reference}: the partners disagree` : `${c.reference}: decision made`;
            if (sayIn(thread.conversation_id, words).length === 0)
              lost.push(`${c.reference}: the decision (${outcome}) was not said in the thread`);
            if (outcome === 'notify') {
              delivered(
                c,
                'notifier card',
                mine.find((m) => m.purpose === 'notifier_card' && m.recipient === PEOPLE.notifier.aadObjectId),
                outbox.find((m) => m.case_id === c.id && m.kind === 'notifier_card'),
                /notification was recorded/,
              );
            }
          }
          if (
            eventOf(c.id, 'panel_notified').length > 0 &&
            sayIn(thread.conversation_id, `${c.reference}: the national Panel was notified on`).length === 0
          )
            lost.push(`${c.reference}: the Panel notification was not said in the thread`);
          if (eventOf(c.id, 'info_requests_sent').length > 0) {
            if (sayIn(thread.conversation_id, `${c.reference}: Chronology / summary of involvement sent to Police`).length === 0)
              lost.push(`${c.reference}: the information request was not said in the thread`);
            delivered(
              c,
              'information request card',
              mine.find((m) => m.purpose === 'info_request'),
              outbox.find((m) => m.case_id === c.id && m.kind === 'info_request'),
              /already recorded/,
            );
          }
          if (
            eventOf(c.id, 'info_return_recorded').length > 0 &&
            sayIn(thread.conversation_id, `${c.reference}: nil return from Police`).length === 0
          )
            lost.push(`${c.reference}: the return was not said in the thread`);
        }

        // --- Duplicates only where a resend was recorded, at most one resend per kill.
        const reclaimed = outbox.reduce((n, m) => n + m.reclaims, 0);
        const resendAttempts = attempts.filter((a) => a.resend).length;
        const personByTeamsId = new Map<string, string>(Object.values(PEOPLE).map((p) => [p.id, p.aadObjectId]));
        const copies = new Map<string, Post[]>();
        for (const p of posts) {
          if (p.threadStart || (!p.card && !p.text)) continue;
          const what = `${p.conversationId}|${p.summary ?? ''}|${p.text ?? ''}|${p.card ? (caseIdOf(p.card) ?? '') : ''}`;
          copies.set(what, [...(copies.get(what) ?? []), p]);
        }
        const unexplained: string[] = [];
        let duplicates = 0;
        for (const [, same] of copies) {
          if (same.length < 2) continue;
          duplicates += same.length - 1;
          const p = same[0]!;
          const caseId = view.threadCase.get(p.conversationId) ?? caseIdOf(p.card);
          const recipient = personByTeamsId.get(view.chatWith.get(p.conversationId) ?? '');
          // The message that posted it: a 1:1 card is its recipient's message of that kind; a thread post, a thread note with that text, or a booking.
          const kinds = p.summary?.startsWith('Your decision is needed')
            ? ['dsp_copy']
            : p.summary?.startsWith('Please notify the national Panel')
              ? ['notifier_card']
              : p.summary?.startsWith('Information request')
                ? ['info_request']
                : ['thread_note', 'book_meeting', 'channel_reply'];
          const senders = outbox.filter(
            (m) =>
              m.case_id === caseId &&
              kinds.includes(m.kind) &&
              (!recipient || m.recipient.split('|')[0] === recipient) &&
              (m.kind !== 'thread_note' || m.payload.text === p.text),
          );
          const resends = senders.reduce((n, m) => n + m.reclaims, 0);
          if (same.length - 1 > resends) {
            unexplained.push(
              `${same.length} x ${view.referenceOfCase.get(caseId ?? '') ?? caseId} ${p.summary ?? p.text?.slice(0, 60) ?? ''} (${recipient ? `1:1 with ${p.conversationId.slice(0, 8)}` : 'thread'}) with ${resends} recorded resends: ` +
                senders.map((m) => `${m.kind}#${m.id} [${history(m.id)}]`).join(', '),
            );
          }
        }

        // --- No case has two threads (also for the posts that start one on the way: a note, a booking).
        const threadsPerCase = new Map<string, Post[]>();
        for (const p of posts)
          if (p.threadStart)
            threadsPerCase.set(view.threadCase.get(p.conversationId) ?? '?', [
              ...(threadsPerCase.get(view.threadCase.get(p.conversationId) ?? '?') ?? []),
              p,
            ]);
        // A second thread is possible only through a recorded resend (Teams takes no idempotency key for
        // a new thread: see threadCrash.test.ts); one with no recorded resend behind it is a defect.
        const resendsOf = (id: string) => outbox.filter((m) => m.case_id === id && m.reclaims > 0).length;
        const twoThreads = [...threadsPerCase]
          .filter(([id, starts]) => starts.length > 1 + resendsOf(id))
          .map(
            ([id, starts]) =>
              `${view.referenceOfCase.get(id) ?? id}: ${starts.length} threads; ` +
              outbox
                .filter((m) => m.case_id === id && m.reclaims > 0)
                .map((m) => `${m.kind}#${m.id} [${history(m.id)}]`)
                .join(', '),
          );

        // --- No card still asks for something already done: the last version Teams has of each stored card.
        const stale: string[] = [];
        for (const m of messages) {
          const c = cases.find((x) => x.id === m.case_id)!;
          const last = latest.get(view.key(m.conversation_id, m.activity_id));
          const whose = `${m.purpose} for ${m.recipient.split('|')[0] ? Object.entries(PEOPLE).find(([, p]) => p.aadObjectId === m.recipient.split('|')[0])?.[0] : 'the channel'}`;
          if (!last?.card) {
            stale.push(`${c.reference}: ${whose}: Teams has no card for it`);
            continue;
          }
          const verbs = actionsOf(last.card).map((a) => a.verb);
          if ((m.purpose === 'channel_card' || m.purpose === 'dsp_copy') && eventOf(c.id, 'notification_decision').length > 0) {
            if (verbs.includes('case.vote')) stale.push(`${c.reference}: ${whose} still has the vote form after the decision`);
            if ((last.card.refresh?.userIds ?? []).length > 0)
              stale.push(`${c.reference}: ${whose} still has the DSPs' clients fetch their own (voting) view`);
          }
          if (m.purpose === 'notifier_card' && eventOf(c.id, 'panel_notified').length > 0 && verbs.includes('case.confirmNotification'))
            stale.push(`${c.reference}: ${whose} still has its form after the notification was recorded`);
          if (m.purpose === 'info_request' && eventOf(c.id, 'info_return_recorded').length > 0 && verbs.includes('case.step'))
            stale.push(`${c.reference}: ${whose} still has its buttons after the return was recorded`);
        }
        // Cards Teams has that the store does not know (the first of a resent pair): counted, not asserted.
        const storedKeys = new Set(messages.map((m) => view.key(m.conversation_id, m.activity_id)));
        const orphans = posts.filter(
          (p) =>
            p.card &&
            !p.threadStart &&
            !storedKeys.has(view.key(p.conversationId, p.activityId)) &&
            actionsOf(p.card).some((a) => ['case.vote', 'case.confirmNotification', 'case.step'].includes(a.verb)),
        );
        const liveOrphans = orphans.filter((p) => {
          const c = cases.find((x) => x.id === caseIdOf(p.card));
          const verbs = actionsOf(latest.get(view.key(p.conversationId, p.activityId))?.card).map((a) => a.verb);
          return (
            !!c &&
            ((verbs.includes('case.vote') && eventOf(c.id, 'notification_decision').length > 0) ||
              (verbs.includes('case.confirmNotification') && eventOf(c.id, 'panel_notified').length > 0) ||
              (verbs.includes('case.step') && eventOf(c.id, 'info_return_recorded').length > 0))
          );
        });

        const teamsMessages = outbox.filter((m) => TEAMS_KINDS.includes(m.kind));
        const deliveries = standIns.connector.requests.filter(
          (r) =>
            ['createConversation', 'sendToConversation', 'replyToActivity', 'updateActivity'].includes(r.route) &&
            r.status >= 200 &&
            r.status < 300,
        ).length;
        const count = (type: string) => events.filter((e) => e.type === type).length;
        console.log(
          `posts crash test: ${kills} kills, ${cases.length} cases (${acked.referrals.size} acknowledged), ${count('notification_decision')} decisions, ${count('panel_notified')} Panel notifications, ` +
            `${count('info_requests_sent')} information requests, ${count('info_return_recorded')} returns; ${teamsMessages.length} posts (${teamsMessages.filter((m) => m.status === 'sent').length} sent, ` +
            `${teamsMessages.filter((m) => m.status === 'cancelled').length} cancelled), ${deliveries} deliveries, ${reclaimed} recorded resends, ${duplicates} duplicates; ` +
            `${orphans.length} unstored cards with a form (${liveOrphans.length} still live); ${figures.requests} invokes (${figures.lostAnswers} answers lost, ${figures.errorCards} error cards, ` +
            `${figures.retried} retried); restarts ${Math.min(...restartMs)}-${Math.max(...restartMs)} ms; chaos ${(chaosMs / 1000).toFixed(1)} s, settle ${(settleMs / 1000).toFixed(1)} s, ` +
            `drain ${(drainMs / 1000).toFixed(1)} s, run ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        if (figures.other.length > 0) console.log(`  other answers: ${[...new Set(figures.other)].slice(0, 10).join(' | ')}`);

        expect.soft(failures, 'clients').toEqual([]);
        expect.soft(view.unmatched, 'connector requests that did not come through the link').toEqual([]);
        expect.soft(missing, 'acknowledged but not stored').toEqual([]);
        expect.soft(stalled, 'acknowledged cases that did not reach the end of their path').toEqual([]);
        expect.soft(lost, 'posts lost').toEqual([]);
        expect.soft(resendAttempts, 'every resend recorded as one').toBe(reclaimed);
        expect.soft(reclaimed, 'at most one resend per kill').toBeLessThanOrEqual(kills);
        expect.soft(unexplained, 'duplicates without a recorded resend').toEqual([]);
        expect.soft(twoThreads, 'cases with more than one thread').toEqual([]);
        expect.soft(stale, 'cards that still ask for something already done').toEqual([]);
      },
      360_000 + ROUNDS * 6_000,
    );
  },
);
