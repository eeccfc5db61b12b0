import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimClock } from '../clock.js';
import type { FaultInjector } from '../faults.js';
import { managerFromUserAgent } from '../managed-fields.js';
import { groupVersionOf } from '../resources.js';
import { ApiStatusError, badRequest, forbidden, methodNotAllowed } from '../status.js';
import type { SimStore } from '../store.js';
import { METRICS_CONTENT_TYPE, renderClusterMetrics } from '../traffic/exposition.js';
import { TrafficMeter } from '../traffic/meter.js';
import { reviewAccess } from './access-review.js';
import { NOT_FOUND, serveDiscovery } from './discovery-route.js';
import { handleEviction } from './eviction.js';
import { mediaType, parseJsonBody, readBody, sendError, sendJson, sendText } from './http.js';
import { followLog } from './log-follow.js';
import { partialObjectMetadata, renderMetadataList, wantsMetadata } from './metadata-view.js';
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from './protobuf.js';
import { serveProxy } from './proxy.js';
import { getJson, listJson, requireObject, selectPage } from './read.js';
import {
  checkPatchType,
  deleteOptions,
  dropMidBody,
  listQuery,
  numberParam,
  PROXY_LOGIN_PAGE,
  sendTruncated,
  verbOf,
} from './request-params.js';
import { type ApiTarget, parseApiPath } from './routes.js';
import { formatLogLines, handleScale, requirePod, selectLogLines } from './subresources.js';
import { renderTable, wantsTable } from './table.js';
import { serveWatch, type WatchRegistry } from './watch.js';
import { createObject, deleteObject, patchObject, replaceObject, type WriteContext } from './write.js';

export interface ApiServerOptions {
  store: SimStore;
  clock: SimClock;
  faults: FaultInjector;
  /** Called after every write that changed the store, so controllers react at once. */
  onWrite?: () => void;
  /** Real milliseconds between watch bookmarks (default 1000). */
  bookmarkIntervalMs?: number;
  /** The simulated pods' traffic, served as metrics (default: none counted). */
  traffic?: TrafficMeter;
}

/** Where every simulated pod's application metrics are served, for one scrape job. */
export const CLUSTER_METRICS_PATH = '/sim/metrics';

type Handled = { status: number; body: string | Buffer; text?: boolean } | 'streamed';

/**
 * The simulator's HTTP front: discovery, the resource verbs, subresources, watch and faults, answering
 * JSON (and `Status` objects for errors) with a `Date` header from the simulated clock.
 */
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class ApiServer {
  readonly server: Server;
  private readonly watches: WatchRegistry = new Set();
  private readonly traffic: TrafficMeter;

  constructor(private readonly options: ApiServerOptions) {
    this.traffic = options.traffic ?? new TrafficMeter();
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
    // The pods' metrics are the applications' own, not the API server's: its faults do not apply.
    if (url.pathname === CLUSTER_METRICS_PATH) {
      await this.serveClusterMetrics(res);
      return;
    }
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (res.destroyed) return;
    const target = parseApiPath(url.pathname);
    if (target.type !== 'resource') {
      const handled = serveDiscovery(target, req, (r) => r.group !== 'metrics.k8s.io' || faults.metricsServed);
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
    if (decision.kind === 'html') {
      sendText(res, clock, 200, PROXY_LOGIN_PAGE, 'text/html; charset=utf-8');
      return;
    }
    if (target.subresource === 'proxy') {
      const ctx = { store: this.options.store, clock, traffic: this.traffic };
      await serveProxy(ctx, { ...target, resource }, url, req, res);
      return;
    }
    const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? await readBody(req) : Buffer.alloc(0);
    const handled = this.resourceRequest({ ...target, resource }, method, verb, url.searchParams, req, res, body);
    if (handled === 'streamed') return;
    const appliedWrite = WRITES.has(method) && url.searchParams.get('dryRun') !== 'All';
    if (decision.kind === 'drop' || (appliedWrite && faults.dropsWrite())) {
      dropMidBody(res, clock, handled.body);
      return;
    }
    if (decision.kind === 'truncate') {
      sendTruncated(res, clock, handled.body);
      return;
    }
    if (handled.text) sendText(res, clock, handled.status, handled.body);
    else sendJson(res, clock, handled.status, handled.body);
  }

  private async serveClusterMetrics(res: ServerResponse): Promise<void> {
    const body = await renderClusterMetrics(this.traffic.read(), this.options.store.list('Pod'));
    if (res.destroyed || res.headersSent) return;
    res.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
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
    const writer = {
      manager: query.get('fieldManager') || managerFromUserAgent(req.headers['user-agent']),
      apiVersion: groupVersionOf(resource),
    };
    const ctx: WriteContext = { store, resource, namespace, dryRun: dryRunValue === 'All', writer };
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
          return wrote(201, handleEviction(ctx, name, body()));
        default:
          throw NOT_FOUND;
      }
    }

    if (!(resource.verbs as readonly string[]).includes(verb)) throw methodNotAllowed();
    if (resource.kind === 'SelfSubjectAccessReview') {
      return { status: 201, body: reviewAccess(body(), (plural) => this.options.faults.isForbidden(plural)) };
    }
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
        if (wantsMetadata(req.headers.accept, 'PartialObjectMetadata')) {
          const stored = requireObject(store, resource, namespace, name!);
          return { status: 200, body: JSON.stringify(partialObjectMetadata(stored.object)) };
        }
        return { status: 200, body: getJson(store, resource, namespace, name!) };
      case 'list':
        if (wantsMetadata(req.headers.accept, 'PartialObjectMetadataList')) {
          const page = selectPage(store, resource, resource.namespaced ? namespace : undefined, listQuery(query));
          return {
            status: 200,
            body: renderMetadataList(
              page.entries.map((e) => e.object),
              page.metadata,
            ),
          };
        }
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
