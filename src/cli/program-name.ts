import { basename } from 'node:path';
import type { Output } from '../ui/output.js';

/**
 * The name inc answers to. kubectl runs a plugin as `kubectl-inc`; invoked that way, inc speaks of
 * itself as `kubectl inc`, since another vendor's `inc` may be first on PATH.
 */
export function programNameOf(scriptPath: string | undefined): string {
  return basename(scriptPath ?? '').startsWith('kubectl-') ? 'kubectl inc' : 'inc';
}

/**
 * Rewrites every command inc suggests ("inc run rollback …", "inc --help") to the name it was invoked by.
 * Only "inc" followed by one of its commands or a flag is a command line; other words stay.
 */
export function renameCommandLines(text: string, name: string, commands: readonly string[]): string {
  if (name === 'inc') return text;
  const words = [...commands, 'COMMAND', 'PLAYBOOK'].map((word) => word.replace(/[^\w-]/g, '')).join('|');
  const pattern = new RegExp(`(^|[^\\w./-])(?<!kubectl )inc (?=(?:${words})\\b|--?[a-zA-Z])`, 'gm');
  return text.replace(pattern, `$1${name} `);
}

export function renamingOutput(output: Output, name: string, commands: () => readonly string[]): Output {
  if (name === 'inc') return output;
  return {
    out: (text) => output.out(renameCommandLines(text, name, commands())),
    err: (text) => output.err(renameCommandLines(text, name, commands())),
  };
}
