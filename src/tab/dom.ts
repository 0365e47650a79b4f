/**
 * A tiny element builder. Text always goes in as text (textContent), never as HTML, so nothing a
 * person typed can become markup in the page.
 */
type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) if (c) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

export function show(...children: Child[]): void {
  const app = document.getElementById('app')!;
  app.replaceChildren(...children.filter((c): c is Node | string => Boolean(c)));
}

function londonParts(date: Date, withTime: boolean): Record<string, string> {
  const parts = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'Europe/London',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
  }).formatToParts(date);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

/** "2026-11-24" → "Tue 24 Nov 2026", as the cards say it. */
export function day(iso: string): string {
  const p = londonParts(new Date(`${iso}T12:00:00Z`), false);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** An instant in London: "Tue 24 Nov 2026, 10:30". */
export function when(instant: string): string {
  const p = londonParts(new Date(instant), true);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}
