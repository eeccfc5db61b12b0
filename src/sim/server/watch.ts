import type { ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import { groupVersionOf, type SimResource, storedScope } from '../resources.js';
import { ApiStatusError } from '../status.js';
import type { SimStore, StoredObject, StoreEvent } from '../store.js';
import { baseHeaders } from './http.js';
import { compilePredicate } from './read.js';
import { renderTable } from './table.js';
import { servedJson } from './views.js';

export interface WatchQuery {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
}

export interface WatchOptions {
  /** Real milliseconds between BOOKMARK events when the client allows them (default 1000). */
  bookmarkIntervalMs?: number;
  /** Send each object as a one-row Table (kubectl get -w), with this `includeObject`. */
  table?: string;
}

/** The open watches, so stopping the server can end them all. */
export type WatchRegistry = Set<() => void>;

/**
 * Streams changes as newline-delimited JSON `{"type","object"}` events over a chunked response:
 * the current state first (ADDED) when no resourceVersion is given, else the changes after it
 * (an ERROR event with 410 Expired when they were compacted away), then every change live.
 * Objects that start or stop matching the selectors arrive as ADDED / DELETED, as the server sends them.
 */
export function serveWatch(
  res: ServerResponse,
  deps: { store: SimStore; clock: Clock; watches: WatchRegistry },
  resource: SimResource,
  namespace: string | undefined,
  query: WatchQuery,
  options: WatchOptions = {},
): void {
  const scope = watchScope(deps.store, resource, namespace, query);
  const stream = openStream(res, deps, resource, options);
  const deliver = (event: StoreEvent) => {
    const change = scope.classify(event);
    if (change !== undefined) stream.write(change, stream.render(event.stored));
  };
  if (!sendStart(deps.store, resource, scope, stream, query, deliver)) {
    res.end();
    return;
  }
  keepWatching(res, deps, stream, deliver, query, options);
}

/** Which stored objects a watch covers, and which of them the client currently sees as matching. */
interface WatchScope {
  kind: string;
  ns: string | undefined;
  matching: Set<string>;
  /** Marks what the client saw at a replay's starting version. */
  seenAt: (replay: readonly StoreEvent[]) => void;
  /** The event type the client gets for a change, if any; objects entering or leaving the selectors become ADDED / DELETED. */
  classify: (event: StoreEvent) => string | undefined;
}

function watchScope(
  store: SimStore,
  resource: SimResource,
  namespace: string | undefined,
  query: WatchQuery,
): WatchScope {
  const { kind, ns } = storedScope(resource, namespace);
  const predicate = compilePredicate(resource, query.labelSelector, query.fieldSelector);
  const inScope = (stored: StoredObject) =>
    stored.kind === kind && (ns === undefined || stored.key.startsWith(`${ns}/`));
  const matching = new Set<string>();
  for (const entry of store.entries(kind, ns)) if (predicate(entry.object)) matching.add(entry.key);
  // Which objects the client saw at a replay's starting version: unchanged ones as now; changed ones by
  // their first later change (created after it → not seen; modified or deleted → seen if it matched).
  const seenAt = (replay: readonly StoreEvent[]) => {
    const first = new Set<string>();
    for (const { type, stored } of replay) {
      if (!inScope(stored) || first.has(stored.key)) continue;
      first.add(stored.key);
      if (type !== 'ADDED' && predicate(stored.object)) matching.add(stored.key);
      else matching.delete(stored.key);
    }
  };
  const classify = (event: StoreEvent): string | undefined => {
    const { stored } = event;
    if (!inScope(stored)) return undefined;
    const was = matching.has(stored.key);
    const now = event.type !== 'DELETED' && predicate(stored.object);
    if (now) matching.add(stored.key);
    else matching.delete(stored.key);
    if (event.type === 'DELETED') return was ? 'DELETED' : undefined;
    if (now) return was ? 'MODIFIED' : 'ADDED';
    return was ? 'DELETED' : undefined;
  };
  return { kind, ns, matching, seenAt, classify };
}

interface WatchStream {
  render: (stored: StoredObject) => string;
  write: (type: string, json: string) => void;
  bookmark: (annotations?: Record<string, string>) => void;
}

/** Starts the chunked answer; events are objects as served, or one-row Tables for kubectl get -w. */
function openStream(
  res: ServerResponse,
  deps: { store: SimStore; clock: Clock },
  resource: SimResource,
  options: WatchOptions,
): WatchStream {
  const { store, clock } = deps;
  const render = (stored: StoredObject): string =>
    options.table === undefined
      ? servedJson(resource, stored)
      : renderTable(
          resource,
          [stored.object],
          { resourceVersion: stored.object.metadata.resourceVersion },
          clock.now().getTime(),
          options.table,
        );
  res.writeHead(200, { ...baseHeaders(clock), 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const write = (type: string, json: string) => {
    if (!res.destroyed) res.write(`{"type":"${type}","object":${json}}\n`);
  };
  const bookmark = (annotations?: Record<string, string>) => {
    const metadata = { resourceVersion: String(store.resourceVersion), ...(annotations ? { annotations } : {}) };
    write('BOOKMARK', JSON.stringify({ kind: resource.kind, apiVersion: groupVersionOf(resource), metadata }));
  };
  return { render, write, bookmark };
}

/**
 * Sends the start of the stream: the current state (ADDED) without a resourceVersion, else the changes
 * after it. Returns false when the stream ended there (410 Expired or a bad version, sent as an ERROR event).
 */
function sendStart(
  store: SimStore,
  resource: SimResource,
  scope: WatchScope,
  stream: WatchStream,
  query: WatchQuery,
  deliver: (event: StoreEvent) => void,
): boolean {
  const rv = query.resourceVersion;
  const initial = rv === undefined || rv === '' || rv === '0' || query.sendInitialEvents;
  if (initial) {
    for (const entry of store.entries(scope.kind, scope.ns))
      if (scope.matching.has(entry.key)) stream.write('ADDED', servedJson(resource, entry));
    if (query.sendInitialEvents) stream.bookmark({ 'k8s.io/initial-events-end': 'true' });
    return true;
  }
  const from = Number(rv);
  try {
    if (!Number.isInteger(from)) throw new ApiStatusError(400, 'BadRequest', `invalid resource version: "${rv}"`);
    const replay = store.changesSince(from);
    scope.seenAt(replay);
    for (const event of replay) deliver(event);
    return true;
  } catch (error) {
    if (!(error instanceof ApiStatusError)) throw error;
    stream.write('ERROR', JSON.stringify(error.toStatus()));
    return false;
  }
}

/** Delivers every live change, with bookmarks and the client's timeout, until either side ends the watch. */
function keepWatching(
  res: ServerResponse,
  deps: { store: SimStore; watches: WatchRegistry },
  stream: WatchStream,
  deliver: (event: StoreEvent) => void,
  query: WatchQuery,
  options: WatchOptions,
): void {
  const { store, watches } = deps;
  const unsubscribe = store.subscribe(deliver);
  const timers: NodeJS.Timeout[] = [];
  if (query.allowWatchBookmarks) timers.push(setInterval(() => stream.bookmark(), options.bookmarkIntervalMs ?? 1000));
  const finish = () => {
    unsubscribe();
    for (const timer of timers) clearInterval(timer);
    watches.delete(finish);
    if (!res.destroyed && !res.writableEnded) res.end();
  };
  if (query.timeoutSeconds !== undefined && query.timeoutSeconds > 0) {
    timers.push(setTimeout(finish, query.timeoutSeconds * 1000));
  }
  watches.add(finish);
  res.on('close', finish);
}
