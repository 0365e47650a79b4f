import { auditEntriesForCase, verifyAuditChain } from '../../adapters/store/auditLog.ts';
import { caseMeetings } from '../../adapters/store/dashboardRepository.ts';
import { knownNames } from '../../adapters/store/peopleRepository.ts';
import { ragOf } from '../../domain/dashboard/rag.ts';
import type { AppContext } from '../appContext.ts';
import { loadCaseSnapshot } from '../cases/caseSnapshot.ts';
import { NotFoundError } from '../errors.ts';
import type { Viewer } from './viewer.ts';
import { maySeeCaseId } from './visibleCases.ts';

/** Event data that may hold what people typed about the child or family: never sent to the page. */
const OPEN_EVENT_FIELDS = [
  'outcome',
  'notifiedOn',
  'reference',
  'meetingDate',
  'heldOn',
  'submittedOn',
  'conclusion',
  'response',
  'review',
  'itemId',
  'agencyName',
  'dueOn',
  'kind',
  'deadline',
  'plannedDate',
  'publishedOn',
  'publicUntil',
  'commission',
  'reviewer',
  'chair',
  'template',
  'subject',
  // #15 items 3 and 7: when the referrer answered and which round of votes followed; the partners' approval.
  'answeredOn',
  'round',
  'approved',
];

/**
 * One case for the dashboard: what happened and when, each clock with what was due when and whether
 * it was met on time, the meetings, the votes (rationales only for roles the profile lets read full
 * details), and the case's audit entries with the whole chain verified. Only for a viewer the
 * profile's `dashboardAccess` lets see the case.
 */
export async function caseTimeline(ctx: AppContext, caseId: string, viewer: Viewer) {
  // A case the viewer may not see is not found, exactly like one that does not exist: its existence is not told.
  if (!(await maySeeCaseId(ctx, viewer, caseId))) throw new NotFoundError('That case was not found.');
  const snapshot = await loadCaseSnapshot(ctx, caseId);
  const { record } = snapshot;
  const now = ctx.now();
  const seesRationale = viewer.roles.some((r) => ctx.profile.fullDetailsRoles.includes(r.role));
  const [meetings, audit, chain, names] = await Promise.all([
    caseMeetings(ctx.db, caseId),
    auditEntriesForCase(ctx.db, caseId),
    verifyAuditChain(ctx.db),
    // Who did what, by name where the partnership knows it (the audit log itself keeps the Entra id).
    knownNames(ctx.db),
  ]);
  return {
    id: record.id,
    reference: record.reference,
    initials: record.summary.initials,
    ageBand: record.summary.ageBand,
    incidentDate: record.summary.incidentDate,
    receivedAt: record.receivedAt.toISOString(),
    stage: record.stage,
    stageLabel: ctx.profile.stages.find((s) => s.id === record.stage)?.label ?? record.stage,
    canSeeDetails: seesRationale,
    events: snapshot.events.map((e) => ({
      type: e.type,
      at: e.at.toISOString(),
      data: Object.fromEntries(Object.entries(e.data ?? {}).filter(([k]) => OPEN_EVENT_FIELDS.includes(k))),
    })),
    clocks: snapshot.clocks
      .filter((c) => c.state !== 'not_started' && c.state !== 'not_applicable')
      .map((c) => ({
        clockId: c.clockId,
        item: c.item ?? '',
        label: c.label,
        short: c.short,
        statutory: c.statutory,
        state: c.state,
        dueDate: c.dueDate ?? null,
        // Where the seed gives two starting points (003), the deadline is the earlier; the other is beside it.
        ...(c.otherReading
          ? { reads: c.reads ?? '', otherReading: { reads: c.otherReading.reads, dueDate: c.otherReading.dueDate ?? null } }
          : {}),
        completedAt: c.completedAt?.toISOString() ?? null,
        rag:
          ragOf({ completedAt: c.completedAt ?? null, dueAt: c.dueAt ?? null, dueSoonAt: c.dueSoonAt ?? null, state: c.state }, now) ??
          null,
      })),
    meetings: meetings.map((m) => ({
      kind: m.kind,
      title: m.title,
      startsAt: m.starts_at?.toISOString() ?? null,
      endsAt: m.ends_at?.toISOString() ?? null,
      status: m.status,
    })),
    votes: snapshot.votes.map((v) => ({
      agency: ctx.profile.agencies.find((a) => a.id === v.agency)?.label ?? v.agency,
      decision: v.decision,
      castAt: v.castAt.toISOString(),
      // #15 item 11: a deputy DSP's vote names who voted, in whose place (partnership staff, not the child).
      ...(v.votedBy ? { votedBy: v.votedBy.name } : {}),
      ...(v.inPlaceOf ? { inPlaceOf: v.inPlaceOf.name } : {}),
      ...(seesRationale ? { rationale: v.rationale } : {}),
    })),
    audit: audit.map((a) => ({ seq: a.seq, at: a.at.toISOString(), actor: names.get(a.actor) ?? a.actor, action: a.action })),
    auditChain: { ok: chain.ok, entries: chain.entries, problems: chain.problems.length },
  };
}
