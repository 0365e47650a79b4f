/**
 * Text people typed, made safe to show in a card's markdown-rendering elements (TextBlock, FactSet):
 * markdown and link syntax shows as typed instead of being rendered, so a rationale cannot turn into
 * a link or hide text. Cards show typed text in RichTextBlock text runs where they can (never markdown).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/([\\`*_{}[\]()#+!|>~<])/g, '\\$1')
    .replace(/^(\s*)(\d+)\./gm, '$1$2\\.')
    .replace(/^(\s*)-/gm, '$1\\-');
}
