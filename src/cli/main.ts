import { spawn } from 'node:child_process';
import { type Clock, offsetClock, systemClock } from '../clock.js';
import { ExitCode } from '../errors.js';
import { stalledPlugins } from '../kube/stalled-plugins.js';
import { streamOutput } from '../ui/output.js';
import type { CliContext } from './context.js';
import { programNameOf } from './program-name.js';
import { runCli } from './run-cli.js';

/** `INC_NOW` starts the CLI's clock at a given instant, for reproducible scripted runs and tests. */
function clockFromEnv(env: NodeJS.ProcessEnv): Clock {
  const fixed = env.INC_NOW;
  if (!fixed) return systemClock;
  const start = new Date(fixed);
  if (Number.isNaN(start.getTime())) return systemClock;
  return offsetClock(start);
}

/**
 * A reader that stops early (`inc log --json | head -1`) closes the pipe. That is not a failure: the
 * rest of the output is dropped quietly and the command finishes what it was doing (a recording).
 */
function ignoreClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}

/**
 * The background push after a command: a detached inc that outlives this one, so the command
 * never waits for the network.
 */
function startBackgroundSync(): void {
  const script = process.argv[1];
  if (!script) return;
  const child = spawn(process.execPath, [script, 'sync', '--background'], { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}

/** The composition root: reads process state, builds the context, sets the exit code. */
async function main(): Promise<void> {
  ignoreClosedPipe(process.stdout);
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
    programName: programNameOf(process.argv[1]),
    terminal: process.stderr.isTTY ? process.stderr : undefined,
    startBackgroundSync,
  };
  const code = await runCli(ctx, process.argv.slice(2));
  process.exitCode = abort.signal.aborted && code === ExitCode.failure ? ExitCode.interrupted : code;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  // A credential plugin inc gave up on would keep the process open until it ends by itself: once what
  // was written has reached stdout and stderr, leave.
  if (stalledPlugins() > 0) {
    await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((done) => stream.write('', done))));
    process.exit();
  }
}

await main();
