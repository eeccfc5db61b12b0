// biome-ignore-all lint/suspicious/noExplicitAny: kubectl JSON is read freely
import { execa } from 'execa';
import { type RunningSim, SimClock, startSim } from '../../src/sim/index.js';
import { KUBECTL } from './binaries.js';

/** A simulator whose clock stands still until the test advances it, and the real kubectl against it. */
export interface FrozenSim {
  sim: RunningSim;
  kubectl(args: readonly string[], input?: string): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** kubectl's JSON answer; fails the test on a non-zero exit. */
  json(args: readonly string[]): Promise<any>;
  /** Advances simulated time in steps until `check` holds; throws after `maxMs` simulated. */
  advanceUntil(check: () => boolean, maxMs: number, stepMs?: number): void;
}

export async function startFrozenSim(scenario = 'empty'): Promise<FrozenSim> {
  const sim = await startSim({ scenario, clock: new SimClock({ speed: 0, start: '2026-03-02T10:00:00Z' }) });
  const kubectl: FrozenSim['kubectl'] = async (args, input) => {
    const result = await execa(KUBECTL, ['--kubeconfig', sim.kubeconfigPath, ...args], {
      reject: false,
      timeout: 30_000,
      input: input ?? '',
      env: { HOME: sim.kubeconfigPath.replace(/\/[^/]+$/, '') },
    });
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
  };
  return {
    sim,
    kubectl,
    async json(args) {
      const run = await kubectl([...args, '-o', 'json']);
      if (run.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')}: ${run.stderr}`);
      return JSON.parse(run.stdout);
    },
    advanceUntil(check, maxMs, stepMs = 1000) {
      for (let waited = 0; !check(); waited += stepMs) {
        if (waited >= maxMs) throw new Error(`condition not met within ${maxMs} simulated ms`);
        sim.advance(stepMs, stepMs);
      }
    },
  };
}
