// biome-ignore-all lint/suspicious/noExplicitAny: responses are read as plain JSON
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { SimClock } from '../../../src/sim/clock.js';
import type { SimObject } from '../../../src/sim/cluster-state.js';
import { disruptionController, scaledValue } from '../../../src/sim/controllers/disruption.js';
import { HPA_SYNC_MS, hpaController } from '../../../src/sim/controllers/hpa.js';
import { type RunningSim, startSim } from '../../../src/sim/index.js';
import { autoscaler } from '../../helpers/sim-fixtures.js';

const START = '2026-06-01T12:00:00.000Z';
let sim: RunningSim;

async function post(path: string, body: unknown) {
  const res = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

function pod(name: string, ready: boolean, labels = { app: 'web' }): SimObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels },
    spec: { containers: [{ name: 'web', image: 'web:1', resources: { requests: { cpu: '100m' } } }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

const eviction = (name: string) => ({
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name, namespace: 'shop' },
});

beforeEach(async () => {
  const clock = new SimClock({ start: START, speed: 0, base: new FakeClock() });
  sim = await startSim({ controllers: [], clock });
  sim.state.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
});
afterEach(async () => {
  await sim.stop();
});

/** A budget of minAvailable 2 over the web pods, with its status computed. */
function createBudget(): void {
  sim.state.create({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
  });
  disruptionController.reconcile(sim.state);
}

describe('PodDisruptionBudget status and the eviction subresource', () => {
  it('scales percentages up, as intstr does', () => {
    expect(scaledValue('50%', 3)).toBe(2);
    expect(scaledValue(2, 10)).toBe(2);
    expect(scaledValue('0%', 5)).toBe(0);
  });

  it('spends the one allowed disruption, then answers 429 with the budget as the cause', async () => {
    for (const name of ['web-a', 'web-b', 'web-c']) sim.state.create(pod(name, true));
    createBudget();
    const status = sim.state.get('PodDisruptionBudget', 'shop', 'web')?.status as any;
    expect(status).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 });

    const first = await post('/api/v1/namespaces/shop/pods/web-a/eviction', eviction('web-a'));
    expect(first.status).toBe(201);
    expect(sim.state.get('Pod', 'shop', 'web-a')).toBeUndefined();
    // The eviction spent the disruption before any controller pass.
    expect((sim.state.get('PodDisruptionBudget', 'shop', 'web') as any).status.disruptionsAllowed).toBe(0);

    const second = await post('/api/v1/namespaces/shop/pods/web-b/eviction', eviction('web-b'));
    expect(second.status).toBe(429);
    expect(second.json).toMatchObject({
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: {
        causes: [
          { reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 3 currently' },
        ],
      },
    });
    expect(sim.state.get('Pod', 'shop', 'web-b')).toBeDefined();
  });

  it('evicts an unready pod while the budget is met, and any pod when no budget covers it', async () => {
    for (const name of ['web-a', 'web-b']) sim.state.create(pod(name, true));
    sim.state.create(pod('web-c', false));
    sim.state.create(pod('other', true, { app: 'other' } as any));
    createBudget();
    expect((await post('/api/v1/namespaces/shop/pods/web-c/eviction', eviction('web-c'))).status).toBe(201);
    expect((await post('/api/v1/namespaces/shop/pods/other/eviction', eviction('other'))).status).toBe(201);
    expect((await post('/api/v1/namespaces/shop/pods/web-a/eviction', eviction('web-a'))).status).toBe(429);
    const mismatch = await post('/api/v1/namespaces/shop/pods/web-a/eviction', eviction('web-b'));
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.message).toBe('name in URL does not match name in Eviction object');
  });
});

describe('HorizontalPodAutoscaler controller', () => {
  function setup(replicas: number, cpu: string) {
    sim.state.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } },
      },
      status: { replicas },
    });
    for (let i = 0; i < replicas; i++) {
      sim.state.create(pod(`web-${i}`, true));
      sim.state.create({
        apiVersion: 'metrics.k8s.io/v1beta1',
        kind: 'PodMetrics',
        metadata: { name: `web-${i}`, namespace: 'shop' },
        containers: [{ name: 'web', usage: { cpu } }],
      });
    }
    sim.state.create(autoscaler('shop', 'web', 2, 4));
  }
  const replicas = () => (sim.state.get('Deployment', 'shop', 'web') as any).spec.replicas;
  const hpa = () => sim.state.get('HorizontalPodAutoscaler', 'shop', 'web') as any;

  it('puts a target scaled below minReplicas back at once, whatever the metrics', () => {
    setup(1, '10m');
    hpaController.reconcile(sim.state);
    expect(replicas()).toBe(2);
    expect(hpa().status.desiredReplicas).toBe(2);
  });

  it('stops at maxReplicas under load and says so in ScalingLimited', () => {
    setup(3, '300m');
    hpaController.reconcile(sim.state);
    expect(replicas()).toBe(4);
    const limited = hpa().status.conditions.find((c: any) => c.type === 'ScalingLimited');
    expect(limited).toMatchObject({ status: 'True', reason: 'TooManyReplicas' });
    expect(hpa().status.currentMetrics[0].resource.current.averageUtilization).toBe(300);
    // The default metric is 80% CPU (API server defaulting).
    expect(hpa().spec.metrics[0].resource.target.averageUtilization).toBe(80);
  });

  it('waits its sync period, but acts at once on a changed spec', () => {
    setup(2, '60m');
    hpaController.reconcile(sim.state);
    expect(replicas()).toBe(2);
    const current = sim.state.get('Deployment', 'shop', 'web')!;
    sim.state.update({ ...current, spec: { ...(current.spec as any), replicas: 1 } });
    hpaController.reconcile(sim.state);
    expect(replicas()).toBe(1);
    sim.advance(HPA_SYNC_MS);
    hpaController.reconcile(sim.state);
    expect(replicas()).toBe(2);
    const object = hpa();
    sim.state.update({ ...object, spec: { ...object.spec, minReplicas: 3 } });
    hpaController.reconcile(sim.state);
    expect(replicas()).toBe(3);
  });
});
