import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { assignRole, listRoleAssignments } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import {
  assignTestDsps,
  installInTestTeam,
  PEOPLE,
  type PersonKey,
  startTeamsHarness,
  type TeamsHarness,
} from '../support/teamsHarness.ts';

/**
 * The admin card's Save, as Teams sends it (Action.Execute invokes, bot authentication on): a save
 * must not lock the partnership out (no business manager, an agency with no DSP), and a save that
 * takes anyone out of a role is shown and confirmed before anything is written.
 */

type Card = Record<string, unknown>;
type InvokeBody = { statusCode: number; type: string; value: Card };
type CardAction = { type: string; title: string; verb: string; data: Record<string, unknown> };

/** Every node of a card, depth first (inputs sit inside the containers the template repeats). */
function nodesOf(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(nodesOf);
  if (node && typeof node === 'object') return [node as Record<string, unknown>, ...Object.values(node).flatMap(nodesOf)];
  return [];
}

/** What Teams sends from the admin card's Save when the person changes nothing: each input's value, and the button's data. */
function formOf(card: Card): Record<string, unknown> {
  const inputs = nodesOf(card.body).filter((n) => n.type === 'Input.ChoiceSet');
  const save = (card.actions as CardAction[]).find((a) => a.verb === 'admin.save');
  return { ...Object.fromEntries(inputs.map((i) => [i.id as string, (i.value as string | undefined) ?? ''])), ...save?.data };
}

function actionTitled(card: Card, title: string): CardAction {
  const action = nodesOf(card).find((n) => n.type === 'Action.Execute' && n.title === title) as CardAction | undefined;
  if (!action) throw new Error(`no "${title}" button on ${JSON.stringify(card).slice(0, 300)}`);
  return action;
}

describe('the admin card cannot lock the partnership out, and shows what a save removes', () => {
  let h: TeamsHarness;
  const id = (who: PersonKey) => PEOPLE[who].aadObjectId;

  const invoke = async (who: PersonKey, verb: string, data: Record<string, unknown>): Promise<Card> => {
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE[who] },
        tenantId: TEST_TENANT_ID,
        verb,
        data,
        conversationType: 'personal',
      }),
    );
    expect(res.status).toBe(200);
    return (res.body as InvokeBody).value;
  };
  const openAdmin = () => invoke('manager', 'admin.open', {});
  const rolesNow = async () => (await listRoleAssignments(h.db)).map((r) => `${r.role}/${r.scope}/${r.userId}`);
  const rolesChangedCount = async () =>
    Number((await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'roles_changed'`)).rows[0]!.n);

  beforeAll(async () => {
    h = await startTeamsHarness();
    await installInTestTeam(h);
  });
  afterAll(async () => h?.close());

  // Each test starts from the same partnership: three DSPs, a notifier, the business manager, one Engine Room member.
  beforeEach(async () => {
    await h.db.query('DELETE FROM role_assignments');
    await assignTestDsps(h);
    await assignRole(h.db, { role: 'la_notifier', scope: 'Hartlepool', userId: id('notifier') });
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: id('manager') });
    await assignRole(h.db, { role: 'engine_room', scope: '', userId: id('healthDsp') });
  });

  it('refuses a save with every field empty, naming what would be missing, and changes nothing', async () => {
    const before = await listRoleAssignments(h.db);
    const audits = await rolesChangedCount();
    const text = JSON.stringify(await invoke('manager', 'admin.save', { form: 'roles' }));
    expect(text).toContain('Nothing saved');
    for (const missing of [
      'Business manager',
      'DSP: Police',
      'DSP: Integrated Care Board (health)',
      'DSP: Local authority (Hartlepool / Stockton-on-Tees)',
    ])
      expect(text).toContain(missing);
    expect(await listRoleAssignments(h.db)).toEqual(before);
    expect(await rolesChangedCount()).toBe(audits);
  });

  it('refuses a save that leaves one agency without a DSP, naming that agency, and keeps the values chosen', async () => {
    const before = await rolesNow();
    const audits = await rolesChangedCount();
    const form = { ...formOf(await openAdmin()), dsp__police: '', engine_room__: `${id('healthDsp')},${id('referrer')}` };
    const card = await invoke('manager', 'admin.save', form);
    const notice = nodesOf(card.body)
      .filter((n) => n.type === 'TextBlock')
      .map((n) => n.text as string)
      .find((t) => t.startsWith('Nothing saved'));
    expect(notice).toContain('DSP: Police');
    expect(notice).not.toContain('Business manager');
    expect(notice).not.toContain('DSP: Integrated Care Board');
    // The card shows what the person chose (police DSP empty, a second Engine Room member), not what is stored.
    const fields = formOf(card);
    expect(fields.dsp__police).toBe('');
    expect(fields.engine_room__).toBe(`${id('healthDsp')},${id('referrer')}`);
    expect(await rolesNow()).toEqual(before);
    expect(await rolesChangedCount()).toBe(audits);
  });

  it('answers a save that removes someone with a confirmation listing the removal, and writes nothing', async () => {
    const before = await rolesNow();
    const audits = await rolesChangedCount();
    const card = await invoke('manager', 'admin.save', { ...formOf(await openAdmin()), dsp__police: id('policeLead') });
    const text = JSON.stringify(card);
    expect(text).toContain('Test DSP Police would no longer be DSP: Police');
    expect(text).toContain('Test Safeguarding Lead Police would become DSP: Police');
    expect(text).not.toContain('Test DSP Health would no longer'); // only what changes is listed
    expect(actionTitled(card, 'Confirm changes').verb).toBe('admin.save');
    expect(actionTitled(card, 'Back').verb).toBe('admin.open');
    expect(await rolesNow()).toEqual(before);
    expect(await rolesChangedCount()).toBe(audits);
  });

  it('applies exactly what the confirmation showed when confirmed, and audits it once', async () => {
    const audits = await rolesChangedCount();
    const confirmation = await invoke('manager', 'admin.save', {
      ...formOf(await openAdmin()),
      dsp__police: id('policeLead'),
      engine_room__: '',
    });
    const text = JSON.stringify(confirmation);
    expect(text).toContain('Test DSP Health would no longer be Engine Room member');
    const confirm = actionTitled(confirmation, 'Confirm changes');
    expect(JSON.stringify(await invoke('manager', confirm.verb, confirm.data))).toContain('Saved.');
    const roles = await rolesNow();
    expect(roles).toContain(`dsp/police/${id('policeLead')}`);
    expect(roles).not.toContain(`dsp/police/${id('policeDsp')}`);
    expect(roles.filter((r) => r.startsWith('engine_room/'))).toEqual([]);
    expect(roles).toContain(`business_manager//${id('manager')}`);
    expect(await rolesChangedCount()).toBe(audits + 1);
  });

  it('re-opens the admin card with the values chosen from the confirmation\'s "Back"', async () => {
    const confirmation = await invoke('manager', 'admin.save', { ...formOf(await openAdmin()), dsp__police: id('policeLead') });
    const back = actionTitled(confirmation, 'Back');
    const card = await invoke('manager', back.verb, back.data);
    expect(formOf(card).dsp__police).toBe(id('policeLead'));
    expect(await rolesNow()).toContain(`dsp/police/${id('policeDsp')}`);
  });

  it('refuses a confirmation when the assignments changed after it was shown, and shows it again', async () => {
    const confirmation = await invoke('manager', 'admin.save', { ...formOf(await openAdmin()), dsp__police: id('policeLead') });
    const confirm = actionTitled(confirmation, 'Confirm changes');
    // Meanwhile (another admin, or the people file at a restart) the Engine Room gains a member.
    await assignRole(h.db, { role: 'engine_room', scope: '', userId: id('outsider') });
    const before = await rolesNow();
    const audits = await rolesChangedCount();
    const again = await invoke('manager', confirm.verb, confirm.data);
    const text = JSON.stringify(again);
    expect(text).toContain('changed since');
    // Shown again against the assignments as they are now: the new member would now be removed too.
    expect(text).toContain('Test DSP Police would no longer be DSP: Police');
    expect(text).toContain('Test Outsider would no longer be Engine Room member');
    expect(actionTitled(again, 'Confirm changes').data).not.toEqual(confirm.data);
    expect(await rolesNow()).toEqual(before);
    expect(await rolesChangedCount()).toBe(audits);
  });

  it('applies a save that only adds people directly, and audits it once', async () => {
    const audits = await rolesChangedCount();
    const card = await invoke('manager', 'admin.save', {
      ...formOf(await openAdmin()),
      engine_room__: `${id('healthDsp')},${id('referrer')}`,
      rr_chair__: id('referrer'),
    });
    expect(JSON.stringify(card)).toContain('Saved.');
    const roles = await rolesNow();
    expect(roles).toContain(`engine_room//${id('referrer')}`);
    expect(roles).toContain(`rr_chair//${id('referrer')}`);
    expect(roles).toContain(`engine_room//${id('healthDsp')}`);
    expect(await rolesChangedCount()).toBe(audits + 1);
  });
});
