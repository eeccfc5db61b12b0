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

/** The playbook suggestion with its `inc run` line, repeating `--context` so it acts on the same cluster. */
export function suggestionCommand(
  playbook: string,
  params: Record<string, string>,
  context: { contextFlag?: string },
): Suggestion {
  const sets = Object.entries(params).map(([key, value]) => `--set ${key}=${shellQuote(value)}`);
  const flag = context.contextFlag ? ` --context ${shellQuote(context.contextFlag)}` : '';
  return { playbook, params, command: `inc run ${playbook} ${sets.join(' ')}${flag}` };
}

/**
 * The start of a kubectl line for a namespace, with `--context` when triage was given one (a fleet
 * always is): copied as printed, it acts on the cluster triage read, not on kubectl's current one.
 */
export function kubectlIn(namespace: string, context: { contextFlag?: string }): string {
  const flag = context.contextFlag ? ` --context ${shellQuote(context.contextFlag)}` : '';
  return `kubectl${flag} -n ${shellQuote(namespace)}`;
}

export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
