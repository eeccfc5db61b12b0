import { UsageError } from '../../errors.js';

/** The scenario given as the argument or with --scenario (either, as kubectl-style tools take a name), once. */
export function scenarioOf(
  command: string,
  argument: string | undefined,
  option: string | undefined,
): string | undefined {
  if (argument !== undefined && option !== undefined && argument !== option) {
    throw new UsageError(`two scenarios given: ${argument} and --scenario ${option}`, {
      hint: `inc ${command} ${argument} (or inc ${command} --scenario ${argument})`,
    });
  }
  return argument ?? option;
}
