import type { Activity } from 'botbuilder';

import type { Actor } from '../../app/teams/actor.ts';

/** Who sent an activity. Teams always sends the Entra object id; without it there is no one to authorise. */
export function actorOf(activity: Activity): Actor | undefined {
  const aadObjectId = activity.from?.aadObjectId;
  if (!aadObjectId || !activity.from.id) return undefined;
  const type = activity.conversation?.conversationType;
  const tenantId = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? activity.conversation?.tenantId;
  return {
    aadObjectId,
    teamsUserId: activity.from.id,
    ...(activity.from.name ? { name: activity.from.name } : {}),
    ...(tenantId ? { tenantId } : {}),
    conversationType: type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal',
    ...(activity.id ? { activityId: activity.id } : {}),
  };
}
