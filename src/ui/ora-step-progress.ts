import type { Progress } from '../playbooks/ports.js';
import { canAnimate } from './can-animate.js';
import type { Output } from './output.js';
import { spinnerLine } from './spinner-line.js';
import { toTerminal } from './terminal-text.js';
import type { Theme } from './theme.js';

export interface StepProgressOptions {
  output: Output;
  theme: Theme;
  /** An interactive stderr gets a spinner; otherwise one line per status change. */
  interactive: boolean;
  stream?: NodeJS.WritableStream;
}

/** The playbook engine's Progress port: an ora spinner on a terminal, plain lines elsewhere. */
export function createStepProgress(options: StepProgressOptions): (title: string) => Progress {
  return (title) => {
    const stream = options.stream ?? process.stderr;
    if (!options.interactive || !canAnimate(stream, process.env)) return lineProgress(options, title);
    let spinner: { text: string; succeed(t: string): void; fail(t: string): void } | undefined;
    const pending: string[] = [];
    // A step that ends before ora has loaded (a wait of 0s, a rollout already complete) has printed its
    // outcome: a spinner started after it would spin for ever and keep inc from exiting.
    let ended = false;
    const end = (line: () => void) => {
      ended = true;
      line();
    };
    void import('ora').then(({ default: ora }) => {
      if (ended) return;
      // discardStdin off: ora would otherwise take stdin over, and a later prompt would never see Enter.
      // ora writes to the stream itself: its texts pass the same sanitising and redaction as the output port's.
      spinner = ora({ text: spinnerLine(toTerminal(title), stream), stream, discardStdin: false }).start();
      for (const text of pending) spinner.text = spinnerLine(toTerminal(`${title}: ${text}`), stream);
    });
    return {
      update: (text) => {
        if (spinner) spinner.text = spinnerLine(toTerminal(`${title}: ${text}`), stream);
        else pending.push(text);
      },
      succeed: (text) =>
        end(() =>
          spinner ? spinner.succeed(toTerminal(text)) : options.output.err(`${options.theme.ok('✓')} ${text}`),
        ),
      fail: (text) =>
        end(() =>
          spinner ? spinner.fail(toTerminal(text)) : options.output.err(`${options.theme.error('✗')} ${text}`),
        ),
    };
  };
}

function lineProgress(options: StepProgressOptions, title: string): Progress {
  const { output, theme } = options;
  output.err(theme.dim(`… ${title}`));
  return {
    update: (text) => output.err(theme.dim(`  ${text}`)),
    succeed: (text) => output.err(`${theme.ok('✓')} ${text}`),
    fail: (text) => output.err(`${theme.error('✗')} ${text}`),
  };
}
