import { distance } from 'fastest-levenshtein';

/**
 * The known names closest to a mistyped one, for "did you mean …?": within a third of its length
 * (at least one edit), or names it is a prefix of, as commander suggests commands.
 */
export function closestMatches(typed: string, known: readonly string[]): string[] {
  const limit = Math.max(1, Math.floor(typed.length / 3));
  const scored = known
    .map((name) => ({ name, edits: distance(typed.toLowerCase(), name.toLowerCase()) }))
    .filter(({ name, edits }) => edits <= limit || (typed.length >= 3 && name.startsWith(typed)));
  const best = Math.min(...scored.map(({ edits }) => edits));
  return scored.filter(({ edits, name }) => edits === best || name.startsWith(typed)).map(({ name }) => name);
}

/** "did you mean rollback?" or "did you mean restart or rollback?", or undefined when nothing is close. */
export function didYouMean(typed: string, known: readonly string[]): string | undefined {
  const matches = closestMatches(typed, known);
  if (matches.length === 0) return undefined;
  const listed = matches.length === 1 ? matches[0] : `${matches.slice(0, -1).join(', ')} or ${matches.at(-1)}`;
  return `did you mean ${listed}?`;
}
