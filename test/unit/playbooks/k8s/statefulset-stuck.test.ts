import { describe, expect, it } from 'vitest';
import type { KubeAccess, RawObject } from '../../../../src/kube/access.js';
import {
  findStuckStatefulSet,
  type NotReadySince,
  predictStuckStatefulSet,
  RolloutStuckError,
  STUCK_NOT_READY_MS,
} from '../../../../src/playbooks/k8s/statefulset-stuck.js';

const ref = { kind: 'StatefulSet' as const, namespace: 'data', name: 'db' };

function statefulSet(spec: Record<string, unknown> = {}): RawObject {
  return {
    metadata: { name: 'db', namespace: 'data', uid: 'sts', generation: 3 },
    spec: { replicas: 3, selector: { matchLabels: { app: 'db' } }, ...spec },
    status: { observedGeneration: 3, updateRevision: 'db-good', currentRevision: 'db-good' },
  } as unknown as RawObject;
}

function pod(name: string, revision: string, ready: boolean, waiting?: string): RawObject {
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      labels: { 'controller-revision-hash': revision },
      ownerReferences: [{ controller: true, uid: 'sts' }],
    },
    status: {
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ state: waiting ? { waiting: { reason: waiting } } : { running: {} } }],
    },
  } as unknown as RawObject;
}

const fakeKube = (sts: RawObject, pods: RawObject[]): KubeAccess =>
  ({ get: async () => sts, list: async () => ({ items: pods }) }) as unknown as KubeAccess;

describe('findStuckStatefulSet (the forced rollback case)', () => {
  const pods = [pod('db-0', 'db-good', true), pod('db-1', 'db-good', true)];

  it('a crash-looping pod of an earlier revision is stuck at once', async () => {
    const stuck = await findStuckStatefulSet(
      fakeKube(statefulSet(), [...pods, pod('db-2', 'db-bad', false, 'CrashLoopBackOff')]),
      ref,
    );
    expect(stuck).toEqual({
      updateRevision: 'db-good',
      pods: [{ name: 'db-2', uid: 'uid-db-2', revision: 'db-bad', why: 'in CrashLoopBackOff' }],
    });
  });

  it('a pod of an earlier revision only not Ready is stuck once it stayed so for 45 s', async () => {
    const kube = fakeKube(statefulSet(), [...pods, pod('db-2', 'db-bad', false)]);
    const since: NotReadySince = new Map();
    expect(await findStuckStatefulSet(kube, ref, { now: 1_000, since })).toBeUndefined();
    expect(await findStuckStatefulSet(kube, ref, { now: 1_000 + STUCK_NOT_READY_MS - 1, since })).toBeUndefined();
    const stuck = await findStuckStatefulSet(kube, ref, { now: 1_000 + STUCK_NOT_READY_MS, since });
    expect(stuck?.pods[0]?.why).toBe('not Ready for 45s');
  });

  it('without watching over time (the plan of the unstick step), the Ready condition says since when a pod is not Ready', async () => {
    const notReady = (since: string) => {
      const p = pod('db-2', 'db-bad', false);
      (p.status as { conditions: unknown[] }).conditions = [
        { type: 'Ready', status: 'False', lastTransitionTime: since },
      ];
      return p;
    };
    const now = Date.parse('2026-01-01T00:01:00Z');
    const long = await findStuckStatefulSet(fakeKube(statefulSet(), [notReady('2026-01-01T00:00:00Z')]), ref, { now });
    expect(long?.pods[0]?.why).toBe('not Ready for 60s');
    const short = fakeKube(statefulSet(), [notReady('2026-01-01T00:00:30Z')]);
    expect(await findStuckStatefulSet(short, ref, { now })).toBeUndefined();
  });

  it('a pod below the partition keeps its revision by design: never stuck', async () => {
    const partitioned = statefulSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    const low = pod('db-1', 'db-bad', false, 'CrashLoopBackOff');
    expect(await findStuckStatefulSet(fakeKube(partitioned, [low]), ref)).toBeUndefined();
    const high = pod('db-2', 'db-bad', false, 'CrashLoopBackOff');
    expect((await findStuckStatefulSet(fakeKube(partitioned, [low, high]), ref))?.pods.map((p) => p.name)).toEqual([
      'db-2',
    ]);
  });

  it('nothing is stuck with Parallel pods, OnDelete, a pod of the update revision, or before the spec is observed', async () => {
    const bad = pod('db-2', 'db-bad', false, 'CrashLoopBackOff');
    expect(
      await findStuckStatefulSet(fakeKube(statefulSet({ podManagementPolicy: 'Parallel' }), [bad]), ref),
    ).toBeUndefined();
    expect(
      await findStuckStatefulSet(fakeKube(statefulSet({ updateStrategy: { type: 'OnDelete' } }), [bad]), ref),
    ).toBeUndefined();
    const fresh = pod('db-2', 'db-good', false, 'CrashLoopBackOff');
    expect(await findStuckStatefulSet(fakeKube(statefulSet(), [fresh]), ref)).toBeUndefined();
    const unobserved = statefulSet();
    (unobserved.status as { observedGeneration: number }).observedGeneration = 2;
    expect(await findStuckStatefulSet(fakeKube(unobserved, [bad]), ref)).toBeUndefined();
    expect(await findStuckStatefulSet(fakeKube(statefulSet(), [bad]), { ...ref, kind: 'Deployment' })).toBeUndefined();
  });
});

describe('predictStuckStatefulSet (a dry run: the template an earlier step plans, not applied)', () => {
  const template = (image: string) => ({ metadata: { labels: { app: 'db' } }, spec: { containers: [{ image }] } });
  const revision = (name: string, image: string) => ({
    metadata: { name, ownerReferences: [{ controller: true, uid: 'sts' }] },
    data: { spec: { template: { ...template(image), $patch: 'replace' } } },
  });
  const kube = (pods: RawObject[], sts = statefulSet()): KubeAccess =>
    ({
      get: async () => sts,
      list: async (path: string) => ({
        items: path.endsWith('/controllerrevisions') ? [revision('db-good', 'db:1'), revision('db-bad', 'db:2')] : pods,
      }),
    }) as unknown as KubeAccess;
  const crashing = pod('db-2', 'db-bad', false, 'CrashLoopBackOff');

  it('a rollback to the revision holding the template leaves the crash-looping pod of another revision stuck', async () => {
    const stuck = await predictStuckStatefulSet(kube([pod('db-0', 'db-good', true), crashing]), ref, {
      'spec.template': template('db:1'),
    });
    expect(stuck).toEqual({
      updateRevision: 'db-good',
      newRevision: false,
      pods: [{ name: 'db-2', uid: 'uid-db-2', revision: 'db-bad', why: 'in CrashLoopBackOff' }],
    });
  });

  it('a template no revision holds makes a new one; a pod already of the target revision is not stuck', async () => {
    expect(
      (await predictStuckStatefulSet(kube([crashing]), ref, { 'spec.template': template('db:3') }))?.newRevision,
    ).toBe(true);
    expect(await predictStuckStatefulSet(kube([crashing]), ref, { 'spec.template': template('db:2') })).toBeUndefined();
  });

  it('a pinned image or a restart plans only part of the template: the rest is the current one', async () => {
    const sts = statefulSet({ template: template('db:2') });
    const pinned = { 'spec.template.spec.containers': [{ image: 'db:1' }] };
    expect(await predictStuckStatefulSet(kube([crashing], sts), ref, pinned)).toMatchObject({
      updateRevision: 'db-good',
      newRevision: false,
    });
    const restarted = { 'spec.template.metadata.annotations': { 'kubectl.kubernetes.io/restartedAt': 'now' } };
    expect(await predictStuckStatefulSet(kube([crashing], sts), ref, restarted)).toMatchObject({ newRevision: true });
    expect(await predictStuckStatefulSet(kube([crashing], sts), ref, { 'spec.replicas': 4 })).toBeUndefined();
  });

  it('a pod seen between two back-offs of its crash loop (running, not Ready, restarted after a failure) counts', async () => {
    const between = pod('db-2', 'db-bad', false);
    (between.status as { containerStatuses: unknown[] }).containerStatuses = [
      { restartCount: 4, state: { running: {} }, lastState: { terminated: { exitCode: 1 } } },
    ];
    const stuck = await predictStuckStatefulSet(kube([between]), ref, { 'spec.template': template('db:1') });
    expect(stuck?.pods[0]?.why).toBe('crash-looping (restarted 4 times)');
    // The wait of a real run measures it over time instead: at once it is not stuck.
    expect(await findStuckStatefulSet(fakeKube(statefulSet(), [between]), ref)).toBeUndefined();
  });
});

describe('the stuck rollout error', () => {
  const stuckPod = (name: string) => ({ name, uid: `uid-${name}`, revision: 'db-bad', why: 'in CrashLoopBackOff' });

  it('names the pod to delete, or every one of them when several hold the rollout', () => {
    const one = new RolloutStuckError(ref, { updateRevision: 'db-good', pods: [stuckPod('db-2')] });
    expect(one.hint).toBe(
      'delete that pod so the controller recreates it from the current template: inc run delete-pod --set namespace=data --set pod=db-2',
    );
    const two = new RolloutStuckError(ref, { updateRevision: 'db-good', pods: [stuckPod('db-2'), stuckPod('db-1')] });
    expect(two.message).toContain('the controller waits for each to become Ready');
    expect(two.hint).toBe(
      'delete those pods so the controller recreates them from the current template: inc run delete-pod --set namespace=data --set pod=db-2, then the same for --set pod=db-1',
    );
  });
});
