import type { KubeAccess, RawObject } from '../../kube/access.js';
import type { ActionName } from '../action-with.js';

/** One write to the API server, exactly as it will be sent. */
export interface MutationRequest {
  method: 'PATCH' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  contentType?: string;
  body?: unknown;
  query?: Record<string, string>;
}

/**
 * A planned change to one object: serialisable, shown before confirmation, sent once with
 * `dryRun=All` and then for real. `fields` are the dotted paths the diff shows.
 */
export interface MutationPlan {
  target: { kind: string; namespace?: string; name: string };
  summary: string;
  resourceVersion?: string;
  /** The relevant fields before the change. */
  before: Record<string, unknown>;
  fields: string[];
  request: MutationRequest;
  /** Set when there is nothing to change (e.g. the template already matches); nothing is sent. */
  skip?: string;
  warnings?: string[];
  /** What undoes this change, for `inc undo`: one of the playbook actions. */
  inverse?: { action: ActionName; with: Record<string, unknown>; summary?: string };
  /** Why there is no inverse (shown before confirmation and recorded as not undoable). */
  irreversible?: string;
}

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

/** A PATCH that the server applies only if the object is still at `resourceVersion` (else 409). */
export function preconditionedPatch(
  patch: { path: string; contentType: string; fieldManager: string; resourceVersion: string | undefined },
  body: Record<string, unknown>,
): MutationRequest {
  return {
    method: 'PATCH',
    path: patch.path,
    contentType: patch.contentType,
    query: { fieldManager: patch.fieldManager },
    body: { metadata: { resourceVersion: patch.resourceVersion }, ...body },
  };
}

/** Sends the plan's request; `dryRun` adds dryRun=All so the server validates and answers without persisting. */
export async function sendMutation(kube: KubeAccess, request: MutationRequest, dryRun: boolean): Promise<unknown> {
  return kube.request({
    method: request.method,
    path: request.path,
    contentType: request.contentType,
    body: request.body,
    query: { ...request.query, ...(dryRun ? { dryRun: 'All' } : {}) },
  });
}

/** Picks dotted paths out of an object (missing ones are left out), for before/after views and diffs. */
export function pickFields(
  object: RawObject | Record<string, unknown> | undefined,
  fields: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    let value: unknown = object;
    for (const key of field.split('.')) {
      value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (value !== undefined) out[field] = value;
  }
  return out;
}
