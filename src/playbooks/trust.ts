import { relative, sep } from 'node:path';
import { IncError, UsageError } from '../errors.js';
import type { PlaybookEntry } from './load-playbooks.js';

/** Where a playbook comes from, as the banner and the trust question name it. */
export interface PlaybookOrigin {
  name: string;
  file: string;
  source: PlaybookEntry['source'];
  overrides?: PlaybookEntry['source'];
  sha256?: string;
}

/**
 * Playbooks from the current folder (`./.inc/playbooks`) or from a file path came with whatever was
 * cloned or downloaded: they run only once their content is trusted. Built-in ones and the user's own
 * folders are trusted by where they are.
 */
export function needsTrust(origin: PlaybookOrigin): boolean {
  return origin.source === 'repo' || origin.source === 'file';
}

/** The file as people should read it: relative to the current folder when it is inside it. */
export function shownPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !rel.startsWith(sep) ? `.${sep}${rel}` : file;
}

/** "./.inc/playbooks/rollback.yaml (this folder; overrides the built-in rollback)". */
export function describeOrigin(origin: PlaybookOrigin, cwd: string): string {
  const where = { 'built-in': 'built-in', user: 'your playbooks', repo: 'this folder', file: 'a file' }[origin.source];
  const overrides = origin.overrides ? `; overrides the ${origin.overrides} ${origin.name}` : '';
  return `${shownPath(origin.file, cwd)} (${where}${overrides})`;
}

export type TrustDecision = 'trusted' | 'trusted-once' | 'ask';

export interface TrustOptions {
  origin: PlaybookOrigin;
  /** Hashes recorded as trusted in the config. */
  trusted: readonly string[];
  /** --trust: run it this once without asking. */
  trustFlag: boolean;
  interactive: boolean;
  cwd: string;
}

/**
 * Whether an untrusted playbook may run: its hash is recorded, or --trust was given, or a person can
 * be asked. Without a terminal it is refused (exit 2) naming --trust; a changed file is untrusted again.
 */
export function decideTrust(options: TrustOptions): TrustDecision {
  const { origin } = options;
  if (!needsTrust(origin)) return 'trusted';
  if (origin.sha256 && options.trusted.includes(origin.sha256)) return 'trusted';
  if (options.trustFlag) return 'trusted-once';
  if (options.interactive) return 'ask';
  throw new UsageError(
    `playbook ${origin.name} is not trusted: ${describeOrigin(origin, options.cwd)} has not been run before in this version`,
    {
      code: 'UNTRUSTED_PLAYBOOK',
      hint: `read it, then rerun with --trust (or run it once on a terminal, which asks and records its sha256 ${origin.sha256 ?? ''})`,
    },
  );
}

/** The person said no to an untrusted playbook: nothing ran. */
export function untrustedDeclined(origin: PlaybookOrigin): IncError {
  return new IncError(`playbook ${origin.name} was not trusted; nothing ran`, { code: 'DECLINED' });
}
