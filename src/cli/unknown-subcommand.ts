import type { Command } from 'commander';
import { didYouMean } from '../closest-match.js';
import { UsageError } from '../errors.js';

/**
 * For a command that has sub-commands and a default action (`inc playbooks`): a stray word is a
 * mistyped sub-command, so say which ones exist and the closest, as for top-level commands.
 */
export function rejectUnknownSubcommand(command: Command): void {
  const [word] = command.args;
  if (word === undefined) return;
  const names = command.commands.map((sub) => sub.name());
  const suggestion = didYouMean(word, names);
  throw new UsageError(`unknown command '${word}' for '${command.name()}'${suggestion ? `; ${suggestion}` : ''}`, {
    hint: `commands of ${command.name()}: ${names.join(', ')}`,
  });
}
