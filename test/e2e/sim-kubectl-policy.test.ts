// biome-ignore-all lint/suspicious/noExplicitAny: the tests read kubectl JSON freely
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { eventually, kubectlFor } from '../helpers/kubectl-runner.js';

/**
 * The simulator's HorizontalPodAutoscalers, PodDisruptionBudgets and eviction subresource through
 * the real kubectl (v1.31): `get hpa,pdb` columns, the autoscaler putting back a scale below its
 * minimum, and `kubectl drain` refused by a budget, then let through once the budget allows it.
 */

let sim: RunningSim;
let home: string;
const kubectl = kubectlFor(() => ({ home, kubeconfig: sim.kubeconfigPath }));
const getJson = kubectl.json;
const cachePodsOn = (node: string) =>
  getJson(['get', 'pods', '-n', 'shop', '-l', 'app=cache', '--field-selector', `spec.nodeName=${node}`]);

const CACHE = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: cache, namespace: shop, labels: {app: cache}}
spec:
  replicas: 3
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}, annotations: {sim.inc.dev/cpu: 40m}}
    spec:
      containers:
        - name: cache
          image: registry.example.com/cache:7.2
          resources: {requests: {cpu: 100m, memory: 64Mi}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: cache, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: cache}
  minReplicas: 3
  maxReplicas: 5
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: cache, namespace: shop}
spec:
  minAvailable: 3
  selector: {matchLabels: {app: cache}}
`;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-kubectl-policy-'));
  sim = await startSim({ scenario: 'healthy', speed: 20 });
  const applied = await kubectl(['apply', '-f', '-'], { input: CACHE });
  expect(applied.code, applied.stderr).toBe(0);
  expect(applied.stdout).toContain('horizontalpodautoscaler.autoscaling/cache created');
  expect(applied.stdout).toContain('poddisruptionbudget.policy/cache created');
  await eventually(async () => {
    const deployment = await getJson(['get', 'deployment', 'cache', '-n', 'shop']);
    return deployment.status?.readyReplicas === 3 ? true : undefined;
  });
});

afterAll(async () => {
  await sim?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('HorizontalPodAutoscaler and PodDisruptionBudget through kubectl', () => {
  it('get hpa,pdb prints the columns of a real API server, from computed status', async () => {
    const run = await eventually(async () => {
      const got = await kubectl(['get', 'hpa,pdb', '-n', 'shop']);
      return got.stdout.includes('cpu: ') && !got.stdout.includes('<unknown>') ? got : undefined;
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE/);
    // 40m of 100m requested, with metrics-server's few percent of wobble.
    expect(run.stdout).toMatch(
      /horizontalpodautoscaler\.autoscaling\/cache\s+Deployment\/cache\s+cpu: (3[6-9]|4[0-4])%\/80%\s+3\s+5\s+3\s/,
    );
    expect(run.stdout).toMatch(/NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE/);
    expect(run.stdout).toMatch(/poddisruptionbudget\.policy\/cache\s+3\s+N\/A\s+0\s/);
    const pdb = await getJson(['get', 'pdb', 'cache', '-n', 'shop']);
    expect(pdb.status).toMatchObject({ currentHealthy: 3, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 3 });
    expect(pdb.status.conditions).toEqual([
      expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' }),
    ]);
  });

  it('refuses an HPA whose maxReplicas is below its minReplicas, as the API server validates', async () => {
    const run = await kubectl([
      'patch',
      'hpa',
      'cache',
      '-n',
      'shop',
      '--type=merge',
      '-p',
      '{"spec":{"maxReplicas":2}}',
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`');
  });

  it('the autoscaler puts back a manual scale below minReplicas, with its event', async () => {
    const scaled = await kubectl(['scale', 'deployment/cache', '-n', 'shop', '--replicas=1']);
    expect(scaled.code, scaled.stderr).toBe(0);
    expect(scaled.stdout).toContain('deployment.apps/cache scaled');
    // The autoscaler may already have put it back (15 s of sim time pass quickly); its event shows it did.
    sim.advance(20_000, 5_000);
    const deployment = await getJson(['get', 'deployment', 'cache', '-n', 'shop']);
    expect(deployment.spec.replicas).toBe(3);
    const events = await kubectl(['get', 'events', '-n', 'shop', '--field-selector', 'involvedObject.name=cache']);
    expect(events.stdout).toMatch(
      /SuccessfulRescale\s+horizontalpodautoscaler\/cache\s+New size: 3; reason: Current number of replicas below Spec.MinReplicas/,
    );
  });

  it('kubectl drain is refused by the budget (429), then goes through once the budget allows one disruption', async () => {
    await eventually(async () => {
      const d = await getJson(['get', 'deployment', 'cache', '-n', 'shop']);
      return d.status?.readyReplicas === 3 ? true : undefined;
    });
    const pods = await getJson(['get', 'pods', '-n', 'shop', '-l', 'app=cache']);
    const node = pods.items[0].spec.nodeName as string;
    const blocked = await kubectl(
      ['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=3s'],
      { timeoutMs: 30_000 },
    );
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    const cordoned = await getJson(['get', 'node', node]);
    expect(cordoned.spec.unschedulable).toBe(true);
    const stillThere = await cachePodsOn(node);
    expect(stillThere.items.length).toBeGreaterThan(0);

    const patched = await kubectl([
      'patch',
      'pdb',
      'cache',
      '-n',
      'shop',
      '--type=merge',
      '-p',
      '{"spec":{"minAvailable":null,"maxUnavailable":1}}',
    ]);
    expect(patched.code, patched.stderr).toBe(0);
    await eventually(async () => {
      const pdb = await getJson(['get', 'pdb', 'cache', '-n', 'shop']);
      return pdb.status.disruptionsAllowed === 1 ? true : undefined;
    });
    const drained = await kubectl(
      ['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=60s'],
      { timeoutMs: 90_000 },
    );
    expect(drained.code, drained.stderr).toBe(0);
    expect(drained.stdout).toMatch(/pod\/cache-[a-z0-9-]+ evicted/);
    expect(drained.stdout).toContain(`node/${node} drained`);
    const left = await cachePodsOn(node);
    expect(left.items).toEqual([]);
  }, 120_000);
});
