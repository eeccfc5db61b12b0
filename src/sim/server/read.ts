import { groupVersionOf, type SimResource, storageKind } from '../resources.js';
import { EVENTS_V1_FIELDS, fieldPredicate, labelPredicate, type ObjectPredicate } from '../selectors.js';
import { badRequest, expiredContinue, notFound } from '../status.js';
import type { SimStore, StoredObject } from '../store.js';
import { servedJson } from './views.js';

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continueToken?: string;
}

/** The selectors of a request, compiled once (400 on a malformed one). */
export function compilePredicate(
  resource: SimResource,
  labelSelector?: string,
  fieldSelector?: string,
): ObjectPredicate {
  const byLabel = labelPredicate(labelSelector);
  const translate = resource.group === 'events.k8s.io' ? EVENTS_V1_FIELDS : {};
  const byField = fieldPredicate(fieldSelector, storageKind(resource), translate);
  return (object) => byLabel(object) && byField(object);
}

export function getJson(store: SimStore, resource: SimResource, namespace: string | undefined, name: string): string {
  const stored = store.entry(storageKind(resource), resource.namespaced ? namespace : undefined, name);
  if (!stored) throw notFound(resource, name);
  return servedJson(resource, stored);
}

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

function encodeContinue(rv: number, lastKey: string): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string')
      throw new Error();
    return parsed;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

/**
 * Serves a list: items in key order, filtered, paginated with `limit` and an opaque `continue` token
 * (410 Expired once the store compacted past it), built by concatenating each object's cached JSON.
 */
export function listJson(
  store: SimStore,
  resource: SimResource,
  namespace: string | undefined,
  query: ListQuery,
): string {
  const predicate = compilePredicate(resource, query.labelSelector, query.fieldSelector);
  let rv = store.resourceVersion;
  let entries: readonly StoredObject[] = store.entries(
    storageKind(resource),
    resource.namespaced ? namespace : undefined,
  );
  if (query.continueToken) {
    const token = decodeContinue(query.continueToken);
    if (token.rv < store.oldestResourceVersion) throw expiredContinue();
    rv = token.rv;
    const start = token.start;
    entries = entries.filter((e) => e.key >= start);
  }
  // With selectors, how many are left is unknown without filtering them all; the server omits the count.
  const unfiltered = !query.labelSelector && !query.fieldSelector;
  const limit = query.limit !== undefined && query.limit > 0 ? query.limit : Number.POSITIVE_INFINITY;
  const items: string[] = [];
  let next: string | undefined;
  let remaining = 0;
  for (let i = 0; i < entries.length; i += 1) {
    const entry = entries[i]!;
    if (!unfiltered && !predicate(entry.object)) continue;
    if (items.length >= limit) {
      next = encodeContinue(rv, entries[i - 1]!.key);
      remaining = unfiltered ? entries.length - i : -1;
      break;
    }
    items.push(servedJson(resource, entry));
  }
  const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
  if (next) {
    metadata.continue = next;
    if (remaining >= 0) metadata.remainingItemCount = remaining;
  }
  return `{"kind":"${resource.kind}List","apiVersion":"${groupVersionOf(resource)}","metadata":${JSON.stringify(metadata)},"items":[${items.join(',')}]}`;
}

/** A namespaced write needs its namespace to exist (as the NamespaceLifecycle admission plugin checks). */
export function requireNamespace(store: SimStore, namespace: string | undefined): void {
  if (namespace !== undefined && !store.get('Namespace', undefined, namespace)) {
    throw notFound({ group: '', plural: 'namespaces' }, namespace);
  }
}

export function requireObject(
  store: SimStore,
  resource: SimResource,
  namespace: string | undefined,
  name: string,
): StoredObject {
  const stored = store.entry(storageKind(resource), resource.namespaced ? namespace : undefined, name);
  if (!stored) throw notFound(resource, name);
  return stored;
}
