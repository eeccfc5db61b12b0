import type { CheckContext } from '../checks/check.js';
import { selectorMatches } from '../checks/services.js';
import type { Pod } from '../k8s.js';
import { refKey } from '../owners.js';
import { allPods } from '../snapshot.js';
import type { ObjectRef } from '../types.js';
import { alertTarget } from './alert.js';

/**
 * The workload an alert is about, as triage names workloads: its labels' target, with a pod
 * resolved to its owner, a service to the one workload behind it and a container name to the one
 * workload whose pods run it. undefined when the labels name nothing, or nothing certain.
 */
export function linkWorkload(
  labels: Readonly<Record<string, string>>,
  context: Pick<CheckContext, 'snapshot' | 'owners'>,
): ObjectRef | undefined {
  const target = alertTarget(labels);
  if (!target) return undefined;
  const inNamespace = (pod: Pod) => pod.metadata.namespace === target.namespace;
  switch (target.kind) {
    case 'Pod': {
      const pod = allPods(context.snapshot).find((p) => inNamespace(p) && p.metadata.name === target.name);
      return pod ? context.owners.workloadOf(pod).ref : target;
    }
    case 'Service': {
      const service = context.snapshot.services.find(
        (s) => s.metadata.namespace === target.namespace && s.metadata.name === target.name,
      );
      const selector = service?.spec?.selector;
      if (!selector || Object.keys(selector).length === 0) return target;
      const pods = allPods(context.snapshot).filter(
        (p) => inNamespace(p) && selectorMatches(selector, p.metadata.labels),
      );
      return onlyWorkload(pods, context) ?? target;
    }
    case 'Container': {
      const pods = allPods(context.snapshot).filter(
        (p) => inNamespace(p) && (p.spec?.containers ?? []).some((c) => c.name === target.name),
      );
      return onlyWorkload(pods, context);
    }
    default:
      return target;
  }
}

function onlyWorkload(pods: readonly Pod[], context: Pick<CheckContext, 'owners'>): ObjectRef | undefined {
  const refs = new Map(pods.map((pod) => context.owners.workloadOf(pod).ref).map((ref) => [refKey(ref), ref]));
  return refs.size === 1 ? [...refs.values()][0] : undefined;
}
