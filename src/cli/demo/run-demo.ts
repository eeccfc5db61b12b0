import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { assetPath } from '../../assets.js';
import { InterruptedError, UsageError } from '../../errors.js';
import type { ConfigCommit } from '../../sim/config-history.js';
import type { Scenario } from '../../sim/scenario.js';
import type { Output } from '../../ui/output.js';
import type { Theme } from '../../ui/theme.js';
import { type CliContext, runIncOf } from '../context.js';
import { stillFailing, type TriageJson } from '../triage-json.js';
import { writeConfigRepository } from './config-repo.js';
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
 * The demo's config: the data a verification waits for, in real time, is the usual 30 s of the
 * simulated cluster's time, so a 5xx scenario runs in seconds. (The pause between two scrapes needs
 * nothing: the simulated pods stamp their samples, and the pause is measured on their clock.)
 */
const DEMO_CONFIG = `# inc demo: the simulated cluster runs ${DEMO_SPEED}× faster than real time.
signals:
  settle: ${30 / DEMO_SPEED}s
`;

/** What the steps of one demo share: where they run, how they speak, what they found. */
interface DemoRun {
  ctx: CliContext;
  options: DemoOptions;
  theme: Theme;
  say(text: string): void;
  /** The context the steps' inc commands run in: the simulated cluster, the demo's INC_HOME. */
  stepCtx: CliContext;
  incHome: string;
  result: DemoResult;
}

/**
 * The guided walk through a whole incident: a simulated cluster in-process, a practice incident in a
 * temporary INC_HOME, then real inc commands exactly as the user would type them.
 */
export async function runDemo(ctx: CliContext, options: DemoOptions, theme: Theme): Promise<DemoResult> {
  const { loadScenario } = await import('../../sim/scenario.js');
  const { startSim } = await import('../../sim/index.js');
  const scenario = loadScenario(options.scenario);
  const { helm, configCommits } = await toolsFor(ctx.env, scenario);
  const incHome = await mkdtemp(join(tmpdir(), 'inc-demo-'));
  const show: Output = options.json
    ? { out: (text) => ctx.output.err(text), err: (text) => ctx.output.err(text) }
    : ctx.output;
  const say = (text: string) => show.err(text);

  say(theme.heading(`inc demo: a practice incident on a simulated cluster (scenario ${scenario.name})`));
  say(scenario.description.trim());
  const repos = await writeConfigRepo(ctx.env, incHome, configCommits, ctx.clock.now().getTime());
  const sim = await startSim({
    scenario: options.scenario,
    kubeconfigPath: join(incHome, 'kubeconfig'),
    speed: DEMO_SPEED,
  });
  const stopOnAbort = () => void sim.stop();
  ctx.signal.addEventListener('abort', stopOnAbort, { once: true });
  say(theme.dim(`The simulated cluster is up: context inc-sim at ${sim.url}; the incident log lives in ${incHome}.`));
  if (repos.dir) {
    const namespaces = Object.keys(repos.byNamespace).join(', ');
    say(
      theme.dim(
        `The ConfigMaps' git repository is ${repos.dir} (its last commit is the change); the demo's config maps ${namespaces} to it.`,
      ),
    );
  }

  const env = await demoEnv(ctx.env, incHome, sim.kubeconfigPath, helm, repos.byNamespace);
  const run: DemoRun = {
    ctx,
    options,
    theme,
    say,
    // Steps run in the incident folder, not the caller's: triage would otherwise list the commits of
    // whatever git repository the demo was started from.
    stepCtx: { ...ctx, env, cwd: incHome, output: show, stdinIsTTY: false },
    incHome,
    result: {
      scenario: scenario.name,
      description: scenario.description.trim(),
      server: sim.url,
      kubeconfig: sim.kubeconfigPath,
      incHome,
      steps: [],
      culprit: scenario.culprit,
      mitigated: false,
    },
  };
  try {
    await walkIncident(run, scenario);
  } finally {
    ctx.signal.removeEventListener('abort', stopOnAbort);
    await sim.stop();
  }
  sayDone(run);
  return run.result;
}

/**
 * What the scenario needs besides inc, checked before anything starts: a Helm scenario mitigates with
 * the real helm; a ConfigMap the timeline changes is kept in git, as a team keeps it, and the rollback
 * reads it from there.
 */
async function toolsFor(
  env: NodeJS.ProcessEnv,
  scenario: Scenario,
): Promise<{ helm: string | undefined; configCommits: ConfigCommit[] }> {
  const { scenarioHistoryMs } = await import('../../sim/scenario.js');
  const { configMapHistory } = await import('../../sim/config-history.js');
  const helm = findHelm(env);
  if (scenario.culprit?.playbook?.startsWith('helm-') && !helm) {
    throw new UsageError(`the ${scenario.name} scenario runs the real helm, and none was found`, {
      hint: 'install helm (https://helm.sh/docs/intro/install/, or your package manager) or set INC_HELM=/path/to/helm',
    });
  }
  const configCommits = configMapHistory(scenario, scenarioHistoryMs(scenario));
  if (configCommits.length && !onPath(env, 'git')) {
    throw new UsageError(
      `the ${scenario.name} scenario restores a ConfigMap from its git repository, and no git was found`,
      { hint: 'install git (https://git-scm.com/downloads, or your package manager)' },
    );
  }
  return { helm, configCommits };
}

/** The steps' environment: the simulated cluster, the demo's INC_HOME and config, none of the caller's. */
async function demoEnv(
  callerEnv: NodeJS.ProcessEnv,
  incHome: string,
  kubeconfig: string,
  helm: string | undefined,
  repos: Readonly<Record<string, string>>,
): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {
    ...callerEnv,
    INC_HOME: incHome,
    KUBECONFIG: kubeconfig,
    XDG_CONFIG_HOME: join(incHome, 'config'),
  };
  delete env.INC_CONFIG;
  delete env.INC_PROMETHEUS_URL;
  await mkdir(join(incHome, 'config', 'inc'), { recursive: true, mode: 0o700 });
  const reposConfig = Object.keys(repos).length
    ? `repos:\n${Object.entries(repos)
        .map(([namespace, dir]) => `  ${namespace}: ${JSON.stringify(dir)}\n`)
        .join('')}`
    : '';
  await writeFile(join(incHome, 'config', 'inc', 'config.yaml'), DEMO_CONFIG + reposConfig, { mode: 0o600 });
  if (helm) env.INC_HELM = helm;
  return env;
}

/** The incident from declaration to postmortem, one inc command a step. */
async function walkIncident(run: DemoRun, scenario: Scenario): Promise<void> {
  const { result, incHome } = run;
  await step(run, 'Declare a practice incident; it becomes the current one', [
    'start',
    practiceTitle(scenario),
    '--severity',
    'SEV2',
  ]);
  result.incidentId = readCurrentIncident(incHome);
  await step(run, 'Triage: what is broken, what changed, what to do', ['triage', '-A']);
  await mitigate(run);
  const finalReport = await readTriage(run);
  if (scenario.culprit && finalReport) result.culpritFixed = !stillFailing(finalReport, scenario.culprit);

  if (result.steps.some((done) => done.command.startsWith('inc run '))) {
    await step(run, 'Triage again: is it fixed?', ['triage', '-A']);
  }
  await step(run, 'Tell people: a status update, formatted for Slack', [
    'update',
    '--status',
    result.mitigated ? 'monitoring' : 'identified',
    '--format',
    'slack',
  ]);
  // What the log shows was done, never what the scenario expected to be done.
  const ran = result.steps
    .filter((done) => done.command.startsWith('inc run ') && done.exitCode === 0)
    .map((done) => `inc run ${done.command.split(' ')[2]}`);
  const summary = ran.length
    ? `Mitigated with ${ran.join(', then ')}`
    : result.mitigated
      ? 'Nothing to fix'
      : 'Practice ended unmitigated: the fix is by hand (see triage)';
  await step(run, 'Resolve the incident', ['resolve', '--summary', summary]);
  await step(run, 'Write the postmortem from the log', ['postmortem']);
  if (result.incidentId) {
    const path = join(incHome, 'incidents', result.incidentId, 'postmortem.md');
    if (existsSync(path)) result.postmortem = path;
  }
}

/** Runs triage's suggested playbooks, at most MAX_MITIGATIONS, until the workload no longer fails. */
async function mitigate(run: DemoRun): Promise<void> {
  const { result, theme } = run;
  let report = await readTriage(run);
  // Ctrl-C during that look ends the demo here, before anything is said of a triage that did not finish.
  checkAborted(run.ctx);
  if (!report) {
    run.say(theme.warn("\nTriage's findings could not be read: whether anything needs mitigating is unknown."));
    return;
  }
  let target = pickSuggestion(report);
  if (!target) {
    // No playbook offered is not a healthy cluster: a config without its previous version in git is fixed by hand.
    const problems = report.findings.some((f) => f.severity === 'critical' || f.severity === 'warning');
    if (problems)
      run.say(theme.warn('\nTriage offers no playbook to run here: the finding above says what to do by hand.'));
    else run.say(theme.ok('\nTriage found nothing to mitigate: this cluster is healthy.'));
    result.mitigated = !problems;
    return;
  }
  for (let round = 0; target && round < MAX_MITIGATIONS; round++) {
    await step(
      run,
      `Mitigate with the suggested playbook: preview, server dry run, apply, verify, record`,
      runArgs(target.suggestion),
    );
    report = await readTriage(run);
    checkAborted(run.ctx);
    if (!report) {
      run.say(theme.warn("\nTriage's findings could not be read: whether the mitigation worked is unknown."));
      break;
    }
    if (!stillFailing(report, target.workload)) {
      result.mitigated = true;
      break;
    }
    const next = pickSuggestion(report);
    if (!next || next.suggestion.playbook === target.suggestion.playbook) break;
    target = next;
  }
}

/** One numbered step: shows the command, waits for Enter when asked to, runs it, records its exit code. */
async function step(run: DemoRun, intro: string, args: string[]): Promise<number> {
  const { ctx, theme, say, result } = run;
  checkAborted(ctx);
  say('');
  say(theme.bold(`${result.steps.length + 1}. ${intro}`));
  say(theme.cmd(`$ ${formatCommand(args)}`));
  if (run.options.pause && ctx.stdinIsTTY) {
    say(theme.dim('Press Enter to run it (Ctrl-C to stop)'));
    await waitForEnter(ctx);
  }
  const colorArgs = run.options.color ? [] : ['--no-color'];
  const exitCode = await runIncOf(ctx)(run.stepCtx, [...args, ...colorArgs]);
  result.steps.push({ command: formatCommand(args), exitCode });
  checkAborted(ctx);
  return exitCode;
}

/** Triage's JSON report of the whole cluster, unseen by the reader, or undefined when it did not run. */
async function readTriage(run: DemoRun): Promise<TriageJson | undefined> {
  let text = '';
  const capture: Output = {
    out: (chunk) => {
      text += `${chunk}\n`;
    },
    err: () => {},
  };
  // An empty INC_HOME: these looks are the demo's own and stay out of the incident log.
  const quietEnv = { ...run.stepCtx.env, INC_HOME: join(run.incHome, 'scratch') };
  const code = await runIncOf(run.ctx)({ ...run.stepCtx, env: quietEnv, output: capture }, [
    'triage',
    '-A',
    '-o',
    'json',
  ]);
  if (code !== 0) return undefined;
  try {
    return JSON.parse(text) as TriageJson;
  } catch {
    return undefined;
  }
}

/** Where the practice incident stays, and what to try next. */
function sayDone({ say, theme, incHome, result }: DemoRun): void {
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
}

function practiceTitle(scenario: {
  name: string;
  culprit?: { namespace?: string; name: string; reason: string };
}): string {
  const culprit = scenario.culprit;
  if (!culprit) return `Practice: ${scenario.name} scenario`;
  return `Practice: ${culprit.namespace ? `${culprit.namespace}/` : ''}${culprit.name} ${culprit.reason}`;
}

/** The git repository of the scenario's ConfigMaps in the demo's folder, and the namespaces it deploys. */
async function writeConfigRepo(
  env: NodeJS.ProcessEnv,
  incHome: string,
  commits: readonly ConfigCommit[],
  nowMs: number,
): Promise<{ dir?: string; byNamespace: Record<string, string> }> {
  if (!commits.length) return { byNamespace: {} };
  const dir = join(incHome, 'config-repo');
  await writeConfigRepository(dir, commits, nowMs, env);
  return { dir, byNamespace: Object.fromEntries(commits.map((commit) => [commit.namespace, dir])) };
}

function onPath(env: NodeJS.ProcessEnv, program: string): string | undefined {
  return (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, program))
    .find((file) => existsSync(file));
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
