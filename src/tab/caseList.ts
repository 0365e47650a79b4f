import { type CaseRow, type Charts, getBlob, getJson, type Me } from './api.ts';
import { chartsSection } from './charts.ts';
import { day, el, show } from './dom.ts';

const RAG_TEXT = { red: 'Overdue', amber: 'Due soon', green: 'On track' } as const;

async function downloadCsv(): Promise<void> {
  const blob = await getBlob('/api/tab/export.csv');
  const link = el('a', { href: URL.createObjectURL(blob), download: 'cases-and-clocks.csv' });
  document.body.append(link);
  link.click();
  link.remove();
}

/** The list of cases with their next clock's RAG, filters, the charts, and the CSV export. */
export async function showCaseList(me: Me, query = new URLSearchParams('open=true')): Promise<void> {
  const [cases, charts] = await Promise.all([getJson<CaseRow[]>(`/api/tab/cases?${query}`), getJson<Charts>('/api/tab/charts')]);
  const filter = el(
    'select',
    { id: 'filter' },
    el('option', { value: 'open=true' }, 'Open cases'),
    el('option', { value: 'overdue=true' }, 'Overdue'),
    el('option', { value: '' }, 'All cases'),
    el('option', { value: 'open=false' }, 'Closed'),
    ...me.stages.map((s) => el('option', { value: `stage=${s.id}` }, `Stage: ${s.label}`)),
    el('option', { value: `profile=${me.profile}` }, `Profile: ${me.partnership}`),
  );
  filter.value = query.toString();
  filter.addEventListener('change', () => {
    void showCaseList(me, new URLSearchParams(filter.value));
  });
  const exportButton = el('button', { type: 'button' }, 'Export CSV (cases and clock outcomes)');
  exportButton.addEventListener('click', () => {
    void downloadCsv();
  });

  const table = el(
    'table',
    { class: 'cases' },
    el('caption', {}, `${cases.length} case${cases.length === 1 ? '' : 's'}`),
    el(
      'thead',
      {},
      el('tr', {}, ...['Reference', 'Child', 'Stage', 'Next clock', 'Status', 'Owner'].map((h) => el('th', { scope: 'col' }, h))),
    ),
    el(
      'tbody',
      {},
      ...cases.map((c) =>
        el(
          'tr',
          {},
          el('th', { scope: 'row' }, el('a', { href: `#/case/${c.id}` }, c.reference)),
          el('td', {}, c.initials),
          el('td', {}, c.closed ? 'Closed' : c.stageLabel),
          el('td', {}, c.next ? `${c.next.clock}: due ${day(c.next.dueDate)}` : '—'),
          el('td', {}, c.next ? el('span', { class: `rag rag-${c.next.rag}` }, RAG_TEXT[c.next.rag]) : '—'),
          el('td', {}, c.next?.owner ?? '—'),
        ),
      ),
    ),
  );
  show(
    el(
      'header',
      {},
      el('h1', {}, `${me.partnership}: cases`),
      el('p', { class: 'who' }, `Signed in as ${me.name || 'you'} (${me.roles.join(', ')})`),
    ),
    el('div', { class: 'toolbar' }, el('label', { for: 'filter' }, 'Show'), filter, exportButton),
    table,
    chartsSection(charts),
  );
}
