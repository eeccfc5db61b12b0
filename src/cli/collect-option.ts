/** For a repeatable option that also takes comma-separated values: `--to a --to b,c` → [a, b, c]. */
export function collectCommaSeparated(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',')];
}
