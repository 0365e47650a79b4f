import { appendAudit } from '../../adapters/store/auditLog.ts';
import { findPartnershipChannel } from '../../adapters/store/installationRepository.ts';
import { rememberPerson } from '../../adapters/store/peopleRepository.ts';
import { listRoleAssignments, replaceRoleHolders, rolesOf, type RoleAssignment } from '../../adapters/store/roleAssignmentRepository.ts';
import { renderCard } from '../cards/cardTemplates.ts';
import type { Actor } from './actor.ts';
import type { ActionResult, CardActionDeps } from './cardActions.ts';
import type { RosterMember } from './teamsGateway.ts';

/** The roles the admin card assigns, each with its scopes (agency, local authority, or none). */
function assignable(deps: CardActionDeps) {
  const { profile } = deps.ctx;
  return [
    ...profile.notificationDecision.deciders.map((agency) => ({ id: `dsp__${agency}`, role: 'dsp', scope: agency, multi: false, label: `DSP: ${profile.agencies.find((a) => a.id === agency)?.label ?? agency}` })),
    ...profile.localAuthorities.map((la) => ({ id: `la_notifier__${la}`, role: 'la_notifier', scope: la, multi: true, label: `Serious Incident Notifier: ${la}` })),
    { id: 'business_manager__', role: 'business_manager', scope: '', multi: true, label: 'Business manager' },
    { id: 'engine_room__', role: 'engine_room', scope: '', multi: true, label: 'Engine Room members' },
    { id: 'partnership_chair__', role: 'partnership_chair', scope: '', multi: true, label: 'Partnership chair' },
    { id: 'rr_chair__', role: 'rr_chair', scope: '', multi: true, label: 'Rapid review chair' },
    ...profile.agencies.map((a) => ({ id: `agency_leads__${a.id}`, role: 'agency_leads', scope: a.id, multi: true, label: `Safeguarding lead: ${a.label}` })),
  ];
}

/** Admins: the business manager(s), or anyone named in ADMIN_USER_IDS to set up the first one. */
export async function isAdmin(deps: CardActionDeps, actor: Actor): Promise<boolean> {
  if (deps.adminUserIds.includes(actor.aadObjectId)) return true;
  return (await rolesOf(deps.ctx.db, actor.aadObjectId)).some((r) => r.role === 'business_manager');
}

async function roster(deps: CardActionDeps): Promise<RosterMember[]> {
  const channel = await findPartnershipChannel(deps.ctx.db);
  if (!channel) return [];
  const members = await deps.gateway.teamRoster(channel);
  for (const m of members) {
    await rememberPerson(deps.ctx.db, { aadObjectId: m.aadObjectId, teamsUserId: m.teamsUserId, displayName: m.name, tenantId: m.tenantId ?? null, email: m.email ?? null }, deps.ctx.now());
  }
  return members;
}

async function adminCard(deps: CardActionDeps, notice = '', noticeStyle = 'good') {
  const [members, current, channel] = await Promise.all([roster(deps), listRoleAssignments(deps.ctx.db), findPartnershipChannel(deps.ctx.db)]);
  const fields = assignable(deps).map((f) => ({
    id: f.id, label: f.label, multi: f.multi,
    value: current.filter((a) => a.role === f.role && a.scope === f.scope).map((a) => a.userId).join(','),
  }));
  return renderCard('adminCard', {
    partnershipName: deps.ctx.profile.name,
    channelText: channel ? `${channel.teamName ?? 'the team'}, ${channel.channelName ?? 'its channel'}` : 'nowhere yet: add the bot to the partnership team',
    notice, noticeStyle, fields,
    people: members.map((m) => ({ title: m.name, value: m.aadObjectId })),
  });
}

export function adminActions(deps: CardActionDeps) {
  const refuse = () => ({ card: renderCard('notice', { title: 'Not available', lines: ['Only the business manager can change who does what.'], style: 'attention', actions: [] }) });
  return {
    'admin.open': async (_data: Record<string, unknown>, actor: Actor): Promise<ActionResult> =>
      (await isAdmin(deps, actor)) ? { card: await adminCard(deps) } : refuse(),

    'admin.save': async (data: Record<string, unknown>, actor: Actor): Promise<ActionResult> => {
      if (!(await isAdmin(deps, actor))) return refuse();
      const members = await roster(deps);
      const known = new Map(members.map((m) => [m.aadObjectId, m.name]));
      const fields = assignable(deps);
      // A save must come from this card's Save button (its data says so): anything else would read as
      // "nobody holds any role" and empty every role.
      if (data.form !== 'roles') return { card: await adminCard(deps, 'Nothing saved: that was not the form from this card. Open the admin card again.', 'attention') };
      const chosen = fields.flatMap((f) => String(data[f.id] ?? '').split(',').map((s) => s.trim()).filter(Boolean)
        .map((userId) => ({ role: f.role, scope: f.scope, userId, displayName: known.get(userId) ?? null } satisfies RoleAssignment)));
      const strangers = chosen.filter((a) => !known.has(a.userId));
      if (strangers.length > 0) return { card: await adminCard(deps, 'Nothing saved: choose people who are members of the partnership team.', 'attention') };
      const dspClash = fields.filter((f) => f.role === 'dsp').find((f) => String(data[f.id] ?? '').includes(','));
      if (dspClash) return { card: await adminCard(deps, `Nothing saved: ${dspClash.label} takes one person.`, 'attention') };
      const at = deps.ctx.now();
      await deps.ctx.db.transaction(async (tx) => {
        const before = await listRoleAssignments(tx);
        for (const role of new Set(fields.map((f) => f.role))) await replaceRoleHolders(tx, role, chosen.filter((a) => a.role === role));
        await appendAudit(tx, {
          at, actor: actor.aadObjectId, action: 'roles_changed', caseId: null,
          details: {
            before: before.map((a) => `${a.role}/${a.scope}/${a.userId}`),
            after: chosen.map((a) => `${a.role}/${a.scope}/${a.userId}`),
          },
        });
      });
      return { card: await adminCard(deps, 'Saved.') };
    },
  };
}
