import { afterEach, beforeEach, expect, it } from 'vitest';
import { autoscaler } from '../../helpers/sim-fixtures.js';
import { openSimWorld, type SimWorld, writes } from '../playbooks-sim.js';

/**
 * A HorizontalPodAutoscaler owns its target's replica count: a direct scale is put back at its
 * next sync. scale must change the HPA's bounds instead, show exactly that, dry-run it on the
 * server, record the inverse, and undo it.
 */
let world: SimWorld;
beforeEach(async () => {
  world = await openSimWorld('traffic-spike', 20);
  // At its maximum: shop/web runs hot (490m of 200m requested) and the HPA may not add a pod.
  world.sim.state.create(autoscaler('shop', 'web', 2, 3));
  world.sim.advance(20_000, 5_000);
});
afterEach(async () => world.close());

const scaleWeb = (replicas: string, ...extra: string[]) => [
  'run',
  'scale',
  '--set',
  'namespace=shop',
  '--set',
  'deployment=web',
  '--set',
  `replicas=${replicas}`,
  ...extra,
];

it('a dry run shows the HPA change, not a change of the replicas that the HPA would put back', async () => {
  const result = await world.inc(scaleWeb('6', '--dry-run'));
  expect(result.code, result.stderr).toBe(0);
  const out = result.stdout + result.stderr;
  expect(out).toContain(
    'deployment shop/web is scaled by HorizontalPodAutoscaler shop/web (minReplicas 2, maxReplicas 3',
  );
  expect(out).toContain('set HorizontalPodAutoscaler shop/web minReplicas 2 → 6, maxReplicas 3 → 6');
  expect(out).toMatch(/-\s+maxReplicas: 3/);
  expect(out).toMatch(/\+\s+maxReplicas: 6/);
  expect(out).toMatch(/\+\s+minReplicas: 6/);
  // Only the server's dry run was sent, to the HPA.
  const sent = writes(world.requests);
  expect(sent.length).toBeGreaterThan(0);
  expect(sent.every((r) => r.path.includes('/horizontalpodautoscalers/web') && r.path.includes('dryRun=All'))).toBe(
    true,
  );
  expect(world.object('HorizontalPodAutoscaler', 'shop', 'web').spec).toMatchObject({ minReplicas: 2, maxReplicas: 3 });
});

it('raises minReplicas (and maxReplicas) instead of scaling, verifies the pods, and undo restores the bounds', async () => {
  expect((await world.inc(['start', 'web saturated', '--severity', 'SEV2'])).code).toBe(0);
  const result = await world.inc(scaleWeb('6', '--set', 'timeout=60s', '--yes'));
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toContain('HorizontalPodAutoscaler shop/web keeps deployment shop/web at 6 replicas');
  expect(world.object('HorizontalPodAutoscaler', 'shop', 'web').spec).toMatchObject({ minReplicas: 6, maxReplicas: 6 });
  // The deployment was never scaled directly: the HPA did it.
  expect(writes(world.requests).some((r) => r.path.includes('/deployments/web/scale'))).toBe(false);
  const dryRunFirst = writes(world.requests).findIndex((r) => r.path.includes('horizontalpodautoscalers'));
  expect(writes(world.requests)[dryRunFirst]?.path).toContain('dryRun=All');
  world.sim.advance(20_000, 5_000);
  expect(world.object('Deployment', 'shop', 'web').spec.replicas).toBe(6);

  const log = await world.inc(['log', '--json']);
  const applied = log.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .find((e) => e.type === 'action' && e.data.phase === 'applied');
  expect(applied.data.inverse).toMatchObject({
    action: 'hpa.bounds',
    with: {
      namespace: 'shop',
      hpa: 'web',
      minReplicas: 2,
      maxReplicas: 3,
      currentMinReplicas: 6,
      currentMaxReplicas: 6,
    },
  });

  const undo = await world.inc(['undo', '--yes']);
  expect(undo.code, undo.stderr).toBe(0);
  expect(world.object('HorizontalPodAutoscaler', 'shop', 'web').spec).toMatchObject({ minReplicas: 2, maxReplicas: 3 });
  world.sim.advance(20_000, 5_000);
  expect(world.object('Deployment', 'shop', 'web').spec.replicas).toBe(3);
});

it('undo refuses when the HPA bounds were changed by someone else since', async () => {
  expect((await world.inc(['start', 'web saturated', '--severity', 'SEV2'])).code).toBe(0);
  expect((await world.inc(scaleWeb('5', '--set', 'timeout=60s', '--yes'))).code).toBe(0);
  const hpa = world.sim.state.get('HorizontalPodAutoscaler', 'shop', 'web')!;
  world.sim.state.update({ ...hpa, spec: { ...(hpa.spec as object), minReplicas: 4 } });
  const undo = await world.inc(['undo', '--yes']);
  expect(undo.code).not.toBe(0);
  expect(undo.stderr).toContain('Expected minReplicas to be 5, was 4');
  expect(world.object('HorizontalPodAutoscaler', 'shop', 'web').spec.minReplicas).toBe(4);
});

it('undo of a scale to 0 scales the workload back directly: the HPA does not act on a target at 0', async () => {
  expect((await world.inc(['start', 'web down for maintenance', '--severity', 'SEV2'])).code).toBe(0);
  const down = await world.inc(scaleWeb('0', '--set', 'timeout=60s', '--yes'));
  expect(down.code, down.stderr).toBe(0);
  expect(world.object('Deployment', 'shop', 'web').spec.replicas).toBe(0);
  const undo = await world.inc(['undo', '--yes']);
  expect(undo.code, undo.stderr).toBe(0);
  expect(undo.stderr).toContain('scale deployment shop/web from 0 to 3 replicas');
  expect(world.object('Deployment', 'shop', 'web').spec.replicas).toBe(3);
  // The HPA's bounds are as they were: the undo did not change what it never changed.
  expect(world.object('HorizontalPodAutoscaler', 'shop', 'web').spec).toMatchObject({ minReplicas: 2, maxReplicas: 3 });
});
