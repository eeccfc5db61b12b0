import { Option } from 'commander';
import { sleepUnlessAborted } from '../../clock.js';
import { parseDuration } from '../../duration.js';
import { UsageError } from '../../errors.js';
import type { TriageSession } from '../../triage/triage-session.js';
import { CHECK_NAMES, type CheckName } from '../../triage/types.js';
import { CLEAR_SCREEN } from '../../ui/terminal-text.js';
import { alertmanagerOption } from '../alertmanager-option.js';
import { boundHeapGrowth } from '../bounded-heap.js';
import { type CommandEnv, commandEnv } from '../context.js';
import { terminalLogin } from '../open-cluster.js';
import { alertmanagerSettingsFor } from './alertmanager-settings.js';
import { loadImpactStart, loadIncidentChanges } from './incident-changes.js';
import type { RegisterCommand } from './register-command.js';
import { configuredSources, finish, printResult, progressFor, record, stopInterrupted } from './triage-output.js';
import { signalsSettingsFor } from './triage-signals.js';

interface TriageFlags {
  since: string;
  check?: string;
  watch?: string | boolean;
  failOn?: 'critical' | 'warning';
  url?: string[];
  repo?: string;
  prometheus?: string;
  alertmanager?: string;
  window?: string;
  sample?: string;
  contexts?: string;
  allContexts?: boolean;
  parallel?: string;
}

export const registerTriageCommand: RegisterCommand = (program, ctx) => {
  program
    .command('triage')
    .description('what is broken, what changed, what to do: every check in parallel, worst first')
    .option(
      '--since <duration>',
      'look-back window for events and changes (for changes, counted from the earliest failure)',
      '1h',
    )
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
      "probe an HTTP health endpoint (repeatable; default: the config file's health URLs)",
      (value: string, all: string[] | undefined) => [...(all ?? []), value],
    )
    .option(
      '--repo <path>',
      "git repository whose last commits are shown beside rollouts (default: the config's repos for the namespace)",
    )
    .option(
      '--prometheus <url>',
      'Prometheus for the signals check (default: INC_PROMETHEUS_URL, the config, else one found in the cluster, else the pods scraped directly)',
    )
    .option(...alertmanagerOption('Alertmanager for the alerts check'))
    .option('--window <duration>', 'the "now" of the signals check, against the hour before it (default 5m)')
    .option('--sample <duration>', 'time between the two scrapes when pods are scraped directly (default 10s)')
    .option('--contexts <regex>', 'a fleet: every kubeconfig context whose name matches, read in parallel')
    .option('--all-contexts', 'a fleet: every context of the kubeconfig (KUBECONFIG=a:b:c merges files)')
    .option('--parallel <n>', 'a fleet: contexts read at once (default 8)')
    .addHelpText(
      'after',
      '\nExamples:\n  inc triage -n payments\n  inc triage -A -o json | jq .findings\n  inc triage --check pods,events --since 30m\n  inc triage --url https://api.example.com/healthz --fail-on critical\n  inc triage -A --watch 15s\n  inc triage -n payments --prometheus http://prometheus.monitoring:9090 --window 10m\n  inc triage -n payments --check alerts --alertmanager http://alertmanager.monitoring:9093\n  inc triage --all-contexts -A                       # a fleet: one table, then each context worst first\n  inc triage --context eu-west --context us-east -n payments\n  inc triage --contexts "^prod-" -o json | jq \'.findings[] | {context, title}\'',
    )
    .action(async (flags: TriageFlags, command) => {
      boundHeapGrowth();
      const env = commandEnv(ctx, command);
      const checks = parseChecks(flags.check);
      const sinceMs = parseDuration(flags.since, '--since');
      const watchMs = parseWatch(flags.watch);
      const { openTriageSession } = await import('../../triage/triage-session.js');
      const configured = await configuredSources(env);
      const signals = checks.includes('signals') ? await signalsSettingsFor(env, flags) : undefined;
      const alerts = checks.includes('alerts')
        ? await alertmanagerSettingsFor(env, flags.alertmanager, { lenient: true })
        : undefined;
      const input = {
        globals: env.globals,
        env: env.env,
        clock: env.clock,
        signal: env.signal,
        checks,
        sinceMs,
        urls: flags.url ? parseUrls(flags.url) : configured.urls,
        repo: flags.repo,
        repos: configured.repos,
        signals,
        baselineEndMs: signals ? await loadImpactStart(env) : undefined,
        alerts,
        mitigations: (context: string | undefined) => loadIncidentChanges(env, context),
      };
      const fleet = fleetOptionsOf(env.globals, flags, watchMs);
      if (fleet) {
        const { runFleetTriage } = await import('./triage-fleet.js');
        return runFleetTriage(env, input, fleet);
      }
      const session = await openTriageSession({ ...input, login: terminalLogin(env) });
      try {
        return await triageRounds(env, session, watchMs, flags.failOn);
      } finally {
        session.close();
      }
    });
};

/** One triage, or with --watch one per interval, recording a round only when its summary changed. */
async function triageRounds(
  env: CommandEnv,
  session: TriageSession,
  watchMs: number | undefined,
  failOn: TriageFlags['failOn'],
) {
  let previous: string | undefined;
  // Asked alongside the first round, so a namespace that exists costs no extra wait.
  const { missingNamespace } = await import('./triage-namespace.js');
  const missing = session.kube && session.namespace ? missingNamespace(session.kube, session.namespace) : undefined;
  for (let round = 0; ; round += 1) {
    const result = await session.run(await progressFor(env));
    if (env.signal.aborted) return stopInterrupted(env, result, watchMs !== undefined);
    const notThere = round === 0 ? await missing : undefined;
    if (notThere) throw notThere;
    if (watchMs !== undefined && env.stdoutIsTTY) env.output.out(CLEAR_SCREEN);
    await printResult(env, result, watchMs !== undefined);
    const summary = JSON.stringify([result.report.summary, result.report.complete]);
    if (summary !== previous) await record(env, result, round === 0);
    previous = summary;
    if (watchMs === undefined || env.signal.aborted) return finish(result, failOn);
    if (!(await sleepUnlessAborted(env.clock, watchMs, env.signal))) return;
  }
}

/** A --url that is no URL is a typo, not an outage: refused (exit 2) rather than reported as a critical finding. */
function parseUrls(urls: string[]): string[] {
  const bad = urls.find((url) => !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol));
  if (bad !== undefined)
    throw new UsageError(`invalid --url "${bad}"`, {
      hint: 'give the http:// or https:// URL users reach, e.g. --url https://api.example.com/healthz',
    });
  return urls;
}

/** Below this a watch only hammers the API server during an incident; 0 would spin without pause. */
const MIN_WATCH_MS = 2000;

function parseWatch(value: string | boolean | undefined): number | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return 10_000;
  const ms = parseDuration(value, '--watch');
  if (ms < MIN_WATCH_MS)
    throw new UsageError(`--watch ${value} is too short: the interval must be at least 2s`, {
      hint: 'for example --watch 10s (the default when no interval is given)',
    });
  return ms;
}

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

/** The fleet flags, checked; undefined for a triage of one context. */
function fleetOptionsOf(
  globals: Pick<CommandEnv['globals'], 'context' | 'contexts'>,
  flags: TriageFlags,
  watchMs: number | undefined,
): import('./triage-fleet.js').FleetOptions | undefined {
  const contexts = globals.contexts;
  // One --context beside --contexts or --all-contexts is a third way too, not a context to drop unsaid.
  const named = contexts !== undefined || globals.context !== undefined;
  const ways = [named, flags.contexts !== undefined, Boolean(flags.allContexts)].filter(Boolean);
  if (contexts === undefined && flags.contexts === undefined && !flags.allContexts) {
    if (flags.parallel !== undefined)
      throw new UsageError('--parallel is for a fleet triage (--all-contexts, --contexts)');
    return undefined;
  }
  if (ways.length > 1) {
    throw new UsageError('choose one way to name the fleet', {
      hint: 'repeat --context NAME, or --contexts REGEX, or --all-contexts',
    });
  }
  if (watchMs !== undefined) {
    throw new UsageError('--watch follows one context', { hint: 'watch each context in its own terminal' });
  }
  const parallel = flags.parallel === undefined ? DEFAULT_PARALLEL : Number(flags.parallel);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64) {
    throw new UsageError(`--parallel must be a whole number from 1 to 64, got "${flags.parallel}"`);
  }
  return {
    selection: { names: contexts ?? [], pattern: flags.contexts, all: Boolean(flags.allContexts) },
    parallel,
    failOn: flags.failOn,
  };
}

/** Contexts read at once: enough for a fleet of regions, few enough to keep memory and sockets in check. */
const DEFAULT_PARALLEL = 8;
