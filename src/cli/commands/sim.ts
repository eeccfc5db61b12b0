import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { commandEnv } from '../context.js';
import type { RegisterCommand } from './register-command.js';
import { scenarioOf } from './scenario-argument.js';

interface SimFlags {
  scenario?: string;
  port?: string;
  pods?: string;
  speed?: string;
  contextName?: string;
}

function parseNumber(flag: string, value: string | undefined, check: (n: number) => boolean, expected: string) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`${flag} must be ${expected}, got "${value}"`);
  return n;
}

export const registerSimCommand: RegisterCommand = (program, ctx) => {
  program
    .command('sim')
    .description('serve a simulated Kubernetes cluster on 127.0.0.1 until Ctrl-C (for demos, game days and tests)')
    .argument('[scenario]', 'the same as --scenario')
    .option('--scenario <name|file>', 'a built-in scenario (bad-deploy, oom, node-failure, …) or a scenario file')
    .option('--port <n>', 'port to listen on (default: a free one)')
    .option('--pods <n>', 'add this many generated pods, for benchmarks')
    .option(
      '--speed <x>',
      'simulated seconds per real second (tests and the demo run faster; 0 freezes the cluster, for benchmarks)',
      '1',
    )
    .option('--context-name <name>', 'the kubeconfig context (and cluster and user) name', 'inc-sim')
    .addHelpText(
      'after',
      `
The kubeconfig (context inc-sim, or --context-name) goes to --kubeconfig, else to a temporary file removed on exit.
stdout gets one line: inc-sim ready: kubeconfig=PATH context=inc-sim server=URL metrics=URL
(metrics=URL: every simulated pod's request and latency metrics, for a Prometheus scrape job).

Examples:
  inc sim --scenario bad-deploy --kubeconfig /tmp/inc-sim.yaml
  export KUBECONFIG=/tmp/inc-sim.yaml     # in another terminal: kubectl, helm and inc now use it
  inc triage
  inc sim oom                             the same as --scenario oom
  inc sim --scenario ./my-scenario.yaml --port 6443
  inc sim --pods 5000 --speed 1
  inc sim --scenario bad-deploy --context-name eu-west --kubeconfig /tmp/eu-west.yaml
  KUBECONFIG=/tmp/eu-west.yaml:/tmp/us-east.yaml inc triage --all-contexts   # several simulators, one fleet`,
    )
    .action(async (scenario: string | undefined, flags: SimFlags, command: Command) => {
      const env = commandEnv(ctx, command);
      const chosen = scenarioOf('sim', scenario, flags.scenario);
      const port = parseNumber(
        '--port',
        flags.port,
        (n) => Number.isInteger(n) && n >= 0 && n < 65536,
        'a port number',
      );
      const pods = parseNumber('--pods', flags.pods, (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0');
      const speed = parseNumber('--speed', flags.speed, (n) => n >= 0, 'a number ≥ 0');
      const kubeconfigPath = env.globals.kubeconfig;
      const { CONTEXT_NAME_PATTERN, checkKubeconfigTarget } = await import('../../sim/kubeconfig.js');
      const contextName = flags.contextName ?? 'inc-sim';
      if (!CONTEXT_NAME_PATTERN.test(contextName)) {
        throw new UsageError(`--context-name "${contextName}" is not a usable context name`, {
          hint: 'lower-case letters, digits, ".", "_" and "-", for example eu-west',
        });
      }
      if (kubeconfigPath) await checkKubeconfigTarget(kubeconfigPath, contextName);
      const { startSim } = await import('../../sim/index.js');
      const sim = await startSim({
        scenario: chosen,
        port,
        pods,
        speed,
        kubeconfigPath,
        contextName,
        // A failing controller keeps the cluster serving, but must not fail silently.
        onControllerError: (name, error) =>
          env.output.err(
            env.errTheme.warn(`inc sim: controller ${name} failed: ${(error as Error)?.message ?? error}`),
          ),
      });
      env.output.out(
        `inc-sim ready: kubeconfig=${sim.kubeconfigPath} context=${sim.context} server=${sim.url} metrics=${sim.metricsUrl}`,
      );
      env.output.err(env.errTheme.dim(`export KUBECONFIG=${sim.kubeconfigPath}   # then kubectl, helm and inc use it`));
      env.output.err(env.errTheme.dim('serving until Ctrl-C'));
      await new Promise<void>((resolve) => {
        if (env.signal.aborted) resolve();
        else env.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await sim.stop();
    });
};
