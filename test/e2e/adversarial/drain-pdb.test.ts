import { afterEach, beforeEach, expect, it } from 'vitest';
import { openSimWorld, type SimWorld, writes } from '../playbooks-sim.js';

/**
 * cordon-node drains through the Eviction API: a PodDisruptionBudget that allows no disruption
 * keeps its pod on the node, and the run says which budget refused which pod. Deleting past the
 * budget takes the explicit forceDelete=true.
 */
let world: SimWorld;
let node: string;
/** The web pods on the drained node: the scheduler may have put one or two of the three there. */
let webPods: string[];

beforeEach(async () => {
  world = await openSimWorld('healthy', 20);
  world.sim.state.create({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { minAvailable: '100%', selector: { matchLabels: { app: 'web' } } },
  });
  world.sim.advance(5_000, 1_000);
  const web = world.sim.state.list('Pod', 'shop').filter((p) => p.metadata.labels?.app === 'web');
  node = (web[0]!.spec as { nodeName: string }).nodeName;
  webPods = web
    .filter((p) => (p.spec as { nodeName: string }).nodeName === node)
    .map((p) => p.metadata.name)
    .sort();
  expect((await world.inc(['start', `${node} flapping`, '--severity', 'SEV3'])).code).toBe(0);
});
afterEach(async () => world.close());

const drain = (...extra: string[]) => [
  'run',
  'cordon-node',
  '--set',
  `node=${node}`,
  '--set',
  'timeout=3s',
  ...extra,
  '--yes',
];

it('a budget that allows no disruption keeps its pod: the run fails naming the budget, and deletes nothing', async () => {
  const result = await world.inc(drain());
  expect(result.code).toBe(1);
  const refused = result.stderr
    .split('\n')
    .find((line) =>
      line.includes(
        'refused now by PodDisruptionBudget shop/web (The disruption budget web needs 3 healthy pods and has 3 currently): ',
      ),
    );
  for (const name of webPods) expect(refused).toContain(`shop/${name}`);
  expect(result.stderr).toContain(`drain of node ${node} incomplete`);
  expect(result.stderr).toContain(`inc run cordon-node --set node=${node} --set forceDelete=true`);
  for (const name of webPods) expect(world.sim.state.get('Pod', 'shop', name)).toBeDefined();
  expect(world.object('Node', undefined, node).spec.unschedulable).toBe(true);
  // Evictions only: the budget was asked, never bypassed.
  expect(writes(world.requests).filter((r) => r.method === 'DELETE')).toEqual([]);
  const refusedAgain = writes(world.requests).filter(
    (r) => r.path.startsWith(`/api/v1/namespaces/shop/pods/${webPods[0]}/eviction`) && !r.path.includes('dryRun'),
  );
  expect(refusedAgain.length).toBeGreaterThan(1);
  // The other pods of the node were evicted.
  const left = world.sim.state
    .list('Pod')
    .filter(
      (p) =>
        (p.spec as { nodeName?: string }).nodeName === node &&
        !p.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet'),
    );
  expect(left.map((p) => p.metadata.name).sort()).toEqual(webPods);
});

it('forceDelete=true deletes what the budget still refuses, and says so', async () => {
  const result = await world.inc(drain('--set', 'forceDelete=true'));
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toContain(`deleted ${webPods.length} (forceDelete)`);
  for (const name of webPods) expect(world.sim.state.get('Pod', 'shop', name)).toBeUndefined();
  expect(
    writes(world.requests)
      .filter((r) => r.method === 'DELETE')
      .map((r) => r.path)
      .sort(),
  ).toEqual(webPods.map((name) => `/api/v1/namespaces/shop/pods/${name}`));
});
