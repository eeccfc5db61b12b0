import { canAnimate } from './can-animate.js';
import type { Output } from './output.js';
import { spinnerLine } from './spinner-line.js';
import { toTerminal } from './terminal-text.js';
import type { Theme } from './theme.js';

export interface WaitIndicatorOptions {
  output: Output;
  theme: Theme;
  /** What is being waited for ("syncing with git@host:team/incidents.git"). */
  text: string;
  /** Said once the wait has lasted `slowAfterMs`: how long it may go on and how to stop it. */
  slowText: string;
  slowAfterMs: number;
  stream?: NodeJS.WritableStream;
}

/**
 * Shows that inc is waiting on something outside it (a remote), so a silent network is never a
 * blank terminal: a spinner on an interactive stderr at once; one line elsewhere, only once the
 * wait is slow. `stop()` clears the spinner and the timer.
 */
export async function startWaitIndicator(options: WaitIndicatorOptions): Promise<{ stop(): void }> {
  const stream = options.stream ?? process.stderr;
  if (canAnimate(stream, process.env)) {
    const { default: ora } = await import('ora');
    // ora writes to the stream itself: its text passes the same sanitising and redaction as the output port's.
    const spinner = ora({ text: spinnerLine(toTerminal(`${options.text}…`), stream), stream, discardStdin: false });
    spinner.start();
    const slow = setTimeout(() => {
      spinner.text = spinnerLine(toTerminal(`${options.text}: ${options.slowText}`), stream);
    }, options.slowAfterMs);
    slow.unref();
    return {
      stop() {
        clearTimeout(slow);
        if (spinner.isSpinning) spinner.stop();
      },
    };
  }
  const slow = setTimeout(
    () => options.output.err(options.theme.dim(`… ${options.text}: ${options.slowText}`)),
    options.slowAfterMs,
  );
  slow.unref();
  return { stop: () => clearTimeout(slow) };
}
