import { forgetCardShown } from '../../adapters/store/caseMessageRepository.ts';
import { rememberPerson } from '../../adapters/store/peopleRepository.ts';
import type { PartnershipChannel } from '../../domain/teams/partnershipChannel.ts';
import { type AdaptiveCard, renderCard } from '../cards/cardTemplates.ts';
import { noticeCard } from '../cards/noticeCard.ts';
import type { ActionResult, CardActionDeps } from './actions/cardAction.ts';
import type { Actor } from './actor.ts';
import { isAdmin } from './adminActions.ts';
import { createCardActions } from './cardActions.ts';
import { recordInstallation, recordRemoval, repointChannel } from './installation.ts';

export interface TeamsAppDeps extends CardActionDeps {
  readonly adminUserIds: readonly string[];
}

/** A channel message mentions the bot as `<at>Bot</at>`; commands are the words around it. */
export function commandOf(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * Everything the bot does, in Teams terms but without botbuilder: the adapter decodes activities
 * into these calls and encodes the answers.
 */
export function createTeamsApp(deps: TeamsAppDeps) {
  const actions = createCardActions(deps);
  const welcome = (message: string) => renderCard('welcome', { partnershipName: deps.ctx.profile.name, message });

  return {
    /** Every activity: remember who this is, so the bot can reach them 1:1 and list them for per-user views. */
    async seen(actor: Actor): Promise<void> {
      await rememberPerson(
        deps.ctx.db,
        {
          aadObjectId: actor.aadObjectId,
          teamsUserId: actor.teamsUserId,
          displayName: actor.name ?? null,
          tenantId: actor.tenantId ?? null,
        },
        deps.ctx.now(),
      );
    },

    async message(text: string, actor: Actor, here?: PartnershipChannel): Promise<AdaptiveCard> {
      const command = commandOf(text);
      if (/^(new referral|referral|refer)$/.test(command)) return (await actions.handle('referral.open', {}, actor)).card;
      if (command === 'admin') return (await actions.handle('admin.open', {}, actor)).card;
      if (command === 'post here') {
        if (!here) return noticeCard('Say it in a channel', ['Type "post here" in the channel where case cards should go.']);
        if (!(await isAdmin(deps, actor)))
          return noticeCard('Not available', ['Only the business manager can choose where case cards go.']);
        await repointChannel(deps, here, actor.aadObjectId);
        return noticeCard('Case cards will be posted here', ['New cases start a thread in this channel.'], 'good');
      }
      return welcome('I track serious incident notifications and reviews against their statutory clocks.');
    },

    invoke: (verb: string, data: Record<string, unknown>, actor: Actor): Promise<ActionResult> => actions.handle(verb, data, actor),

    /**
     * A card was answered in place (Teams shows the invoke's answer on the clicked message): what the
     * case's record says that message shows no longer holds, so its next refresh redraws it.
     */
    answeredOn: (messageId: string): Promise<void> => forgetCardShown(deps.ctx.db, messageId),

    async installed(channel: PartnershipChannel, actorId: string): Promise<AdaptiveCard | undefined> {
      // Teams announces one installation twice (conversationUpdate and installationUpdate): greet once.
      const result = await recordInstallation(deps, channel, actorId);
      if (result !== 'recorded') return undefined;
      return welcome(
        'Case cards will be posted in this channel. The business manager can type "admin" to set who the DSPs and notifiers are, or "post here" in another channel.',
      );
    },

    removed: (teamId: string, actorId: string) => recordRemoval(deps, teamId, actorId),
  };
}

export type TeamsApp = ReturnType<typeof createTeamsApp>;
