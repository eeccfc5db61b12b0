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

/** Identifies a kind by its Kind name ("Pod", "Deployment", "Application", "PodMetrics", …). */
export type SimKind = string;

/** How a controller reads and changes the cluster. Every write notifies watchers and bumps resourceVersion. */
export interface ClusterState {
  /** The simulator's clock (accelerated). */
  now(): Date;
  list(kind: SimKind, namespace?: string): SimObject[];
  get(kind: SimKind, namespace: string | undefined, name: string): SimObject | undefined;
  /** Fills uid, resourceVersion, creationTimestamp, generation 1, a name from generateName. */
  create(object: SimObject): SimObject;
  /** Replaces the object; bumps resourceVersion, and metadata.generation when spec changed. */
  update(object: SimObject): SimObject;
  /** Deletes the object and, in the background, the objects it owns (ownerReferences by uid). */
  delete(kind: SimKind, namespace: string | undefined, name: string): void;
}

/** A controller is a step function, called on every tick of the simulator's clock and after every write. */
export interface Controller {
  readonly name: string;
  reconcile(state: ClusterState): void;
}
