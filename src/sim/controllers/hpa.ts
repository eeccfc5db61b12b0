/**
 * The horizontal pod autoscaler (autoscaling/v2), every 15 s of sim time: a target scaled outside
 * [minReplicas, maxReplicas] is put back at once, as upstream does whatever the metrics say;
 * otherwise the CPU utilization of the target's pods (metrics-server's usage over the containers'
 * requests) against the target gives the desired count, with a 10% tolerance, upstream's default
 * scale-up rate (the larger of 4 pods and 100% per period) and its 5-minute scale-down window.
 */
import type { ClusterState, Controller, SimObject } from '../cluster-state.js';
import { recordEvent } from './events.js';
import { containersOf } from './resources.js';
import { type Dict, deepEqual, iso, matchesSelector, parseQuantity, scratch, setCondition } from './util.js';

export const HPA_SYNC_MS = 15_000;
const DOWNSCALE_WINDOW_MS = 300_000;
const TOLERANCE = 0.1;
const SOURCE = { component: 'horizontal-pod-autoscaler' };
const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

interface Memory {
  lastSync: Map<string, number>;
  /** Recent recommendations per HPA uid, for the scale-down stabilization window. */
  recommendations: Map<string, { at: number; replicas: number }[]>;
}
const memories = new WeakMap<ClusterState, Memory>();

interface CpuTarget {
  averageUtilization: number;
}

function cpuTarget(hpa: SimObject): CpuTarget | undefined {
  const metrics = ((hpa.spec as Dict).metrics ?? []) as Dict[];
  for (const metric of metrics) {
    const resource = metric.resource as Dict | undefined;
    const target = resource?.target as Dict | undefined;
    if (metric.type === 'Resource' && resource?.name === 'cpu' && target?.type === 'Utilization')
      return { averageUtilization: Number(target.averageUtilization ?? 80) };
  }
  return undefined;
}

/** Average CPU utilization (percent of requests) of the target's running pods with metrics, or an error. */
export function cpuUtilization(state: ClusterState, target: SimObject): { percent: number; pods: number } | string {
  const selector = (target.spec as Dict).selector;
  const pods = state
    .list('Pod', target.metadata.namespace)
    .filter((p) => matchesSelector(p.metadata.labels, selector) && (p.status as Dict | undefined)?.phase === 'Running');
  let usage = 0;
  let requests = 0;
  let counted = 0;
  for (const pod of pods) {
    const metrics = state.get('PodMetrics', pod.metadata.namespace, pod.metadata.name);
    if (!metrics) continue;
    for (const container of containersOf(pod)) {
      const request = ((container.resources as Dict | undefined)?.requests as Dict | undefined)?.cpu;
      if (request === undefined)
        return `missing request for cpu in container ${container.name} of Pod ${pod.metadata.name}`;
      requests += parseQuantity(request);
    }
    for (const c of (metrics.containers ?? []) as Dict[]) usage += parseQuantity((c.usage as Dict | undefined)?.cpu);
    counted += 1;
  }
  if (counted === 0 || requests === 0) return 'did not receive metrics for targeted pods (pods might be unready)';
  return { percent: Math.round((usage / requests) * 100), pods: counted };
}

interface Decision {
  desired: number;
  reason: string;
  limited: { reason: string; message: string } | undefined;
  metric?: { percent: number } | string;
}

function decide(state: ClusterState, hpa: SimObject, target: SimObject, current: number, memo: Memory): Decision {
  const spec = hpa.spec as Dict;
  const min = Number(spec.minReplicas ?? 1);
  const max = Number(spec.maxReplicas);
  if (current > max)
    return { desired: max, reason: 'Current number of replicas above Spec.MaxReplicas', limited: undefined };
  if (current < min)
    return { desired: min, reason: 'Current number of replicas below Spec.MinReplicas', limited: undefined };
  const goal = cpuTarget(hpa);
  const metric = goal ? cpuUtilization(state, target) : 'no cpu utilization metric in spec.metrics';
  let proposed = current;
  if (typeof metric !== 'string' && goal) {
    const ratio = metric.percent / goal.averageUtilization;
    if (Math.abs(ratio - 1) > TOLERANCE) proposed = Math.ceil(ratio * metric.pods);
  }
  // Scale down only to the highest recommendation of the window, so a dip does not shed pods.
  const now = state.now().getTime();
  const uid = hpa.metadata.uid ?? hpa.metadata.name;
  const recent = (memo.recommendations.get(uid) ?? [{ at: now, replicas: current }]).filter(
    (r) => now - r.at < DOWNSCALE_WINDOW_MS,
  );
  recent.push({ at: now, replicas: proposed });
  memo.recommendations.set(uid, recent);
  const stabilized = proposed < current ? Math.min(current, Math.max(...recent.map((r) => r.replicas))) : proposed;
  const upLimit = Math.max(current * 2, current + 4);
  const reason =
    stabilized > current ? 'cpu resource utilization (percentage of request) above target' : 'All metrics below target';
  if (stabilized > Math.min(max, upLimit)) {
    const atMax = max <= upLimit;
    return {
      desired: Math.min(max, upLimit),
      reason,
      metric,
      limited: atMax
        ? { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' }
        : {
            reason: 'ScaleUpLimit',
            message: 'the desired replica count is increasing faster than the maximum scale rate',
          },
    };
  }
  if (stabilized < min) {
    const message = 'the desired replica count is less than the minimum replica count';
    return { desired: min, reason, metric, limited: { reason: 'TooFewReplicas', message } };
  }
  return { desired: stabilized, reason, metric, limited: undefined };
}

function reconcileOne(state: ClusterState, hpa: SimObject, memo: Memory): void {
  const now = state.now();
  const at = iso(now);
  const ref = ((hpa.spec as Dict).scaleTargetRef ?? {}) as Dict;
  const previous = (hpa.status ?? {}) as Dict;
  let conditions = (previous.conditions ?? []) as Dict[];
  const condition = (type: string, value: 'True' | 'False', reason: string, message: string) => {
    conditions = setCondition(conditions, { type, status: value, reason, message }, at);
    return conditions;
  };
  const target = SCALABLE.has(String(ref.kind))
    ? state.get(String(ref.kind), hpa.metadata.namespace, String(ref.name))
    : undefined;
  const status: Dict = { ...previous, observedGeneration: hpa.metadata.generation ?? 1 };
  if (!target) {
    const message = `the HPA controller was unable to get the target's current scale: ${String(ref.kind).toLowerCase()}s "${String(ref.name)}" not found`;
    writeStatus(state, hpa, { ...status, conditions: condition('AbleToScale', 'False', 'FailedGetScale', message) });
    return;
  }
  const current = Number((target.spec as Dict).replicas ?? 1);
  status.currentReplicas = Number((target.status as Dict | undefined)?.replicas ?? 0);
  const min = Number((hpa.spec as Dict).minReplicas ?? 1);
  if (current === 0 && min !== 0) {
    status.desiredReplicas = 0;
    const message = 'scaling is disabled since the replica count of the target is zero';
    writeStatus(state, hpa, { ...status, conditions: condition('ScalingActive', 'False', 'ScalingDisabled', message) });
    return;
  }
  const decision = decide(state, hpa, target, current, memo);
  if (typeof decision.metric === 'string') {
    const message = `the HPA was unable to compute the replica count: ${decision.metric}`;
    condition('ScalingActive', 'False', 'FailedGetResourceMetric', message);
  } else if (decision.metric) {
    status.currentMetrics = [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: decision.metric.percent } } },
    ];
    const message =
      'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)';
    condition('ScalingActive', 'True', 'ValidMetricFound', message);
  }
  if (decision.metric !== undefined) {
    if (decision.limited) condition('ScalingLimited', 'True', decision.limited.reason, decision.limited.message);
    else condition('ScalingLimited', 'False', 'DesiredWithinRange', 'the desired count is within the acceptable range');
  }
  status.desiredReplicas = decision.desired;
  if (decision.desired !== current) {
    state.update({ ...target, spec: { ...(target.spec as Dict), replicas: decision.desired } });
    recordEvent(
      state,
      hpa,
      'Normal',
      'SuccessfulRescale',
      `New size: ${decision.desired}; reason: ${decision.reason}`,
      SOURCE,
    );
    status.lastScaleTime = at;
    const message = `the HPA controller was able to update the target scale to ${decision.desired}`;
    condition('AbleToScale', 'True', 'SucceededRescale', message);
  } else if (!conditions.some((c) => c.type === 'AbleToScale' && c.status === 'True')) {
    const message = 'recommended size matches current size';
    condition('AbleToScale', 'True', 'ReadyForNewScale', message);
  }
  writeStatus(state, hpa, { ...status, conditions });
}

function writeStatus(state: ClusterState, hpa: SimObject, status: Dict): void {
  if (!deepEqual(hpa.status, status)) state.update({ ...hpa, status });
}

export const hpaController: Controller = {
  name: 'horizontal-pod-autoscaler',
  reconcile(state) {
    const memo = scratch(memories, state, (): Memory => ({ lastSync: new Map(), recommendations: new Map() }));
    const now = state.now().getTime();
    for (const hpa of state.list('HorizontalPodAutoscaler')) {
      const uid = hpa.metadata.uid ?? hpa.metadata.name;
      const synced = memo.lastSync.get(uid);
      // A changed spec (a new minReplicas, say) is acted on at once, as the informer's update event does.
      const changed = (hpa.status as Dict | undefined)?.observedGeneration !== (hpa.metadata.generation ?? 1);
      if (!changed && synced !== undefined && now - synced < HPA_SYNC_MS) continue;
      memo.lastSync.set(uid, now);
      reconcileOne(state, hpa, memo);
    }
  },
};
