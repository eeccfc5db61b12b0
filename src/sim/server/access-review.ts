import { isPlainObject, type Json } from '../patch/merge-patch.js';
import { RESOURCES } from '../resources.js';
import { badRequest } from '../status.js';

/**
 * `kubectl auth can-i`: a SelfSubjectAccessReview answered from the same rule the 403 fault applies,
 * so "can I?" and "may I?" always agree.
 */
export function reviewAccess(body: unknown, isForbidden: IsForbidden): string {
  if (!isPlainObject(body as Json)) throw badRequest('the request body must be a JSON object');
  const review = body as {
    spec?: {
      resourceAttributes?: { resource?: string; verb?: string; subresource?: string };
      nonResourceAttributes?: unknown;
    };
  };
  const asked = review.spec?.resourceAttributes;
  const plural = asked?.resource;
  const allowed = plural === undefined || !isForbidden(plural, asked?.verb, asked?.subresource || undefined);
  return JSON.stringify({
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: {},
    spec: review.spec ?? {},
    status: { allowed },
  });
}

type IsForbidden = (plural: string, verb?: string, subresource?: string) => boolean;

const REVIEWS = { verbs: ['create'], apiGroups: ['authorization.k8s.io'] };

/** The verbs an RBAC rule grants on a resource. */
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * `kubectl auth can-i --list`: a SelfSubjectRulesReview. Everything is allowed (a cluster admin's `*.*`)
 * unless the 403 fault forbids resources or verbs; then the rules name what is still allowed, per group, as
 * RBAC can only grant. Asking about one's own access stays allowed, as the `system:basic-user` role grants.
 */
export function reviewRules(body: unknown, isForbidden: IsForbidden): string {
  if (!isPlainObject(body as Json)) throw badRequest('the request body must be a JSON object');
  const review = body as { spec?: { namespace?: string } };
  const granted = RESOURCES.filter((r) => !isForbidden(r.plural));
  // A resource with some verbs denied (`patch deployments`) gets a rule of its own, naming the others.
  const partly = granted.filter((r) =>
    [undefined, ...r.subresources].some((sub) => VERBS.some((verb) => isForbidden(r.plural, verb, sub))),
  );
  const allowed = granted.filter((r) => !partly.includes(r));
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
  for (const r of partly) {
    for (const sub of [undefined, ...r.subresources]) {
      const verbs = VERBS.filter((verb) => !isForbidden(r.plural, verb, sub));
      if (verbs.length > 0)
        resourceRules.push({ verbs, apiGroups: [r.group], resources: [sub ? `${r.plural}/${sub}` : r.plural] });
    }
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
