import { PassThrough } from 'node:stream';
import type { CliContext } from '../../src/cli/context.js';

/** A context for running the CLI in-process: no terminal anywhere, empty stdin, never cancelled. */
export function commandContext(
  fields: Pick<CliContext, 'env' | 'cwd' | 'clock' | 'output'> & Partial<CliContext>,
): CliContext {
  return {
    stdin: new PassThrough(),
    stdinIsTTY: false,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    signal: new AbortController().signal,
    ...fields,
  };
}
