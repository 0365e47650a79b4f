import { createHash } from 'node:crypto';

import { appendAudit } from '../../adapters/store/auditLog.ts';
import { listDeputies, replaceDeputies } from '../../adapters/store/deputyRepository.ts';
import { findPartnershipChannel } from '../../adapters/store/installationRepository.ts';
import { knownNames, rememberPerson } from '../../adapters/store/peopleRepository.ts';
import {
  listRoleAssignments,
  lockRoleAssignments,
  replaceRoleHolders,
  type RoleAssignment,
  rolesOf,
} from '../../adapters/store/roleAssignmentRepository.ts';
import { canonicalJson } from '../../domain/audit/canonicalJson.ts';
import {
  deputiesOfRows,
  deputyFieldIds,
  type DeputyRow,
  deputyRowsData,
  deputyRowsOf,
  shownDeputyRows,
} from '../../domain/people/adminDeputyRows.ts';
import { adminRoleSlots, type RoleSlot } from '../../domain/people/adminRoleSlots.ts';
import { deputyKey, type DspDeputy } from '../../domain/people/dspDeputy.ts';
import { type Holder, planRoleChanges, type RoleChange, type RolePlan } from '../../domain/people/planRoleChanges.ts';
import type { Profile } from '../../domain/profiles/profileSchema.ts';
import { type AdaptiveCard, renderCard } from '../cards/cardTemplates.ts';
import { escapeMarkdown } from '../cards/cardText.ts';
import { agencyLabel } from '../cards/caseCardModel.ts';
import type { ActionResult, ActionTurn, CardActionDeps } from './actions/cardAction.ts';
import type { Actor } from './actor.ts';
import type { RosterMember } from './teamsGateway.ts';

/** The people chosen on the admin card, by slot id, each once (a form's values, or a confirmation's). */
type Chosen = ReadonlyMap<string, readonly string[]>;

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
    await rememberPerson(
      deps.ctx.db,
      { aadObjectId: m.aadObjectId, teamsUserId: m.teamsUserId, displayName: m.name, tenantId: m.tenantId ?? null, email: m.email ?? null },
      deps.ctx.now(),
    );
  }
  return members;
}

/** Each slot's chosen people, as an Input.ChoiceSet sends them (comma-separated ids). */
function chosenOf(slots: readonly RoleSlot[], data: Record<string, unknown>): Chosen {
  return new Map(
    slots.map((s) => [
      s.id,
      [
        ...new Set(
          String(data[s.id] ?? '')
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean),
        ),
      ],
    ]),
  );
}

/** The chosen people as card data: what a confirmation's buttons carry back, every slot named (empty ones too). */
function chosenData(chosen: Chosen): Record<string, string> {
  return Object.fromEntries([...chosen].map(([id, userIds]) => [id, userIds.join(',')]));
}

/**
 * The assignments a confirmation was shown against, and the choice it showed, in one short value:
 * a confirm whose fingerprint no longer matches would apply something the person did not see.
 */
function fingerprintOf(current: readonly Holder[], chosen: Chosen, deputies: readonly DspDeputy[], rows: readonly DeputyRow[]): string {
  const holders = [...current.map((h) => `${h.role}/${h.scope}/${h.userId}`), ...deputies.map(deputyKey)].sort();
  return createHash('sha256')
    .update(canonicalJson({ holders, chosen: { ...chosenData(chosen), ...deputyRowsData(rows) } }))
    .digest('hex');
}

/** The admin card: the stored holders, or (`chosen`) what the person chose, kept while a save is refused or reconsidered. */
async function adminCard(
  deps: CardActionDeps,
  members: readonly RosterMember[],
  options: { notice?: string; noticeStyle?: string; chosen?: Chosen; deputyRows?: readonly DeputyRow[] } = {},
): Promise<AdaptiveCard> {
  const [current, channel, deputies] = await Promise.all([
    listRoleAssignments(deps.ctx.db),
    findPartnershipChannel(deps.ctx.db),
    listDeputies(deps.ctx.db),
  ]);
  const { profile } = deps.ctx;
  const fields = adminRoleSlots(deps.ctx.profile).map((s) => ({
    id: s.id,
    label: s.label,
    multi: s.multi,
    value: (options.chosen?.get(s.id) ?? current.filter((a) => a.role === s.role && a.scope === s.scope).map((a) => a.userId)).join(','),
  }));
  return renderCard('adminCard', {
    partnershipName: deps.ctx.profile.name,
    channelText: channel
      ? `${channel.teamName ?? 'the team'}, ${channel.channelName ?? 'its channel'}`
      : 'nowhere yet: add the bot to the partnership team',
    notice: options.notice ?? '',
    noticeStyle: options.noticeStyle ?? 'good',
    fields,
    // #15 item 11: each agency's deputy DSPs with their acting dates, and a row to name another.
    deputies: shownDeputyRows(profile, options.deputyRows ?? deputies).map((r) => {
      const ids = deputyFieldIds(r.agency, r.index);
      return {
        label: `Deputy DSP: ${agencyLabel(profile, r.agency)}`,
        userField: ids.user,
        fromField: ids.from,
        untilField: ids.until,
        userId: r.userId,
        actsFrom: r.actsFrom,
        actsUntil: r.actsUntil,
      };
    }),
    people: members.map((m) => ({ title: m.name, value: m.aadObjectId })),
  });
}

/** What a save would change, in words, with buttons to apply exactly that or go back to the choices. */
function confirmationCard(
  plan: RolePlan,
  names: ReadonlyMap<string, string>,
  chosen: Chosen,
  rows: readonly DeputyRow[],
  fingerprint: string,
  stale: boolean,
): AdaptiveCard {
  const who = (c: RoleChange) => escapeMarkdown(names.get(c.userId) ?? `Someone no longer in the team (${c.userId})`);
  return renderCard('notice', {
    title: 'Confirm changes to who does what',
    lines: [
      ...(stale
        ? ['Nothing saved: who holds which role has changed since these changes were shown. This is what your choice would change now.']
        : []),
      'Nothing is saved until you confirm.',
      ...plan.removals.map((c) => `${who(c)} would no longer be ${c.label}`),
      ...plan.additions.map((c) => `${who(c)} would become ${c.label}`),
    ],
    style: 'warning',
    actions: [
      {
        title: 'Confirm changes',
        verb: 'admin.save',
        data: { form: 'roles', confirm: true, fingerprint, ...chosenData(chosen), ...deputyRowsData(rows) },
      },
      { title: 'Back', verb: 'admin.open', data: { form: 'roles', ...chosenData(chosen), ...deputyRowsData(rows) } },
    ],
  });
}

/** The plan with the deputies named or no longer named (a changed date alone is neither): removing one needs confirming too. */
function withDeputyChanges(profile: Profile, plan: RolePlan, before: readonly DspDeputy[], after: readonly DspDeputy[]): RolePlan {
  const change = (d: DspDeputy): RoleChange => ({
    role: 'dsp_deputy',
    scope: d.agency,
    userId: d.userId,
    label: `Deputy DSP: ${agencyLabel(profile, d.agency)}`,
  });
  const absentFrom = (ds: readonly DspDeputy[]) => (d: DspDeputy) => !ds.some((o) => o.agency === d.agency && o.userId === d.userId);
  return {
    missing: plan.missing,
    removals: [...plan.removals, ...before.filter(absentFrom(after)).map(change)],
    additions: [...plan.additions, ...after.filter(absentFrom(before)).map(change)],
  };
}

function missingNotice(missing: readonly RoleSlot[]): string {
  return `Nothing saved: every deciding agency needs a DSP and the partnership a business manager, or decisions and administration stop. Choose someone for: ${missing.map((s) => s.label).join('; ')}.`;
}

export function adminActions(deps: CardActionDeps) {
  const refuse = () => ({
    card: renderCard('notice', {
      title: 'Not available',
      lines: ['Only the business manager can change who does what.'],
      style: 'attention',
      actions: [],
    }),
  });
  return {
    // From a confirmation's "Back" the data carries the choices shown, so the card reopens with them.
    'admin.open': async (data: Record<string, unknown>, actor: Actor): Promise<ActionResult> => {
      if (!(await isAdmin(deps, actor))) return refuse();
      const members = await roster(deps);
      if (data.form !== 'roles') return { card: await adminCard(deps, members) };
      return {
        card: await adminCard(deps, members, {
          chosen: chosenOf(adminRoleSlots(deps.ctx.profile), data),
          deputyRows: deputyRowsOf(deps.ctx.profile, data),
          notice: 'Nothing saved yet: change the choices, then Save.',
          noticeStyle: 'default',
        }),
      };
    },

    'admin.save': async (data: Record<string, unknown>, actor: Actor, turn: ActionTurn): Promise<ActionResult> => {
      if (!(await isAdmin(deps, actor))) return refuse();
      const members = await roster(deps);
      // A save must come from this card's Save button (its data says so): anything else would read as
      // "nobody holds any role" and empty every role.
      if (data.form !== 'roles')
        return {
          card: await adminCard(deps, members, {
            notice: 'Nothing saved: that was not the form from this card. Open the admin card again.',
            noticeStyle: 'attention',
          }),
        };
      const { profile } = deps.ctx;
      const slots = adminRoleSlots(profile);
      const known = new Map(members.map((m) => [m.aadObjectId, m.name]));
      const chosen = chosenOf(slots, data);
      const rows = deputyRowsOf(profile, data);
      // Someone leaving a role may have left the team too: their name as last known, the roster's first.
      const names = async () => new Map([...(await knownNames(deps.ctx.db)), ...known]);
      const refused = (notice: string, kept: Chosen = chosen, keptRows: readonly DeputyRow[] = rows) =>
        adminCard(deps, members, { notice, noticeStyle: 'attention', chosen: kept, deputyRows: keptRows });
      if ([...[...chosen.values()].flat(), ...rows.map((r) => r.userId).filter(Boolean)].some((userId) => !known.has(userId))) {
        const inTeam = new Map([...chosen].map(([id, userIds]) => [id, userIds.filter((u) => known.has(u))]));
        const rowsInTeam = rows.map((r) => (known.has(r.userId) ? r : { ...r, userId: '' }));
        return { card: await refused('Nothing saved: choose people who are members of the partnership team.', inTeam, rowsInTeam) };
      }
      const dspClash = slots.find((s) => !s.multi && (chosen.get(s.id)?.length ?? 0) > 1);
      if (dspClash) return { card: await refused(`Nothing saved: ${dspClash.label} takes one person.`) };
      // A deputy is checked against the DSPs chosen on this card, not those stored: it is this save's DSP they stand in for.
      const { deputies: chosenDeputies, problem } = deputiesOfRows(
        rows,
        (agency) => chosen.get(`dsp__${agency}`) ?? [],
        (agency) => agencyLabel(profile, agency),
      );
      if (problem) return { card: await refused(`Nothing saved: ${problem}.`) };
      const deputies = chosenDeputies.map((d) => ({ ...d, displayName: known.get(d.userId) ?? null }));
      const assignments = slots.flatMap((s) =>
        (chosen.get(s.id) ?? []).map(
          (userId) => ({ role: s.role, scope: s.scope, userId, displayName: known.get(userId) ?? null }) satisfies RoleAssignment,
        ),
      );
      const roles = new Set(slots.map((s) => s.role));
      const confirming = data.confirm === true;
      const at = deps.ctx.now();

      // Checked and written under one lock in one transaction, so what was checked (and confirmed) is what is written.
      const outcome = await deps.ctx.db.transaction(async (tx) => {
        await lockRoleAssignments(tx);
        const stored = await listRoleAssignments(tx);
        const storedDeputies = await listDeputies(tx);
        const before = stored.filter((a) => roles.has(a.role));
        // The lock-out rule (an agency without a DSP) looks at the DSPs only: a deputy does not count as one.
        const plan = withDeputyChanges(profile, planRoleChanges(profile, before, assignments), storedDeputies, deputies);
        const fingerprint = fingerprintOf(before, chosen, storedDeputies, rows);
        if (plan.missing.length > 0) return { kind: 'missing', plan } as const;
        if (confirming && data.fingerprint !== fingerprint) return { kind: 'stale', plan, fingerprint } as const;
        if (!confirming && plan.removals.length > 0) return { kind: 'confirm', plan, fingerprint } as const;
        for (const role of roles)
          await replaceRoleHolders(
            tx,
            role,
            assignments.filter((a) => a.role === role),
          );
        await replaceDeputies(tx, deputies);
        await appendAudit(tx, {
          at,
          actor: actor.aadObjectId,
          action: 'roles_changed',
          caseId: null,
          details: {
            before: [...stored.map((a) => `${a.role}/${a.scope}/${a.userId}`), ...storedDeputies.map(deputyKey)],
            after: [...assignments.map((a) => `${a.role}/${a.scope}/${a.userId}`), ...deputies.map(deputyKey)],
          },
        });
        return { kind: 'saved' } as const;
      });

      switch (outcome.kind) {
        case 'saved':
          turn.committed();
          return { card: await adminCard(deps, members, { notice: 'Saved.' }) };
        case 'missing':
          return { card: await refused(missingNotice(outcome.plan.missing)) };
        case 'stale':
          if (outcome.plan.removals.length === 0 && outcome.plan.additions.length === 0) {
            return {
              card: await refused(
                'Nothing saved: who holds which role has changed since the changes were shown, and now matches your choice.',
              ),
            };
          }
          return { card: confirmationCard(outcome.plan, await names(), chosen, rows, outcome.fingerprint, true) };
        case 'confirm':
          return { card: confirmationCard(outcome.plan, await names(), chosen, rows, outcome.fingerprint, false) };
      }
    },
  };
}
