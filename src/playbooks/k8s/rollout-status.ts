import { type Clock, pollUntil } from '../../clock.js';
import { IncError } from '../../errors.js';
import type { KubeAccess, RawObject } from '../../kube/access.js';
import { findStuckStatefulSet, type NotReadySince, RolloutStuckError } from './statefulset-stuck.js';
import { type WorkloadRef, workloadPath } from './workloads.js';

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
 * replaces no pod by itself, so the change reaches no running pod until each one is deleted.
 */
export class OnDeleteError extends IncError {
  constructor(ref: WorkloadRef, kubectlMessage: string) {
    const what = `${ref.kind.toLowerCase()} ${ref.namespace}/${ref.name}`;
    super(
      `${kubectlMessage}: ${what} has updateStrategy OnDelete, so its controller replaces no pod by itself; its running pods keep the previous template until each one is deleted`,
      {
        code: 'ROLLOUT_FAILED',
        hint: `the template is changed; delete its pods one at a time to have them recreated from it (inc run delete-pod --set namespace=${ref.namespace} --set pod=NAME), or switch it to updateStrategy RollingUpdate`,
      },
    );
  }
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
      if (object.spec?.updateStrategy?.type === 'OnDelete') throw new OnDeleteError(ref, status.error ?? '');
      if (status.error) throw new RolloutFailedError(status.error);
      if (status.message !== last) options.onStatus(status.message);
      last = status.message;
      if (status.done) return status.message;
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
