// biome-ignore-all lint/suspicious/noExplicitAny: the report is read as plain JSON
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FrozenSim, startFrozenSim } from '../helpers/frozen-sim.js';
import { runInc } from '../helpers/run-inc.js';

/**
 * A scale-up of one Deployment is no suspect for another of the namespace that crash-loops: made
 * with the real kubectl against the simulator, triaged by the built inc.
 */

let world: FrozenSim;
let dir: string;

const deployment = (name: string, replicas: number, behavior?: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: payments}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata:
      labels: {app: ${name}}
      ${behavior ? `annotations: {sim.inc.dev/behavior: ${behavior}}` : ''}
    spec: {containers: [{name: ${name}, image: '${name}:1.0'}]}
`;

beforeAll(async () => {
  world = await startFrozenSim();
  dir = mkdtempSync(join(tmpdir(), 'inc-triage-neighbours-'));
  const run = async (args: string[], input?: string) => {
    const result = await world.kubectl(args, input);
    expect(result.exitCode, result.stderr).toBe(0);
  };
  const settle = (minutes: number) => world.sim.advance(minutes * 60_000, 5_000);
  await run(['apply', '-f', '-'], deployment('worker', 2));
  settle(30);
  await run(['scale', 'deployment/worker', '-n', 'payments', '--replicas=4']);
  settle(24);
  await run(['apply', '-f', '-'], deployment('api', 3, 'crashloop'));
  settle(3);
});

afterAll(async () => {
  await world?.sim.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('suspects of a crash loop', () => {
  it('leave out the scale-up of another Deployment of the namespace', async () => {
    const result = await runInc(
      ['--kubeconfig', world.sim.kubeconfigPath, 'triage', '-n', 'payments', '-o', 'json', '--sample', '1s'],
      { cwd: dir, env: { INC_HOME: join(dir, 'home'), HOME: dir } },
    );
    expect(result.stdout, result.stderr).toMatch(/^\{/);
    const report = JSON.parse(result.stdout);
    expect(report.findings.map((f: any) => f.id)).toContain('pods/CrashLoopBackOff/payments/Deployment/api');
    expect(report.suspects).toEqual([]);
  });
});
