import type { Pod, Service } from '../k8s.js';
import { describeRef } from '../owners.js';
import { allPods } from '../snapshot.js';
import type { ObjectRef } from '../types.js';
import { type Check, type CheckContext, type DraftFinding, draft } from './check.js';

const LEADER_ELECTION = 'control-plane.alpha.kubernetes.io/leader';

export function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/** Services with a selector and no ready endpoints: traffic to them goes nowhere. */
export const servicesCheck: Check = {
  name: 'services',
  needs: ['services', 'endpoints', 'pods'],
  requires: ['services', 'endpoints'],
  run(context) {
    const findings: DraftFinding[] = [];
    for (const service of context.snapshot.services) {
      const finding = serviceFinding(service, context);
      if (finding) findings.push(finding);
    }
    return { findings };
  },
};

function serviceFinding(service: Service, context: CheckContext): DraftFinding | undefined {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0 || service.spec?.type === 'ExternalName') return undefined;
  const { namespace, name } = service.metadata;
  const endpoints = context.snapshot.endpoints.find(
    (e) => e.metadata.namespace === namespace && e.metadata.name === name,
  );
  if (endpoints?.metadata.annotations?.[LEADER_ELECTION]) return undefined;
  const ready = (endpoints?.subsets ?? []).reduce((sum, subset) => sum + (subset.addresses?.length ?? 0), 0);
  if (ready > 0) return undefined;
  const notReady = (endpoints?.subsets ?? []).flatMap((subset) => subset.notReadyAddresses ?? []);
  const pods = allPods(context.snapshot).filter(
    (pod) =>
      pod.metadata.namespace === namespace &&
      pod.status?.phase !== 'Succeeded' &&
      selectorMatches(selector, pod.metadata.labels),
  );
  const ref: ObjectRef = { kind: 'Service', namespace, name };
  const backing = backingWorkload(pods, context);
  const selectorText = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return draft({
    check: 'services',
    severity: 'critical',
    reason: 'NoReadyEndpoints',
    title: `service ${namespace}/${name} has no ready endpoints${backing ? ` (backed by ${describeRef(backing)})` : ''}`,
    workload: ref,
    objects: [ref],
    related: backing,
    evidence: [
      `selector ${selectorText} matches ${pods.length} pods${pods.length === 0 ? ' (none: check the selector and labels)' : ''}`,
      notReady.length
        ? `not ready: ${notReady
            .slice(0, 5)
            .map((a) => a.targetRef?.name ?? a.ip)
            .join(', ')}`
        : '',
    ].filter(Boolean),
    uids: [service.metadata.uid ?? '', endpoints?.metadata.uid ?? ''].filter(Boolean),
  });
}

/** The one workload behind a service's pods, when there is exactly one. */
export function backingWorkload(pods: Pod[], context: CheckContext): ObjectRef | undefined {
  const refs = new Map<string, ObjectRef>();
  for (const pod of pods) {
    const ref = context.owners.workloadOf(pod).ref;
    refs.set(`${ref.kind}/${ref.namespace}/${ref.name}`, ref);
  }
  return refs.size === 1 ? [...refs.values()][0] : undefined;
}
