import { Command, CommanderError } from 'commander';

/** commander's own handler, not in its typings: the message with its closest-spelling suggestion. */
const commanderUnknownOption = (Command.prototype as unknown as { unknownOption(flag: string): void }).unknownOption;

/** The command line (`inc handoff add`) of the command whose usage an error is about. */
const commandOfError = new WeakMap<CommanderError, string>();

/**
 * A commander Command that says which command a usage error is about, so the hint can point at that
 * command's help, and whose unknown-option error also suggests the options a short form begins
 * (`--sev` → `--severity`): commander suggests by spelling only, and a cut-short name is too far off
 * for it. inc takes no abbreviations, as kubectl takes none, so the full name is what to type.
 */
export class IncCommand extends Command {
  override createCommand(name?: string): Command {
    return new IncCommand(name);
  }

  override error(message: string, errorOptions?: { code?: string; exitCode?: number }): never {
    try {
      return super.error(message, errorOptions);
    } catch (error) {
      if (error instanceof CommanderError) commandOfError.set(error, commandLineOf(this));
      throw error;
    }
  }

  /** Called by commander's parser; never returns (the error throws under exitOverride). */
  unknownOption(flag: string): void {
    const typed = flag.split('=')[0] ?? flag;
    if (typed.startsWith('--') && typed.length > 3) {
      const begun = [...new Set(longOptionsOf(this))].filter((long) => long.startsWith(typed));
      if (begun.length > 0 && begun.length <= 3) {
        const choices = begun.length === 1 ? begun[0] : `${begun.slice(0, -1).join(', ')} or ${begun.at(-1)}`;
        this.error(`error: unknown option '${flag}' (Did you mean ${choices}?)`, { code: 'commander.unknownOption' });
      }
    }
    commanderUnknownOption.call(this, flag);
  }
}

/** `inc handoff add` for the command a usage error came from; undefined for errors of other origins. */
export function usageCommandOf(error: CommanderError): string | undefined {
  return commandOfError.get(error);
}

function commandLineOf(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/** The long names of the options shown in help, this command's then its parents' (the global ones). */
function longOptionsOf(command: Command): string[] {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) {
    for (const option of at.createHelp().visibleOptions(at)) if (option.long) names.push(option.long);
  }
  return names;
}
