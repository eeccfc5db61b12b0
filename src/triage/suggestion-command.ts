import { type ClusterFlags, clusterFlagsText, shellQuote } from '../cluster-flags.js';
import type { ObjectRef, Suggestion } from './types.js';

/** The workload kinds the built-in workload playbooks act on. */
export const PLAYBOOK_WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/**
 * How a workload playbook (rollback, restart, pin-image, scale) is told its target: a deployment by
 * `deployment=`, a StatefulSet or DaemonSet by its kind and `statefulset=` / `daemonset=`.
 */
export function workloadParams(target: ObjectRef): Record<string, string> {
  const namespace = target.namespace ?? 'default';
  if (target.kind === 'StatefulSet') return { namespace, kind: 'statefulset', statefulset: target.name };
  if (target.kind === 'DaemonSet') return { namespace, kind: 'daemonset', daemonset: target.name };
  return { namespace, deployment: target.name };
}

/**
 * The playbook suggestion with its `inc run` line, repeating `--context` (and `--as`) so it acts on
 * the same cluster as the same identity.
 */
export function suggestionCommand(
  playbook: string,
  params: Record<string, string>,
  context: { clusterFlags?: ClusterFlags },
): Suggestion {
  const sets = Object.entries(params).map(([key, value]) => `--set ${key}=${shellQuote(value)}`);
  return {
    playbook,
    params,
    command: `inc run ${playbook} ${sets.join(' ')}${clusterFlagsText(context.clusterFlags ?? {})}`,
  };
}

/**
 * The start of a kubectl line for a namespace, with `--context` when triage was given one (a fleet
 * always is), and `--as` when it impersonated: copied as printed, it acts on the cluster triage
 * read, as the identity that read it, not on kubectl's current context.
 */
export function kubectlIn(namespace: string, context: { clusterFlags?: ClusterFlags }): string {
  return `kubectl${clusterFlagsText(context.clusterFlags ?? {})} -n ${shellQuote(namespace)}`;
}
