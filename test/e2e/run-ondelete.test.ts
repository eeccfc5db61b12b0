// biome-ignore-all lint/suspicious/noExplicitAny: simulated objects are read as plain JSON
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectExit, openSimWorld, type SimWorld } from './playbooks-sim.js';

/**
 * A DaemonSet updated OnDelete: a rollback changes its template, but its controller replaces no
 * pod by itself. kubectl rollout status only says it cannot tell; inc must say which running pods
 * keep the previous template and how to get them replaced.
 */
let world: SimWorld;
const BAD = 'quay.io/prometheus/node-exporter:v9.9.8';
const podImages = () =>
  Object.fromEntries(
    world.sim.state
      .list('Pod', 'monitoring')
      .filter((p: any) => p.metadata.name.startsWith('node-exporter-') && !p.metadata.deletionTimestamp)
      .map((p: any) => [p.metadata.name, p.spec.containers[0].image as string]),
  );

/** Sets the DaemonSet's image, as a bad release would. */
function release(image: string, strategy?: { type: string }): void {
  const ds = world.sim.state.get('DaemonSet', 'monitoring', 'node-exporter') as any;
  const container = { ...ds.spec.template.spec.containers[0], image };
  world.sim.state.update({
    ...ds,
    spec: {
      ...ds.spec,
      ...(strategy ? { updateStrategy: strategy } : {}),
      template: { ...ds.spec.template, spec: { ...ds.spec.template.spec, containers: [container] } },
    },
  });
  world.sim.advance(10_000, 5_000);
}

beforeAll(async () => {
  world = await openSimWorld('healthy');
  release('quay.io/prometheus/node-exporter:v9.9.9', { type: 'OnDelete' });
});
afterAll(async () => world?.close());

it('a rollback whose template no pod ever left is done: every pod runs it', async () => {
  // No pod was deleted since the bad release: they all still run the template a rollback restores.
  const run = await world.inc(['run', 'rollback', '-n', 'monitoring', '--set', 'daemonset=node-exporter', '--yes']);
  expectExit(run, 0);
  expect(run.stderr).toContain(
    'daemonset monitoring/node-exporter has updateStrategy OnDelete, and all 3 of its pods run its current template and are ready',
  );
  expect(run.stderr).not.toContain('keep the previous template');
});

it('a rollback of a DaemonSet updated OnDelete names the pods that keep the old template until deleted', async () => {
  release(BAD);
  // One pod deleted since: the only one recreated from the bad template.
  const victim = Object.keys(podImages())[0] ?? '';
  const deleted = await world.kubectl(['delete', 'pod', victim, '-n', 'monitoring', '--wait=false']);
  expect(deleted.exitCode, deleted.stderr).toBe(0);
  world.sim.advance(20_000, 5_000);
  expectExit(await world.inc(['start', 'node-exporter broken', '--severity', 'SEV3']), 0);
  const bad = Object.entries(podImages()).filter(([, image]) => image === BAD);
  expect(bad).toHaveLength(1);
  const run = await world.inc(['run', 'rollback', '-n', 'monitoring', '--set', 'daemonset=node-exporter', '--yes']);
  expectExit(run, 1);
  expect(world.object('DaemonSet', 'monitoring', 'node-exporter').spec.template.spec.containers[0].image).not.toBe(BAD);
  expect(run.stderr).toContain(
    `daemonset monitoring/node-exporter has updateStrategy OnDelete, so its controller replaces no pod by itself; 1 of its pods keeps the previous template until each one is deleted (${bad[0]?.[0]})`,
  );
  expect(run.stderr).toContain(`inc run delete-pod --set namespace=monitoring --set pod=${bad[0]?.[0]})`);
  expect(run.stderr).not.toContain('see why the new pods do not become available');
});

it("inc undo of that rollback names the delete-pod step too, not a generic 'not healthy' hint", async () => {
  const undo = await world.inc(['undo', '--yes']);
  expectExit(undo, 1);
  expect(world.object('DaemonSet', 'monitoring', 'node-exporter').spec.template.spec.containers[0].image).toBe(BAD);
  // The two pods never replaced now run the previous template: each is named.
  const [first, second] = Object.entries(podImages())
    .filter(([, image]) => image !== BAD)
    .map(([name]) => name)
    .sort();
  expect(undo.stderr).toContain('reverted, but the restored state does not verify');
  expect(undo.stderr).toContain(
    `the previous state was restored as recorded; the template is changed; delete those pods one at a time to have them recreated from it (inc run delete-pod --set namespace=monitoring --set pod=${first}, then the same for ${second})`,
  );
  expect(undo.stderr).not.toContain('it was not healthy either');
  // A plain inc undo never picks an undo: the hint names the undo's own id, which redoes the rollback.
  expect(undo.stderr).not.toContain('inc undo reverts the last');
  const redoId = /inc undo (\w+) puts back the change it reverted/.exec(undo.stderr)?.[1] ?? '';
  const redo = await world.inc(['undo', redoId, '--dry-run']);
  expectExit(redo, 0);
  expect(redo.stdout).toContain('roll back daemonset monitoring/node-exporter to revision');
});
