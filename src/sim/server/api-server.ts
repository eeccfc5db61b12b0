import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimClock } from '../clock.js';
import type { FaultInjector } from '../faults.js';
import { ApiStatusError, forbidden } from '../status.js';
import type { SimStore } from '../store.js';
import { METRICS_CONTENT_TYPE, renderClusterMetrics } from '../traffic/exposition.js';
import { TrafficMeter } from '../traffic/meter.js';
import { NOT_FOUND, serveDiscovery } from './discovery-route.js';
import { readBody, sendError, sendJson, sendText } from './http.js';
import { serveProxy } from './proxy.js';
import { dropMidBody, PROXY_LOGIN_PAGE, sendTruncated, verbOf } from './request-params.js';
import { serveResourceRequest } from './resource-request.js';
import { parseApiPath } from './routes.js';
import type { WatchRegistry } from './watch.js';

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
    if (faults.isForbidden(resource.plural, verb, target.subresource)) {
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
    const deps = {
      store: this.options.store,
      clock,
      watches: this.watches,
      isForbidden: (plural: string, verb?: string, subresource?: string) =>
        faults.isForbidden(plural, verb, subresource),
      onWrite: this.options.onWrite,
      bookmarkIntervalMs: this.options.bookmarkIntervalMs,
    };
    const request = { method, verb, query: url.searchParams, req, res };
    const handled = serveResourceRequest(deps, { ...target, resource }, request, body);
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
    // A Prometheus stamps these samples with its own clock: counted per real second, its rates are
    // the Services' request rates whatever the speed, as a direct scrape on the pods' clock measures.
    const traffic = this.traffic.read(undefined, this.options.clock.speed);
    const ingress = this.traffic.ingress.read(this.options.clock.speed);
    const body = await renderClusterMetrics(traffic, this.options.store.list('Pod'), ingress);
    if (res.destroyed || res.headersSent) return;
    res.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
}
