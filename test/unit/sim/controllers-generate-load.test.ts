// biome-ignore-all lint/suspicious/noExplicitAny: the tests read simulated objects freely
import { describe, expect, it } from 'vitest';
import { createControllers } from '../../../src/sim/controllers/index.js';
import { generateLoad } from '../../../src/sim/generate-load.js';
import { FakeClusterState } from '../../helpers/fake-cluster-state.js';

type Any = any;

describe('generateLoad', () => {
  it('adds N pods over many namespaces and deployments, about 5% unhealthy', () => {
    const state = new FakeClusterState();
    // Its speed is measured by `npm run bench`, not here: a wall-clock bound fails on a busy machine.
    const result = generateLoad(state, 5000);
    expect(result.pods).toBe(5000);
    expect(state.list('Pod')).toHaveLength(5000);
    expect(result.namespaces).toBeGreaterThan(20);
    expect(result.deployments).toBeGreaterThan(300);
    expect(result.unhealthy / result.pods).toBeGreaterThan(0.01);
    expect(result.unhealthy / result.pods).toBeLessThan(0.12);
  });

  it('leaves the controllers a steady cluster: the next passes touch only the unhealthy part', () => {
    const state = new FakeClusterState();
    const result = generateLoad(state, 600);
    const controllers = createControllers({ metrics: false });
    state.advance(30_000, controllers, 5_000);
    const pods = state.list('Pod') as Any[];
    expect(pods).toHaveLength(600);
    const running = pods.filter((p) =>
      p.status.conditions?.some((c: Any) => c.type === 'Ready' && c.status === 'True'),
    );
    expect(running.length).toBeGreaterThanOrEqual(result.pods - result.unhealthy);
    const broken = pods.filter((p) => {
      const status = p.status.containerStatuses?.[0];
      return p.status.phase === 'Pending' || (status && (!status.ready || status.restartCount > 0));
    });
    expect(broken.length).toBe(result.unhealthy);
    for (const deployment of state.list('Deployment') as Any[]) {
      expect(deployment.status.observedGeneration).toBe(deployment.metadata.generation);
    }
    const before = state.writes;
    const healthy = (state.list('Deployment') as Any[]).find((d) => !d.spec.template.metadata.annotations)!;
    const replicaSets = state
      .list('ReplicaSet', healthy.metadata.namespace)
      .filter((rs) => rs.metadata.name.startsWith(`${healthy.metadata.name}-`));
    expect(replicaSets).toHaveLength(1);
    expect(healthy.status.availableReplicas).toBe(healthy.spec.replicas);
    expect(state.writes).toBe(before);
  });
});
