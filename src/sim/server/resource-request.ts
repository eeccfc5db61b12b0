import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimClock } from '../clock.js';
import { managerFromUserAgent } from '../managed-fields.js';
import { groupVersionOf, storedScope } from '../resources.js';
import { badRequest, methodNotAllowed } from '../status.js';
import type { SimStore } from '../store.js';
import { reviewAccess, reviewRules } from './access-review.js';
import { applyObject } from './apply.js';
import { NOT_FOUND } from './discovery-route.js';
import { handleEviction } from './eviction.js';
import { mediaType, parseJsonBody } from './http.js';
import { followLog } from './log-follow.js';
import { partialObjectMetadata, renderMetadataList, wantsMetadata } from './metadata-view.js';
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from './protobuf.js';
import { getJson, listJson, requireObject, selectPage } from './read.js';
import { checkPatchType, deleteOptions, listQuery, numberParam } from './request-params.js';
import type { ApiTarget } from './routes.js';
import { formatLogLines, handleScale, requirePod, selectLogLines } from './subresources.js';
import { renderTable, wantsTable } from './table.js';
import { serveWatch, type WatchRegistry } from './watch.js';
import { createObject, deleteObject, PATCH_TYPES, patchObject, replaceObject, type WriteContext } from './write.js';

/** An answer to send, or 'streamed' when the handler already writes the response itself (watch, log follow). */
export type Handled = { status: number; body: string | Buffer; text?: boolean } | 'streamed';

export interface ResourceServerDeps {
  store: SimStore;
  clock: SimClock;
  watches: WatchRegistry;
  isForbidden: (plural: string, verb?: string, subresource?: string) => boolean;
  onWrite?: () => void;
  bookmarkIntervalMs?: number;
}

/** One request on a resource path, with what every verb's handler reads from it. */
interface ResourceCall {
  deps: ResourceServerDeps;
  target: Extract<ApiTarget, { type: 'resource' }>;
  method: string;
  verb: string;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
  raw: Buffer;
  ctx: WriteContext;
  patchType: string;
  /** The decoded request body (JSON or the protobuf encoding). */
  body: () => unknown;
  /** The answer to a write, after telling the controllers when the write was not a dry run. */
  wrote: (status: number, out: string) => Handled;
}

/** Serves the verbs of one resource path: the object verbs, their subresources, and watch. */
export function serveResourceRequest(
  deps: ResourceServerDeps,
  target: Extract<ApiTarget, { type: 'resource' }>,
  request: { method: string; verb: string; query: URLSearchParams; req: IncomingMessage; res: ServerResponse },
  raw: Buffer,
): Handled {
  const call = describeCall(deps, target, request, raw);
  if (target.subresource !== undefined) return serveSubresource(call, target.subresource);
  if (!(target.resource.verbs as readonly string[]).includes(call.verb)) throw methodNotAllowed();
  if (target.resource.kind === 'SelfSubjectAccessReview') {
    return { status: 201, body: reviewAccess(call.body(), deps.isForbidden) };
  }
  if (target.resource.kind === 'SelfSubjectRulesReview') {
    return { status: 201, body: reviewRules(call.body(), deps.isForbidden) };
  }
  return serveVerb(call);
}

function describeCall(
  deps: ResourceServerDeps,
  target: Extract<ApiTarget, { type: 'resource' }>,
  request: { method: string; verb: string; query: URLSearchParams; req: IncomingMessage; res: ServerResponse },
  raw: Buffer,
): ResourceCall {
  const { query, req } = request;
  const dryRunValue = query.get('dryRun');
  if (dryRunValue !== null && dryRunValue !== '' && dryRunValue !== 'All') {
    throw badRequest(`Invalid dry run value: dryRun: Unsupported value: "${dryRunValue}": supported values: "All"`);
  }
  const writer = {
    manager: query.get('fieldManager') || managerFromUserAgent(req.headers['user-agent']),
    apiVersion: groupVersionOf(target.resource),
  };
  const ctx: WriteContext = {
    store: deps.store,
    resource: target.resource,
    namespace: target.namespace,
    dryRun: dryRunValue === 'All',
    writer,
  };
  const patchType = mediaType(req.headers['content-type']);
  return {
    ...request,
    deps,
    target,
    raw,
    ctx,
    patchType,
    body: () => (patchType === PROTOBUF_MEDIA_TYPE ? decodeProtobufObject(raw) : parseJsonBody(raw)),
    wrote: (status, out) => {
      if (!ctx.dryRun) deps.onWrite?.();
      return { status, body: out };
    },
  };
}

function serveSubresource(call: ResourceCall, subresource: string): Handled {
  const { target, method, ctx, patchType, body, wrote } = call;
  const { resource, namespace, name } = target;
  if (name === undefined || !(resource.subresources as readonly string[]).includes(subresource)) throw NOT_FOUND;
  switch (subresource) {
    case 'status':
      if (method === 'GET') return { status: 200, body: getJson(call.deps.store, resource, namespace, name) };
      if (method === 'PUT') return wrote(200, replaceObject(ctx, name, body(), 'status'));
      if (method === 'PATCH') return wrote(200, patchObject(ctx, name, patchType, body(), 'status'));
      throw methodNotAllowed();
    case 'scale':
      return method === 'GET'
        ? { status: 200, body: handleScale(ctx, method, name, patchType, undefined) }
        : wrote(200, handleScale(ctx, method, name, patchType, body()));
    case 'log':
      if (method !== 'GET') throw methodNotAllowed();
      return serveLog(call, name);
    case 'eviction':
      if (method !== 'POST') throw methodNotAllowed();
      return wrote(201, handleEviction(ctx, name, body()));
    default:
      throw NOT_FOUND;
  }
}

function serveLog(call: ResourceCall, name: string): Handled {
  const { deps, query } = call;
  const pod = requirePod(deps.store, call.target.namespace, name);
  const logQuery = {
    container: query.get('container') ?? undefined,
    previous: query.get('previous') === 'true',
    timestamps: query.get('timestamps') === 'true',
    tailLines: numberParam(query, 'tailLines'),
    sinceSeconds: numberParam(query, 'sinceSeconds'),
    sinceTime: query.get('sinceTime') ?? undefined,
  };
  const lines = selectLogLines(deps.store, pod, logQuery);
  if (query.get('follow') === 'true' && !logQuery.previous) {
    const container = logQuery.container ?? (pod.spec as { containers: { name: string }[] }).containers[0]!.name;
    followLog(call.res, deps, pod, container, lines, logQuery.timestamps);
    return 'streamed';
  }
  return { status: 200, body: formatLogLines(lines, logQuery.timestamps), text: true };
}

function serveVerb(call: ResourceCall): Handled {
  const { ctx, patchType, body, wrote, target, query } = call;
  switch (call.verb) {
    case 'get':
      return serveGet(call, target.name!);
    case 'list':
      return serveList(call);
    case 'watch':
      return startWatch(call);
    case 'create':
      return wrote(201, createObject(ctx, body()));
    case 'update':
      return wrote(200, replaceObject(ctx, target.name!, body()));
    case 'patch':
      if (patchType === PATCH_TYPES.apply) return serveApply(call);
      checkPatchType(target.resource, patchType);
      return wrote(200, patchObject(ctx, target.name!, patchType, body()));
    case 'delete': {
      const options = deleteOptions(call.raw, body, query);
      // A dry run asked in the DeleteOptions (as kubectl asks it) deletes nothing either.
      if (options.dryRun?.includes('All')) ctx.dryRun = true;
      return wrote(200, deleteObject(ctx, target.name!, options));
    }
    case 'deletecollection':
      return wrote(200, deleteCollection(ctx, query));
    default:
      throw methodNotAllowed();
  }
}

function serveApply(call: ResourceCall): Handled {
  const { query, ctx, wrote } = call;
  const force = ['true', '1'].includes(query.get('force') ?? '');
  const request = {
    name: call.target.name!,
    raw: call.raw,
    force,
    hasFieldManager: Boolean(query.get('fieldManager')),
  };
  const answer = applyObject(ctx, request);
  return wrote(answer.status, answer.body);
}

/** A get answers the object, a one-row Table (kubectl get) or its PartialObjectMetadata, as the client accepts. */
function serveGet(call: ResourceCall, name: string): Handled {
  const { deps, req, target, query } = call;
  const { resource, namespace } = target;
  if (wantsTable(req.headers.accept, resource)) {
    const stored = requireObject(deps.store, resource, namespace, name);
    const meta = { resourceVersion: stored.object.metadata.resourceVersion };
    const includeObject = query.get('includeObject') ?? 'Metadata';
    return {
      status: 200,
      body: renderTable(resource, [stored.object], meta, deps.clock.now().getTime(), includeObject),
    };
  }
  if (wantsMetadata(req.headers.accept, 'PartialObjectMetadata')) {
    const stored = requireObject(deps.store, resource, namespace, name);
    return { status: 200, body: JSON.stringify(partialObjectMetadata(stored.object)) };
  }
  return { status: 200, body: getJson(deps.store, resource, namespace, name) };
}

/** A list answers the objects, a Table or a PartialObjectMetadataList, one page at a time. */
function serveList(call: ResourceCall): Handled {
  const { deps, req, target, query } = call;
  const { resource, namespace } = target;
  const scope = storedScope(resource, namespace).ns;
  if (wantsMetadata(req.headers.accept, 'PartialObjectMetadataList')) {
    const page = selectPage(deps.store, resource, scope, listQuery(query));
    const objects = page.entries.map((e) => e.object);
    return { status: 200, body: renderMetadataList(objects, page.metadata) };
  }
  if (wantsTable(req.headers.accept, resource)) {
    const page = selectPage(deps.store, resource, scope, listQuery(query));
    const objects = page.entries.map((e) => e.object);
    const includeObject = query.get('includeObject') ?? 'Metadata';
    return {
      status: 200,
      body: renderTable(resource, objects, page.metadata, deps.clock.now().getTime(), includeObject),
    };
  }
  return { status: 200, body: listJson(deps.store, resource, namespace, listQuery(query)) };
}

function startWatch(call: ResourceCall): Handled {
  const { deps, req, target, query } = call;
  const table = wantsTable(req.headers.accept, target.resource);
  serveWatch(
    call.res,
    deps,
    target.resource,
    target.namespace,
    {
      resourceVersion: query.get('resourceVersion') ?? undefined,
      labelSelector: query.get('labelSelector') ?? undefined,
      fieldSelector: query.get('fieldSelector') ?? undefined,
      allowWatchBookmarks: query.get('allowWatchBookmarks') === 'true',
      sendInitialEvents: query.get('sendInitialEvents') === 'true',
      timeoutSeconds: numberParam(query, 'timeoutSeconds'),
    },
    {
      bookmarkIntervalMs: deps.bookmarkIntervalMs,
      table: table ? (query.get('includeObject') ?? 'Metadata') : undefined,
    },
  );
  return 'streamed';
}

function deleteCollection(ctx: WriteContext, query: URLSearchParams): string {
  const list = JSON.parse(
    listJson(ctx.store, ctx.resource, ctx.namespace, {
      labelSelector: query.get('labelSelector') ?? undefined,
      fieldSelector: query.get('fieldSelector') ?? undefined,
    }).toString('utf8'),
  ) as { items: { metadata: { name: string; namespace?: string } }[] };
  for (const item of list.items) {
    deleteObject({ ...ctx, namespace: item.metadata.namespace }, item.metadata.name, {
      propagationPolicy: query.get('propagationPolicy') ?? undefined,
    });
  }
  return JSON.stringify(list);
}
