import { ApiError, type CaseView, getJson } from './api.ts';
import { day, el, show, when } from './dom.ts';

const STATE_TEXT: Record<string, string> = {
  met: 'met on time',
  met_late: 'met late',
  overdue: 'overdue',
  due_soon: 'due soon',
  pending: 'running',
};

interface PlanDates {
  startedOn?: string;
  endedOn?: string;
}

interface Referral {
  referrer: { name: string; agency: string; email: string; authorisingOfficerComment?: string };
  child: { name: string; dateOfBirth: string; address?: string; nhsNumber?: string; statusAtTime: string; localAuthority: string };
  incident: {
    date: string;
    diedOn?: string;
    isDeath: boolean;
    causeOfDeath?: string;
    staffConduct?: boolean;
    coroner?: string;
    coronerDetails?: string;
    mainCause?: string;
    mainCauseOther?: string;
    characteristics?: string[];
    characteristicsOther?: string;
  };
  plans?: { childProtection?: PlanDates; childInNeed?: PlanDates };
  narrative: { whatHappened: string; whyCriteriaMet: string; otherReviews?: string; actionsSinceIncident?: string };
  escalation?: { sought?: boolean; resolutionAttempts?: string };
}

const yesNo = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'yes' : 'no');
/** The choices made, in words, with "other, please state" in place of "other". */
// Stored choice values in words ("non_accidental_injury" → "non accidental injury"), as the status is shown.
function withOther(chosen: readonly string[] | undefined, other: string | undefined): string | undefined {
  const named = (chosen ?? []).filter((c) => c !== 'other' || !other).map((c) => c.replace(/_/g, ' '));
  return [...named, ...(other ? [`other: ${other}`] : [])].join(', ') || undefined;
}
function plan(p: PlanDates | undefined): string | undefined {
  if (!p?.startedOn && !p?.endedOn) return undefined;
  return [p.startedOn ? `from ${day(p.startedOn)}` : '', p.endedOn ? `to ${day(p.endedOn)}` : ''].filter(Boolean).join(' ');
}

/** Full details, fetched only when asked for (each fetch is audited on the server) and shown in this page only. */
function detailsSection(id: string): HTMLElement {
  const holder = el('div', {});
  const button = el('button', { type: 'button' }, 'Show full details (your view is recorded in the audit log)');
  button.addEventListener('click', () => {
    void getJson<Referral>(`/api/tab/cases/${encodeURIComponent(id)}/details`).then(
      (r) => {
        const row = (k: string, v: string | undefined) => (v ? el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v)) : null);
        holder.replaceChildren(
          el(
            'table',
            { class: 'details' },
            el(
              'tbody',
              {},
              row('Child', r.child.name),
              row('Date of birth', day(r.child.dateOfBirth)),
              row('Address', r.child.address),
              row('NHS number', r.child.nhsNumber),
              row('Status at the time', r.child.statusAtTime.replace(/_/g, ' ')),
              row('Local authority', r.child.localAuthority),
              row('Child protection plan', plan(r.plans?.childProtection)),
              row('Child in need plan', plan(r.plans?.childInNeed)),
              row('Incident', `${day(r.incident.date)}${r.incident.isDeath ? ' (death)' : ''}`),
              row('Date of death', r.incident.diedOn ? day(r.incident.diedOn) : undefined),
              row('Cause of death', r.incident.causeOfDeath),
              row('Conduct of a staff member', yesNo(r.incident.staffConduct)),
              row('Coroner involved', r.incident.coroner),
              row('Coroner', r.incident.coronerDetails),
              row('Main cause', withOther(r.incident.mainCause ? [r.incident.mainCause] : [], r.incident.mainCauseOther)),
              row('Characteristics', withOther(r.incident.characteristics, r.incident.characteristicsOther)),
              row('Referred by', `${r.referrer.name}, ${r.referrer.agency} (${r.referrer.email})`),
              row("Authorising officer's comment", r.referrer.authorisingOfficerComment),
              row('What happened', r.narrative.whatHappened),
              row('Why the criteria are met', r.narrative.whyCriteriaMet),
              row('Other reviews', r.narrative.otherReviews),
              row('Actions taken since the incident', r.narrative.actionsSinceIncident),
              row('Case escalation', r.escalation?.sought ? 'yes' : undefined),
              row('What was tried to resolve it', r.escalation?.resolutionAttempts),
            ),
          ),
        );
      },
      (error: unknown) => {
        holder.replaceChildren(
          el('p', { class: 'error', role: 'alert' }, error instanceof ApiError ? error.message : 'Could not load the details.'),
        );
      },
    );
  });
  return el('section', { 'aria-labelledby': 'details-h' }, el('h2', { id: 'details-h' }, 'Full details'), button, holder);
}

/** One case: its clocks (what was due when, met on time or late), timeline, meetings, votes and audit trail. */
export async function showCase(id: string): Promise<void> {
  const c = await getJson<CaseView>(`/api/tab/cases/${encodeURIComponent(id)}`);
  const back = el('a', { href: '#/' }, '← All cases');
  show(
    el('nav', {}, back),
    el(
      'header',
      {},
      el('h1', {}, `${c.reference} (${c.initials})`),
      el('p', {}, `Age ${c.ageBand} · incident ${day(c.incidentDate)} · received ${when(c.receivedAt)} · ${c.stageLabel}`),
    ),
    c.canSeeDetails ? detailsSection(c.id) : null,
    el(
      'section',
      { 'aria-labelledby': 'clocks-h' },
      el('h2', { id: 'clocks-h' }, 'Clocks'),
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, ...['Clock', 'Due', 'Outcome', 'Done'].map((h) => el('th', { scope: 'col' }, h)))),
        el(
          'tbody',
          {},
          ...c.clocks.map((k) =>
            el(
              'tr',
              {},
              el('th', { scope: 'row' }, `${k.label}${k.item ? ` (${k.item})` : ''}${k.statutory ? ' · statutory' : ''}`),
              el(
                'td',
                {},
                k.dueDate ? day(k.dueDate) : '—',
                k.otherReading
                  ? ` (${k.reads}; ${k.otherReading.reads}: ${k.otherReading.dueDate ? day(k.otherReading.dueDate) : 'not started yet'})`
                  : '',
              ),
              el('td', {}, el('span', { class: `state state-${k.state}` }, STATE_TEXT[k.state] ?? k.state)),
              el('td', {}, k.completedAt ? when(k.completedAt) : '—'),
            ),
          ),
        ),
      ),
    ),
    el(
      'section',
      { 'aria-labelledby': 'timeline-h' },
      el('h2', { id: 'timeline-h' }, 'Timeline'),
      el(
        'ol',
        { class: 'timeline' },
        ...c.events.map((e) =>
          el(
            'li',
            {},
            el('time', { datetime: e.at }, when(e.at)),
            ` ${e.type.replace(/_/g, ' ')}`,
            Object.keys(e.data).length
              ? el(
                  'span',
                  { class: 'data' },
                  ` (${Object.entries(e.data)
                    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
                    .join('; ')})`,
                )
              : null,
          ),
        ),
      ),
    ),
    el(
      'section',
      { 'aria-labelledby': 'meetings-h' },
      el('h2', { id: 'meetings-h' }, 'Meetings'),
      c.meetings.length
        ? el(
            'ul',
            {},
            ...c.meetings.map((m) => el('li', {}, `${m.title ?? m.kind}: ${m.startsAt ? when(m.startsAt) : 'not booked'} (${m.status})`)),
          )
        : el('p', {}, 'No meetings booked.'),
    ),
    el(
      'section',
      { 'aria-labelledby': 'votes-h' },
      el('h2', { id: 'votes-h' }, 'Votes'),
      c.canSeeDetails ? null : el('p', { class: 'note' }, "Rationales are shown to the roles that may read the case's full details."),
      el(
        'ul',
        {},
        ...c.votes.map((v) =>
          el(
            'li',
            {},
            `${v.agency}: ${v.decision.replace(/_/g, ' ')} (${when(v.castAt)})`,
            v.rationale ? el('blockquote', {}, v.rationale) : null,
          ),
        ),
      ),
    ),
    el(
      'section',
      { 'aria-labelledby': 'audit-h' },
      el('h2', { id: 'audit-h' }, 'Audit trail'),
      el(
        'p',
        { class: c.auditChain.ok ? 'chain-ok' : 'chain-broken' },
        c.auditChain.ok
          ? `Audit chain verified: ${c.auditChain.entries} entries, unbroken.`
          : `Audit chain BROKEN: ${c.auditChain.problems} problem(s) found. Tell the business manager.`,
      ),
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, ...['#', 'When', 'Who', 'What'].map((h) => el('th', { scope: 'col' }, h)))),
        el(
          'tbody',
          {},
          ...c.audit.map((a) =>
            el(
              'tr',
              {},
              el('td', {}, String(a.seq)),
              el('td', {}, when(a.at)),
              el('td', {}, a.actor),
              el('td', {}, a.action.replace(/_/g, ' ')),
            ),
          ),
        ),
      ),
    ),
  );
}
