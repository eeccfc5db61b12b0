import { isPlainObject, type Json } from '../patch/merge-patch.js';
import { RESOURCES } from '../resources.js';
import { badRequest } from '../status.js';

/**
 * `kubectl auth can-i`: a SelfSubjectAccessReview answered from the same rule the 403 fault applies,
 * so "can I?" and "may I?" always agree.
 */
export function reviewAccess(body: unknown, isForbidden: (plural: string) => boolean): string {
  if (!isPlainObject(body as Json)) throw badRequest('the request body must be a JSON object');
  const review = body as { spec?: { resourceAttributes?: { resource?: string }; nonResourceAttributes?: unknown } };
  const plural = review.spec?.resourceAttributes?.resource;
  const allowed = plural === undefined || !isForbidden(plural);
  return JSON.stringify({
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: {},
    spec: review.spec ?? {},
    status: { allowed },
  });
}

const REVIEWS = { verbs: ['create'], apiGroups: ['authorization.k8s.io'] };

/**
 * `kubectl auth can-i --list`: a SelfSubjectRulesReview. Everything is allowed (a cluster admin's `*.*`)
 * unless the 403 fault forbids resources; then the rules name each resource still allowed, per group, as
 * RBAC can only grant. Asking about one's own access stays allowed, as the `system:basic-user` role grants.
 */
export function reviewRules(body: unknown, isForbidden: (plural: string) => boolean): string {
  if (!isPlainObject(body as Json)) throw badRequest('the request body must be a JSON object');
  const review = body as { spec?: { namespace?: string } };
  const allowed = RESOURCES.filter((r) => !isForbidden(r.plural));
  const resourceRules: { verbs: string[]; apiGroups: string[]; resources: string[] }[] = [];
  if (allowed.length === RESOURCES.length) {
    resourceRules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
  } else {
    const byGroup = new Map<string, string[]>();
    for (const r of allowed) {
      const plurals = byGroup.get(r.group) ?? [];
      plurals.push(r.plural, ...r.subresources.map((sub) => `${r.plural}/${sub}`));
      byGroup.set(r.group, plurals);
    }
    for (const [group, resources] of byGroup) resourceRules.push({ verbs: ['*'], apiGroups: [group], resources });
  }
  resourceRules.push({ ...REVIEWS, resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] });
  return JSON.stringify({
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: {},
    spec: review.spec ?? {},
    status: { resourceRules, nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false },
  });
}
