import { selectorToString } from '../../label-selector.js';
import { listChanges } from '../changes.js';
import { admitsNoIngress, otherAdmitting, servicesSelectedBy } from '../network-policy-reach.js';
import { describeRef } from '../owners.js';
import { formatAge } from '../time.js';
import type { ObjectRef } from '../types.js';
import { type Check, type DraftFinding, draft } from './check.js';

/**
 * NetworkPolicies created or changed in the window in namespaces where a Service lost its ready
 * endpoints, or that select the pods behind a Service: the runbooks' "traffic dropped to zero".
 */
export const networkCheck: Check = {
  name: 'network',
  needs: ['networkPolicies', 'services', 'endpoints', 'pods'],
  requires: ['networkPolicies'],
  run(context) {
    const findings: DraftFinding[] = [];
    const changes = listChanges(context.snapshot, context.now, context.sinceMs).filter(
      (change) => change.kind === 'network-policy',
    );
    for (const change of changes) {
      const namespace = change.workload.namespace;
      const policy = context.snapshot.networkPolicies.find(
        (p) => p.metadata.namespace === namespace && p.metadata.name === change.workload.name,
      );
      if (!policy) continue;
      const services = context.snapshot.services.filter(
        (s) => s.metadata.namespace === namespace && s.spec?.selector && Object.keys(s.spec.selector).length > 0,
      );
      const withoutEndpoints = services.filter((s) => {
        const endpoints = context.snapshot.endpoints.find(
          (e) => e.metadata.namespace === namespace && e.metadata.name === s.metadata.name,
        );
        return !(endpoints?.subsets ?? []).some((subset) => (subset.addresses?.length ?? 0) > 0);
      });
      const selected = servicesSelectedBy(context.snapshot, policy);
      if (withoutEndpoints.length === 0 && selected.length === 0) continue;
      const ref: ObjectRef = change.workload;
      const names = (list: typeof services) => list.map((s) => s.metadata.name).join(', ');
      // Selecting a Service's pods and admitting nothing cuts the Service off: every request is dropped,
      // unless another policy selecting those pods admits ingress (policies add up, none takes away).
      const admittedBy = admitsNoIngress(policy) ? otherAdmitting(context.snapshot, policy, selected) : [];
      const deniesAll = selected.length > 0 && admitsNoIngress(policy) && admittedBy.length === 0;
      findings.push(
        draft({
          check: 'network',
          severity: deniesAll ? 'critical' : 'warning',
          reason: 'NetworkPolicyChanged',
          title: `${describeRef(ref)} ${change.description === 'NetworkPolicy created' ? 'created' : 'changed'} ${formatAge(context.now - change.atMs)} ago${selected.length ? `; it selects pods behind service ${names(selected)}` : ''}`,
          workload: ref,
          objects: [ref],
          since: new Date(change.atMs).toISOString(),
          firstFailureMs: change.atMs,
          evidence: [
            `podSelector ${
              selectorToString(policy.spec?.podSelector) || '{} (every pod in the namespace)'
            }; policyTypes ${(policy.spec?.policyTypes ?? ['Ingress']).join(',')}`,
            deniesAll ? `it admits no ingress: requests to service ${names(selected)} are dropped` : '',
            admittedBy.length
              ? `it admits no ingress itself, but networkpolicy ${admittedBy.join(', ')} selects the same pods with ingress rules, and policies add up: what reaches them is what those rules admit, so reverting this one alone changes nothing`
              : '',
            withoutEndpoints.length
              ? `services without ready endpoints in ${namespace}: ${names(withoutEndpoints)}`
              : '',
          ].filter(Boolean),
          uids: [policy.metadata.uid ?? ''].filter(Boolean),
        }),
      );
    }
    return { findings };
  },
};
