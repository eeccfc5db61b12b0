import { groupVersionOf, type SimResource, storageKind, storedScope } from '../resources.js';
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
  return servedJson(resource, requireObject(store, resource, namespace, name));
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

/** Each stored version's JSON as UTF-8 bytes, encoded once: a list body is then one copy of its parts. */
const encoded = new WeakMap<StoredObject, Buffer>();

function bytesOf(resource: SimResource, stored: StoredObject): Buffer {
  if (resource.group === 'events.k8s.io') return Buffer.from(servedJson(resource, stored));
  let bytes = encoded.get(stored);
  if (!bytes) {
    bytes = Buffer.from(stored.json);
    encoded.set(stored, bytes);
  }
  return bytes;
}

/** Whole-list bodies of unfiltered, unpaginated lists, reused until the kind changes. */
const listCache = new WeakMap<SimStore, Map<string, { revision: number; body: Buffer }>>();

const COMMA = Buffer.from(',');

export interface ListPage {
  entries: StoredObject[];
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
}

/** The objects a list request selects: filtered, in key order, one page of `limit` after the `continue` token. */
export function selectPage(store: SimStore, resource: SimResource, ns: string | undefined, query: ListQuery): ListPage {
  // With selectors, how many are left is unknown without filtering them all; the server omits the count.
  const unfiltered = !query.labelSelector && !query.fieldSelector;
  const predicate = compilePredicate(resource, query.labelSelector, query.fieldSelector);
  let rv = store.resourceVersion;
  let entries: readonly StoredObject[] = store.entries(storageKind(resource), ns);
  if (query.continueToken) {
    const token = decodeContinue(query.continueToken);
    if (token.rv < store.oldestResourceVersion) throw expiredContinue();
    rv = token.rv;
    const start = token.start;
    entries = entries.filter((e) => e.key >= start);
  }
  const limit = query.limit !== undefined && query.limit > 0 ? query.limit : Number.POSITIVE_INFINITY;
  const selected: StoredObject[] = [];
  const metadata: ListPage['metadata'] = { resourceVersion: String(rv) };
  for (let i = 0; i < entries.length; i += 1) {
    const entry = entries[i]!;
    if (!unfiltered && !predicate(entry.object)) continue;
    if (selected.length >= limit) {
      metadata.continue = encodeContinue(rv, entries[i - 1]!.key);
      if (unfiltered) metadata.remainingItemCount = entries.length - i;
      break;
    }
    selected.push(entry);
  }
  return { entries: selected, metadata };
}

/**
 * Serves a list: items in key order, filtered, paginated with `limit` and an opaque `continue` token
 * (410 Expired once the store compacted past it). The body is the concatenation of each object's
 * cached bytes, and a full list is reused as long as nothing of its kind changed.
 */
export function listJson(
  store: SimStore,
  resource: SimResource,
  namespace: string | undefined,
  query: ListQuery,
): Buffer {
  const { kind, ns } = storedScope(resource, namespace);
  const unfiltered = !query.labelSelector && !query.fieldSelector;
  const cacheable = unfiltered && !query.continueToken && !(query.limit && query.limit > 0);
  const cacheKey = `${resource.group}/${resource.plural}/${ns ?? ''}`;
  let cache = listCache.get(store);
  if (!cache) {
    cache = new Map();
    listCache.set(store, cache);
  }
  const cached = cache.get(cacheKey);
  if (cacheable && cached && cached.revision === store.kindRevision(kind)) return cached.body;

  const page = selectPage(store, resource, ns, query);
  const parts: Buffer[] = [];
  for (const entry of page.entries) {
    if (parts.length > 0) parts.push(COMMA);
    parts.push(bytesOf(resource, entry));
  }
  const metadata = page.metadata;
  const head = `{"kind":"${resource.kind}List","apiVersion":"${groupVersionOf(resource)}","metadata":${JSON.stringify(metadata)},"items":[`;
  const body = Buffer.concat([Buffer.from(head), ...parts, Buffer.from(']}')]);
  if (cacheable) cache.set(cacheKey, { revision: store.kindRevision(kind), body });
  return body;
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
  const { kind, ns } = storedScope(resource, namespace);
  const stored = store.entry(kind, ns, name);
  if (!stored) throw notFound(resource, name);
  return stored;
}
