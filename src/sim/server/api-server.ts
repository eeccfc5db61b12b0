import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimClock } from '../clock.js';
import type { FaultInjector } from '../faults.js';
import { BUILT_IN_GROUPS, type SimResource } from '../resources.js';
import { ApiStatusError, badRequest, forbidden, methodNotAllowed, unsupportedMediaType } from '../status.js';
import type { SimStore } from '../store.js';
import {
  coreVersionsDocument,
  groupDocument,
  groupListDocument,
  resourceListDocument,
  versionDocument,
} from './discovery.js';
import { baseHeaders, mediaType, parseJsonBody, readBody, sendError, sendJson, sendText } from './http.js';
import { followLog } from './log-follow.js';
import { openApiGroupVersion, openApiRoot } from './openapi.js';
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from './protobuf.js';
import { getJson, listJson, requireObject, selectPage } from './read.js';
import { type ApiTarget, parseApiPath } from './routes.js';
import { formatLogLines, handleEviction, handleScale, requirePod, selectLogLines } from './subresources.js';
import { renderTable, wantsTable } from './table.js';
import { serveWatch, type WatchRegistry } from './watch.js';
import {
  createObject,
  type DeleteOptions,
  deleteObject,
  PATCH_TYPES,
  patchObject,
  replaceObject,
  type WriteContext,
} from './write.js';

export interface ApiServerOptions {
  store: SimStore;
  clock: SimClock;
  faults: FaultInjector;
  /** Called after every write that changed the store, so controllers react at once. */
  onWrite?: () => void;
  /** Real milliseconds between watch bookmarks (default 1000). */
  bookmarkIntervalMs?: number;
}

type Handled = { status: number; body: string | Buffer; text?: boolean } | 'streamed';

const NOT_FOUND = new ApiStatusError(404, 'NotFound', 'the server could not find the requested resource');

/**
 * The simulator's HTTP front: discovery, the resource verbs, subresources, watch and faults, answering
 * JSON (and `Status` objects for errors) with a `Date` header from the simulated clock.
 */
export class ApiServer {
  readonly server: Server;
  private readonly watches: WatchRegistry = new Set();

  constructor(private readonly options: ApiServerOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => this.fail(res, error));
    });
    this.server.keepAliveTimeout = 5000;
  }

  listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Ends every watch, closes every connection and stops listening. */
  close(): Promise<void> {
    for (const end of [...this.watches]) end();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private fail(res: ServerResponse, error: unknown): void {
    if (error instanceof ApiStatusError) {
      sendError(res, this.options.clock, error);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    sendError(res, this.options.clock, new ApiStatusError(500, 'InternalError', `Internal error occurred: ${message}`));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { clock, faults } = this.options;
    const url = new URL(req.url ?? '/', 'http://inc-sim');
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (res.destroyed) return;
    const target = parseApiPath(url.pathname);
    if (target.type !== 'resource') {
      const handled = this.discovery(target, req);
      if (handled.text) sendText(res, clock, handled.status, handled.body);
      else sendJson(res, clock, handled.status, handled.body);
      return;
    }
    const { resource } = target;
    if (resource.group === 'metrics.k8s.io' && !faults.metricsServed) throw NOT_FOUND;
    const method = (req.method ?? 'GET').toUpperCase();
    const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    const verb = verbOf(method, target.name, watch);
    if (faults.isForbidden(resource.plural)) {
      throw forbidden(resource, verb, {
        name: target.name,
        namespace: target.namespace,
        subresource: target.subresource,
      });
    }
    const decision = faults.decide(resource.plural);
    if (decision.kind === 'error') {
      sendError(res, clock, decision.error, decision.retryAfterSeconds);
      return;
    }
    const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? await readBody(req) : Buffer.alloc(0);
    const handled = this.resourceRequest({ ...target, resource }, method, verb, url.searchParams, req, res, body);
    if (handled === 'streamed') return;
    if (decision.kind === 'drop') {
      dropMidBody(res, clock, handled.body);
      return;
    }
    if (handled.text) sendText(res, clock, handled.status, handled.body);
    else sendJson(res, clock, handled.status, handled.body);
  }

  private discovery(target: ApiTarget, req: IncomingMessage): { status: number; body: string; text?: boolean } {
    const served = (r: SimResource) => r.group !== 'metrics.k8s.io' || this.options.faults.metricsServed;
    const json = (doc: unknown) => ({ status: 200, body: JSON.stringify(doc) });
    switch (target.type) {
      case 'version':
        return json(versionDocument());
      case 'health':
        return { status: 200, body: 'ok', text: true };
      case 'core-versions':
        return json(coreVersionsDocument(req.headers.host ?? '127.0.0.1'));
      case 'groups':
        return json(groupListDocument(served));
      case 'group': {
        const group = groupListDocument(served).groups as { name: string; versions: { version: string }[] }[];
        const found = group.find((g) => g.name === target.group);
        if (!found) break;
        return json({ kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(found.name, found.versions[0]!.version) });
      }
      case 'openapi': {
        const path = new URL(req.url ?? '/', 'http://inc-sim').pathname.replace(/^\/openapi\/v3\/?/, '');
        if (!req.url?.startsWith('/openapi/v3')) break;
        const doc = path === '' ? openApiRoot(served) : openApiGroupVersion(path, served);
        if (doc) return json(doc);
        break;
      }
      case 'resource-list': {
        const gv = target.group ? `${target.group}/${target.version}` : target.version;
        const doc = resourceListDocument(gv, served);
        if (doc) return json(doc);
        break;
      }
      default:
        break;
    }
    return { status: 404, body: JSON.stringify(NOT_FOUND.toStatus()) };
  }

  private resourceRequest(
    target: Extract<ApiTarget, { type: 'resource' }>,
    method: string,
    verb: string,
    query: URLSearchParams,
    req: IncomingMessage,
    res: ServerResponse,
    raw: Buffer,
  ): Handled {
    const { store, clock } = this.options;
    const { resource, namespace, name, subresource } = target;
    const dryRunValue = query.get('dryRun');
    if (dryRunValue !== null && dryRunValue !== '' && dryRunValue !== 'All') {
      throw badRequest(`Invalid dry run value: dryRun: Unsupported value: "${dryRunValue}": supported values: "All"`);
    }
    const ctx: WriteContext = { store, resource, namespace, dryRun: dryRunValue === 'All' };
    const patchType = mediaType(req.headers['content-type']);
    const body = () => (patchType === PROTOBUF_MEDIA_TYPE ? decodeProtobufObject(raw) : parseJsonBody(raw));
    const wrote = (status: number, out: string): Handled => {
      if (!ctx.dryRun) this.options.onWrite?.();
      return { status, body: out };
    };

    if (subresource !== undefined) {
      if (name === undefined || !(resource.subresources as readonly string[]).includes(subresource)) throw NOT_FOUND;
      switch (subresource) {
        case 'status':
          if (method === 'GET') return { status: 200, body: getJson(store, resource, namespace, name) };
          if (method === 'PUT') return wrote(200, replaceObject(ctx, name, body(), 'status'));
          if (method === 'PATCH') return wrote(200, patchObject(ctx, name, patchType, body(), 'status'));
          throw methodNotAllowed();
        case 'scale':
          return method === 'GET'
            ? { status: 200, body: handleScale(ctx, method, name, patchType, undefined) }
            : wrote(200, handleScale(ctx, method, name, patchType, body()));
        case 'log': {
          if (method !== 'GET') throw methodNotAllowed();
          const pod = requirePod(store, namespace, name);
          const logQuery = {
            container: query.get('container') ?? undefined,
            previous: query.get('previous') === 'true',
            timestamps: query.get('timestamps') === 'true',
            tailLines: numberParam(query, 'tailLines'),
            sinceSeconds: numberParam(query, 'sinceSeconds'),
            sinceTime: query.get('sinceTime') ?? undefined,
          };
          const lines = selectLogLines(store, pod, logQuery);
          if (query.get('follow') === 'true' && !logQuery.previous) {
            const container =
              logQuery.container ?? (pod.spec as { containers: { name: string }[] }).containers[0]!.name;
            followLog(res, { store, clock, watches: this.watches }, pod, container, lines, logQuery.timestamps);
            return 'streamed';
          }
          return { status: 200, body: formatLogLines(lines, logQuery.timestamps), text: true };
        }
        case 'eviction':
          if (method !== 'POST') throw methodNotAllowed();
          return wrote(201, handleEviction(ctx, name));
        default:
          throw NOT_FOUND;
      }
    }

    if (!(resource.verbs as readonly string[]).includes(verb)) throw methodNotAllowed();
    const table = wantsTable(req.headers.accept, resource);
    const includeObject = query.get('includeObject') ?? 'Metadata';
    switch (verb) {
      case 'get':
        if (table) {
          const stored = requireObject(store, resource, namespace, name!);
          const meta = { resourceVersion: stored.object.metadata.resourceVersion };
          return {
            status: 200,
            body: renderTable(resource, [stored.object], meta, clock.now().getTime(), includeObject),
          };
        }
        return { status: 200, body: getJson(store, resource, namespace, name!) };
      case 'list':
        if (table) {
          const page = selectPage(store, resource, resource.namespaced ? namespace : undefined, listQuery(query));
          const objects = page.entries.map((e) => e.object);
          return {
            status: 200,
            body: renderTable(resource, objects, page.metadata, clock.now().getTime(), includeObject),
          };
        }
        return {
          status: 200,
          body: listJson(store, resource, namespace, {
            labelSelector: query.get('labelSelector') ?? undefined,
            fieldSelector: query.get('fieldSelector') ?? undefined,
            limit: numberParam(query, 'limit'),
            continueToken: query.get('continue') ?? undefined,
          }),
        };
      case 'watch':
        serveWatch(
          res,
          { store, clock, watches: this.watches },
          resource,
          namespace,
          {
            resourceVersion: query.get('resourceVersion') ?? undefined,
            labelSelector: query.get('labelSelector') ?? undefined,
            fieldSelector: query.get('fieldSelector') ?? undefined,
            allowWatchBookmarks: query.get('allowWatchBookmarks') === 'true',
            sendInitialEvents: query.get('sendInitialEvents') === 'true',
            timeoutSeconds: numberParam(query, 'timeoutSeconds'),
          },
          { bookmarkIntervalMs: this.options.bookmarkIntervalMs, table: table ? includeObject : undefined },
        );
        return 'streamed';
      case 'create':
        return wrote(201, createObject(ctx, body()));
      case 'update':
        return wrote(200, replaceObject(ctx, name!, body()));
      case 'patch':
        checkPatchType(resource, patchType);
        return wrote(200, patchObject(ctx, name!, patchType, body()));
      case 'delete':
        return wrote(200, deleteObject(ctx, name!, deleteOptions(raw, query)));
      case 'deletecollection':
        return wrote(200, this.deleteCollection(ctx, query));
      default:
        throw methodNotAllowed();
    }
  }

  private deleteCollection(ctx: WriteContext, query: URLSearchParams): string {
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
}

/** The patch media types a resource accepts; checked before the body is read, as the server does. */
function checkPatchType(resource: SimResource, contentType: string): void {
  const accepted: string[] = [PATCH_TYPES.json, PATCH_TYPES.merge];
  if (BUILT_IN_GROUPS.includes(resource.group)) accepted.push(PATCH_TYPES.strategic);
  if (!accepted.includes(contentType)) throw unsupportedMediaType(contentType);
}

function listQuery(query: URLSearchParams) {
  return {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
    limit: numberParam(query, 'limit'),
    continueToken: query.get('continue') ?? undefined,
  };
}

function verbOf(method: string, name: string | undefined, watch: boolean): string {
  switch (method) {
    case 'GET':
      return watch ? 'watch' : name === undefined ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return name === undefined ? 'deletecollection' : 'delete';
    default:
      return method.toLowerCase();
  }
}

function numberParam(query: URLSearchParams, key: string): number | undefined {
  const value = query.get(key);
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw badRequest(`invalid value for ${key}: ${value}`);
  return n;
}

function deleteOptions(raw: Buffer, query: URLSearchParams): DeleteOptions {
  let options: DeleteOptions = {};
  if (raw.length > 0 && raw.toString('utf8').trim() !== '') options = parseJsonBody(raw) as DeleteOptions;
  const policy = query.get('propagationPolicy');
  if (policy) options.propagationPolicy = policy;
  return options;
}

/** The dropped-connection fault: the headers promise the whole body, half of it arrives, then the socket dies. */
function dropMidBody(res: ServerResponse, clock: SimClock, body: string | Buffer): void {
  const bytes = Buffer.from(body);
  res.writeHead(200, { ...baseHeaders(clock), 'Content-Length': bytes.length });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
}
