import { type Clock, pollUntil } from '../../clock.js';
import { IncError } from '../../errors.js';
import type { KubeAccess, RawObject } from '../../kube/access.js';
import { listOwnedControllerRevisions } from './rollout-history.js';
import { findStuckStatefulSet, type NotReadySince, RolloutStuckError } from './statefulset-stuck.js';
import { isControlledBy, selectorToString, type WorkloadRef, workloadPath } from './workloads.js';

export type RolloutStatus = { done: boolean; message: string; error?: string };

const n = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** kubectl's rollout status for one observation of a Deployment, StatefulSet or DaemonSet (reference §2.4). */
export function evaluateRolloutStatus(kind: WorkloadRef['kind'], object: RawObject): RolloutStatus {
  if (kind === 'Deployment') return deploymentRolloutStatus(object);
  if (object.spec?.updateStrategy?.type !== 'RollingUpdate') {
    return { done: true, message: '', error: 'rollout status is only available for RollingUpdate strategy type' };
  }
  return kind === 'DaemonSet' ? daemonSetRolloutStatus(object) : statefulSetRolloutStatus(object);
}

function deploymentRolloutStatus(object: RawObject): RolloutStatus {
  const name = object.metadata.name;
  const spec = object.spec ?? {};
  const status = object.status ?? {};
  if (n(object.metadata.generation) > n(status.observedGeneration))
    return { done: false, message: 'Waiting for deployment spec update to be observed...' };
  const progressing = (status.conditions ?? []).find((c: { type?: string }) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { done: true, message: '', error: `deployment "${name}" exceeded its progress deadline` };
  }
  const prefix = `Waiting for deployment "${name}" rollout to finish:`;
  if (spec.replicas !== undefined && spec.replicas !== null && n(status.updatedReplicas) < n(spec.replicas)) {
    return {
      done: false,
      message: `${prefix} ${n(status.updatedReplicas)} out of ${n(spec.replicas)} new replicas have been updated...`,
    };
  }
  if (n(status.replicas) > n(status.updatedReplicas)) {
    return {
      done: false,
      message: `${prefix} ${n(status.replicas) - n(status.updatedReplicas)} old replicas are pending termination...`,
    };
  }
  if (n(status.availableReplicas) < n(status.updatedReplicas)) {
    return {
      done: false,
      message: `${prefix} ${n(status.availableReplicas)} of ${n(status.updatedReplicas)} updated replicas are available...`,
    };
  }
  return { done: true, message: `deployment "${name}" successfully rolled out` };
}

function daemonSetRolloutStatus(object: RawObject): RolloutStatus {
  const name = object.metadata.name;
  const status = object.status ?? {};
  if (n(object.metadata.generation) > n(status.observedGeneration))
    return { done: false, message: 'Waiting for daemon set spec update to be observed...' };
  const prefix = `Waiting for daemon set "${name}" rollout to finish:`;
  if (n(status.updatedNumberScheduled) < n(status.desiredNumberScheduled)) {
    return {
      done: false,
      message: `${prefix} ${n(status.updatedNumberScheduled)} out of ${n(status.desiredNumberScheduled)} new pods have been updated...`,
    };
  }
  if (n(status.numberAvailable) < n(status.desiredNumberScheduled)) {
    return {
      done: false,
      message: `${prefix} ${n(status.numberAvailable)} of ${n(status.desiredNumberScheduled)} updated pods are available...`,
    };
  }
  return { done: true, message: `daemon set "${name}" successfully rolled out` };
}

function statefulSetRolloutStatus(object: RawObject): RolloutStatus {
  const spec = object.spec ?? {};
  const status = object.status ?? {};
  if (n(status.observedGeneration) === 0 || n(object.metadata.generation) > n(status.observedGeneration)) {
    return { done: false, message: 'Waiting for statefulset spec update to be observed...' };
  }
  if (spec.replicas !== undefined && n(status.readyReplicas) < n(spec.replicas)) {
    return { done: false, message: `Waiting for ${n(spec.replicas) - n(status.readyReplicas)} pods to be ready...` };
  }
  const rolling = spec.updateStrategy?.rollingUpdate;
  if (rolling) {
    if (
      spec.replicas !== undefined &&
      rolling.partition !== undefined &&
      n(status.updatedReplicas) < n(spec.replicas) - n(rolling.partition)
    ) {
      return {
        done: false,
        message: `Waiting for partitioned roll out to finish: ${n(status.updatedReplicas)} out of ${n(spec.replicas) - n(rolling.partition)} new pods have been updated...`,
      };
    }
    return {
      done: true,
      message: `partitioned roll out complete: ${n(status.updatedReplicas)} new pods have been updated...`,
    };
  }
  if (status.updateRevision !== status.currentRevision) {
    return {
      done: false,
      message: `waiting for statefulset rolling update to complete ${n(status.updatedReplicas)} pods at revision ${status.updateRevision}...`,
    };
  }
  return {
    done: true,
    message: `statefulset rolling update complete ${n(status.currentReplicas)} pods at revision ${status.currentRevision}...`,
  };
}

export class RolloutTimeoutError extends IncError {
  constructor(what: string, last: string, timeoutMs: number) {
    super(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for the rollout of ${what}; last status: ${last}`, {
      code: 'ROLLOUT_TIMEOUT',
      hint: 'look at the pods (inc triage) before deciding the next step; nothing was undone automatically',
    });
  }
}

export class RolloutFailedError extends IncError {
  constructor(message: string) {
    super(message, { code: 'ROLLOUT_FAILED', hint: 'run inc triage to see why the new pods do not become available' });
  }
}

/**
 * kubectl's answer for a workload updated OnDelete says only that it cannot tell: the controller
 * replaces no pod by itself, so the change reaches a running pod only once it is deleted. `outdated`:
 * the pods not of the current template (its newest ControllerRevision), each named to delete.
 */
export class OnDeleteError extends IncError {
  constructor(ref: WorkloadRef, kubectlMessage: string, outdated: readonly string[]) {
    const what = `${ref.kind.toLowerCase()} ${ref.namespace}/${ref.name}`;
    const [first, ...rest] = outdated;
    const then = rest.length ? `, then the same for ${rest.join(', ')}` : '';
    super(
      `${kubectlMessage}: ${what} has updateStrategy OnDelete, so its controller replaces no pod by itself; ${outdated.length} of its pods ${outdated.length === 1 ? 'keeps' : 'keep'} the previous template until each one is deleted (${outdated.join(', ')})`,
      {
        code: 'ROLLOUT_FAILED',
        hint: `the template is changed; delete those pods one at a time to have them recreated from it (inc run delete-pod --set namespace=${ref.namespace} --set pod=${first}${then}), or switch it to updateStrategy RollingUpdate`,
      },
    );
  }
}

/** A pod's revision label: the ControllerRevision's name (a StatefulSet's pods) or its hash (a DaemonSet's). */
const REVISION_LABEL = 'controller-revision-hash';

/** The pods of a StatefulSet or DaemonSet that do not run its current template (its newest ControllerRevision). */
async function podsOnOldTemplate(kube: KubeAccess, object: RawObject): Promise<string[]> {
  const revisions = await listOwnedControllerRevisions(kube, object);
  const newest = revisions.sort((a, b) => n(b.revision) - n(a.revision))[0];
  if (!newest) return [];
  const current = new Set([newest.metadata.name, newest.metadata.labels?.[REVISION_LABEL]]);
  const namespace = encodeURIComponent(object.metadata.namespace ?? 'default');
  const { items } = await kube.list<RawObject>(`/api/v1/namespaces/${namespace}/pods`, {
    labelSelector: selectorToString(object.spec?.selector),
  });
  return items
    .filter((pod) => isControlledBy(pod, object) && !pod.metadata.deletionTimestamp)
    .filter((pod) => !current.has(pod.metadata.labels?.[REVISION_LABEL]))
    .map((pod) => pod.metadata.name)
    .sort();
}

/**
 * A workload updated OnDelete, once its controller observed the change: done when every pod runs the
 * current template and is ready; OnDeleteError naming the pods left on the previous one; undefined
 * while the pods of the current template are not all ready yet, or before the change is observed.
 */
async function onDeleteStatus(
  kube: KubeAccess,
  ref: WorkloadRef,
  object: RawObject,
  kubectlMessage: string,
): Promise<RolloutStatus> {
  if (n(object.metadata.generation) > n(object.status?.observedGeneration))
    return { done: false, message: `Waiting for ${ref.kind.toLowerCase()} spec update to be observed...` };
  const outdated = await podsOnOldTemplate(kube, object);
  if (outdated.length > 0) throw new OnDeleteError(ref, kubectlMessage, outdated);
  const status = object.status ?? {};
  const [ready, desired] =
    ref.kind === 'DaemonSet'
      ? [n(status.numberReady), n(status.desiredNumberScheduled)]
      : [n(status.readyReplicas), n(object.spec?.replicas ?? 1)];
  if (ready < desired)
    return { done: false, message: `Waiting for ${desired - ready} pods of the current template to be ready...` };
  return {
    done: true,
    message: `${ref.kind.toLowerCase()} ${ref.namespace}/${ref.name} has updateStrategy OnDelete, and all ${desired} of its pods run its current template and are ready`,
  };
}

export interface WaitRolloutOptions {
  clock: Clock;
  timeoutMs: number;
  signal: AbortSignal;
  onStatus: (message: string) => void;
  pollMs?: number;
}

/**
 * Polls the workload until kubectl would call the rollout done, reporting each new status line;
 * bounded by timeoutMs. A StatefulSet waiting for ever on a pod of an earlier revision (the forced
 * rollback case) ends the wait with RolloutStuckError, within a minute, instead of at the timeout.
 */
export async function waitForRollout(kube: KubeAccess, ref: WorkloadRef, options: WaitRolloutOptions): Promise<string> {
  let last = '';
  const since: NotReadySince = new Map();
  const done = await pollUntil(
    options.clock,
    options.signal,
    options.timeoutMs,
    async () => {
      const object = await kube.get<RawObject>(workloadPath(ref));
      const status = evaluateRolloutStatus(ref.kind, object);
      const onDelete = object.spec?.updateStrategy?.type === 'OnDelete';
      const current = onDelete ? await onDeleteStatus(kube, ref, object, status.error ?? '') : status;
      if (current.error) throw new RolloutFailedError(current.error);
      if (current.message !== last) options.onStatus(current.message);
      last = current.message;
      if (current.done) return current.message;
      if (onDelete) return undefined;
      const stuck = await findStuckStatefulSet(kube, ref, { now: options.clock.now().getTime(), since });
      if (stuck) throw new RolloutStuckError(ref, stuck);
      return undefined;
    },
    options.pollMs,
  );
  if (done === undefined)
    throw new RolloutTimeoutError(`${ref.kind.toLowerCase()} ${ref.namespace}/${ref.name}`, last, options.timeoutMs);
  return done;
}
