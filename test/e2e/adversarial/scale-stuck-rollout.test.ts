import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSimWorld, type SimWorld } from '../playbooks-sim.js';
import { scaleArgs } from './scale-args.js';

let world: SimWorld;
beforeAll(async () => {
  world = await openSimWorld('bad-deploy');
});
afterAll(async () => world.close());

it('scale during a crash-looping rollout says at once that the rollout is stuck and names the rollback', async () => {
  const started = Date.now();
  const result = await world.inc(scaleArgs('api', '1', '--set', 'timeout=60s', '--yes'));
  // Waiting for a pod count the stuck rollout never reaches would take the whole minute.
  expect(Date.now() - started).toBeLessThan(30_000);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toMatch(/deployment payments\/api is scaled to 1 \(spec\.replicas, and its ReplicaSets: /);
  expect(result.stderr).toContain('its rollout is stuck: revision 2');
  expect(result.stderr).toContain('roll back: inc run rollback --set namespace=payments --set deployment=api');
  expect(world.object('Deployment', 'payments', 'api').spec.replicas).toBe(1);
});
