// Drafts are published with numbered paragraphs so the public can comment on one of them.
// A paragraph is a block of text separated from the next by at least one blank line.
export function splitParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}
