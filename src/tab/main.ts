import './tab.css';

import { pages } from '@microsoft/teams-js';

import { ApiError, getJson, type Me, useToken } from './api.ts';
import { showCaseList } from './caseList.ts';
import { showCase } from './casePage.ts';
import { el, show } from './dom.ts';
import { connectToTeams, localSignIn, outsideTeamsMessage, teamsToken } from './signIn.ts';

/** Routes by the hash: #/ the list and charts, #/case/<id> one case. */
async function route(me: Me): Promise<void> {
  const match = /^#\/case\/([0-9a-f-]{36})$/.exec(location.hash);
  try {
    if (match) await showCase(match[1]!);
    else await showCaseList(me);
  } catch (error) {
    show(
      el(
        'p',
        { class: 'error', role: 'alert' },
        error instanceof ApiError ? `Not available: ${error.message}.` : 'Something went wrong loading this page.',
      ),
      el('a', { href: '#/' }, 'Back to all cases'),
    );
  }
}

async function start(token: string): Promise<void> {
  useToken(token);
  try {
    const me = await getJson<Me>('/api/tab/me');
    window.addEventListener('hashchange', () => {
      void route(me);
    });
    await route(me);
  } catch (error) {
    show(
      el(
        'p',
        { class: 'error', role: 'alert' },
        error instanceof ApiError ? `You cannot use this dashboard: ${error.message}.` : 'Could not reach the service.',
      ),
    );
  }
}

/** The channel tab's configuration page: one fixed dashboard, so saving just points the tab at it. */
function configure(): void {
  pages.config.registerOnSaveHandler((save) => {
    void pages.config
      .setConfig({
        contentUrl: `${location.origin}/tab`,
        websiteUrl: `${location.origin}/tab`,
        entityId: 'dashboard',
        suggestedDisplayName: 'Cases',
      })
      .then(
        () => save.notifySuccess(),
        (e: unknown) => save.notifyFailure(String(e)),
      );
  });
  pages.config.setValidityState(true);
  show(el('h1', {}, 'Cases dashboard'), el('p', {}, "Press Save to add the partnership's cases, clocks and timeliness to this channel."));
}

async function boot(): Promise<void> {
  const host = await connectToTeams();
  if (host.kind === 'teams') {
    if (document.body.dataset.page === 'configure') configure();
    else await start(await teamsToken());
    return;
  }
  const mode = (await (await fetch('/api/tab/mode')).json()) as { mode: string; people?: { id: string; name: string; roles: string[] }[] };
  if (mode.mode === 'local' && document.body.dataset.page !== 'configure' && host.kind === 'top-level')
    localSignIn(mode.people ?? [], (token) => {
      void start(token);
    });
  else show(outsideTeamsMessage(host));
}

void boot();
