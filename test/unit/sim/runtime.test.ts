import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { SimClock } from '../../../src/sim/clock.js';
import type { ClusterState, Controller } from '../../../src/sim/cluster-state.js';
import { startSim } from '../../../src/sim/index.js';
import { SimRuntime } from '../../../src/sim/runtime.js';
import { SimStore } from '../../../src/sim/store.js';

/** Each pass counts itself, and creates a ConfigMap while fewer than `chain` exist: a chain of writes. */
function chainController(chain: number): Controller & { passes: number } {
  return {
    name: 'chain',
    passes: 0,
    reconcile(state: ClusterState) {
      this.passes++;
      const made = state.list('ConfigMap', 'shop').length;
      if (made < chain)
        state.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${made}`, namespace: 'shop' } });
    },
  };
}

describe('SimRuntime', () => {
  it('settle runs passes until one changes nothing, within its bound', () => {
    const clock = new SimClock({ speed: 0, base: new FakeClock() });
    const store = new SimStore(clock);
    const controller = chainController(3);
    const runtime = new SimRuntime(store, clock, [controller], { intervalMs: false });
    expect(runtime.settle()).toBe(4);
    expect(store.list('ConfigMap', 'shop')).toHaveLength(3);
    expect(new SimRuntime(store, clock, [chainController(100)], { intervalMs: false }).settle(5)).toBe(5);
  });

  it('without ticks, runs nothing until a write asks, then settles what the write started', async () => {
    const clock = new SimClock({ speed: 0, base: new FakeClock() });
    const store = new SimStore(clock);
    const controller = chainController(0);
    const runtime = new SimRuntime(store, clock, [controller], { intervalMs: false });
    runtime.start();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(controller.passes).toBe(0);
    const chained = chainController(2);
    const writes = new SimRuntime(store, clock, [chained], { intervalMs: false });
    writes.start();
    writes.requestReconcile();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.list('ConfigMap', 'shop')).toHaveLength(2);
    expect(chained.passes).toBe(3);
    runtime.stop();
    writes.stop();
  });
});

describe('a frozen simulator (inc sim --speed 0)', () => {
  it('starts settled, stays still while idle, and settles what a write through the API starts', async () => {
    const sim = await startSim({ speed: 0, pods: 40 });
    try {
      const available = () =>
        sim.store
          .list('Deployment')
          .filter(
            (d) =>
              (d.status as { availableReplicas?: number } | undefined)?.availableReplicas ===
              (d.spec as { replicas?: number } | undefined)?.replicas,
          );
      const generated = sim.store.list('Deployment').length;
      expect(generated).toBeGreaterThan(2);
      expect(available().length).toBeGreaterThanOrEqual(generated - 2);
      const idle = sim.store.resourceVersion;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sim.store.resourceVersion).toBe(idle);

      const created = await fetch(`${sim.url}/apis/apps/v1/namespaces/default/deployments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web' },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'web' } },
            template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } },
          },
        }),
      });
      expect(created.status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const web = sim.store.get('Deployment', 'default', 'web');
      expect(web?.status).toMatchObject({ replicas: 2, updatedReplicas: 2 });
      expect(sim.store.list('Pod', 'default').filter((p) => p.metadata.name.startsWith('web-'))).toHaveLength(2);
    } finally {
      await sim.stop();
    }
  });
});
