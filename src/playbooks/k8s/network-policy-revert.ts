import type { RawObject } from '../../kube/access.js';
import type { ProcessRunner } from '../action-types.js';
import { findManifest, type GitFileSource, showManifests } from './git-manifest.js';
import type { MutationPlan } from './mutation.js';

export interface PolicyRef {
  namespace: string;
  name: string;
}

/** A NetworkPolicy as inc records it to put it back: its labels, annotations and spec. */
export interface PolicyVersion {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  spec: Record<string, unknown>;
}

const GROUP_PATH = '/apis/networking.k8s.io/v1';

export function policiesPath(namespace: string): string {
  return `${GROUP_PATH}/namespaces/${encodeURIComponent(namespace)}/networkpolicies`;
}

export function policyPath(ref: PolicyRef): string {
  return `${policiesPath(ref.namespace)}/${encodeURIComponent(ref.name)}`;
}

const describe = (ref: PolicyRef) => `networkpolicy ${ref.namespace}/${ref.name}`;

function versionOf(object: RawObject): PolicyVersion {
  const { labels, annotations } = object.metadata;
  return {
    ...(labels ? { labels: { ...labels } } : {}),
    ...(annotations ? { annotations: { ...annotations } } : {}),
    spec: (object.spec ?? {}) as Record<string, unknown>,
  };
}

/** The NetworkPolicy's version as a git revision holds it (`git show REVISION:FILE`, no shell). */
export async function readPolicyFromGit(
  run: ProcessRunner,
  source: GitFileSource,
  ref: PolicyRef,
): Promise<PolicyVersion> {
  const manifest = findManifest(await showManifests(run, source), 'NetworkPolicy', ref);
  return versionOf(manifest);
}

/**
 * Plans deleting the policy, with its uid and resourceVersion as preconditions (a policy changed or
 * re-created since is not deleted); the inverse creates it again as it is now.
 */
export function planPolicyDelete(ref: PolicyRef, current: RawObject): MutationPlan {
  const { uid, resourceVersion } = current.metadata;
  return {
    target: { kind: 'NetworkPolicy', namespace: ref.namespace, name: ref.name },
    resourceVersion,
    before: { spec: current.spec },
    fields: ['spec'],
    summary: `delete ${describe(ref)} (the traffic it blocks flows again)`,
    request: {
      method: 'DELETE',
      path: policyPath(ref),
      body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid, resourceVersion } },
    },
    inverse: {
      action: 'networkpolicy.revert',
      with: { namespace: ref.namespace, policy: ref.name, version: versionOf(current) },
      summary: `create ${describe(ref)} again as it was before the delete`,
    },
  };
}

/**
 * Plans putting the policy back to `target`: replaced (PUT, with the resourceVersion read now) when
 * it exists, created when it is gone. The inverse puts back what is there now, or deletes it.
 */
export function planPolicyRestore(
  ref: PolicyRef,
  current: RawObject | undefined,
  target: PolicyVersion,
  source: string,
): MutationPlan {
  const base = { target: { kind: 'NetworkPolicy', namespace: ref.namespace, name: ref.name }, fields: ['spec'] };
  const metadata = {
    name: ref.name,
    namespace: ref.namespace,
    ...(target.labels ? { labels: target.labels } : {}),
    ...(target.annotations ? { annotations: target.annotations } : {}),
  };
  if (!current) {
    return {
      ...base,
      before: {},
      summary: `create ${describe(ref)} from ${source}`,
      request: {
        method: 'POST',
        path: policiesPath(ref.namespace),
        query: { fieldManager: 'inc' },
        body: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec: target.spec },
      },
      inverse: {
        action: 'networkpolicy.revert',
        with: { namespace: ref.namespace, policy: ref.name },
        summary: `delete ${describe(ref)} again`,
      },
    };
  }
  const same = JSON.stringify(current.spec ?? {}) === JSON.stringify(target.spec);
  return {
    ...base,
    resourceVersion: current.metadata.resourceVersion,
    before: { spec: current.spec },
    summary: `restore ${describe(ref)} from ${source}`,
    ...(same ? { skip: `${describe(ref)} already holds the spec of ${source}` } : {}),
    request: {
      method: 'PUT',
      path: policyPath(ref),
      query: { fieldManager: 'inc' },
      body: { ...current, metadata: { ...current.metadata, ...metadata }, spec: target.spec },
    },
    inverse: {
      action: 'networkpolicy.revert',
      with: { namespace: ref.namespace, policy: ref.name, version: versionOf(current) },
      summary: `put back the version of ${describe(ref)} replaced by the restore`,
    },
  };
}
