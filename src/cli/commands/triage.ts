import { Option } from 'commander';
import { parseDuration } from '../../duration.js';
import { ExitCode, IncError, UsageError } from '../../errors.js';
import type { TriageResult } from '../../triage/run-triage.js';
import { CHECK_NAMES, type CheckName } from '../../triage/types.js';
import { type CommandEnv, commandEnv } from '../context.js';
import type { RegisterCommand } from './index.js';

interface TriageFlags {
  since: string;
  check?: string;
  watch?: string | boolean;
  failOn?: 'critical' | 'warning';
  url: string[];
  repo?: string;
}

const UNREACHABLE_HINT =
  'during an incident this means the control plane (or your path to it) is down, not necessarily the workloads: running pods keep serving; restore API access before touching workloads, and use --url probes to see what users see';

export const registerTriageCommand: RegisterCommand = (program, ctx) => {
  program
    .command('triage')
    .description('what is broken, what changed, what to do: every check in parallel, worst first')
    .option('--since <duration>', 'look-back window for events and changes', '1h')
    .option('--check <names>', `only these checks, comma-separated (${CHECK_NAMES.join(', ')})`)
    .option('--watch [interval]', 'run again every interval (default 10s) until Ctrl-C')
    .addOption(
      new Option('--fail-on <level>', 'exit 3 when findings at this level (or worse) exist').choices([
        'critical',
        'warning',
      ]),
    )
    .option(
      '--url <url>',
      'probe an HTTP health endpoint (repeatable)',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option(
      '--repo <path>',
      'git repository whose last commits are shown beside rollouts (default: the current folder)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  inc triage -n payments\n  inc triage -A -o json | jq .findings\n  inc triage --check pods,events --since 30m\n  inc triage --url https://api.example.com/healthz --fail-on critical\n  inc triage -A --watch 15s',
    )
    .action(async (flags: TriageFlags, command) => {
      const env = commandEnv(ctx, command);
      const checks = parseChecks(flags.check);
      const sinceMs = parseDuration(flags.since, '--since');
      const watchMs =
        flags.watch === undefined || flags.watch === false
          ? undefined
          : flags.watch === true
            ? 10_000
            : parseDuration(flags.watch, '--watch');
      const { openTriageSession } = await import('../../triage/triage-session.js');
      const { loadConfig } = await import('../../config.js');
      const urls = flags.url.length > 0 ? flags.url : Object.values(loadConfig(env.env).healthUrls).flat();
      const session = await openTriageSession({
        globals: env.globals,
        env: env.env,
        cwd: env.cwd,
        clock: env.clock,
        signal: env.signal,
        checks,
        sinceMs,
        urls,
        repo: flags.repo,
      });
      try {
        let previous: string | undefined;
        for (let round = 0; ; round += 1) {
          const result = await session.run(await progressFor(env));
          if (watchMs !== undefined && env.stdoutIsTTY) env.output.out('\u001b[2J\u001b[H');
          await printResult(env, result, watchMs !== undefined);
          const summary = JSON.stringify(result.report.summary);
          if (summary !== previous) await record(env, result, round === 0);
          previous = summary;
          if (watchMs === undefined || env.signal.aborted) return finish(result, flags.failOn);
          if (!(await sleep(watchMs, env.signal))) return;
        }
      } finally {
        session.close();
      }
    });
};

function parseChecks(text: string | undefined): CheckName[] {
  if (!text) return [...CHECK_NAMES];
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(CHECK_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new UsageError(`unknown check ${unknown.map((n) => `"${n}"`).join(', ')}`, {
      hint: `known checks: ${CHECK_NAMES.join(', ')}`,
    });
  return names as CheckName[];
}

async function progressFor(env: CommandEnv) {
  const ui = await import('../../ui/ora-triage-progress.js');
  return env.stderrIsTTY && env.env.CI === undefined
    ? ui.createOraTriageProgress(env.errTheme)
    : ui.QUIET_TRIAGE_PROGRESS;
}

/** One report; with --watch, JSON is one line per run so a reader can split the stream. */
async function printResult(env: CommandEnv, { report }: TriageResult, watching: boolean): Promise<void> {
  const render = await import('../../triage/render-report.js');
  if (env.globals.output === 'json')
    env.output.out(watching ? JSON.stringify(report) : JSON.stringify(report, null, 2));
  else if (env.globals.output === 'markdown') env.output.out(render.renderMarkdown(report));
  else {
    const { out, err } = render.renderText(report, env.theme);
    env.output.out(out);
    if (err) env.output.err(err);
    if (report.findings.length === 0 && report.namespaces !== 'all' && !env.globals.namespace) {
      env.output.err(
        env.errTheme.dim(`looked only at namespace ${report.namespaces} (the context's); use -A for all namespaces`),
      );
    }
  }
}

async function record(env: CommandEnv, result: TriageResult, first: boolean): Promise<void> {
  const { openRecorder } = await import('../../incident/recorder.js');
  const { recordTriage } = await import('../../triage/record-triage.js');
  const recorder = await openRecorder({ env: env.env, clock: env.clock, incident: env.globals.incident });
  const recorded = await recordTriage(recorder, result.report, result.snapshot);
  if (recorded.incidentId)
    env.output.err(
      env.errTheme.dim(
        `recorded in ${recorded.incidentId}${recorded.evidence ? ` (snapshot: ${recorded.evidence})` : ''}`,
      ),
    );
  else if (first) env.output.err('no incident is open; nothing was recorded (inc start TITLE to declare one)');
}

function finish(result: TriageResult, failOn: TriageFlags['failOn']): void {
  if (result.unreachable) {
    throw new IncError(`cluster unreachable: ${result.unreachable.replace(/^cluster unreachable: /, '')}`, {
      code: 'CLUSTER_UNREACHABLE',
      exitCode: ExitCode.unreachable,
      hint: UNREACHABLE_HINT,
    });
  }
  const { critical, warning } = result.report.summary;
  const count = failOn === 'critical' ? critical : failOn === 'warning' ? critical + warning : 0;
  if (count > 0) {
    throw new IncError(`${count} finding${count === 1 ? '' : 's'} at --fail-on ${failOn} or worse`, {
      code: 'FINDINGS',
      exitCode: ExitCode.findings,
    });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => resolve(true), ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
