import { app, authentication } from '@microsoft/teams-js';

import { el, show } from './dom.ts';

/** How long to wait for Teams before saying the page is not in Teams (the SDK itself waits 60 s). */
const TEAMS_WAIT_MS = 4000;

export type Host = { kind: 'teams' } | { kind: 'top-level' } | { kind: 'foreign-frame' };

/**
 * Connects to Teams. Outside Teams, `initialize` rejects at once in a top-level window ("No Parent
 * window found") and never answers inside a frame that is not Teams, so it is raced against a short
 * timeout and the page says which it was.
 */
export async function connectToTeams(): Promise<Host> {
  const framed = window.parent !== window;
  try {
    await Promise.race([app.initialize(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), TEAMS_WAIT_MS))]);
    return { kind: 'teams' };
  } catch {
    return framed ? { kind: 'foreign-frame' } : { kind: 'top-level' };
  }
}

/** The Teams SSO token for this app (the server validates it). */
export function teamsToken(): Promise<string> {
  return authentication.getAuthToken();
}

export function outsideTeamsMessage(host: Host): HTMLElement {
  return el(
    'section',
    { class: 'notice', role: 'status' },
    el('h1', {}, 'Open this dashboard in Microsoft Teams'),
    el(
      'p',
      {},
      host.kind === 'foreign-frame'
        ? 'Teams did not answer: this page is shown inside something that is not Microsoft Teams, so it cannot sign you in.'
        : "This page is the partnership's Teams tab. Open it from the partnership's app in Teams to sign in.",
    ),
  );
}

interface LocalPerson {
  id: string;
  name: string;
  roles: string[];
}

/** The local embedded mode: choose one of the configured people to sign in as. */
export function localSignIn(people: LocalPerson[], onToken: (token: string) => void): void {
  const select = el(
    'select',
    { id: 'local-person' },
    ...people.map((p) => el('option', { value: p.id }, `${p.name} (${p.roles.join(', ')})`)),
  );
  const error = el('p', { class: 'error', role: 'alert' });
  const form = el(
    'form',
    {},
    el('label', { for: 'local-person' }, 'Sign in as'),
    select,
    el('button', { type: 'submit' }, 'Sign in'),
    error,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void fetch('/api/tab/local-session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: select.value }),
    }).then(async (res) => {
      const body = (await res.json()) as { token?: string; error?: string };
      if (body.token) onToken(body.token);
      else error.textContent = body.error ?? 'Could not sign in.';
    });
  });
  show(
    outsideTeamsMessage({ kind: 'top-level' }),
    el(
      'section',
      { class: 'local' },
      el('h2', {}, 'Local demo'),
      el('p', {}, 'This service runs without Microsoft Entra (the local demo), so you can look as one of its configured people.'),
      form,
    ),
  );
}
