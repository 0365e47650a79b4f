import { z } from 'zod';

/**
 * The parts of an inbound Teams activity the bot reads, with the types it reads them as. Teams sends
 * far more (and adds fields over time), so unknown fields pass; but a field the bot reads that has
 * the wrong type is refused here, before botbuilder or any handler, rather than turning into a 500
 * half-way through a turn (an object where `from.aadObjectId` should be a string was one).
 */
const account = z.looseObject({
  id: z.string().min(1).max(500),
  name: z.string().max(500).optional(),
  aadObjectId: z.string().max(100).optional(),
});
const idAndName = z.looseObject({ id: z.string().max(500).optional(), name: z.string().max(500).nullish() });

const activitySchema = z.looseObject({
  type: z.string().min(1).max(100),
  id: z.string().max(500).optional(),
  name: z.string().max(200).optional(),
  text: z.string().optional(),
  from: account.optional(),
  recipient: account,
  conversation: z.looseObject({
    id: z.string().min(1).max(1000),
    conversationType: z.string().max(50).optional(),
    tenantId: z.string().max(100).optional(),
    name: z.string().max(500).nullish(),
  }),
  channelData: z
    .looseObject({
      tenant: z.looseObject({ id: z.string().max(100).optional() }).optional(),
      team: idAndName.optional(),
      channel: idAndName.optional(),
      eventType: z.string().max(100).optional(),
      settings: z.looseObject({ selectedChannel: idAndName.optional() }).optional(),
    })
    .optional(),
  membersAdded: z.array(account).max(1000).optional(),
  membersRemoved: z.array(account).max(1000).optional(),
  action: z.string().max(50).optional(),
});

/** An Action.Execute invoke's value (platform.md's shape): the action with its verb and the card's data. */
const adaptiveCardActionValue = z.looseObject({
  action: z.looseObject({
    type: z.string().max(50),
    verb: z.string().max(200).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** The invokes this bot answers. Others (task modules, message extensions...) are not declared in its manifest. */
export const HANDLED_INVOKES = ['adaptiveCard/action'] as const;

export type InboundVerdict = { readonly ok: true } | { readonly ok: false; readonly status: 400 | 403; readonly error: string };

/** The tenants an activity names: Teams puts it in channelData.tenant and, on most activities, the conversation. */
export function tenantsNamedBy(activity: { channelData?: { tenant?: { id?: string } }; conversation?: { tenantId?: string } }): string[] {
  return [activity.channelData?.tenant?.id, activity.conversation?.tenantId].filter((t): t is string => typeof t === 'string' && t !== '');
}

/**
 * Whether the bot takes this activity at all: its shape, its invoke, and its tenant. Every tenant the
 * activity names must be one the partnership serves, and it must name one: a valid channel token says
 * the activity came through the Bot Service, not that it came from the partnership's organisation.
 * An empty list (the local demo, no bot identity) serves any.
 */
export function judgeInboundActivity(body: unknown, allowedTenantIds: readonly string[]): InboundVerdict {
  const parsed = activitySchema.safeParse(body);
  if (!parsed.success) return { ok: false, status: 400, error: 'not a Teams activity this bot can read' };
  const activity = parsed.data;
  if (activity.type === 'invoke') {
    if (!(HANDLED_INVOKES as readonly string[]).includes(activity.name ?? ''))
      return { ok: false, status: 400, error: 'this bot does not handle that invoke' };
    if (!adaptiveCardActionValue.safeParse(activity.value).success)
      return { ok: false, status: 400, error: 'not a card action this bot can read' };
  }
  if (allowedTenantIds.length > 0) {
    const named = tenantsNamedBy(activity);
    if (named.length === 0 || named.some((t) => !allowedTenantIds.includes(t))) {
      return { ok: false, status: 403, error: "this bot serves only its partnership's organisations" };
    }
  }
  return { ok: true };
}
