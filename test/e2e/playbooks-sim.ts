import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { KUBECTL } from '../helpers/binaries.js';
import { type RunIncResult, runInc } from '../helpers/run-inc.js';

/** A simulator plus a private INC_HOME and config folder, for one e2e test. */
export interface SimWorld {
  sim: RunningSim;
  home: string;
  env: Record<string, string>;
  inc(args: readonly string[], extraEnv?: Record<string, string>): Promise<RunIncResult>;
  kubectl(args: readonly string[]): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }>;
  /** The object as stored in the simulator (raw JSON). */
  object(kind: string, namespace: string | undefined, name: string): Record<string, any>;
  close(): Promise<void>;
}

export async function openSimWorld(scenario: string): Promise<SimWorld> {
  const sim = await startSim({ scenario });
  const home = mkdtempSync(join(tmpdir(), 'inc-playbooks-'));
  const env = { KUBECONFIG: sim.kubeconfigPath, INC_HOME: join(home, 'state'), XDG_CONFIG_HOME: join(home, 'config'), INC_ACTOR: 'oncall' };
  return {
    sim,
    home,
    env,
    inc: (args, extraEnv = {}) => runInc(args, { env: { ...env, ...extraEnv }, cwd: home, timeoutMs: 45_000 }),
    kubectl: async (args) => {
      const result = await execa(KUBECTL, ['--kubeconfig', sim.kubeconfigPath, ...args], { reject: false, timeout: 30_000 });
      return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
    },
    object: (kind, namespace, name) => {
      const found = sim.state.get(kind, namespace, name);
      if (!found) throw new Error(`${kind} ${namespace}/${name} not found in the simulator`);
      return JSON.parse(JSON.stringify(found));
    },
    close: async () => {
      await sim.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Every object's resourceVersion, to prove that nothing was written. */
export function resourceVersions(sim: RunningSim): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const kind of ['Deployment', 'ReplicaSet', 'Application', 'Node', 'Secret', 'StatefulSet', 'DaemonSet']) {
    for (const object of sim.state.list(kind)) {
      out.set(`${kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`, object.metadata.resourceVersion);
    }
  }
  return out;
}

/** Pins the deployment's template for comparison: the revision annotations and the pod template. */
export function templateOf(deployment: Record<string, any>) {
  return {
    template: deployment.spec.template,
    revision: deployment.metadata.annotations?.['deployment.kubernetes.io/revision'],
    changeCause: deployment.metadata.annotations?.['kubernetes.io/change-cause'],
  };
}
