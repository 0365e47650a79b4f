// A page object over the Microsoft 365 Agents Playground web client (0.2.28), for tests that act as a
// person would: pick a chat or channel in the left tree, type, fill Adaptive Cards, click buttons and
// read what shows.
//
// How the client is built (found by driving it): React + Fluent UI v9; Adaptive Cards are rendered by
// the adaptivecards JS renderer (`.ac-adaptiveCard`, `.ac-textBlock`, `.ac-actionSet`...) with Fluent
// inputs: Input.Text -> textbox, compact Input.ChoiceSet -> Fluent Combobox (role combobox, options in a
// listbox portal), expanded -> radiogroup of radios, Input.Date -> Fluent DatePicker (role combobox with
// aria-haspopup=dialog, allowTextInput), Input.Toggle -> checkbox, actions -> buttons named by title.
// Input ids from the card JSON do NOT reach the DOM (the renderer uses generated `__ac-<uuid>` ids), so
// inputs are found by their label. Class names other than `ac-*` / `fui-*` are hashed (Griffel) and
// change between builds: never select on them.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import type { Locator, Page } from 'playwright-core';

export type ConversationKind = 'personal' | 'group' | 'channel';

interface ClientConfig {
  config: {
    bot: { id: string; name: string };
    personalChat: { id: string; name: string };
    groupChats: { id: string; name: string }[];
    teams: { id: string; name: string; channels: { id: string; name: string }[] }[];
  };
}

/** An entry of the playground's log panel (sent over ws /_ws/log/stream). */
export interface PlaygroundLogEntry {
  type?: string;
  /** 'warning' for unsupported features ("User specific view is not supported yet..."). */
  level?: string;
  displayText?: string;
  activityName?: string;
  from?: string;
  to?: string;
  timestamp?: number;
}

export interface OpenOptions {
  /** Hide the log panel so its text does not match waitForText (default true). */
  hideLogPanel?: boolean;
  /** Abort requests to anything but the playground (its fonts come from a CDN; default true). */
  blockExternalRequests?: boolean;
  /** Default timeout for waits, ms (default 15 000). */
  timeoutMs?: number;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export class PlaygroundPage {
  /** Conversations whose first-open installationUpdate/conversationUpdate has been sent. */
  private readonly opened = new Set<string>();
  private current: { kind: ConversationKind; id: string } | undefined;
  /** Everything the playground wrote to its log panel since open() (warnings included). */
  readonly log: PlaygroundLogEntry[] = [];

  private constructor(
    readonly page: Page,
    readonly url: string,
    readonly client: ClientConfig['config'],
    readonly timeoutMs: number,
  ) {}

  /**
   * Opens the playground and waits until the personal chat (the default conversation) is ready:
   * the page has sent the bot its installationUpdate + conversationUpdate for it.
   * Start the bot first: the page's first call (/_internal/v1/config) waits up to 15 s for it.
   * A fresh page shows no history: open it before the bot sends what the test wants to see.
   */
  static async open(page: Page, url: string, options: OpenOptions = {}): Promise<PlaygroundPage> {
    // Generous: CI machines have two cores shared by the service, the playground and chromium.
    const timeoutMs = options.timeoutMs ?? 30_000;
    page.setDefaultTimeout(timeoutMs);
    if (options.blockExternalRequests ?? true) {
      const origin = new URL(url).origin;
      await page.route(
        (u) => u.origin !== origin && (u.protocol === 'http:' || u.protocol === 'https:'),
        (route) => route.abort(),
      );
    }
    const res = await fetch(`${url}/_internal/v1/config`);
    const client = ((await res.json()) as ClientConfig).config;
    const pp = new PlaygroundPage(page, url, client, timeoutMs);
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/_ws/log/')) return;
      ws.on('framereceived', (frame) => {
        try {
          const msg = JSON.parse(String(frame.payload)) as { logAction?: string; log?: PlaygroundLogEntry };
          if (msg.logAction === 'appendLog' && msg.log) pp.log.push(msg.log);
        } catch {
          // not JSON
        }
      });
    });
    const installed = pp.waitForInstallation(client.personalChat.id);
    await page.goto(url, { waitUntil: 'load' });
    await page.getByRole('treeitem', { name: client.personalChat.name }).waitFor();
    await installed;
    pp.opened.add(client.personalChat.id);
    pp.current = { kind: 'personal', id: client.personalChat.id };
    if (options.hideLogPanel ?? true) {
      await page.getByRole('button', { name: 'Hide log panel' }).click();
    }
    return pp;
  }

  private waitForInstallation(conversationId: string): Promise<unknown> {
    const path = `/_debug/conversation/${encodeURIComponent(conversationId)}/installation`;
    return this.page
      .waitForResponse(
        (r) => {
          const u = new URL(r.url());
          return u.pathname === path || decodeURIComponent(u.pathname) === decodeURIComponent(path);
        },
        { timeout: this.timeoutMs },
      )
      .catch(() => undefined);
  }

  /**
   * The text of the log panel, opened for the moment if hidden. Unlike `log`, this includes the
   * warnings the client itself adds, e.g. "(!) Warning: User specific view is not supported yet"
   * for a card with `refresh`.
   */
  async logPanelText(): Promise<string> {
    const clear = this.page.getByRole('button', { name: 'Clear logs' });
    const wasHidden = (await clear.count()) === 0;
    if (wasHidden) await this.page.getByRole('button', { name: 'Toggle Log Panel' }).click();
    // The smallest element holding both the header buttons and the timestamped entries.
    const panel = this.page
      .locator('div')
      .filter({ has: clear })
      .filter({ hasText: /\[\d{1,2}:\d{2}:\d{2}/ })
      .last();
    await panel.waitFor();
    const text = await panel.innerText();
    if (wasHidden) await this.page.getByRole('button', { name: 'Hide log panel' }).click();
    return text;
  }

  /** Warning lines of the log panel ("(!) Warning: ..."). */
  async warnings(): Promise<string[]> {
    return (await this.logPanelText()).split('\n').filter((l) => /Warning:/.test(l));
  }

  get botName(): string {
    return this.client.bot.name;
  }

  /** The team name shown in the tree (the first, and only, team). */
  get teamName(): string {
    return this.client.teams[0]?.name ?? '';
  }

  /**
   * Switches conversation by clicking the left tree: 'personal' (the 1:1 chat with the bot),
   * 'group' (the group chat, optionally by name), 'channel' (a team channel by name, default General).
   * The first time a conversation is opened the page sends the bot installationUpdate and
   * conversationUpdate (in a channel: eventType teamMemberAdded with the bot); this waits for them.
   */
  async selectConversation(kind: ConversationKind | 'groupChat', name?: string): Promise<void> {
    let treeName: string;
    let id: string;
    let installKey: string | undefined;
    const k: ConversationKind = kind === 'groupChat' ? 'group' : kind;
    if (k === 'personal') {
      treeName = this.client.personalChat.name;
      id = this.client.personalChat.id;
    } else if (k === 'group') {
      const chat = this.client.groupChats.find((g) => name === undefined || g.name === name);
      if (!chat) throw new Error(`No group chat named ${name ?? ''}`);
      treeName = chat.name;
      id = chat.id;
    } else {
      const team = this.client.teams[0];
      const channel = team?.channels.find((c) => c.name === (name ?? 'General'));
      if (!team || !channel) throw new Error(`No channel named ${name ?? 'General'}`);
      treeName = `${team.name} - ${channel.name}`;
      id = channel.id;
      // The page installs the app once per TEAM: only the first channel opened posts
      // /_debug/conversation/<thatChannelId>/installation.
      installKey = `team:${team.id}`;
    }
    installKey ??= id;
    const installed = this.opened.has(installKey) ? Promise.resolve() : this.waitForInstallation(id);
    await this.page.getByRole('treeitem', { name: treeName, exact: true }).click();
    await installed;
    this.opened.add(installKey);
    this.current = { kind: k, id };
    if (k === 'channel') await this.newPostComposer().waitFor();
    else await this.page.getByRole('button', { name: 'Send Message' }).waitFor();
  }

  /** The "Start a new post" box of a channel (a group with a Post button). */
  private newPostComposer(): Locator {
    return this.page.getByRole('group').filter({ has: this.page.getByRole('button', { name: 'Post', exact: true }) });
  }

  /** The lexical editors (contenteditable role=textbox) used to compose. */
  private editors(scope: Page | Locator = this.page): Locator {
    return scope.locator('[data-lexical-editor="true"]');
  }

  private async typeInto(editor: Locator, text: string, mentionBot: boolean): Promise<void> {
    await editor.click();
    if (mentionBot) {
      // Typing "@" + a prefix opens a "Typeahead menu" listing the bot; picking it inserts
      // <at>Bot</at> and a mentions entity. Without it, group chats and channels do not deliver
      // the message to the bot (as in Teams).
      const prefix = this.botName.slice(0, Math.min(4, this.botName.length));
      await this.page.keyboard.type(`@${prefix}`);
      await this.page.getByRole('menuitem', { name: this.botName }).first().click();
      await this.page.keyboard.type(' ');
    }
    await this.page.keyboard.type(text);
  }

  private async waitEmptied(editor: Locator): Promise<void> {
    await editor.filter({ hasNotText: /\S/ }).waitFor();
  }

  /**
   * Sends a message in the current conversation as the signed-in person. In the personal chat it is
   * delivered as typed; in a group chat or channel (a new post) the bot is @mentioned first unless
   * `mentionBot: false`, because the playground only delivers mentioned messages there.
   */
  async sendMessage(text: string, opts: { mentionBot?: boolean } = {}): Promise<void> {
    const kind = this.current?.kind ?? 'personal';
    const mention = opts.mentionBot ?? kind !== 'personal';
    if (kind === 'channel') {
      const editor = this.editors(this.newPostComposer()).first();
      await this.typeInto(editor, text, mention);
      await this.newPostComposer().getByRole('button', { name: 'Post', exact: true }).click();
      await this.waitEmptied(editor);
      return;
    }
    const editor = this.editors().last();
    await this.typeInto(editor, text, mention);
    await this.page.keyboard.press('Enter');
    await this.waitEmptied(editor);
  }

  /** Replies in a channel thread (see thread()). Mentions the bot unless `mentionBot: false`. */
  async replyInThread(thread: Locator, text: string, opts: { mentionBot?: boolean } = {}): Promise<void> {
    const editor = this.editors(thread).last();
    await this.typeInto(editor, text, opts.mentionBot ?? true);
    await this.page.keyboard.press('Enter');
    await this.waitEmptied(editor);
  }

  /** Top-level Adaptive Cards in the conversation pane, in DOM order. */
  cards(): Locator {
    return this.page.locator('.ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)');
  }

  /**
   * The last card in DOM order: the newest in a chat. In a channel threads are listed NEWEST FIRST,
   * so use thread(text) / newestThread() and their cards there.
   */
  lastCard(): Locator {
    return this.cards().last();
  }

  /** Channel threads (root post + replies + reply box), newest first. */
  threads(): Locator {
    return this.page
      .getByRole('group')
      .filter({ has: this.page.locator('[data-lexical-editor="true"]') })
      .filter({ hasNot: this.page.getByRole('button', { name: 'Post', exact: true }) });
  }

  thread(hasText: string | RegExp): Locator {
    return this.threads().filter({ hasText });
  }

  newestThread(): Locator {
    return this.threads().first();
  }

  /**
   * Text shown in the conversation pane (messages and cards), not in the left tree's previews or
   * the log panel. Returns the first match once visible.
   */
  async waitForText(text: string | RegExp, opts: { timeoutMs?: number; within?: Locator } = {}): Promise<Locator> {
    const found = this.visibleText(text, opts.within);
    await found.waitFor({ state: 'visible', timeout: opts.timeoutMs ?? this.timeoutMs });
    return found;
  }

  /** Locator for text in the conversation pane (excludes the tree previews). */
  visibleText(text: string | RegExp, within?: Locator): Locator {
    const scope = within ?? this.page;
    return scope.getByText(text).and(this.page.locator(':not([role=tree] *)')).first();
  }

  /**
   * Sets an Adaptive Card input found by its label (Input.*.label, or Input.Toggle's title):
   * - Input.Text / Input.Number: the text.
   * - Input.ChoiceSet compact (dropdown): the choice's title.
   * - Input.ChoiceSet expanded (radios): the choice's title.
   * - Input.Date: `YYYY-MM-DD` (typed into the DatePicker, which accepts text).
   * - Input.Toggle: true/false (or 'true'/'false').
   * Looks in `card` (default: lastCard()).
   */
  async fillInput(label: string | RegExp, value: string | boolean, opts: { card?: Locator } = {}): Promise<void> {
    const scope = opts.card ?? this.lastCard();
    const field = await this.findField(scope, label);
    const info = await field.evaluate((el) => ({
      tag: el.tagName.toLowerCase(),
      role: el.getAttribute('role'),
      type: el.getAttribute('type'),
      popup: el.getAttribute('aria-haspopup'),
    }));
    const text = String(value);
    if (info.role === 'radiogroup') {
      await field.getByRole('radio', { name: text, exact: true }).check();
    } else if (info.type === 'checkbox') {
      await field.setChecked(value === true || text === 'true');
    } else if (info.role === 'combobox' && info.popup === 'dialog') {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      // "March 14, 2025" is parsed as a local date by the picker, so no time-zone shift.
      const typed = m ? `${MONTHS[Number(m[2]) - 1]} ${Number(m[3])}, ${m[1]}` : text;
      await field.fill(typed);
      await field.press('Tab');
    } else if (info.role === 'combobox') {
      await field.click();
      // The listbox is rendered in a portal at the end of <body>, not inside the card.
      await this.page.getByRole('listbox').getByRole('option', { name: text, exact: true }).click();
    } else {
      await field.fill(text);
    }
  }

  /**
   * The input, waiting (up to 30 s) for the card that has it: a step's button and its form's title can
   * carry the same words, so the card may still be the chooser when this is called.
   */
  private async findField(scope: Locator, label: string | RegExp): Promise<Locator> {
    if (label instanceof RegExp) return scope.getByLabel(label).first();
    const exact = scope.getByLabel(label, { exact: true });
    // After validation the error text is appended to the accessible name ("Child initials Use two...").
    const prefixed = scope.getByLabel(new RegExp(`^\\s*${escapeRegExp(label)}(\\s|$)`));
    try {
      await exact.or(prefixed).first().waitFor({ state: 'attached', timeout: 30_000 });
    } catch {
      throw new Error(`No Adaptive Card input labelled "${label}"`);
    }
    return (await exact.count()) ? exact.first() : prefixed.first();
  }

  /** Clicks a card action button by its title (Action.Execute / Submit / OpenUrl / ShowCard). */
  async clickAction(title: string, opts: { card?: Locator } = {}): Promise<void> {
    const scope = opts.card ?? this.lastCard();
    await scope.getByRole('button', { name: title, exact: true }).click();
  }

  /** Full-page screenshot; creates the directory. */
  async screenshot(path: string): Promise<void> {
    mkdirSync(dirname(path), { recursive: true });
    await this.page.screenshot({ path, fullPage: true });
  }
}

/** Opens the playground in `page` (see PlaygroundPage.open). */
export function open(page: Page, url: string, options?: OpenOptions): Promise<PlaygroundPage> {
  return PlaygroundPage.open(page, url, options);
}

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Launch options that work on these machines (no sandbox, no GPU, no network chatter). */
export const chromiumLaunchOptions = {
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};
