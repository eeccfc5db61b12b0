// biome-ignore-all lint/suspicious/noExplicitAny: the tests read simulated objects freely
import { describe, expect, it } from 'vitest';
import type { SimObject } from '../../../src/sim/cluster-state.js';
import { EVENT_TTL_MS, eventTtlController, recordEvent } from '../../../src/sim/controllers/events.js';
import { decodeRelease, installHelmRevision } from '../../../src/sim/controllers/helm.js';
import { createControllers } from '../../../src/sim/controllers/index.js';
import { evictionDelayMs } from '../../../src/sim/controllers/pod.js';
import { backoffMs, containerLife, goDuration } from '../../../src/sim/controllers/pod-timeline.js';
import { unschedulableMessage } from '../../../src/sim/controllers/scheduler.js';
import { FakeClusterState } from '../../helpers/fake-cluster-state.js';
import { deployment, node } from '../../helpers/sim-fixtures.js';

type Any = any;

const controllers = createControllers();

function cluster(nodes = 3, cpu = '4'): FakeClusterState {
  const state = new FakeClusterState('2026-03-01T12:00:00Z');
  for (let i = 1; i <= nodes; i++) state.create(node(`node-${i}`, cpu));
  return state;
}

function patchTemplate(state: FakeClusterState, change: (template: Any) => void, annotations?: Record<string, string>) {
  const current = structuredClone(state.get('Deployment', 'payments', 'api')!) as Any;
  change(current.spec.template);
  if (annotations) current.metadata.annotations = { ...current.metadata.annotations, ...annotations };
  state.update(current as SimObject);
}

function replicaSets(state: FakeClusterState): Any[] {
  return (state.list('ReplicaSet', 'payments') as Any[]).sort(
    (a, b) =>
      Number(a.metadata.annotations['deployment.kubernetes.io/revision']) -
      Number(b.metadata.annotations['deployment.kubernetes.io/revision']),
  );
}

const condition = (object: Any, type: string) => object.status.conditions.find((c: Any) => c.type === type);

describe('deployment controller', () => {
  it('creates one ReplicaSet per template with a stable pod-template-hash, revision 1, and rolls out', () => {
    const state = cluster();
    state.create(deployment({ annotations: { 'kubernetes.io/change-cause': 'first' } }));
    state.advance(20_000, controllers);
    const [rs] = replicaSets(state);
    const hash = rs.metadata.labels['pod-template-hash'];
    expect(rs.metadata.name).toBe(`api-${hash}`);
    expect(rs.spec.template.metadata.labels['pod-template-hash']).toBe(hash);
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'api', 'pod-template-hash': hash });
    expect(rs.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
      'kubernetes.io/change-cause': 'first',
    });
    expect(rs.metadata.ownerReferences[0]).toMatchObject({ kind: 'Deployment', name: 'api', controller: true });
    const d = state.get('Deployment', 'payments', 'api') as Any;
    expect(d.status).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(condition(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(condition(d, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "api-${hash}" has successfully progressed.`,
    });
    const scaling = (state.list('Event', 'payments') as Any[]).find((e) => e.reason === 'ScalingReplicaSet');
    expect(scaling.message).toBe(`Scaled up replica set api-${hash} to 3 from 0`);
    const pods = state.list('Pod', 'payments') as Any[];
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(new RegExp(`^api-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(pod.metadata.ownerReferences[0]).toMatchObject({
        kind: 'ReplicaSet',
        uid: rs.metadata.uid,
        controller: true,
      });
    }
    // A second cluster computes the same hash for the same template.
    const other = cluster();
    other.create(deployment({ annotations: { 'kubernetes.io/change-cause': 'first' } }));
    other.advance(1_000, controllers);
    expect(replicaSets(other)[0].metadata.labels['pod-template-hash']).toBe(hash);
  });

  it('keeps old pods serving while a crash-looping version never finishes, until the progress deadline', () => {
    const state = cluster();
    state.create(deployment({ progressDeadlineSeconds: 120 }));
    state.advance(20_000, controllers);
    patchTemplate(state, (t) => {
      t.spec.containers[0].image = 'api:2.3.1';
      t.metadata.annotations = { 'sim.inc.dev/behavior': 'crashloop' };
    });
    state.advance(60_000, controllers);
    let d = state.get('Deployment', 'payments', 'api') as Any;
    const [oldRS, newRS] = replicaSets(state);
    expect(newRS.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    expect(oldRS.spec.replicas).toBe(3);
    expect(newRS.spec.replicas).toBe(1);
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 1, availableReplicas: 3, unavailableReplicas: 1 });
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
    state.advance(120_000, controllers);
    d = state.get('Deployment', 'payments', 'api') as Any;
    expect(condition(d, 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${newRS.metadata.name}" has timed out progressing.`,
    });
    expect(condition(d, 'Available').status).toBe('True');
  });

  it('an undo re-adopts the old ReplicaSet at revision max+1 and finishes the rollout', () => {
    const state = cluster();
    state.create(deployment({ annotations: { 'kubernetes.io/change-cause': 'v1' } }));
    state.advance(20_000, controllers);
    const original = structuredClone((state.get('Deployment', 'payments', 'api') as Any).spec.template);
    patchTemplate(
      state,
      (t) => {
        t.spec.containers[0].image = 'api:2.3.1';
        t.metadata.annotations = { 'sim.inc.dev/behavior': 'crashloop' };
      },
      { 'kubernetes.io/change-cause': 'v2' },
    );
    state.advance(30_000, controllers);
    patchTemplate(state, (t) => Object.assign(t, structuredClone(original)), { 'kubernetes.io/change-cause': 'v1' });
    state.advance(30_000, controllers);
    const [bad, good] = replicaSets(state);
    expect(good.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(good.metadata.annotations['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(bad.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    expect(bad.spec.replicas).toBe(0);
    expect(good.spec.replicas).toBe(3);
    const d = state.get('Deployment', 'payments', 'api') as Any;
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(condition(d, 'Progressing').reason).toBe('NewReplicaSetAvailable');
    expect(state.list('Pod', 'payments')).toHaveLength(3);
  });

  it('scaling in the middle of a rollout spreads the change over both ReplicaSets', () => {
    const state = cluster(3, '8');
    state.create(deployment());
    state.advance(20_000, controllers);
    patchTemplate(state, (t) => {
      t.spec.containers[0].image = 'api:2.3.1';
      t.metadata.annotations = { 'sim.inc.dev/behavior': 'crashloop' };
    });
    state.advance(30_000, controllers);
    const scaled = structuredClone(state.get('Deployment', 'payments', 'api')!) as Any;
    scaled.spec.replicas = 6;
    state.update(scaled);
    state.advance(30_000, controllers);
    const [oldRS, newRS] = replicaSets(state);
    const messages = (state.list('Event', 'payments') as Any[]).map((e) => e.message);
    expect(messages).toContain(`Scaled up replica set ${oldRS.metadata.name} to 6 from 3`);
    expect(messages).toContain(`Scaled up replica set ${newRS.metadata.name} to 2 from 1`);
    expect([oldRS.spec.replicas, newRS.spec.replicas]).toEqual([5, 3]);
    const d = state.get('Deployment', 'payments', 'api') as Any;
    expect(d.status.availableReplicas).toBe(5);
  });

  it('prunes scaled-down ReplicaSets beyond revisionHistoryLimit', () => {
    const state = cluster();
    const d = deployment({ replicas: 1 }) as Any;
    d.spec.revisionHistoryLimit = 1;
    state.create(d);
    state.advance(10_000, controllers);
    for (const tag of ['2', '3', '4']) {
      patchTemplate(state, (t) => {
        t.spec.containers[0].image = `api:${tag}`;
      });
      state.advance(20_000, controllers);
    }
    const revisions = replicaSets(state).map((rs) => rs.metadata.annotations['deployment.kubernetes.io/revision']);
    expect(revisions).toEqual(['3', '4']);
  });

  it('Recreate removes every old pod before starting new ones', () => {
    const state = cluster();
    const d = deployment() as Any;
    d.spec.strategy = { type: 'Recreate' };
    state.create(d);
    state.advance(10_000, controllers);
    patchTemplate(state, (t) => {
      t.spec.containers[0].image = 'api:2.4.0';
    });
    for (const controller of controllers) controller.reconcile(state);
    const [oldRS, newRS] = replicaSets(state);
    expect(oldRS.spec.replicas).toBe(0);
    expect(newRS.spec.replicas).toBe(0);
    const killing = (state.list('Event', 'payments') as Any[]).filter((e) => e.reason === 'Killing');
    expect(killing).toHaveLength(3);
    expect(killing[0]).toMatchObject({ message: 'Stopping container api', source: { component: 'kubelet' } });
    state.advance(10_000, controllers);
    const pods = state.list('Pod', 'payments') as Any[];
    expect(pods).toHaveLength(3);
    for (const pod of pods) expect(pod.spec.containers[0].image).toBe('api:2.4.0');
  });

  it('leaves a paused deployment alone', () => {
    const state = cluster();
    state.create(deployment());
    state.advance(10_000, controllers);
    const current = structuredClone(state.get('Deployment', 'payments', 'api')!) as Any;
    current.spec.paused = true;
    current.spec.template.spec.containers[0].image = 'api:9.9.9';
    state.update(current);
    state.advance(10_000, controllers);
    expect(replicaSets(state)).toHaveLength(1);
    const d = state.get('Deployment', 'payments', 'api') as Any;
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });
  });
});

describe('replicaset controller and kubelet', () => {
  it('replaces a deleted pod', () => {
    const state = cluster();
    state.create(deployment());
    state.advance(10_000, controllers);
    const originals = state.list('Pod', 'payments').map((p) => p.metadata.name);
    const victim = state.list('Pod', 'payments')[0]!;
    state.delete('Pod', 'payments', victim.metadata.name);
    state.advance(5_000, controllers);
    const pods = state.list('Pod', 'payments') as Any[];
    expect(pods).toHaveLength(3);
    expect(pods.map((p) => p.metadata.name)).not.toContain(victim.metadata.name);
    const created = (state.list('Event', 'payments') as Any[]).filter((e) => e.reason === 'SuccessfulCreate');
    const replacement = pods.find((p) => !originals.includes(p.metadata.name))!;
    expect(created.map((e) => e.message)).toContain(`Created pod: ${replacement.metadata.name}`);
    expect(created).toHaveLength(4);
  });

  it('restarts a crash-looping container on kubelet back-off: 10s, 20s, 40s … capped at 5m', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(backoffMs)).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    expect(goDuration(80_000)).toBe('1m20s');
    expect(goDuration(300_000)).toBe('5m0s');
    // start+2s runs for 4s, crashes at 6s, restarts at 16s, crashes at 20s, restarts at 40s, crashes at 44s, restarts at 84s…
    const at = (s: number) => containerLife('crashloop', 0, s * 1000);
    expect(at(5).phase.kind).toBe('running');
    expect(at(7)).toMatchObject({ restartCount: 0, phase: { kind: 'backoff', backoffMs: 10_000 } });
    expect(at(17)).toMatchObject({ restartCount: 1, phase: { kind: 'running' } });
    expect(at(21)).toMatchObject({ restartCount: 1, phase: { kind: 'backoff', backoffMs: 20_000 } });
    expect(at(45)).toMatchObject({ restartCount: 2, phase: { kind: 'backoff', backoffMs: 40_000 } });
    expect(at(85).restartCount).toBe(3);
    expect(at(3600).restartCount).toBeGreaterThan(12);
    expect(at(3600).restartCount).toBeLessThan(16);
  });

  it('shows a crash loop as kubectl does: CrashLoopBackOff, lastState Error exit 1, BackOff events, not ready', () => {
    const state = cluster();
    state.create(deployment({ replicas: 1, behavior: 'crashloop' }));
    state.advance(50_000, controllers);
    const pod = state.list('Pod', 'payments')[0] as Any;
    const status = pod.status.containerStatuses[0];
    expect(status.restartCount).toBe(2);
    expect(status.state.waiting).toEqual({
      reason: 'CrashLoopBackOff',
      message: `back-off 40s restarting failed container=api pod=${pod.metadata.name}_payments(${pod.metadata.uid})`,
    });
    expect(status.lastState.terminated).toMatchObject({ reason: 'Error', exitCode: 1 });
    expect(status.ready).toBe(false);
    expect(pod.status.phase).toBe('Running');
    expect(condition(pod, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [api]',
    });
    const backOff = (state.list('Event', 'payments') as Any[]).find((e) => e.reason === 'BackOff');
    expect(backOff).toMatchObject({
      type: 'Warning',
      count: 3,
      involvedObject: { kind: 'Pod', name: pod.metadata.name, fieldPath: 'spec.containers{api}' },
    });
    expect(backOff.message).toBe(
      `Back-off restarting failed container api in pod ${pod.metadata.name}_payments(${pod.metadata.uid})`,
    );
    const log = state.get('PodLog', 'payments', pod.metadata.name) as Any;
    expect(log.containers.api.previous.at(-1).text).toMatch(/ERROR fatal: api cannot start/);
  });

  it('image pulls fail with ErrImagePull, then ImagePullBackOff, with Failed and BackOff events', () => {
    const state = cluster();
    state.create(deployment({ replicas: 1, behavior: 'imagepull', image: 'api:nope' }));
    state.advance(2_500, controllers, 500);
    let pod = state.list('Pod', 'payments')[0] as Any;
    expect(pod.status.containerStatuses[0].state.waiting.reason).toBe('ErrImagePull');
    state.advance(5_000, controllers);
    pod = state.list('Pod', 'payments')[0] as Any;
    expect(pod.status.containerStatuses[0].state.waiting.reason).toBe('ImagePullBackOff');
    expect(pod.status.phase).toBe('Pending');
    const events = (state.list('Event', 'payments') as Any[]).filter(
      (e) => e.involvedObject.name === pod.metadata.name,
    );
    expect(events.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        'Pulling image "api:nope"',
        expect.stringMatching(
          /^Failed to pull image "api:nope": rpc error: code = NotFound .*docker\.io\/library\/api:nope: not found$/,
        ),
        'Error: ErrImagePull',
        'Back-off pulling image "api:nope"',
      ]),
    );
  });

  it('a readiness failure keeps the pod Running but not ready, with Unhealthy events', () => {
    const state = cluster();
    state.create(deployment({ replicas: 1, behavior: 'not-ready' }));
    state.advance(60_000, controllers);
    const pod = state.list('Pod', 'payments')[0] as Any;
    expect(pod.status.phase).toBe('Running');
    expect(condition(pod, 'Ready').status).toBe('False');
    const unhealthy = (state.list('Event', 'payments') as Any[]).find((e) => e.reason === 'Unhealthy');
    expect(unhealthy.message).toBe('Readiness probe failed: HTTP probe failed with statuscode: 503');
    expect(unhealthy.count).toBeGreaterThanOrEqual(5);
  });
});

describe('scheduler', () => {
  it('leaves pods that do not fit Pending with the scheduler message and FailedScheduling events', () => {
    const state = cluster(3, '1');
    state.create(deployment({ replicas: 4, cpu: '600m' }));
    state.advance(10_000, controllers);
    const pending = (state.list('Pod', 'payments') as Any[]).filter((p) => !p.spec.nodeName);
    expect(pending).toHaveLength(1);
    expect(condition(pending[0], 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message:
        '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    });
    const failed = (state.list('Event', 'payments') as Any[]).find((e) => e.reason === 'FailedScheduling');
    expect(failed).toMatchObject({ type: 'Warning', reportingComponent: 'default-scheduler', firstTimestamp: null });
    expect(failed.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const scheduled = (state.list('Event', 'payments') as Any[]).find((e) => e.reason === 'Scheduled');
    expect(scheduled.message).toMatch(/^Successfully assigned payments\/api-\w+-\w+ to node-\d$/);
  });

  it('skips cordoned nodes and names each reason with its count', () => {
    const state = cluster(3);
    const cordoned = structuredClone(state.get('Node', undefined, 'node-1')!) as Any;
    cordoned.spec.unschedulable = true;
    state.update(cordoned);
    state.create(deployment({ replicas: 3, cpu: '3' }));
    state.advance(10_000, controllers);
    const pods = state.list('Pod', 'payments') as Any[];
    expect(pods.filter((p) => p.spec.nodeName === 'node-1')).toHaveLength(0);
    const pending = pods.find((p) => !p.spec.nodeName);
    expect(condition(pending, 'PodScheduled').message).toBe(
      '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
    expect(unschedulableMessage(0, new Map(), new Map())).toBe('no nodes available to schedule pods');
  });
});

/** Six pods spread over three nodes, then node-2 stops reporting. */
function clusterWithLostNode2(): FakeClusterState {
  const state = cluster();
  state.create(deployment({ replicas: 6 }));
  state.advance(10_000, controllers);
  const failing = structuredClone(state.get('Node', undefined, 'node-2')!) as Any;
  failing.metadata.annotations = { 'sim.inc.dev/node-behavior': 'not-ready' };
  state.update(failing);
  return state;
}

describe('nodes', () => {
  it('a node that stops reporting: Unknown conditions, taints, pods not ready, then evicted and replaced', () => {
    const state = clusterWithLostNode2();
    state.advance(10_000, controllers);
    const node2 = state.get('Node', undefined, 'node-2') as Any;
    expect(condition(node2, 'Ready')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    expect(node2.spec.taints.map((t: Any) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);
    const stranded = (state.list('Pod', 'payments') as Any[]).filter((p) => p.spec.nodeName === 'node-2');
    expect(stranded.length).toBeGreaterThan(0);
    for (const pod of stranded) expect(condition(pod, 'Ready').status).toBe('False');
    const podEvents = (state.list('Event', 'payments') as Any[]).filter((e) => e.reason === 'NodeNotReady');
    expect(podEvents.map((e) => e.involvedObject.name).sort()).toEqual(stranded.map((p) => p.metadata.name).sort());
    expect(podEvents[0].message).toBe('Node is not ready');
    expect((state.list('Event', 'default') as Any[]).some((e) => e.reason === 'NodeNotReady')).toBe(true);
    state.advance(300_000, controllers, 5_000);
    const after = state.list('Pod', 'payments') as Any[];
    for (const pod of after.filter((p) => p.spec.nodeName === 'node-2'))
      expect(pod.metadata.deletionTimestamp).toBeDefined();
    const serving = after.filter((p) => !p.metadata.deletionTimestamp && condition(p, 'Ready')?.status === 'True');
    expect(serving).toHaveLength(6);
    expect(serving.every((p) => p.spec.nodeName !== 'node-2')).toBe(true);
  });
});

describe('pod garbage collection', () => {
  it('force-deletes the pods of a deleted node after the 40 s quarantine, terminating ones included; controllers replace them', () => {
    const state = clusterWithLostNode2();
    // Past the unreachable toleration: the taint manager marked them for deletion; nothing confirms it.
    state.advance(310_000, controllers, 5_000);
    const onNode2 = () => (state.list('Pod', 'payments') as Any[]).filter((p) => p.spec.nodeName === 'node-2');
    const stranded = onNode2();
    expect(stranded.length).toBeGreaterThan(0);
    expect(stranded.every((p) => p.metadata.deletionTimestamp)).toBe(true);
    state.delete('Node', undefined, 'node-2');
    state.advance(35_000, controllers, 5_000);
    expect(onNode2().map((p) => p.metadata.uid)).toEqual(stranded.map((p) => p.metadata.uid));
    state.advance(10_000, controllers, 5_000);
    expect(onNode2()).toEqual([]);
    const serving = (state.list('Pod', 'payments') as Any[]).filter((p) => condition(p, 'Ready')?.status === 'True');
    expect(serving).toHaveLength(6);
  });
});

describe('taint-based eviction', () => {
  it("waits for the pod's unreachable toleration: 300 s by default, never for DaemonSet-style tolerations", () => {
    const pod = (tolerations: Any[]) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { tolerations },
    });
    expect(evictionDelayMs(pod([]))).toBe(0);
    expect(
      evictionDelayMs(
        pod([
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ]),
      ),
    ).toBe(300_000);
    expect(
      evictionDelayMs(pod([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }])),
    ).toBe(Number.POSITIVE_INFINITY);
    expect(evictionDelayMs(pod([{ operator: 'Exists' }]))).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('events', () => {
  it('aggregates repeats into one Event with a count, and expires events after an hour', () => {
    const state = cluster(1);
    const n = state.get('Node', undefined, 'node-1')!;
    const first = recordEvent(state, n, 'Warning', 'Rebooted', 'node rebooted', {
      component: 'kubelet',
      host: 'node-1',
    });
    state.advance(30_000, []);
    const second = recordEvent(state, n, 'Warning', 'Rebooted', 'node rebooted', {
      component: 'kubelet',
      host: 'node-1',
    });
    expect(second.metadata.name).toBe(first.metadata.name);
    expect(second).toMatchObject({
      count: 2,
      firstTimestamp: '2026-03-01T12:00:00Z',
      lastTimestamp: '2026-03-01T12:00:30Z',
    });
    expect(first.metadata.name).toMatch(/^node-1\.[0-9a-f]+$/);
    expect(second.involvedObject).toMatchObject({
      kind: 'Node',
      name: 'node-1',
      uid: n.metadata.uid,
      apiVersion: 'v1',
    });
    const other = recordEvent(state, n, 'Warning', 'Rebooted', 'node rebooted again', { component: 'kubelet' });
    expect(other.metadata.name).not.toBe(first.metadata.name);
    state.advance(EVENT_TTL_MS - 40_000, []);
    eventTtlController.reconcile(state);
    expect(state.list('Event')).toHaveLength(2);
    state.advance(120_000, []);
    eventTtlController.reconcile(state);
    expect(state.list('Event')).toHaveLength(0);
  });
});

describe('argo cd', () => {
  function argoCluster(): FakeClusterState {
    const state = cluster();
    const good = deployment() as Any;
    const bad = structuredClone(good);
    bad.spec.template.spec.containers[0].image = 'api:bad';
    state.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'payments-api-git', namespace: 'argocd' },
      data: { 'ref.HEAD': 'bbbbbbb', 'rev.aaaaaaa': JSON.stringify([good]), 'rev.bbbbbbb': JSON.stringify([bad]) },
    });
    state.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'payments-api', namespace: 'argocd' },
      spec: {
        source: { repoURL: 'https://git.example.com/deploy.git', path: 'payments', targetRevision: 'HEAD' },
        destination: { namespace: 'payments' },
        syncPolicy: { automated: { selfHeal: true } },
      },
    });
    state.advance(20_000, controllers);
    return state;
  }

  const image = (state: FakeClusterState) =>
    (state.get('Deployment', 'payments', 'api') as Any).spec.template.spec.containers[0].image as string;

  it('auto-syncs the target revision and puts a drifted deployment back (self-heal)', () => {
    const state = argoCluster();
    const app = state.get('Application', 'argocd', 'payments-api') as Any;
    expect(app.status.sync).toMatchObject({ status: 'Synced', revision: 'bbbbbbb' });
    expect(app.status.history).toHaveLength(1);
    expect(image(state)).toBe('api:bad');
    patchTemplate(state, (t) => {
      t.spec.containers[0].image = 'api:2.3.0';
    });
    state.advance(2_000, controllers);
    expect(image(state)).toBe('api:2.3.0');
    expect((state.get('Application', 'argocd', 'payments-api') as Any).status.sync.status).toBe('OutOfSync');
    state.advance(6_000, controllers);
    expect(image(state)).toBe('api:bad');
    expect((state.get('Application', 'argocd', 'payments-api') as Any).status.history).toHaveLength(2);
  });

  it('leaves the deployment alone once automated sync is removed, and runs a requested sync operation', () => {
    const state = argoCluster();
    const app = structuredClone(state.get('Application', 'argocd', 'payments-api')!) as Any;
    delete app.spec.syncPolicy.automated;
    state.update(app);
    patchTemplate(state, (t) => {
      t.spec.containers[0].image = 'api:manual';
    });
    state.advance(30_000, controllers);
    expect(image(state)).toBe('api:manual');
    const requested = structuredClone(state.get('Application', 'argocd', 'payments-api')!) as Any;
    requested.operation = { initiatedBy: { username: 'oncall' }, sync: { revision: 'aaaaaaa' } };
    state.update(requested);
    state.advance(2_000, controllers);
    const after = state.get('Application', 'argocd', 'payments-api') as Any;
    expect(image(state)).toBe('api:2.3.0');
    expect(after.operation).toBeUndefined();
    expect(after.status.operationState).toMatchObject({ phase: 'Succeeded', syncResult: { revision: 'aaaaaaa' } });
    expect(after.status.history.at(-1)).toMatchObject({
      id: 1,
      revision: 'aaaaaaa',
      initiatedBy: { username: 'oncall' },
    });
    expect(after.status.sync).toMatchObject({ status: 'OutOfSync', revision: 'bbbbbbb' });
  });
});

describe('helm release records', () => {
  it('stores each revision as helm does and supersedes the deployed one', () => {
    const state = cluster(1);
    const chart = { name: 'api', version: '1.0.0', appVersion: '2.3.0' };
    installHelmRevision(state, {
      release: 'api',
      namespace: 'payments',
      chart,
      manifests: [deployment() as SimObject],
    });
    state.advance(60_000, []);
    installHelmRevision(state, {
      release: 'api',
      namespace: 'payments',
      chart: { ...chart, version: '1.1.0' },
      manifests: [deployment({ image: 'api:2.4.0' }) as SimObject],
    });
    const v1 = state.get('Secret', 'payments', 'sh.helm.release.v1.api.v1') as Any;
    const v2 = state.get('Secret', 'payments', 'sh.helm.release.v1.api.v2') as Any;
    expect(v1.type).toBe('helm.sh/release.v1');
    expect(v1.metadata.labels).toMatchObject({ owner: 'helm', name: 'api', status: 'superseded', version: '1' });
    expect(v2.metadata.labels).toMatchObject({ status: 'deployed', version: '2' });
    const outer = Buffer.from(v2.data.release, 'base64').toString('utf8');
    expect(Buffer.from(outer, 'base64').subarray(0, 3)).toEqual(Buffer.from([0x1f, 0x8b, 0x08]));
    const release = decodeRelease(v2.data.release) as Any;
    expect(release).toMatchObject({
      name: 'api',
      version: 2,
      namespace: 'payments',
      info: { status: 'deployed', description: 'Upgrade complete' },
    });
    expect(release.info.first_deployed).toBe('2026-03-01T12:00:00.000000000Z');
    expect(release.manifest).toContain('image: api:2.4.0');
    expect((state.get('Deployment', 'payments', 'api') as Any).metadata.annotations['meta.helm.sh/release-name']).toBe(
      'api',
    );
  });
});
