import { isPlainObject, type Json } from '../patch/merge-patch.js';
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
