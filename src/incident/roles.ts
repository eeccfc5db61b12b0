import { UsageError } from '../errors.js';

/** Other words for the runbooks' roles; each applies only when its role is in the configured set. */
const ROLE_ALIASES: Record<string, string> = {
  ic: 'commander',
  'incident-commander': 'commander',
  tl: 'tech-lead',
  tech: 'tech-lead',
  ops: 'operations-lead',
  'ops-lead': 'operations-lead',
  operations: 'operations-lead',
  communicator: 'comms',
  communications: 'comms',
  'communications-lead': 'comms',
  expert: 'sme',
  'subject-matter-expert': 'sme',
};

/** Words that name more than one role: refused with the choices rather than guessed. */
const AMBIGUOUS: Record<string, string[]> = {
  lead: ['commander', 'tech-lead', 'operations-lead'],
};

function normalise(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

/**
 * The role a word names among the configured roles: "IC" → commander, "subject matter expert" → sme.
 * An unknown or ambiguous word ("lead") is refused with the roles to choose from.
 */
export function parseRole(text: string, roles: readonly string[]): string {
  const word = normalise(text);
  if (roles.includes(word)) return word;
  const alias = ROLE_ALIASES[word];
  if (alias && roles.includes(alias)) return alias;
  const choices = (AMBIGUOUS[word] ?? []).filter((role) => roles.includes(role));
  if (choices.length > 0) {
    throw new UsageError(`"${text}" could be several roles`, { hint: `say which: ${choices.join(', ')}` });
  }
  throw new UsageError(`unknown role "${text}"`, {
    hint: `use one of: ${roles.join(', ')} (ic = commander, sme = subject-matter expert; the set is "roles" in the config)`,
  });
}

/** The configured roles, who holds each now, and the roles nobody holds yet. */
export function describeRoles(
  held: Readonly<Record<string, string>>,
  roles: readonly string[],
): { role: string; name: string | null }[] {
  const known = roles.map((role) => ({ role, name: held[role] ?? null }));
  // Roles recorded before the set changed stay visible.
  const extra = Object.entries(held)
    .filter(([role]) => !roles.includes(role))
    .map(([role, name]) => ({ role, name }));
  return [...known, ...extra];
}
