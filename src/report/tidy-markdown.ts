/**
 * Tidies rendered Markdown: template logic leaves runs of blank lines and trailing spaces that
 * Markdown linters reject. Fenced code blocks are left exactly as written.
 */
export function tidyMarkdown(text: string): string {
  const out: string[] = [];
  let inFence = false;
  for (const raw of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) inFence = !inFence;
    const line = inFence ? raw : raw.replace(/[ \t]+$/, '');
    if (!inFence && line === '' && (out.length === 0 || out.at(-1) === '')) continue;
    out.push(line);
  }
  while (out.at(-1) === '') out.pop();
  return `${out.join('\n')}\n`;
}
