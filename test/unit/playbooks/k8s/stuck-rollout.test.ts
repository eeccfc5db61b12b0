import { describe, expect, it } from 'vitest';
import type { KubeAccess, RawObject } from '../../../../src/kube/access.js';
import { describeStuckScale, findStuckRollout } from '../../../../src/playbooks/k8s/stuck-rollout.js';

const ref = { kind: 'Deployment' as const, namespace: 'payments', name: 'api' };

function deployment(replicas: number, extra: Record<string, unknown> = {}): RawObject {
  return {
    metadata: { name: 'api', namespace: 'payments', uid: 'dep' },
    spec: { replicas, selector: { matchLabels: { app: 'api' } }, ...extra },
    status: {},
  } as unknown as RawObject;
}

function rs(revision: number, replicas: number, hash: string): RawObject {
  return {
    metadata: {
      name: `api-${hash}`,
      labels: { 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [{ controller: true, uid: 'dep' }],
    },
    spec: { replicas },
  } as unknown as RawObject;
}

const pod = (reason: string) => ({
  metadata: { name: 'p' },
  status: { containerStatuses: [{ state: { waiting: { reason } } }] },
});

/** A fake access layer over fixed objects; pods are listed by pod-template-hash. */
function fakeKube(dep: RawObject, sets: RawObject[], podsByHash: Record<string, unknown[]> = {}): KubeAccess {
  return {
    get: async () => dep,
    list: async (path: string, options?: { labelSelector?: string }) => {
      if (path.endsWith('/replicasets')) return { items: sets };
      const hash = options?.labelSelector?.split('=')[1] ?? '';
      return { items: podsByHash[hash] ?? [] };
    },
  } as unknown as KubeAccess;
}

describe('findStuckRollout', () => {
  it('finds the newest ReplicaSet crash-looping once the sizes reflect the new count', async () => {
    const kube = fakeKube(deployment(1), [rs(1, 1, 'old'), rs(2, 1, 'new')], { new: [pod('CrashLoopBackOff')] });
    const stuck = await findStuckRollout(kube, ref);
    expect(stuck).toEqual({ reason: "revision 2's pods are in CrashLoopBackOff", sizes: 'api-new: 1, api-old: 1' });
    expect(describeStuckScale(ref, 1, stuck!)).toContain(
      'roll back: inc run rollback --set namespace=payments --set deployment=api',
    );
  });

  it('is not stuck while the controller still resizes (more pods than replicas plus surge)', async () => {
    const kube = fakeKube(deployment(1), [rs(1, 3, 'old'), rs(2, 1, 'new')], { new: [pod('CrashLoopBackOff')] });
    expect(await findStuckRollout(kube, ref)).toBeUndefined();
  });

  it('a passed progress deadline is stuck whatever the pods say; a waiting reason time cures is not', async () => {
    const deadline = deployment(2, {});
    (deadline as { status: unknown }).status = {
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    };
    const sets = [rs(1, 2, 'old'), rs(2, 1, 'new')];
    expect((await findStuckRollout(fakeKube(deadline, sets), ref))?.reason).toBe(
      'revision 2 exceeded its progress deadline',
    );
    expect(await findStuckRollout(fakeKube(deployment(2), sets, { new: [pod('ContainerCreating')] }), ref)).toBe(
      undefined,
    );
  });

  it('honours an explicit maxSurge, and is never stuck with one active ReplicaSet or for other kinds', async () => {
    const surge = deployment(4, { strategy: { rollingUpdate: { maxSurge: 0 } } });
    const sets = [rs(1, 4, 'old'), rs(2, 1, 'new')];
    expect(await findStuckRollout(fakeKube(surge, sets, { new: [pod('ImagePullBackOff')] }), ref)).toBeUndefined();
    const single = fakeKube(deployment(1), [rs(1, 0, 'old'), rs(2, 1, 'new')], { new: [pod('CrashLoopBackOff')] });
    expect(await findStuckRollout(single, ref)).toBeUndefined();
    expect(await findStuckRollout(single, { ...ref, kind: 'StatefulSet' })).toBeUndefined();
  });
});
