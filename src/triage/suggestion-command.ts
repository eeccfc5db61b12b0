import type { Suggestion } from './types.js';

/** The playbook suggestion with its `inc run` line, repeating `--context` so it acts on the same cluster. */
export function suggestionCommand(
  playbook: string,
  params: Record<string, string>,
  context: { contextFlag?: string },
): Suggestion {
  const sets = Object.entries(params).map(([key, value]) => `--set ${key}=${shellQuote(value)}`);
  const flag = context.contextFlag ? ` --context ${shellQuote(context.contextFlag)}` : '';
  return { playbook, params, command: `inc run ${playbook} ${sets.join(' ')}${flag}` };
}

export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
