import type { Meta, Pod, Workload } from './k8s.js';
import { allPods, type Snapshot } from './snapshot.js';
import type { ObjectRef } from './types.js';

export interface WorkloadInfo {
  ref: ObjectRef;
  uid?: string;
  /** The object itself when it is in the snapshot (Deployment, StatefulSet, …). */
  object?: Workload;
}

/**
 * Resolves each pod to the workload people think of: Pod → ReplicaSet → Deployment, Job → CronJob,
 * StatefulSet, DaemonSet; a pod without a controller is its own workload.
 */
export class OwnerIndex {
  private readonly byUid = new Map<string, { kind: string; object: Workload }>();
  private readonly byName = new Map<string, Workload>();
  private readonly podsPerWorkload = new Map<string, number>();

  constructor(snapshot: Snapshot) {
    const add = (kind: string, list: Workload[]) => {
      for (const object of list) {
        if (object.metadata.uid) this.byUid.set(object.metadata.uid, { kind, object });
        this.byName.set(key(kind, object.metadata.namespace, object.metadata.name), object);
      }
    };
    add('ReplicaSet', snapshot.replicasets);
    add('Deployment', snapshot.deployments);
    add('StatefulSet', snapshot.statefulsets);
    add('DaemonSet', snapshot.daemonsets);
    add('Job', snapshot.jobs);
    for (const pod of allPods(snapshot)) {
      if (pod.status?.phase === 'Succeeded') continue;
      const id = refKey(this.workloadOf(pod).ref);
      this.podsPerWorkload.set(id, (this.podsPerWorkload.get(id) ?? 0) + 1);
    }
  }

  /** The workload owning a pod (or any object with ownerReferences). */
  workloadOf(pod: Pod): WorkloadInfo {
    return this.resolve(pod.metadata, 'Pod', 0);
  }

  /** Pods in the snapshot (not Succeeded) that belong to the workload. */
  podCount(ref: ObjectRef): number {
    return this.podsPerWorkload.get(refKey(ref)) ?? 0;
  }

  find(kind: string, namespace: string | undefined, name: string): Workload | undefined {
    return this.byName.get(key(kind, namespace, name));
  }

  private resolve(meta: Meta, kind: string, depth: number): WorkloadInfo {
    const owner = meta.ownerReferences?.find((ref) => ref.controller) ?? meta.ownerReferences?.[0];
    const self: WorkloadInfo = { ref: { kind, namespace: meta.namespace, name: meta.name }, uid: meta.uid };
    if (!owner || depth > 3) return self;
    const known = owner.uid ? this.byUid.get(owner.uid)?.object : undefined;
    const object = known ?? this.byName.get(key(owner.kind, meta.namespace, owner.name));
    if (owner.kind === 'ReplicaSet' || owner.kind === 'Job') {
      if (object) {
        const parent = this.resolve(object.metadata, owner.kind, depth + 1);
        return parent.ref.kind === owner.kind ? { ...parent, object } : parent;
      }
      // The ReplicaSet is not in the snapshot: its name is the deployment's plus the pod-template-hash.
      const hash = meta.labels?.['pod-template-hash'];
      if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
        const name = owner.name.slice(0, -hash.length - 1);
        return {
          ref: { kind: 'Deployment', namespace: meta.namespace, name },
          object: this.byName.get(key('Deployment', meta.namespace, name)),
        };
      }
      return { ref: { kind: owner.kind, namespace: meta.namespace, name: owner.name }, uid: owner.uid };
    }
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'].includes(owner.kind)) {
      return { ref: { kind: owner.kind, namespace: meta.namespace, name: owner.name }, uid: owner.uid, object };
    }
    return { ref: { kind: owner.kind, namespace: meta.namespace, name: owner.name }, uid: owner.uid, object };
  }
}

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

export function refKey(ref: ObjectRef): string {
  return key(ref.kind, ref.namespace, ref.name);
}

/** "deployment payments/api", "node worker-2". */
export function describeRef(ref: ObjectRef): string {
  const kind = ref.kind.toLowerCase();
  return ref.namespace ? `${kind} ${ref.namespace}/${ref.name}` : `${kind} ${ref.name}`;
}
