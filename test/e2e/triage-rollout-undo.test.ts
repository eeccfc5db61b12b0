// biome-ignore-all lint/suspicious/noExplicitAny: the report is read as plain JSON
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FrozenSim, startFrozenSim } from '../helpers/frozen-sim.js';
import { runInc } from '../helpers/run-inc.js';

/**
 * A rollout that re-adopts a ReplicaSet a second time (an undo of an undo), made with the real
 * kubectl against the simulator: triage dates it by that last move, not by the first time the
 * ReplicaSet came back, and takes its scaling for the rollout, not for a scale.
 */

let world: FrozenSim;
let dir: string;
let lastUndoMs = 0;

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: payments}
spec:
  replicas: 3
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: 'api:2.3.0'}]}
`;

beforeAll(async () => {
  world = await startFrozenSim();
  dir = mkdtempSync(join(tmpdir(), 'inc-triage-undo-'));
  const run = async (args: string[], input?: string) => {
    const result = await world.kubectl(args, input);
    expect(result.exitCode, result.stderr).toBe(0);
  };
  const settle = (minutes: number) => world.sim.advance(minutes * 60_000, 5_000);
  await run(['apply', '-f', '-'], MANIFEST);
  settle(30);
  // 2.3.1 crash-loops; it is rolled back, then the rollback is undone: revision 4 is 2.3.1 again.
  const template = {
    metadata: { annotations: { 'sim.inc.dev/behavior': 'crashloop' } },
    spec: { containers: [{ name: 'api', image: 'api:2.3.1' }] },
  };
  await run(['patch', 'deployment/api', '-n', 'payments', '-p', JSON.stringify({ spec: { template } })]);
  settle(10);
  await run(['rollout', 'undo', 'deployment/api', '-n', 'payments']);
  settle(10);
  await run(['rollout', 'undo', 'deployment/api', '-n', 'payments']);
  lastUndoMs = world.sim.clock.now().getTime();
  settle(3);
});

afterAll(async () => {
  await world?.sim.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('triage after an undo of an undo', () => {
  it('names the move to revision 4 as the suspect, dated by the last undo', async () => {
    const replicaSets = await world.json(['get', 'replicasets', '-n', 'payments']);
    const revisions = replicaSets.items.map((rs: any) => [
      rs.spec.template.spec.containers[0].image,
      rs.metadata.annotations['deployment.kubernetes.io/revision'],
      rs.metadata.annotations['deployment.kubernetes.io/revision-history'],
    ]);
    expect(revisions.sort()).toEqual([
      ['api:2.3.0', '3', '1'],
      ['api:2.3.1', '4', '2'],
    ]);
    const result = await runInc(
      ['--kubeconfig', world.sim.kubeconfigPath, 'triage', '-n', 'payments', '-o', 'json', '--sample', '1s'],
      { cwd: dir, env: { INC_HOME: join(dir, 'home'), HOME: dir } },
    );
    expect(result.stdout, result.stderr).toMatch(/^\{/);
    const report = JSON.parse(result.stdout);
    const suspects = report.suspects.map((s: any) => `${s.workload.name}: ${s.change}`);
    expect(suspects).toEqual(['api: rollout to revision 4 (image api:2.3.1, was api:2.3.0)']);
    const at = Date.parse(report.suspects[0].at);
    expect(Math.abs(at - lastUndoMs)).toBeLessThan(10_000);
  });
});
