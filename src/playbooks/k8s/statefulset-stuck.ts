import { IncError } from '../../errors.js';
import type { KubeAccess, RawObject } from '../../kube/access.js';
import { equalIgnoreHash, listOwnedControllerRevisions } from './rollout-history.js';
import { STUCK_REASONS } from './stuck-rollout.js';
import {
  cloneJson,
  describeWorkload,
  getWorkload,
  isControlledBy,
  selectorToString,
  type WorkloadRef,
} from './workloads.js';

/** A StatefulSet pod carries the name of its revision here. */
const REVISION_LABEL = 'controller-revision-hash';
/** A pod of another revision that stays not Ready this long will not become Ready by waiting. */
export const STUCK_NOT_READY_MS = 45_000;

export interface StuckPod {
  name: string;
  uid?: string;
  revision: string;
  /** "in CrashLoopBackOff", "not Ready for 45s". */
  why: string;
}

export interface StuckStatefulSet {
  updateRevision: string;
  pods: StuckPod[];
}

/** When each pod of another revision was first seen not Ready, by uid: what the wait measures "never" by. */
export type NotReadySince = Map<string, number>;

const isReady = (pod: RawObject) =>
  ((pod.status?.conditions ?? []) as { type: string; status: string }[]).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

/**
 * A container that keeps failing, seen between two back-offs (briefly running, or just exited):
 * a crash-looping pod is not in CrashLoopBackOff at every instant.
 */
function crashLooping(pod: RawObject): string | undefined {
  type Exit = { terminated?: { exitCode?: number } };
  const statuses = (pod.status?.containerStatuses ?? []) as { restartCount?: number; state?: Exit; lastState?: Exit }[];
  const failing = statuses.find(
    (s) =>
      (s.restartCount ?? 0) > 0 &&
      ((s.state?.terminated?.exitCode ?? 0) !== 0 || (s.lastState?.terminated?.exitCode ?? 0) !== 0),
  );
  return failing ? `crash-looping (restarted ${failing.restartCount} times)` : undefined;
}

/** When the pod's Ready condition last turned False, as the kubelet reports it. */
function notReadySince(pod: RawObject): number | undefined {
  const conditions = (pod.status?.conditions ?? []) as { type: string; status: string; lastTransitionTime?: string }[];
  const ready = conditions.find((c) => c.type === 'Ready' && c.status !== 'True');
  const at = ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : Number.NaN;
  return Number.isNaN(at) ? undefined : at;
}

function waitingReason(pod: RawObject): string | undefined {
  const statuses = (pod.status?.containerStatuses ?? []) as { state?: { waiting?: { reason?: string } } }[];
  return statuses.map((s) => s.state?.waiting?.reason).find((reason) => reason && STUCK_REASONS.has(reason));
}

/** Whether the StatefulSet's controller replaces its pods one at a time, each waiting on the last (OrderedReady, RollingUpdate). */
function rollsOrderedReady(sts: RawObject): boolean {
  const spec = sts.spec ?? {};
  return spec.podManagementPolicy !== 'Parallel' && (spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/**
 * Upstream's "forced rollback" case: with `podManagementPolicy: OrderedReady` and a RollingUpdate,
 * the StatefulSet controller replaces nothing while a pod is not Running and Ready, so a pod of an
 * earlier (bad) revision that never becomes Ready blocks the rollout for ever, even once the template
 * is good again. Such pods are stuck when they wait for a reason time does not cure, or have stayed
 * not Ready for STUCK_NOT_READY_MS (measured with `since` across calls, when given).
 */
export async function findStuckStatefulSet(
  kube: KubeAccess,
  ref: WorkloadRef,
  options: { now?: number; since?: NotReadySince } = {},
): Promise<StuckStatefulSet | undefined> {
  if (ref.kind !== 'StatefulSet') return undefined;
  const sts = await getWorkload(kube, ref);
  const updateRevision = sts.status?.updateRevision as string | undefined;
  if (!rollsOrderedReady(sts)) return undefined;
  if (!updateRevision || (sts.status?.observedGeneration ?? 0) < (sts.metadata.generation ?? 0)) return undefined;
  const pods = await stuckPods(kube, sts, updateRevision, options);
  return pods.length > 0 ? { updateRevision, pods } : undefined;
}

/**
 * The pods that would block the rollout once the fields an earlier step of a dry run plans (not
 * applied) are set: `spec.template` of a rollback, its annotations of a restart, its containers of
 * a pinned image. Those of another revision that wait for a reason time does not cure are stuck.
 * The revision is the ControllerRevision that holds the template (a rollback's), or a new one.
 */
export async function predictStuckStatefulSet(
  kube: KubeAccess,
  ref: WorkloadRef,
  planned: Record<string, unknown>,
  now?: number,
): Promise<(StuckStatefulSet & { newRevision: boolean }) | undefined> {
  if (ref.kind !== 'StatefulSet') return undefined;
  const sts = await getWorkload(kube, ref);
  const template = plannedTemplate(sts, planned);
  if (template === undefined || !rollsOrderedReady(sts)) return undefined;
  const revisions = await listOwnedControllerRevisions(kube, sts);
  const stored = (cr: RawObject) => {
    const { $patch: _replace, ...kept } = ((cr.data as RawObject | undefined)?.spec?.template ?? {}) as Record<
      string,
      unknown
    >;
    return kept;
  };
  const target = revisions.find((cr) => equalIgnoreHash(stored(cr), template));
  const updateRevision = target?.metadata.name ?? '';
  // Nothing is watched over time in a dry run: a pod restarting after crashes counts at once.
  const pods = await stuckPods(kube, sts, updateRevision, { now, crashLoops: true });
  return pods.length > 0 ? { updateRevision, pods, newRevision: !target } : undefined;
}

/** The StatefulSet's template with the planned `spec.template…` fields set; undefined when none is planned. */
function plannedTemplate(sts: RawObject, planned: Record<string, unknown>): unknown {
  const fields = Object.entries(planned).filter(
    ([path]) => path === 'spec.template' || path.startsWith('spec.template.'),
  );
  if (fields.length === 0) return undefined;
  const root = cloneJson({ spec: { template: sts.spec?.template ?? {} } }) as Record<string, unknown>;
  for (const [path, value] of fields) {
    const keys = path.split('.');
    const last = keys.pop() ?? '';
    let at = root;
    for (const key of keys) {
      if (!at[key] || typeof at[key] !== 'object') at[key] = {};
      at = at[key] as Record<string, unknown>;
    }
    at[last] = cloneJson(value);
  }
  return (root.spec as { template: unknown }).template;
}

/** The StatefulSet's pods of another revision than `updateRevision` that are not Ready and will not become so. */
async function stuckPods(
  kube: KubeAccess,
  sts: RawObject,
  updateRevision: string,
  options: { now?: number; since?: NotReadySince; crashLoops?: boolean },
): Promise<StuckPod[]> {
  const namespace = sts.metadata.namespace ?? 'default';
  const { items } = await kube.list<RawObject>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, {
    labelSelector: selectorToString(sts.spec?.selector),
  });
  const pods: StuckPod[] = [];
  // Pods below the partition keep their revision by design: the rollout never waits on them.
  const partition = Number(sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0);
  const belowPartition = (pod: RawObject) => Number(/-(\d+)$/.exec(pod.metadata.name)?.[1] ?? partition) < partition;
  for (const pod of items) {
    const revision = pod.metadata.labels?.[REVISION_LABEL] ?? '';
    if (!isControlledBy(pod, sts) || revision === updateRevision || pod.metadata.deletionTimestamp || isReady(pod))
      continue;
    if (belowPartition(pod)) continue;
    const waiting = waitingReason(pod);
    const reason = waiting ? `in ${waiting}` : options.crashLoops ? crashLooping(pod) : undefined;
    const key = pod.metadata.uid ?? pod.metadata.name;
    const now = options.now ?? 0;
    const first = options.since?.get(key) ?? now;
    options.since?.set(key, first);
    // Not watched over time (a plan): the Ready condition says since when the pod is not Ready.
    const since = options.since ? first : options.now === undefined ? undefined : notReadySince(pod);
    const why = reason
      ? reason
      : since !== undefined && now - since >= STUCK_NOT_READY_MS
        ? `not Ready for ${Math.round((now - since) / 1000)}s`
        : undefined;
    if (why) pods.push({ name: pod.metadata.name, uid: pod.metadata.uid, revision, why });
  }
  return pods.sort((a, b) => a.name.localeCompare(b.name));
}

/** What the wait says when the StatefulSet's rollout can never finish by itself. */
export class RolloutStuckError extends IncError {
  constructor(ref: WorkloadRef, stuck: StuckStatefulSet) {
    const pods = stuck.pods.map((p) => `pod ${p.name} (revision ${p.revision}) is ${p.why}`).join('; ');
    const [first = '', ...rest] = stuck.pods.map((p) => p.name);
    // Each broken pod of the earlier revision holds the rollout in turn: every one of them is to go.
    const then = rest.length ? `, then the same for ${rest.map((name) => `--set pod=${name}`).join(', ')}` : '';
    super(
      `${describeWorkload(ref)} is stuck: ${pods}, not of revision ${stuck.updateRevision} being rolled out; with podManagementPolicy OrderedReady the controller waits for ${rest.length ? 'each' : 'it'} to become Ready before replacing it, and it never will (the forced rollback case)`,
      {
        code: 'ROLLOUT_STUCK',
        hint: `delete ${rest.length ? 'those pods' : 'that pod'} so the controller recreates ${rest.length ? 'them' : 'it'} from the current template: inc run delete-pod --set namespace=${ref.namespace} --set pod=${first}${then}`,
      },
    );
  }
}
