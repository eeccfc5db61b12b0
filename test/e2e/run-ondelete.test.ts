// biome-ignore-all lint/suspicious/noExplicitAny: simulated objects are read as plain JSON
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectExit, openSimWorld, type SimWorld } from './playbooks-sim.js';

/**
 * A DaemonSet updated OnDelete: a rollback changes its template, but its controller replaces no
 * pod by itself. kubectl rollout status only says it cannot tell; inc must say what it means for
 * the running pods and how to get them replaced.
 */
let world: SimWorld;
beforeAll(async () => {
  world = await openSimWorld('healthy');
  const ds = world.sim.state.get('DaemonSet', 'monitoring', 'node-exporter') as any;
  const container = { ...ds.spec.template.spec.containers[0], image: 'quay.io/prometheus/node-exporter:v9.9.9' };
  world.sim.state.update({
    ...ds,
    spec: {
      ...ds.spec,
      updateStrategy: { type: 'OnDelete' },
      template: { ...ds.spec.template, spec: { ...ds.spec.template.spec, containers: [container] } },
    },
  });
  world.sim.advance(10_000, 5_000);
});
afterAll(async () => world?.close());

it('a rollback of a DaemonSet updated OnDelete says its pods keep the old template until deleted', async () => {
  const run = await world.inc(['run', 'rollback', '-n', 'monitoring', '--set', 'daemonset=node-exporter', '--yes']);
  expectExit(run, 1);
  expect(world.object('DaemonSet', 'monitoring', 'node-exporter').spec.template.spec.containers[0].image).not.toBe(
    'quay.io/prometheus/node-exporter:v9.9.9',
  );
  expect(run.stderr).toContain(
    'daemonset monitoring/node-exporter has updateStrategy OnDelete, so its controller replaces no pod by itself',
  );
  expect(run.stderr).toContain('inc run delete-pod --set namespace=monitoring --set pod=NAME');
  expect(run.stderr).not.toContain('see why the new pods do not become available');
});

it("inc undo of that rollback names the delete-pod step too, not a generic 'not healthy' hint", async () => {
  expectExit(await world.inc(['start', 'node-exporter broken', '--severity', 'SEV3']), 0);
  const ds = world.sim.state.get('DaemonSet', 'monitoring', 'node-exporter') as any;
  const container = { ...ds.spec.template.spec.containers[0], image: 'quay.io/prometheus/node-exporter:v9.9.8' };
  world.sim.state.update({
    ...ds,
    spec: {
      ...ds.spec,
      template: { ...ds.spec.template, spec: { ...ds.spec.template.spec, containers: [container] } },
    },
  });
  world.sim.advance(10_000, 5_000);
  expectExit(await world.inc(['run', 'rollback', '-n', 'monitoring', '--set', 'daemonset=node-exporter', '--yes']), 1);

  const undo = await world.inc(['undo', '--yes']);
  expectExit(undo, 1);
  expect(world.object('DaemonSet', 'monitoring', 'node-exporter').spec.template.spec.containers[0].image).toBe(
    'quay.io/prometheus/node-exporter:v9.9.8',
  );
  expect(undo.stderr).toContain('reverted, but the restored state does not verify');
  expect(undo.stderr).toContain(
    'the previous state was restored as recorded; the template is changed; delete its pods one at a time to have them recreated from it (inc run delete-pod --set namespace=monitoring --set pod=NAME)',
  );
  expect(undo.stderr).not.toContain('it was not healthy either');
  // A plain inc undo never picks an undo: the hint names the undo's own id, which redoes the rollback.
  expect(undo.stderr).not.toContain('inc undo reverts the last');
  const redoId = /inc undo (\w+) puts back the change it reverted/.exec(undo.stderr)?.[1] ?? '';
  const redo = await world.inc(['undo', redoId, '--dry-run']);
  expectExit(redo, 0);
  expect(redo.stdout).toContain('roll back daemonset monitoring/node-exporter to revision');
});
