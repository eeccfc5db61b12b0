import type { IncError } from '../errors.js';

/**
 * What the CLI adds to an error's hint, by the error's code: the layers below name no inc command
 * (docs/ARCHITECTURE.md), so a hint that points at one is added here.
 */
const COMMAND_HINTS: Readonly<Record<string, string>> = {
  NO_KUBECONFIG: 'or try `inc sim` for a simulated cluster',
};

/** The hint to print for an expected error: its own, followed by the command to try, if any. */
export function hintOf(error: IncError): string | undefined {
  const command = COMMAND_HINTS[error.code];
  if (!command) return error.hint;
  return error.hint ? `${error.hint}, ${command}` : command;
}
