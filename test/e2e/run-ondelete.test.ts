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
