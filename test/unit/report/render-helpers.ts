import { lint } from 'markdownlint/promise';

/**
 * Lints Markdown with markdownlint's defaults. Line length (MD013) is off: titles and impact
 * text are the responders' own words, and inc does not re-wrap them.
 */
export async function markdownErrors(text: string): Promise<string[]> {
  const results = await lint({ strings: { doc: text }, config: { default: true, MD013: false } });
  return (results.doc ?? []).map(
    (error) =>
      `line ${error.lineNumber}: ${error.ruleNames.join('/')} ${error.ruleDescription} ${error.errorDetail ?? ''}`,
  );
}

/** Liquid markers that must never reach a reader. */
export const UNRENDERED = /\{\{|\}\}|\{%|%\}/;
