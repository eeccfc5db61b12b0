import type { loadConfig } from '../../config.js';
import { recordTrustedPlaybook } from '../../config-write.js';
import type { PlaybookEntry } from '../../playbooks/load-playbooks.js';
import { decideTrust, describeOrigin, untrustedDeclined } from '../../playbooks/trust.js';
import type { Prompter } from '../../prompter.js';
import type { CommandEnv } from '../context.js';

/** What trust needs of the playbook session: the hashes already trusted, and someone to ask. */
export interface TrustSession {
  config: Pick<ReturnType<typeof loadConfig>, 'trustedPlaybooks'>;
  prompter: Prompter;
}

/**
 * Before anything of a playbook runs: says where it comes from when it is not a built-in one, and
 * runs an untrusted one (this folder, a file path) only once trusted — its hash in the config,
 * --trust, or a person who read it and said yes (then its hash is recorded).
 */
export async function establishTrust(
  env: CommandEnv,
  session: TrustSession,
  entry: PlaybookEntry,
  trustFlag: boolean,
): Promise<void> {
  const err = (text: string) => env.output.err(text);
  const theme = env.errTheme;
  const where = describeOrigin(entry, env.cwd);
  if (entry.source !== 'built-in') err(`${theme.warn(`playbook ${entry.name}`)} from ${where}`);
  const decision = decideTrust({
    origin: entry,
    trusted: session.config.trustedPlaybooks,
    trustFlag,
    interactive: env.interactive,
    cwd: env.cwd,
  });
  if (decision === 'trusted-once') err(theme.dim(`trusted for this run (--trust); sha256 ${entry.sha256}`));
  if (decision !== 'ask') return;
  err(theme.warn(`This playbook is not trusted yet. Read what it will run:`));
  for (const line of (entry.text ?? '').replace(/\n$/, '').split('\n')) err(`  │ ${printable(line)}`);
  err(theme.dim(`sha256 ${entry.sha256}`));
  const yes = await session.prompter.confirm(
    'Trust this playbook (its sha256 is recorded in the config) and run it?',
    false,
  );
  if (!yes || !entry.sha256) throw untrustedDeclined(entry);
  const file = recordTrustedPlaybook(env.env, { sha256: entry.sha256, file: entry.file });
  err(theme.dim(`trusted: sha256 recorded in ${file}`));
}

/** A line of the file as text: control characters (escape sequences that could hide lines) shown as "?". */
function printable(line: string): string {
  return [...line]
    .map((ch) => {
      const code = ch.charCodeAt(0);
      return (code < 0x20 && ch !== '\t') || (code >= 0x7f && code <= 0x9f) ? '?' : ch;
    })
    .join('');
}
