import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { type RunningSim, startSim } from '../../../src/sim/index.js';
import { type RunIncResult, runInc } from '../../helpers/run-inc.js';
import { deployment } from '../../helpers/sim-fixtures.js';

/** A simulated cluster running the leaky scenario, a temp folder and INC_HOME, and `inc` run against them. */
export interface LeakyCluster {
  dir: string;
  sim: RunningSim;
  inc(args: string[], extraEnv?: Record<string, string>): Promise<RunIncResult>;
  stop(): Promise<void>;
}

export async function startLeakyCluster(
  logError: string,
  options: { args?: string[]; env?: Record<string, string>; containerEnv?: Record<string, string> } = {},
): Promise<LeakyCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'inc-adversarial-'));
  // Real time: the crash loop stays where the history left it while the test runs.
  const sim = await startSim({
    scenario: writeLeakyScenario(dir, logError, options.args, options.containerEnv),
    speed: 1,
  });
  const env = { INC_HOME: join(dir, 'home'), HOME: dir, ...options.env };
  return {
    dir,
    sim,
    inc: (args, extraEnv = {}) => runInc(args, { env: { ...env, ...extraEnv }, cwd: dir, timeoutMs: 30_000 }),
    stop: async () => {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Writes a scenario where payments/api was rolled out seven minutes ago and crash-loops, logging `logError`
 * before every exit; its pod template passes `args` (a password after a flag, say) and `containerEnv`. Returns the file.
 * Seven minutes puts "now" in the middle of a five-minute back-off, so a simulator at real speed shows the
 * pod waiting in CrashLoopBackOff (whose previous log triage reads) for minutes.
 */
function writeLeakyScenario(
  dir: string,
  logError: string,
  args: string[] = [],
  containerEnv: Record<string, string> = {},
): string {
  const empty = parse(readFileSync(new URL('../../../src/sim/scenarios/empty.yaml', import.meta.url), 'utf8')) as {
    manifests: unknown[];
  };
  const api = deployment({ namespace: 'payments', name: 'api', replicas: 2 }) as unknown as {
    spec: { template: { spec: { containers: Array<Record<string, unknown>> } } };
  };
  const container = api.spec.template.spec.containers[0] as Record<string, unknown>;
  container.args = args;
  container.env = Object.entries(containerEnv).map(([name, value]) => ({ name, value }));
  const scenario = {
    name: 'leaky',
    description: 'payments/api crash-loops and logs what it should not',
    manifests: [...empty.manifests, api],
    timeline: [
      {
        at: '-7m',
        patch: { namespace: 'payments', name: 'api', image: 'api:2.3.1', behavior: 'crashloop', logError },
      },
    ],
  };
  const file = join(dir, 'leaky.yaml');
  writeFileSync(file, stringify(scenario));
  return file;
}
