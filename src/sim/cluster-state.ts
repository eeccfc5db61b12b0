/**
 * Seam notes from the API server side (additions are backward compatible):
 * - Objects returned by `get`/`list` are the stored ones: treat them as read-only. To change one, change a
 *   copy (`structuredClone`) or the object itself and pass it to `update`; without `update` nothing is served.
 *   `update` and `create` store a snapshot, so later changes to the passed object have no effect.
 * - `update` from a controller is last-write-wins (no resourceVersion check); HTTP PUT checks it.
 * - Metrics: a controller maintains `PodMetrics` (namespaced, named after the pod) and `NodeMetrics` (named after
 *   the node) objects, apiVersion `metrics.k8s.io/v1beta1`, shaped as metrics-server serves them
 *   (`timestamp`, `window`, `containers[{name, usage}]` / `usage`). The server serves them read-only.
 * - Pod logs: a controller maintains one `PodLog` object per pod (see `SimPodLog`), same namespace and name as
 *   the pod, with an ownerReference to the pod so it is collected with it. Served at `pods/NAME/log`.
 * - Events are stored once, as core/v1 `Event` objects; events.k8s.io/v1 is a converted view of the same data.
 */
/**
 * The seam between the simulator's API server (store, HTTP routes) and its controllers
 * (deployments, pods, events, nodes, Argo CD, …). The server implements ClusterState over its
 * in-memory store; controllers only see this interface, so each side can be tested alone.
 *
 * The simulator shares no code with src/kube or the domain: it must never agree with their bugs.
 */

/** A Kubernetes object as JSON, exactly as served (no typed model drops a field). */
export interface SimObject {
  apiVersion: string;
  kind: string;
  metadata: SimObjectMeta;
  [field: string]: unknown;
}

export interface SimObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: SimOwnerReference[];
  finalizers?: string[];
  [field: string]: unknown;
}

export interface SimOwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Who wrote: `fieldManager` of the request (or its User-Agent's first word), and how. */
export interface FieldWriter {
  manager: string;
  operation?: 'Update' | 'Apply';
  subresource?: string;
  /** The group/version the request went through (default: the object's apiVersion). */
  apiVersion?: string;
  /** For an Apply: the fields of the applied configuration, which its entry then holds exactly. */
  applied?: ReadonlySet<string>;
}

/** Identifies a kind by its Kind name ("Pod", "Deployment", "Application", "PodMetrics", …). */
export type SimKind = string;

/** How a controller reads and changes the cluster. Every write notifies watchers and bumps resourceVersion. */
export interface ClusterState {
  /** The simulator's clock (accelerated). */
  now(): Date;
  list(kind: SimKind, namespace?: string): SimObject[];
  get(kind: SimKind, namespace: string | undefined, name: string): SimObject | undefined;
  /** Fills uid, resourceVersion, creationTimestamp, generation 1, a name from generateName. */
  create(object: SimObject, options?: { writer?: FieldWriter }): SimObject;
  /** Replaces the object; bumps resourceVersion, and metadata.generation when spec changed. */
  update(object: SimObject, options?: { writer?: FieldWriter }): SimObject;
  /** Deletes the object and, in the background, the objects it owns (ownerReferences by uid). */
  delete(kind: SimKind, namespace: string | undefined, name: string): void;
}

/** A controller is a step function, called on every tick of the simulator's clock and after every write. */
export interface Controller {
  readonly name: string;
  reconcile(state: ClusterState): void;
}

/** One line a container wrote, with the (simulated) time it was written. */
export interface SimLogLine {
  at: string;
  text: string;
}

/** The logs of one pod, per container: the running instance and the previous (terminated) one. */
export interface SimPodLog extends SimObject {
  apiVersion: 'sim.inc.dev/v1';
  kind: 'PodLog';
  containers: Record<string, { current?: SimLogLine[]; previous?: SimLogLine[] }>;
}
