import type { CheckName, CheckStatus } from '../triage/types.js';
import { canAnimate } from './can-animate.js';
import { spinnerLine } from './spinner-line.js';
import { toTerminal } from './terminal-text.js';
import type { Theme } from './theme.js';

/** The progress port of triage (structurally TriageProgress); adapters below. */
export interface TriageProgressPort {
  begin(checks: readonly CheckName[]): void;
  end(check: CheckName, status: CheckStatus, detail?: string): void;
  stop(): void;
}

/**
 * A spinner naming the checks still running; each finished check is printed as its own line
 * (✔ ok, ✖ failed, – skipped). Only on an interactive stderr.
 */
export async function createOraTriageProgress(
  theme: Theme,
  stream: NodeJS.WritableStream = process.stderr,
): Promise<TriageProgressPort> {
  if (!canAnimate(stream, process.env)) return QUIET_TRIAGE_PROGRESS;
  const { default: ora } = await import('ora');
  const spinner = ora({ stream, color: 'cyan', isEnabled: true, discardStdin: false });
  const pending = new Set<CheckName>();
  const started = performance.now();
  const refresh = () => {
    spinner.text = spinnerLine(toTerminal(`checking ${[...pending].join(', ')}…`), stream);
  };
  return {
    begin(checks) {
      for (const check of checks) pending.add(check);
      refresh();
      spinner.start();
    },
    end(check, status, detail) {
      if (!pending.delete(check)) return;
      const ms = Math.round(performance.now() - started);
      // ora writes to the stream itself: the detail (a server's error) is sanitised and redacted here.
      const text = toTerminal(`${check} ${theme.dim(`${ms} ms`)}${detail ? ` ${theme.dim(detail)}` : ''}`);
      if (status === 'ok') spinner.stopAndPersist({ symbol: toTerminal(theme.ok('✔')), text });
      else if (status === 'error') spinner.stopAndPersist({ symbol: toTerminal(theme.error('✖')), text });
      else spinner.stopAndPersist({ symbol: toTerminal(theme.dim('–')), text });
      if (pending.size > 0) {
        refresh();
        spinner.start();
      }
    },
    stop() {
      if (spinner.isSpinning) spinner.stop();
    },
  };
}

/** Without a terminal nothing is shown while running; failed and skipped checks are listed after the report. */
export const QUIET_TRIAGE_PROGRESS: TriageProgressPort = { begin: () => {}, end: () => {}, stop: () => {} };
