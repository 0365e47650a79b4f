import { appendAudit } from '../../adapters/store/auditLog.ts';
import { deactivateTeam, findPartnershipChannel, savePartnershipChannel } from '../../adapters/store/installationRepository.ts';
import type { PartnershipChannel } from '../../domain/teams/partnershipChannel.ts';
import type { BroadcastDeps } from './caseBroadcaster.ts';

/**
 * The bot was added to a team. The first team becomes the partnership's, posting in the channel the
 * bot was added from (General otherwise). Being added to another team later does not move it: an
 * admin re-points it on purpose with "post here".
 */
export async function recordInstallation(
  deps: BroadcastDeps,
  channel: PartnershipChannel,
  actorId: string,
): Promise<'recorded' | 'already_installed' | 'other_team'> {
  const current = await findPartnershipChannel(deps.ctx.db);
  if (current && current.teamId !== channel.teamId) {
    deps.logger.warn({ teamId: channel.teamId }, 'bot added to a second team; the partnership channel stays where it is');
    return 'other_team';
  }
  if (current) {
    // Same team again (e.g. installationUpdate after conversationUpdate): keep the chosen channel, refresh how to reach it.
    await savePartnershipChannel(
      deps.ctx.db,
      { ...channel, channelId: current.channelId, channelName: current.channelName },
      deps.ctx.now(),
    );
    return 'already_installed';
  }
  await deps.ctx.db.transaction(async (tx) => {
    await savePartnershipChannel(tx, channel, deps.ctx.now());
    await appendAudit(tx, {
      at: deps.ctx.now(),
      actor: actorId,
      action: 'bot_installed',
      caseId: null,
      details: { teamId: channel.teamId, channelId: channel.channelId },
    });
  });
  return 'recorded';
}

/** The bot was removed from a team: if it was the partnership's, stop posting there. */
export async function recordRemoval(deps: BroadcastDeps, teamId: string, actorId: string): Promise<boolean> {
  return deps.ctx.db.transaction(async (tx) => {
    const wasPartnership = await deactivateTeam(tx, teamId, deps.ctx.now());
    if (wasPartnership)
      await appendAudit(tx, { at: deps.ctx.now(), actor: actorId, action: 'bot_removed', caseId: null, details: { teamId } });
    return wasPartnership;
  });
}

/** An admin points the bot at another channel (or team) to post case cards in. */
export async function repointChannel(deps: BroadcastDeps, channel: PartnershipChannel, actorId: string): Promise<void> {
  await deps.ctx.db.transaction(async (tx) => {
    await savePartnershipChannel(tx, channel, deps.ctx.now());
    await appendAudit(tx, {
      at: deps.ctx.now(),
      actor: actorId,
      action: 'channel_repointed',
      caseId: null,
      details: { teamId: channel.teamId, channelId: channel.channelId },
    });
  });
}
