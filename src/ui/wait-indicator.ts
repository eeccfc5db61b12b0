import { type Clock, sleepUnlessAborted } from '../clock.js';
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
  clock: Clock;
  stream?: NodeJS.WritableStream;
}

/**
 * Shows that inc is waiting on something outside it (a remote), so a silent network is never a
 * blank terminal: a spinner on an interactive stderr at once, and a line once the wait is slow
 * (only that line elsewhere). `stop()` clears the spinner and the timer.
 */
export async function startWaitIndicator(options: WaitIndicatorOptions): Promise<{ stop(): void }> {
  const stream = options.stream ?? process.stderr;
  const stopped = new AbortController();
  const whenSlow = (show: () => void) =>
    void sleepUnlessAborted(options.clock, options.slowAfterMs, stopped.signal).then((slow) => slow && show());
  const saySlow = () => options.output.err(options.theme.dim(`… ${options.text}: ${options.slowText}`));
  if (!canAnimate(stream, process.env)) {
    whenSlow(saySlow);
    return { stop: () => stopped.abort() };
  }
  const { default: ora } = await import('ora');
  // ora writes to the stream itself: its text passes the same sanitising and redaction as the output port's.
  const spinner = ora({ text: spinnerLine(toTerminal(`${options.text}…`), stream), stream, discardStdin: false });
  spinner.start();
  // A line of its own above the spinner: the spinner's one line would cut what matters most.
  whenSlow(() => {
    spinner.clear();
    saySlow();
    spinner.render();
  });
  return {
    stop() {
      stopped.abort();
      if (spinner.isSpinning) spinner.stop();
    },
  };
}
