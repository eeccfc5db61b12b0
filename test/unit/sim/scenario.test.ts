// biome-ignore-all lint/suspicious/noExplicitAny: the tests read simulated objects freely
import { describe, expect, it } from 'vitest';
import { FileFormatError, UsageError } from '../../../src/errors.js';
import type { SimObject } from '../../../src/sim/cluster-state.js';
import { createControllers } from '../../../src/sim/controllers/index.js';
import {
  applyScenario,
  listScenarios,
  loadScenario,
  parseScenario,
  type Scenario,
  scenarioHistoryMs,
} from '../../../src/sim/scenario.js';
import { FakeClusterState } from '../../helpers/fake-cluster-state.js';

type Any = any;

function play(scenario: Scenario, now = '2026-03-01T12:00:00Z'): FakeClusterState {
  const start = new Date(new Date(now).getTime() - scenarioHistoryMs(scenario));
  const state = new FakeClusterState(start);
  const controllers = createControllers({ metrics: scenario.faults.noMetrics !== true });
  applyScenario(scenario, { state, advance: (ms, step) => state.advance(ms, controllers, step) });
  return state;
}

function podsOf(state: FakeClusterState, namespace: string, app: string): Any[] {
  return state.list('Pod', namespace).filter((p) => p.metadata.labels?.app === app) as Any[];
}

function waiting(pod: Any): string | undefined {
  return pod.status?.containerStatuses?.[0]?.state?.waiting?.reason;
}

describe('built-in scenarios', () => {
  it('lists every built-in scenario with a description', () => {
    const names = listScenarios().map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'empty',
        'healthy',
        'bad-deploy',
        'oom',
        'image-pull',
        'node-failure',
        'argo-selfheal',
        'helm-bad-release',
        'traffic-spike',
        'pending-capacity',
        'bad-config',
        'netpol-block',
      ]),
    );
    for (const s of listScenarios()) expect(s.description.length).toBeGreaterThan(20);
  });

  it('names the known scenarios when one is unknown', () => {
    expect(() => loadScenario('no-such')).toThrow(UsageError);
    try {
      loadScenario('no-such');
    } catch (error) {
      expect((error as UsageError).hint).toContain('bad-deploy');
    }
  });

  it('empty: three Ready nodes and no workloads', () => {
    const state = play(loadScenario('empty'));
    const nodes = state.list('Node') as Any[];
    expect(nodes).toHaveLength(3);
    for (const node of nodes) {
      expect(node.status.conditions.find((c: Any) => c.type === 'Ready').status).toBe('True');
    }
    expect(state.list('Pod')).toHaveLength(0);
  });

  it('healthy: every pod Running and Ready, every deployment rolled out', () => {
    const state = play(loadScenario('healthy'));
    const pods = state.list('Pod') as Any[];
    expect(pods.length).toBeGreaterThan(15);
    for (const pod of pods) {
      expect(pod.status.phase, pod.metadata.name).toBe('Running');
      expect(pod.status.conditions.find((c: Any) => c.type === 'Ready').status, pod.metadata.name).toBe('True');
    }
    for (const d of state.list('Deployment') as Any[]) {
      expect(d.status.availableReplicas, d.metadata.name).toBe(d.spec.replicas);
      expect(d.status.conditions.find((c: Any) => c.type === 'Progressing').reason).toBe('NewReplicaSetAvailable');
    }
    const sts = state.get('StatefulSet', 'payments', 'postgres') as Any;
    expect(sts.status.readyReplicas).toBe(1);
    const ds = state.get('DaemonSet', 'monitoring', 'node-exporter') as Any;
    expect(ds.status.numberReady).toBe(3);
    expect(state.list('PodMetrics').length).toBe(pods.length);
    const endpoints = state.get('Endpoints', 'payments', 'api') as Any;
    expect(endpoints.subsets[0].addresses).toHaveLength(3);
  });

  it('bad-deploy: the new revision crash-loops while the old pods keep serving', () => {
    const state = play(loadScenario('bad-deploy'));
    const pods = podsOf(state, 'payments', 'api');
    const crashing = pods.filter((p) => p.spec.containers[0].image.endsWith(':2.3.1'));
    const serving = pods.filter((p) => p.spec.containers[0].image.endsWith(':2.3.0'));
    expect(crashing.length).toBeGreaterThanOrEqual(1);
    expect(serving).toHaveLength(3);
    for (const pod of crashing) {
      const status = pod.status.containerStatuses[0];
      expect(status.restartCount).toBeGreaterThanOrEqual(4);
      expect(status.lastState.terminated).toMatchObject({ reason: 'Error', exitCode: 1 });
      if (status.state.waiting) expect(status.state.waiting.reason).toBe('CrashLoopBackOff');
    }
    const deployment = state.get('Deployment', 'payments', 'api') as Any;
    expect(deployment.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    expect(deployment.metadata.annotations['kubernetes.io/change-cause']).toBe('deploy api 2.3.1');
    const replicaSets = state
      .list('ReplicaSet', 'payments')
      .filter((rs) => rs.metadata.name.startsWith('api-')) as Any[];
    expect(replicaSets.map((rs) => rs.metadata.annotations['deployment.kubernetes.io/revision']).sort()).toEqual([
      '1',
      '2',
    ]);
    const backOff = (state.list('Event', 'payments') as Any[]).find(
      (e) => e.reason === 'BackOff' && e.involvedObject.name === crashing[0]!.metadata.name,
    );
    expect(backOff?.count).toBeGreaterThanOrEqual(4);
    const log = state.get('PodLog', 'payments', crashing[0]!.metadata.name) as Any;
    expect(log.containers.api.previous.map((l: Any) => l.text).join('\n')).toMatch(/ERROR panic: config: required key/);
  });

  it('oom: containers are OOMKilled with exit 137', () => {
    const state = play(loadScenario('oom'));
    const pod = podsOf(state, 'shop', 'cart').find((p) => p.spec.containers[0].image.endsWith(':5.2.0'))!;
    expect(pod.status.containerStatuses[0].lastState.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    const nodeEvents = (state.list('Event', 'default') as Any[]).filter((e) => e.reason === 'OOMKilling');
    expect(nodeEvents.length).toBeGreaterThan(0);
    expect(nodeEvents[0]!.involvedObject.kind).toBe('Node');
  });

  it('image-pull: the new pod waits in ImagePullBackOff or ErrImagePull with Failed events', () => {
    const state = play(loadScenario('image-pull'));
    const pod = podsOf(state, 'shop', 'web').find((p) => p.spec.containers[0].image.includes('4.1.0-rc1'))!;
    expect(['ImagePullBackOff', 'ErrImagePull']).toContain(waiting(pod));
    expect(pod.status.phase).toBe('Pending');
    const failed = (state.list('Event', 'shop') as Any[]).find(
      (e) =>
        e.reason === 'Failed' &&
        e.involvedObject.name === pod.metadata.name &&
        e.message.startsWith('Failed to pull image'),
    );
    expect(failed?.message).toContain('not found');
  });

  it('node-failure: node-2 is NotReady and its pods are not ready', () => {
    const state = play(loadScenario('node-failure'));
    const node = state.get('Node', undefined, 'node-2') as Any;
    expect(node.status.conditions.find((c: Any) => c.type === 'Ready')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
    });
    expect(node.spec.taints.map((t: Any) => `${t.key}:${t.effect}`)).toContain(
      'node.kubernetes.io/unreachable:NoExecute',
    );
    const onNode = (state.list('Pod') as Any[]).filter((p) => p.spec.nodeName === 'node-2');
    expect(onNode.length).toBeGreaterThan(0);
    for (const pod of onNode) expect(pod.status.conditions.find((c: Any) => c.type === 'Ready').status).toBe('False');
    expect((state.list('Event', 'default') as Any[]).some((e) => e.reason === 'NodeNotReady')).toBe(true);
  });

  it('argo-selfheal: Argo CD synced the bad commit and keeps the deployment on it', () => {
    const state = play(loadScenario('argo-selfheal'));
    const app = state.get('Application', 'argocd', 'payments-api') as Any;
    expect(app.status.sync).toMatchObject({ status: 'Synced', revision: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432' });
    expect(app.status.history).toHaveLength(2);
    const pods = podsOf(state, 'payments', 'api');
    expect(
      pods.some((p) => p.spec.containers[0].image.endsWith(':2.4.0') && p.status.containerStatuses[0].restartCount > 0),
    ).toBe(true);
  });

  it('helm-bad-release: two release revisions stored as helm does, the second deployed', () => {
    const state = play(loadScenario('helm-bad-release'));
    const secrets = (state.list('Secret', 'shop') as Any[]).filter((s) => s.metadata.labels?.owner === 'helm');
    expect(secrets.map((s) => `${s.metadata.name}=${s.metadata.labels.status}`).sort()).toEqual([
      'sh.helm.release.v1.checkout.v1=superseded',
      'sh.helm.release.v1.checkout.v2=deployed',
    ]);
    const deployment = state.get('Deployment', 'shop', 'checkout') as Any;
    expect(deployment.spec.template.spec.containers[0].image).toBe('registry.example.com/shop/checkout:1.5.0');
    expect(deployment.metadata.annotations['meta.helm.sh/release-name']).toBe('checkout');
  });

  it('traffic-spike: web pods use nearly all their CPU limit', () => {
    const state = play(loadScenario('traffic-spike'));
    const metrics = (state.list('PodMetrics', 'shop') as Any[]).filter((m) => m.metadata.labels.app === 'web');
    expect(metrics).toHaveLength(3);
    for (const m of metrics) {
      const nanocores = Number(m.containers[0].usage.cpu.replace(/n$/, ''));
      expect(nanocores / 1e9).toBeGreaterThan(0.44);
    }
  });

  it('pending-capacity: part of the scaled-up worker is Pending for lack of CPU', () => {
    const state = play(loadScenario('pending-capacity'));
    const pending = podsOf(state, 'payments', 'worker').filter((p) => p.status.phase === 'Pending');
    expect(pending.length).toBeGreaterThan(0);
    const condition = pending[0]!.status.conditions.find((c: Any) => c.type === 'PodScheduled');
    expect(condition).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(condition.message).toMatch(/^0\/3 nodes are available: 3 Insufficient cpu\. preemption: /);
  });
});

describe('parseScenario', () => {
  it('reports YAML syntax errors with file, line and column', () => {
    expect(() => parseScenario('name: x\ndescription: [unclosed\n', 'broken.yaml')).toThrow(FileFormatError);
    try {
      parseScenario('name: x\ndescription: [unclosed\n', 'broken.yaml');
    } catch (error) {
      expect((error as FileFormatError).message).toMatch(/^broken\.yaml:\d+:\d+: /);
    }
  });

  it('reports schema errors at the offending node', () => {
    const text =
      'name: demo\ndescription: a demo scenario\ntimeline:\n  - at: -5m\n    scale: {namespace: a, name: b}\n';
    try {
      parseScenario(text, 'demo.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FileFormatError);
      expect((error as FileFormatError).line).toBe(5);
      expect((error as Error).message).toContain('timeline.0.scale.replicas: is required (number)');
    }
  });

  it('rejects a timeline entry with two changes, and a bad time', () => {
    const two =
      'name: d\ndescription: d\ntimeline:\n  - at: -1m\n    cordon: {name: n}\n    delete: {kind: Pod, name: p}\n';
    expect(() => parseScenario(two, 'd.yaml')).toThrow(/exactly one change/);
    const badTime = 'name: d\ndescription: d\ntimeline:\n  - at: yesterday\n    cordon: {name: n}\n';
    expect(() => parseScenario(badTime, 'd.yaml')).toThrow(/d\.yaml:4:\d+: timeline\.0\.at/);
  });

  it('plays a custom timeline at the right times', () => {
    const scenario = parseScenario(
      [
        'name: custom',
        'description: custom',
        'manifests:',
        '  - {apiVersion: v1, kind: Node, metadata: {name: n1}, status: {allocatable: {cpu: "2", memory: 4Gi}}}',
        'timeline:',
        '  - at: -2m',
        '    nodeBehavior: {name: n1, behavior: memory-pressure}',
      ].join('\n'),
    );
    const state = play(scenario);
    const node = state.get('Node', undefined, 'n1') as SimObject & Any;
    const pressure = node.status.conditions.find((c: Any) => c.type === 'MemoryPressure');
    expect(pressure.status).toBe('True');
    expect(pressure.lastTransitionTime).toBe('2026-03-01T11:58:00Z');
  });
});
