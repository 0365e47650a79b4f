import type { z } from 'zod';

import { SCOPED_ACCESS } from '../dashboard/caseAccess.ts';
import { type AppliesWhen, type Profile, profileSchema } from './profileSchema.ts';

export class ProfileError extends Error {
  constructor(
    readonly source: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${source}: ${field}: ${detail}`);
    this.name = 'ProfileError';
  }
}

function pathOf(path: ReadonlyArray<PropertyKey>): string {
  return (
    path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '') ||
    '(root)'
  );
}

function describeIssue(issue: z.core.$ZodIssue): { field: string; detail: string } {
  if (issue.code === 'unrecognized_keys') {
    const base = pathOf(issue.path);
    return { field: base === '(root)' ? issue.keys[0]! : `${base}.${issue.keys[0]}`, detail: 'unknown field' };
  }
  return { field: pathOf(issue.path), detail: issue.message };
}

/** Events that open one of several items, each with its own clock: actions, agencies' requests, complaints, publication delays. */
const PER_ITEM_STARTS: readonly string[] = ['action_set', 'info_request_sent', 'complaint_received', 'publication_delayed'];

/**
 * Validates a profile: its shape, then that everything it names exists (roles, stages, clock ids,
 * outcomes). Throws a ProfileError naming the file and the field of the first problem.
 */
export function parseProfile(json: unknown, source: string): Profile {
  const parsed = profileSchema.safeParse(json);
  if (!parsed.success) {
    // A misspelt key shows up twice: as an unknown field and as the required one it should have been.
    // The unknown field is the cause, so name it first.
    const issues = [...parsed.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
    const { field, detail } = describeIssue(issues[0]!);
    throw new ProfileError(source, field, detail);
  }
  const profile = parsed.data;
  const fail = (field: string, detail: string): never => {
    throw new ProfileError(source, field, detail);
  };
  const roles = new Set(profile.roles.map((r) => r.id));
  const stages = new Set(profile.stages.map((s) => s.id));
  const agencies = new Set(profile.agencies.map((a) => a.id));

  const unique = (ids: string[], field: string) => {
    const seen = new Set<string>();
    ids.forEach((v, i) => {
      if (seen.has(v)) fail(`${field}[${i}].id`, `duplicate id "${v}"`);
      seen.add(v);
    });
  };
  unique(
    profile.roles.map((r) => r.id),
    'roles',
  );
  unique(
    profile.stages.map((s) => s.id),
    'stages',
  );
  unique(
    profile.clocks.map((c) => c.id),
    'clocks',
  );

  profile.notificationDecision.deciders.forEach((a, i) => {
    if (!agencies.has(a)) fail(`notificationDecision.deciders[${i}]`, `unknown agency "${a}"`);
  });
  profile.notificationDecision.outcomes.forEach((o, i) => {
    if (!stages.has(o.next)) fail(`notificationDecision.outcomes[${i}].next`, `unknown stage "${o.next}"`);
  });
  if (!stages.has(profile.notificationDecision.onDisagreement.next)) {
    fail('notificationDecision.onDisagreement.next', `unknown stage "${profile.notificationDecision.onDisagreement.next}"`);
  }
  profile.fullDetailsRoles.forEach((r, i) => {
    if (!roles.has(r)) fail(`fullDetailsRoles[${i}]`, `unknown role "${r}"`);
  });
  const kindOf = new Map(profile.roles.map((r) => [r.id, r.kind]));
  const granted = new Set<string>();
  profile.dashboardAccess.forEach((grant, i) => {
    const at = `dashboardAccess[${i}]`;
    if (!roles.has(grant.role)) fail(`${at}.role`, `unknown role "${grant.role}"`);
    if (granted.has(grant.role)) fail(`${at}.role`, `duplicate role "${grant.role}"`);
    granted.add(grant.role);
    if (grant.sees.includes('all') && grant.sees.length > 1) fail(`${at}.sees`, '"all" already includes every case: name it alone');
    grant.sees.forEach((access, j) => {
      // A notifier's local authority or a lead's agency is the assignment's scope: a role without one could never match.
      const needs = SCOPED_ACCESS[access];
      if (needs && kindOf.get(grant.role) !== needs) {
        fail(
          `${at}.sees[${j}]`,
          `"${access}" needs a role held ${needs === 'per_agency' ? 'per agency' : 'per local authority'}, and "${grant.role}" is not`,
        );
      }
    });
  });
  const outcomes = new Set(profile.notificationDecision.outcomes.map((o) => o.id));
  /** A condition on the notification decision must name the profile's own outcomes. */
  const checkOutcomes = (when: AppliesWhen | undefined, at: string) => {
    const parts = !when ? [] : 'allOf' in when ? when.allOf : 'anyOf' in when ? when.anyOf : [when];
    const path = (k: number) => (!when || 'event' in when ? at : `${at}.${'allOf' in when ? 'allOf' : 'anyOf'}[${k}]`);
    parts.forEach((cond, k) => {
      if (cond.event !== 'notification_decision' || cond.field !== 'outcome') return;
      cond.in.forEach((v, j) => {
        if (!outcomes.has(String(v))) fail(`${path(k)}.in[${j}]`, `unknown decision outcome "${String(v)}"`);
      });
    });
  };
  const { alwaysNotify, shareRationale } = profile.notificationDecision;
  checkOutcomes(alwaysNotify?.when, 'notificationDecision.alwaysNotify.when');
  if (shareRationale && !roles.has(shareRationale.with))
    fail('notificationDecision.shareRationale.with', `unknown role "${shareRationale.with}"`);
  shareRationale?.outcomes.forEach((o, i) => {
    if (!outcomes.has(o)) fail(`notificationDecision.shareRationale.outcomes[${i}]`, `unknown decision outcome "${o}"`);
  });

  profile.clocks.forEach((clock, i) => {
    const at = `clocks[${i}]`;
    if (!stages.has(clock.stage)) fail(`${at}.stage`, `unknown stage "${clock.stage}"`);
    if (!roles.has(clock.owner)) fail(`${at}.owner`, `unknown role "${clock.owner}"`);
    clock.escalation.forEach((step, j) =>
      step.notify.forEach((r, k) => {
        if (!roles.has(r)) fail(`${at}.escalation[${j}].notify[${k}]`, `unknown role "${r}"`);
      }),
    );
    checkOutcomes(clock.appliesWhen, `${at}.appliesWhen`);
    if (clock.orStarts && (!clock.starts.reads || !clock.orStarts.reads))
      fail(
        `${at}.${clock.starts.reads ? 'orStarts' : 'starts'}.reads`,
        'is required when a clock has two starting points: say each in words',
      );
    if (clock.perItem && !PER_ITEM_STARTS.includes(clock.starts.event)) {
      fail(`${at}.perItem`, `only items have per-item clocks (starts.event one of ${PER_ITEM_STARTS.map((e) => `"${e}"`).join(', ')})`);
    }
  });
  if (profile.actionExtension && !roles.has(profile.actionExtension.requestedBy))
    fail('actionExtension.requestedBy', `unknown role "${profile.actionExtension.requestedBy}"`);
  if (!roles.has(profile.learningDecision.decidedBy))
    fail('learningDecision.decidedBy', `unknown role "${profile.learningDecision.decidedBy}"`);
  profile.learningDecision.outcomes.forEach((o, i) => {
    if (!stages.has(o.next)) fail(`learningDecision.outcomes[${i}].next`, `unknown stage "${o.next}"`);
  });
  profile.meetings.forEach((m, i) => {
    if (!profile.clocks.some((c) => c.id === m.clock)) fail(`meetings[${i}].clock`, `unknown clock "${m.clock}"`);
    m.attendees.forEach((r, j) => {
      if (!roles.has(r)) fail(`meetings[${i}].attendees[${j}]`, `unknown role "${r}"`);
    });
    m.required.forEach((r, j) => {
      if (!m.attendees.includes(r)) fail(`meetings[${i}].required[${j}]`, `"${r}" is not among the attendees`);
    });
    if (m.within && !profile.clocks.some((c) => c.id === m.within)) fail(`meetings[${i}].within`, `unknown clock "${m.within}"`);
    m.after.forEach((a, j) => {
      if ('clock' in a && !profile.clocks.some((c) => c.id === a.clock))
        fail(`meetings[${i}].after[${j}].clock`, `unknown clock "${a.clock}"`);
      if ('meeting' in a && !profile.meetings.some((o) => o.kind === a.meeting))
        fail(`meetings[${i}].after[${j}].meeting`, `unknown meeting "${a.meeting}"`);
    });
  });
  return profile;
}
