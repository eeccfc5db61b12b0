import { canAnimate } from './can-animate.js';
import type { Output } from './output.js';
import { spinnerLine } from './spinner-line.js';
import { toTerminal } from './terminal-text.js';

export interface FleetProgress {
  /** A context finished: its line is printed (above the spinner on a terminal). */
  finished(context: string, line: string): void;
  stop(): void;
}

/** `3 of 10 contexts read; waiting for ap-south, us-east, eu-central and 4 more` */
export function fleetWaitingText(total: number, pending: readonly string[]): string {
  const shown = pending.slice(0, 3).join(', ');
  const more = pending.length > 3 ? ` and ${pending.length - 3} more` : '';
  return `${total - pending.length} of ${total} contexts read; waiting for ${shown}${more}`;
}

/**
 * What a fleet triage shows while its contexts are read: each context's line as it finishes, and
 * on an interactive stderr a spinner naming the contexts still awaited, so one slow cluster (a
 * request may wait its whole timeout, 10 s by default) is named rather than a silent terminal.
 */
export async function startFleetProgress(options: {
  output: Output;
  contexts: readonly string[];
  stream?: NodeJS.WritableStream;
}): Promise<FleetProgress> {
  const stream = options.stream ?? process.stderr;
  if (!canAnimate(stream, process.env)) {
    return { finished: (_context, line) => options.output.err(line), stop: () => {} };
  }
  const pending = [...options.contexts];
  const text = () => spinnerLine(toTerminal(fleetWaitingText(options.contexts.length, pending)), stream);
  const { default: ora } = await import('ora');
  const spinner = ora({ text: text(), stream, discardStdin: false });
  spinner.start();
  return {
    finished(context, line) {
      const at = pending.indexOf(context);
      if (at >= 0) pending.splice(at, 1);
      // The line above the spinner: cleared, written, then the spinner redrawn below it.
      spinner.clear();
      options.output.err(line);
      if (pending.length === 0) spinner.stop();
      else {
        spinner.text = text();
        spinner.render();
      }
    },
    stop() {
      if (spinner.isSpinning) spinner.stop();
    },
  };
}
