import type { KubeClient } from './client.js';

/** The port the domain reads and writes the cluster through; tests pass a fake with the same shape. */
export type KubeAccess = Pick<KubeClient, 'get' | 'list' | 'request'>;

/** A Kubernetes object as raw JSON: no typed model drops a field. */
export interface RawObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { uid: string; controller?: boolean; kind?: string; name?: string }[];
    [key: string]: unknown;
  };
  // Raw API JSON is read by path and checked where it is used; a typed model would drop fields.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  spec?: Record<string, any>;
  // biome-ignore lint/suspicious/noExplicitAny: see above
  status?: Record<string, any>;
  [key: string]: unknown;
}

/** Whether an error is the API server's 409 Conflict (optimistic lock). */
export function isConflict(error: unknown): boolean {
  return (error as { status?: number }).status === 409;
}

export function isNotFound(error: unknown): boolean {
  return (error as { status?: number }).status === 404;
}
