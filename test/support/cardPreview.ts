/* eslint-disable @typescript-eslint/no-explicit-any -- the page's DOM and the bundle's global are typed loosely: the project compiles without the DOM library, whose types clash with Node's */
// Renders Adaptive Cards to PNG the way a person would see them in Teams, for looking at every card
// a change touches: the adaptivecards JS renderer (the one Teams' web client and the Agents
// Playground use) in headless Chromium, with a host config close to Teams' light theme and a chat
// card's width. The cards are what the bot sent (already filled in), so no templating happens here.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

/** A chat or channel card in Teams' desktop client is about this wide. */
export const CARD_WIDTH_PX = 448;

const FOREGROUND_COLORS = {
  default: { default: '#242424', subtle: '#616161' },
  dark: { default: '#252424', subtle: '#484644' },
  light: { default: '#FFFFFF', subtle: '#FFFFFF' },
  accent: { default: '#6264A7', subtle: '#8B8CC7' },
  good: { default: '#237B4B', subtle: '#92C353' },
  warning: { default: '#835C00', subtle: '#E9C46A' },
  attention: { default: '#C4314B', subtle: '#F4ABBA' },
};

/** Teams' light theme, as far as its published host config goes; Segoe UI falls back to a Linux sans. */
export const TEAMS_LIGHT_HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily: "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, 'Liberation Sans', 'DejaVu Sans', sans-serif",
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E1E1E1' },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  imageSizes: { small: 32, medium: 52, large: 100 },
  // Teams tints the coloured container styles lightly; the text colours are the same in each.
  containerStyles: Object.fromEntries(
    Object.entries({
      default: '#FFFFFF',
      emphasis: '#F5F5F5',
      good: '#DFF6DD',
      attention: '#FDE7E9',
      warning: '#FFF4CE',
      accent: '#E8EBFA',
    }).map(([style, backgroundColor]) => [style, { backgroundColor, foregroundColors: FOREGROUND_COLORS }]),
  ),
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 16, style: 'emphasis' },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
  },
  adaptiveCard: { allowCustomStyle: true },
  factSet: {
    title: { size: 'default', color: 'default', weight: 'bolder', wrap: true, maxWidth: 150 },
    value: { size: 'default', color: 'default', weight: 'default', wrap: true },
    spacing: 16,
  },
};

// Teams draws buttons as outlined pills with the accent colour for the primary one.
const PAGE_CSS = `
  body { margin: 0; padding: 16px; background: #F5F5F5; font-family: ${TEAMS_LIGHT_HOST_CONFIG.fontFamily}; }
  .bubble { width: ${CARD_WIDTH_PX}px; background: #FFFFFF; border: 1px solid #E1E1E1; border-radius: 6px; overflow: hidden; }
  .ac-pushButton { font: inherit; font-size: 14px; font-weight: 600; padding: 4px 12px; min-height: 32px; border-radius: 4px;
    border: 1px solid #D1D1D1; background: #FFFFFF; color: #242424; cursor: pointer; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .ac-pushButton.style-positive, .ac-pushButton.primary { background: #6264A7; color: #FFFFFF; border-color: #6264A7; }
  .ac-pushButton.style-destructive { color: #C4314B; }
  .ac-input, .ac-input input, .ac-input select, .ac-input textarea { font: inherit; font-size: 14px; }
  .ac-textInput, .ac-dateInput, .ac-multichoiceInput, .ac-numberInput, .ac-timeInput { border: 1px solid #D1D1D1; border-radius: 4px; padding: 5px 8px; min-height: 20px; }
  .ac-textInput.ac-multiline { min-height: 60px; }
`;

export interface RenderedCard {
  name: string;
  file: string;
  /** The renderer's parse and validation messages (unknown elements, bad values...). */
  warnings: string[];
  /** Elements whose box reaches past the card's right edge: cut off in Teams. */
  overflowing: string[];
  widthPx: number;
  heightPx: number;
}

function bundlePath(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve('adaptivecards/package.json'), '..', 'dist', 'adaptivecards.min.js');
}

/** Renders each card and screenshots it to `<outDir>/<name>.png`; also writes `<outDir>/report.json`. */
export async function renderCardsToPng(cards: { name: string; card: object }[], outDir: string): Promise<RenderedCard[]> {
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  const results: RenderedCard[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: CARD_WIDTH_PX + 64, height: 800 }, deviceScaleFactor: 1, locale: 'en-GB' });
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>${PAGE_CSS}</style></head><body></body></html>`);
    await page.addScriptTag({ path: bundlePath() });
    for (const { name, card } of cards) {
      const outcome = await page.evaluate(
        ({ json, hostConfig }) => {
          // The bundle's global; typed loosely here, as the page has no module types.
          const AC = (globalThis as unknown as { AdaptiveCards: Record<string, any> }).AdaptiveCards;
          // The page's DOM, typed loosely: the project compiles without the DOM library (Node's types would clash).
          const { document, getComputedStyle } = globalThis as unknown as {
            document: any;
            getComputedStyle: (el: any) => { overflow: string };
          };
          // Teams renders the Markdown subset of TextBlocks (bold, italic, links, lists); the bare bundle does not.
          AC.AdaptiveCard.onProcessMarkdown = (text: string, result: { outputHtml: string; didProcess: boolean }) => {
            const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
            result.outputHtml = escaped
              .replace(
                /\\([\\`*_{}[\]()#+\-.!<>]|&lt;|&gt;)/g,
                (_m: string, c: string) => `&#${c.startsWith('&') ? (c === '&lt;' ? 60 : 62) : c.charCodeAt(0)};`,
              )
              .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
              .replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1<em>$2</em>')
              .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '<a href="$2">$1</a>')
              .replace(/^- (.*)$/gm, '&bull; $1')
              .replace(/\n/g, '<br>');
            result.didProcess = true;
          };
          document.body.innerHTML = '';
          const bubble = document.createElement('div');
          bubble.className = 'bubble';
          document.body.appendChild(bubble);
          const adaptiveCard = new AC.AdaptiveCard();
          adaptiveCard.hostConfig = new AC.HostConfig(hostConfig);
          const context = new AC.SerializationContext();
          adaptiveCard.parse(json, context);
          const warnings: string[] = [];
          for (let i = 0; i < context.eventCount; i++) warnings.push(`parse: ${context.getEventAt(i).message}`);
          for (const e of adaptiveCard.validateProperties().validationEvents) warnings.push(`validate: ${e.message}`);
          const element = adaptiveCard.render() as { getBoundingClientRect(): unknown } | undefined;
          if (!element) return { warnings: [...warnings, 'render() returned nothing'], overflowing: [] };
          bubble.appendChild(element);
          const right = bubble.getBoundingClientRect().right;
          const overflowing: string[] = [];
          for (const el of Array.from(bubble.querySelectorAll('*') as ArrayLike<any>)) {
            const box = el.getBoundingClientRect();
            const clipped = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow === 'hidden';
            if (box.width > 0 && (box.right > right + 0.5 || (clipped && el.innerText.trim() !== '')))
              overflowing.push(`${el.className || el.tagName}: "${(el.innerText ?? '').trim().slice(0, 60)}"`);
          }
          return { warnings, overflowing };
        },
        { json: card, hostConfig: TEAMS_LIGHT_HOST_CONFIG },
      );
      const file = join(outDir, `${name}.png`);
      const bubble = page.locator('.bubble');
      const box = (await bubble.boundingBox()) ?? { width: 0, height: 0 };
      await bubble.screenshot({ path: file });
      results.push({ name, file, ...outcome, widthPx: Math.round(box.width), heightPx: Math.round(box.height) });
    }
  } finally {
    await browser.close();
  }
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(results, null, 2)}\n`);
  return results;
}
