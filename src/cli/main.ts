import { offsetClock, systemClock, type Clock } from '../clock.js';
import { ExitCode } from '../errors.js';
import { shouldUseColor } from '../ui/color.js';
import { streamOutput } from '../ui/output.js';
import { createTheme } from '../ui/theme.js';
import type { CliContext } from './context.js';
import { buildProgram } from './program.js';
import { renderError } from './render-error.js';

/**
 * Runs the CLI with the given context and argv (without node and script); returns the exit code.
 * The one place that maps errors to exit codes; tests call it in-process with fakes.
 */
export async function runCli(ctx: CliContext, args: readonly string[]): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...args], { from: 'user' });
    // A command may set process.exitCode (e.g. findings at --fail-on); take it and reset it,
    // so several in-process runs (the demo, command tests) stay independent.
    const code = typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
    process.exitCode = undefined;
    return code;
  } catch (error) {
    const debug = args.includes('--debug');
    const noColorFlag = args.includes('--no-color');
    const theme = createTheme(shouldUseColor({ env: ctx.env, isTTY: ctx.stderrIsTTY, noColorFlag }));
    const rendered = renderError(error, theme, debug);
    for (const line of rendered.lines) ctx.output.err(line);
    return rendered.exitCode;
  }
}

function clockFromEnv(env: NodeJS.ProcessEnv): Clock {
  const fixed = env.INC_NOW;
  if (!fixed) return systemClock;
  const start = new Date(fixed);
  if (Number.isNaN(start.getTime())) return systemClock;
  return offsetClock(start);
}

async function main(): Promise<void> {
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    abort.abort(new Error('interrupted'));
    // A second Ctrl-C means "now": leave without waiting for clean-up.
    if (interrupts > 1) process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const ctx: CliContext = {
    env: process.env,
    cwd: process.cwd(),
    clock: clockFromEnv(process.env),
    output: streamOutput(process.stdout, process.stderr),
    stdin: process.stdin,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    signal: abort.signal,
  };
  const code = await runCli(ctx, process.argv.slice(2));
  process.exitCode = abort.signal.aborted && code === ExitCode.failure ? ExitCode.interrupted : code;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

await main();
