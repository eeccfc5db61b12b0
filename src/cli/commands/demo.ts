import type { Command } from 'commander';
import { IncError } from '../../errors.js';
import { type CliContext, commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';
import { scenarioOf } from './scenario-argument.js';

interface DemoFlags {
  scenario?: string;
  list?: boolean;
  pause: boolean;
  practice?: string;
  stop?: boolean;
}

/** `inc demo`: the whole incident in one command, on the built-in simulated cluster. */
export const registerDemoCommand: RegisterCommand = (program, ctx) => {
  program
    .command('demo')
    .description('walk through a whole incident on a built-in simulated cluster (no cluster needed)')
    .argument('[scenario]', 'scenario to play (default: bad-deploy; the same as --scenario)')
    .option('--scenario <name>', 'scenario to play (default: "bad-deploy")')
    .option('--list', 'list the scenarios')
    .option('--no-pause', 'run through without waiting for Enter between steps')
    .option(
      '--practice <scenario>',
      'game day: start a practice cluster in the background and print the KUBECONFIG export line',
    )
    .option('--stop', 'stop the background practice cluster')
    .addHelpText(
      'after',
      `
Examples:
  inc demo                              the bad-deploy scenario, step by step
  inc demo oom --no-pause               another scenario, without pauses
  inc demo --list                       the scenarios
  eval "$(inc demo --practice node-failure)"   a game day: then inc start, inc triage, inc run …, inc resolve
  inc demo --stop                       stop the practice cluster`,
    )
    .action(async (scenario: string | undefined, flags: DemoFlags, command: Command) =>
      runDemoCommand(ctx, { ...flags, scenario: scenarioOf('demo', scenario, flags.scenario) }, command),
    );
};

async function runDemoCommand(ctx: CliContext, flags: DemoFlags, command: Command): Promise<void> {
  const env = commandEnv(ctx, command);
  if (flags.list) {
    const { listScenarios } = await import('../../sim/scenario.js');
    const scenarios = listScenarios();
    if (env.globals.output === 'json') return env.output.out(JSON.stringify(scenarios, null, 2));
    const width = Math.max(...scenarios.map((s) => s.name.length));
    for (const s of scenarios) env.output.out(`${s.name.padEnd(width)}  ${s.description.trim().split('\n')[0]}`);
    env.output.err(
      env.errTheme.dim(
        'play one: inc demo NAME · practise on one yourself: inc demo --practice NAME (or inc sim --scenario NAME)',
      ),
    );
    return;
  }
  const { incHome } = await import('../../incident/paths.js');
  if (flags.stop) {
    const { stopPractice } = await import('../practice.js');
    const stopped = await stopPractice(incHome(env.env));
    if (env.globals.output === 'json') env.output.out(JSON.stringify({ stopped: stopped?.scenario ?? null }));
    env.output.err(
      stopped ? `stopped the practice cluster (scenario ${stopped.scenario})` : 'no practice cluster is running',
    );
    return;
  }
  if (flags.practice) {
    const { startPractice } = await import('../practice.js');
    const state = await startPractice(env, incHome(env.env), flags.practice);
    // The culprit stays out of it: naming it is the game day's point.
    const { scenario, kubeconfig, server } = state;
    if (env.globals.output === 'json')
      env.output.out(JSON.stringify({ scenario, kubeconfig, server, context: 'inc-sim' }, null, 2));
    else env.output.out(`export KUBECONFIG=${kubeconfig}`);
    env.output.err(
      env.errTheme.bold(`Practice cluster up (scenario ${state.scenario}) at ${state.server}, context inc-sim.`),
    );
    env.output.err(
      'Point your shell at it with the export line above (or: eval "$(inc demo --practice …)"), then work the incident:',
    );
    env.output.err(env.errTheme.cmd('  inc start "…" · inc triage · inc run … · inc update · inc resolve'));
    env.output.err(
      'inc resolve reports whether the culprit was fixed and the time to mitigate; inc demo --stop ends it early.',
    );
    return;
  }
  const { runDemo } = await import('../demo/run-demo.js');
  const result = await runDemo(
    env,
    {
      scenario: flags.scenario ?? 'bad-deploy',
      pause: flags.pause,
      json: env.globals.output === 'json',
      color: env.errTheme.enabled,
    },
    env.errTheme,
  );
  if (env.globals.output === 'json') env.output.out(JSON.stringify(result, null, 2));
  const failed = result.steps.find((step) => step.exitCode !== 0);
  if (failed) throw new IncError(`the demo did not complete: \`${failed.command}\` exited ${failed.exitCode}`);
  if (!result.mitigated) {
    const ranPlaybook = result.steps.some((step) => step.command.startsWith('inc run '));
    throw new IncError(
      ranPlaybook
        ? 'the demo ran, but the suggested playbook did not mitigate the scenario'
        : 'the demo ran, but triage offered no playbook for this scenario: its fix is by hand (the triage finding says how)',
    );
  }
}
