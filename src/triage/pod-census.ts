import { createInterner } from './interner.js';
import type { Pod } from './k8s.js';
import { sameJson } from './same-json.js';

/**
 * Healthy pods of one shape (in practice: of one ReplicaSet, StatefulSet or DaemonSet revision),
 * folded into one group. What every member shares is held once, in `template`; what tells them apart
 * (name, uid, node, creation time, place in the list) is held per member.
 */
export interface HealthyPodGroup {
  /** The shared form: labels, owner, annotations, containers, and the status of a healthy pod. */
  template: Pod;
  names: string[];
  uids: string[];
  nodes: string[];
  created: string[];
  /** Each member's place in the API's list, so every pod can be read back in the API's order. */
  at: number[];
}

/** The healthy pods of a snapshot, folded; `Snapshot.pods` then holds only the others, in full. */
export interface HealthyPods {
  groups: HealthyPodGroup[];
  /** The place in the API's list of each pod kept in full (parallel to `Snapshot.pods`). */
  keptAt: number[];
}

/** Status fields a plainly healthy pod may carry; any other (reason, message, resize…) keeps it in full. */
const HEALTHY_STATUS_KEYS = new Set([
  'phase',
  'conditions',
  'containerStatuses',
  'qosClass',
  'hostIP',
  'hostIPs',
  'podIP',
  'podIPs',
  'startTime',
  'observedGeneration',
]);

/**
 * Running, every condition True, every container ready, started, running and never restarted, no init
 * containers, not being deleted, not a scrape target: a pod no check finds anything wrong with, whatever
 * its events say (`test/unit/triage/pod-census.test.ts` holds the checks to that).
 */
export function isPlainlyHealthy(pod: Pod): boolean {
  const status = pod.status;
  if (status?.phase !== 'Running' || pod.metadata.deletionTimestamp) return false;
  if (Object.entries(status).some(([key, value]) => value !== undefined && !HEALTHY_STATUS_KEYS.has(key))) return false;
  if (pod.spec?.initContainers?.length || pod.metadata.annotations) return false;
  const conditions = status.conditions ?? [];
  if (!conditions.some((c) => c.type === 'Ready') || conditions.some((c) => c.status !== 'True')) return false;
  const containers = status.containerStatuses ?? [];
  if (containers.length === 0 || containers.length !== (pod.spec?.containers ?? []).length) return false;
  return containers.every(
    (c) =>
      c.ready === true &&
      c.started !== false &&
      (c.restartCount ?? 0) === 0 &&
      c.state?.running !== undefined &&
      Object.keys(c.state).length === 1 &&
      Object.keys(c.lastState ?? {}).length === 0,
  );
}

/** What a healthy pod shares with its siblings: everything but its identity and its own timestamps. */
function templateOf(pod: Pod): Pod {
  const { name: _name, uid: _uid, creationTimestamp: _created, ...metadata } = pod.metadata;
  const { nodeName: _node, ...spec } = pod.spec ?? {};
  const status = pod.status ?? {};
  return {
    apiVersion: pod.apiVersion,
    kind: pod.kind,
    metadata: { ...metadata, name: '' },
    spec,
    status: {
      phase: status.phase,
      conditions: status.conditions?.map((c) => ({ type: c.type, status: c.status })),
      containerStatuses: status.containerStatuses?.map((c) => ({
        name: c.name,
        image: c.image,
        ready: c.ready,
        restartCount: c.restartCount,
        started: c.started,
        state: { running: {} },
        lastState: {},
      })),
    },
  };
}

/** Where a healthy pod's group is looked for: its namespace, controller and images (a bare pod: its name). */
function ownerKey(pod: Pod): string {
  const owner = pod.metadata.ownerReferences?.[0];
  const images = (pod.spec?.containers ?? []).map((container) => container.image).join(' ');
  return `${pod.metadata.namespace ?? ''}\u0000${owner?.uid ?? owner?.name ?? pod.metadata.name}\u0000${images}`;
}

/** A decoded pod as a page holds it until the page is whole: in full, or its identity and its group's shape. */
export type CensusEntry =
  | { kind: 'kept'; pod: Pod }
  | { kind: 'healthy'; shape: PodShape; name: string; uid: string; node: string; created: string };

/** One shape of healthy pod, made once per shape however many pods and pages share it. */
interface PodShape {
  template: Pod;
}

/**
 * Takes the pods of a list as they are decoded: plainly healthy ones are folded into groups by shape,
 * the others kept in full. Memory then grows with what is wrong, not with the cluster. A page's pods
 * are first prepared one by one (a healthy one shrinks at once to its identity), then committed
 * together once the page is whole, so a page that is read again is never counted twice.
 */
export class PodCensus {
  readonly kept: Pod[] = [];
  readonly keptAt: number[] = [];
  /** Groups in the order their first pod was committed. */
  private readonly groups = new Map<PodShape, HealthyPodGroup>();
  /** Shapes by a cheap key (owner, images) to the few that may match. */
  private readonly byOwner = new Map<string, PodShape[]>();
  /** Node names and creation times repeat across thousands of pods: one string each. */
  private readonly intern = createInterner();
  private count = 0;

  add(pod: Pod): void {
    this.commit([this.prepare(pod)]);
  }

  prepare(pod: Pod): CensusEntry {
    if (!isPlainlyHealthy(pod)) return { kind: 'kept', pod };
    const template = templateOf(pod);
    const key = ownerKey(pod);
    let candidates = this.byOwner.get(key);
    if (!candidates) {
      candidates = [];
      this.byOwner.set(key, candidates);
    }
    // Siblings share an owner and images; comparing the shapes themselves costs far less than serialising each.
    let shape = candidates.find((candidate) => sameJson(candidate.template, template));
    if (!shape) {
      shape = { template };
      candidates.push(shape);
    }
    return {
      kind: 'healthy',
      shape,
      name: pod.metadata.name,
      uid: pod.metadata.uid ?? '',
      node: this.intern(pod.spec?.nodeName ?? ''),
      created: this.intern(pod.metadata.creationTimestamp ?? ''),
    };
  }

  commit(entries: readonly CensusEntry[]): void {
    for (const entry of entries) {
      const at = this.count++;
      if (entry.kind === 'kept') {
        this.kept.push(entry.pod);
        this.keptAt.push(at);
        continue;
      }
      let group = this.groups.get(entry.shape);
      if (!group) {
        group = { template: entry.shape.template, names: [], uids: [], nodes: [], created: [], at: [] };
        this.groups.set(entry.shape, group);
      }
      group.names.push(entry.name);
      group.uids.push(entry.uid);
      group.nodes.push(entry.node);
      group.created.push(entry.created);
      group.at.push(at);
    }
  }

  /** Forgets every pod (a list restarted from its first page). */
  clear(): void {
    this.kept.length = 0;
    this.keptAt.length = 0;
    this.groups.clear();
    this.byOwner.clear();
    this.count = 0;
  }

  healthy(): HealthyPods {
    return { groups: [...this.groups.values()], keptAt: this.keptAt };
  }
}

/** One member of a group as a pod, as the checks read pods. */
export function materialize(group: HealthyPodGroup, index: number): Pod {
  const { template } = group;
  // Built field by field: no short-lived objects per pod, 50,000 times over.
  const metadata: Pod['metadata'] = { ...template.metadata, name: group.names[index] ?? '' };
  const uid = group.uids[index];
  if (uid) metadata.uid = uid;
  const created = group.created[index];
  if (created) metadata.creationTimestamp = created;
  const spec: NonNullable<Pod['spec']> = { ...template.spec };
  const node = group.nodes[index];
  if (node) spec.nodeName = node;
  return { ...template, metadata, spec };
}

/**
 * Every pod, kept and healthy, in the API's order: what the checks iterate. The healthy ones are
 * built afresh here, so they live only as long as a check holds them.
 */
export function listAllPods(kept: readonly Pod[], healthy: HealthyPods | undefined): Pod[] {
  if (!healthy || healthy.groups.length === 0) return [...kept];
  const total = kept.length + healthy.groups.reduce((sum, group) => sum + group.names.length, 0);
  const pods = new Array<Pod>(total);
  kept.forEach((pod, i) => {
    pods[healthy.keptAt[i] ?? i] = pod;
  });
  for (const group of healthy.groups) {
    for (let i = 0; i < group.names.length; i++) pods[group.at[i] ?? 0] = materialize(group, i);
  }
  return pods;
}

/** Healthy pods per shape, for the evidence: who owns them, what they run, how many, on how many nodes. */
export function summarizeHealthy(healthy: HealthyPods | undefined): Record<string, unknown>[] {
  return (healthy?.groups ?? []).map((group) => {
    const owner = group.template.metadata.ownerReferences?.[0];
    return {
      namespace: group.template.metadata.namespace,
      ...(owner ? { owner: { kind: owner.kind, name: owner.name } } : {}),
      images: (group.template.spec?.containers ?? []).map((container) => container.image),
      count: group.names.length,
      nodes: new Set(group.nodes).size,
    };
  });
}
