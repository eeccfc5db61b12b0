import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { assetPath } from '../../assets.js';
import { InterruptedError, UsageError } from '../../errors.js';
import type { Output } from '../../ui/output.js';
import type { Theme } from '../../ui/theme.js';
import { type CliContext, runIncOf } from '../context.js';
import { stillFailing, type TriageJson } from '../triage-json.js';
import { formatCommand, pickSuggestion, runArgs } from './demo-steps.js';

export interface DemoOptions {
  scenario: string;
  /** Wait for Enter before each step (only on a terminal). */
  pause: boolean;
  /** Print the result as JSON on stdout; the steps' output then goes to stderr. */
  json: boolean;
  color: boolean;
}

export interface DemoStepResult {
  command: string;
  exitCode: number;
}

export interface DemoResult {
  scenario: string;
  description: string;
  server: string;
  kubeconfig: string;
  incHome: string;
  incidentId?: string;
  steps: DemoStepResult[];
  /** The planted culprit, as the scenario names it. */
  culprit?: { kind: string; namespace?: string; name: string; reason: string; playbook: string };
  /** True when triage no longer reports the workload the demo mitigated (or there was nothing to mitigate). */
  mitigated: boolean;
  /** True when triage no longer reports the scenario's planted culprit. */
  culpritFixed?: boolean;
  postmortem?: string;
}

const MAX_MITIGATIONS = 3;

/** Simulated ms per real ms: a rollout finishes while the reader watches. */
const DEMO_SPEED = 10;

/**
 * The demo's config: the signals' scrape interval and the data a verification waits for, in real
 * time, are the usual 10 s and 30 s of the simulated cluster's time, so a 5xx scenario runs in seconds.
 */
const DEMO_CONFIG = `# inc demo: the simulated cluster runs ${DEMO_SPEED}× faster than real time.
signals:
  sample: ${10 / DEMO_SPEED}s
  settle: ${30 / DEMO_SPEED}s
`;

/**
 * The guided walk through a whole incident: a simulated cluster in-process, a practice incident in a
 * temporary INC_HOME, then real inc commands exactly as the user would type them.
 */
export async function runDemo(ctx: CliContext, options: DemoOptions, theme: Theme): Promise<DemoResult> {
  const { loadScenario } = await import('../../sim/scenario.js');
  const { startSim } = await import('../../sim/index.js');
  const scenario = loadScenario(options.scenario);
  // Checked before anything starts: a Helm scenario mitigates with the real helm.
  const helm = findHelm(ctx.env);
  if (scenario.culprit?.playbook?.startsWith('helm-') && !helm) {
    throw new UsageError(`the ${scenario.name} scenario runs the real helm, and none was found`, {
      hint: 'install helm 3 (https://helm.sh/docs/intro/install/, or your package manager) or set INC_HELM=/path/to/helm',
    });
  }
  const incHome = await mkdtemp(join(tmpdir(), 'inc-demo-'));
  const show: Output = options.json
    ? { out: (text) => ctx.output.err(text), err: (text) => ctx.output.err(text) }
    : ctx.output;
  const say = (text: string) => show.err(text);

  say(theme.heading(`inc demo: a practice incident on a simulated cluster (scenario ${scenario.name})`));
  say(scenario.description.trim());
  const sim = await startSim({
    scenario: options.scenario,
    kubeconfigPath: join(incHome, 'kubeconfig'),
    speed: DEMO_SPEED,
  });
  const stopOnAbort = () => void sim.stop();
  ctx.signal.addEventListener('abort', stopOnAbort, { once: true });
  say(theme.dim(`The simulated cluster is up: context inc-sim at ${sim.url}; the incident log lives in ${incHome}.`));

  const env: NodeJS.ProcessEnv = {
    ...ctx.env,
    INC_HOME: incHome,
    KUBECONFIG: sim.kubeconfigPath,
    XDG_CONFIG_HOME: join(incHome, 'config'),
  };
  delete env.INC_CONFIG;
  delete env.INC_PROMETHEUS_URL;
  await mkdir(join(incHome, 'config', 'inc'), { recursive: true, mode: 0o700 });
  await writeFile(join(incHome, 'config', 'inc', 'config.yaml'), DEMO_CONFIG, { mode: 0o600 });
  if (helm) env.INC_HELM = helm;
  // Steps run in the incident folder, not the caller's: triage would otherwise list the commits of
  // whatever git repository the demo was started from.
  const stepCtx: CliContext = { ...ctx, env, cwd: incHome, output: show, stdinIsTTY: false };
  const colorArgs = options.color ? [] : ['--no-color'];
  const result: DemoResult = {
    scenario: scenario.name,
    description: scenario.description.trim(),
    server: sim.url,
    kubeconfig: sim.kubeconfigPath,
    incHome,
    steps: [],
    culprit: scenario.culprit,
    mitigated: false,
  };

  const step = async (intro: string, args: string[]): Promise<number> => {
    checkAborted(ctx);
    say('');
    say(theme.bold(`${result.steps.length + 1}. ${intro}`));
    say(theme.cmd(`$ ${formatCommand(args)}`));
    if (options.pause && ctx.stdinIsTTY) {
      say(theme.dim('Press Enter to run it (Ctrl-C to stop)'));
      await waitForEnter(ctx);
    }
    const exitCode = await runIncOf(ctx)(stepCtx, [...args, ...colorArgs]);
    result.steps.push({ command: formatCommand(args), exitCode });
    checkAborted(ctx);
    return exitCode;
  };
  const triageJson = async (): Promise<TriageJson | undefined> => {
    let text = '';
    const capture: Output = {
      out: (chunk) => {
        text += `${chunk}\n`;
      },
      err: () => {},
    };
    // An empty INC_HOME: these looks are the demo's own and stay out of the incident log.
    const quietEnv = { ...env, INC_HOME: join(incHome, 'scratch') };
    const code = await runIncOf(ctx)({ ...stepCtx, env: quietEnv, output: capture }, ['triage', '-A', '-o', 'json']);
    if (code !== 0) return undefined;
    try {
      return JSON.parse(text) as TriageJson;
    } catch {
      return undefined;
    }
  };

  try {
    await step('Declare a practice incident; it becomes the current one', [
      'start',
      practiceTitle(scenario),
      '--severity',
      'SEV2',
    ]);
    result.incidentId = readCurrentIncident(incHome);
    await step('Triage: what is broken, what changed, what to do', ['triage', '-A']);

    let report = await triageJson();
    let target = report ? pickSuggestion(report) : undefined;
    if (!target) say(theme.ok('\nTriage found nothing to mitigate: this cluster is healthy.'));
    for (let round = 0; target && round < MAX_MITIGATIONS; round++) {
      await step(
        `Mitigate with the suggested playbook: preview, server dry run, apply, verify, record`,
        runArgs(target.suggestion),
      );
      report = await triageJson();
      if (!report || !stillFailing(report, target.workload)) {
        result.mitigated = true;
        break;
      }
      const next = pickSuggestion(report);
      if (!next || next.suggestion.playbook === target.suggestion.playbook) break;
      target = next;
    }
    if (!target) result.mitigated = true;
    const finalReport = await triageJson();
    if (scenario.culprit && finalReport) result.culpritFixed = !stillFailing(finalReport, scenario.culprit);

    if (result.steps.some((done) => done.command.startsWith('inc run '))) {
      await step('Triage again: is it fixed?', ['triage', '-A']);
    }
    await step('Tell people: a status update, formatted for Slack', [
      'update',
      '--status',
      'monitoring',
      '--format',
      'slack',
    ]);
    const summary = scenario.culprit ? `Mitigated with inc run ${scenario.culprit.playbook}` : 'Nothing to fix';
    await step('Resolve the incident', ['resolve', '--summary', summary]);
    await step('Write the postmortem from the log', ['postmortem']);
    if (result.incidentId) {
      const path = join(incHome, 'incidents', result.incidentId, 'postmortem.md');
      if (existsSync(path)) result.postmortem = path;
    }
  } finally {
    ctx.signal.removeEventListener('abort', stopOnAbort);
    await sim.stop();
  }

  say('');
  say(theme.heading('Done.'));
  say(`The simulated cluster is stopped. The practice incident stays in ${incHome}:`);
  if (result.incidentId) say(`  ${join(incHome, 'incidents', result.incidentId, 'events.jsonl')}   the timeline`);
  if (result.postmortem) say(`  ${result.postmortem}   the postmortem`);
  say('Try next:');
  const next: Array<[string, string]> = [
    [`INC_HOME=${incHome} inc log`, 'the timeline of this incident'],
    ['inc demo --list', 'the other scenarios'],
    ['inc sim --scenario oom', 'a simulated cluster to practise on with kubectl and inc'],
    ['inc demo --practice node-failure', 'a game day: find and fix it yourself'],
  ];
  const width = Math.max(...next.map(([command]) => command.length));
  for (const [command, what] of next) say(`  ${theme.cmd(command.padEnd(width))}  ${theme.dim(what)}`);
  return result;
}

function practiceTitle(scenario: {
  name: string;
  culprit?: { namespace?: string; name: string; reason: string };
}): string {
  const culprit = scenario.culprit;
  if (!culprit) return `Practice: ${scenario.name} scenario`;
  return `Practice: ${culprit.namespace ? `${culprit.namespace}/` : ''}${culprit.name} ${culprit.reason}`;
}

/** INC_HELM, else helm on PATH, else the one a development checkout's tests extracted into .cache/bin. */
function findHelm(env: NodeJS.ProcessEnv): string | undefined {
  if (env.INC_HELM) return existsSync(env.INC_HELM) ? env.INC_HELM : undefined;
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'helm'))
    .find((file) => !file.startsWith('helm') && existsSync(file));
  if (onPath) return onPath;
  const cached = assetPath('.cache', 'bin', 'helm');
  return existsSync(cached) ? cached : undefined;
}

function readCurrentIncident(incHome: string): string | undefined {
  const file = join(incHome, 'current');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

function checkAborted(ctx: CliContext): void {
  if (ctx.signal.aborted) throw new InterruptedError('demo stopped; the simulated cluster is stopped too');
}

async function waitForEnter(ctx: CliContext): Promise<void> {
  const rl = createInterface({ input: ctx.stdin });
  try {
    await rl.question('', { signal: ctx.signal });
  } catch {
    throw new InterruptedError('demo stopped; the simulated cluster is stopped too');
  } finally {
    rl.close();
  }
}
