/**
 * The `proxy` subresources of pods and services, as the API server serves them:
 * `/api/v1/namespaces/NS/pods/NAME[:PORT]/proxy/PATH` reaches the simulated application in the pod
 * (its /metrics), and `/api/v1/namespaces/NS/services/NAME[:PORT]/proxy/PATH` forwards to one of the
 * Service's ready endpoints: a simulated pod, or a real server when the address is a loopback one
 * (as the API server forwards to pod IPs, so a test can put a real Prometheus behind a Service).
 * The service proxy stands for the Service's clients (service-clients.ts), so NetworkPolicies apply
 * to it; the pod proxy (metrics scrapes from the control plane) is let through, as host traffic
 * usually is.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { SimClock } from '../clock.js';
import type { SimObject } from '../cluster-state.js';
import { containersOf } from '../controllers/resources.js';
import type { Dict } from '../controllers/util.js';
import { ApiStatusError, notFound } from '../status.js';
import type { SimStore } from '../store.js';
import { METRICS_CONTENT_TYPE, renderPodMetrics } from '../traffic/exposition.js';
import type { TrafficMeter } from '../traffic/meter.js';
import { allowsConnection } from '../traffic/network-policy.js';
import { clientsOf } from '../traffic/service-clients.js';
import { NOT_FOUND } from './discovery-route.js';
import { sendError, sendText } from './http.js';
import type { ApiTarget } from './routes.js';

export interface ProxyContext {
  store: SimStore;
  clock: SimClock;
  traffic: TrafficMeter;
}

/** How long a forwarded request may take before the client gets a 503. */
const UPSTREAM_TIMEOUT_MS = 30_000;

/** `NAME`, `NAME:PORT` or `SCHEME:NAME:PORT`, as the proxy path names its target. */
export function parseProxyName(text: string): { name: string; port?: string } {
  const parts = text.split(':');
  if (parts.length === 3) return { name: parts[1]!, port: parts[2] || undefined };
  if (parts.length === 2) return { name: parts[0]!, port: parts[1] || undefined };
  return { name: text };
}

/** Serves `pods/NAME/proxy/…` or `services/NAME/proxy/…`. */
export async function serveProxy(
  ctx: ProxyContext,
  target: Extract<ApiTarget, { type: 'resource' }>,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { resource, namespace, name, proxyPath = '/' } = target;
  if (!name || !namespace || !(resource.subresources as readonly string[]).includes('proxy')) throw NOT_FOUND;
  if (resource.plural === 'pods') await servePodProxy(ctx, namespace, name, proxyPath, res);
  else await serveServiceProxy(ctx, namespace, name, proxyPath, url, req, res);
}

async function servePodProxy(
  ctx: ProxyContext,
  namespace: string,
  nameAndPort: string,
  path: string,
  res: ServerResponse,
): Promise<void> {
  const { name, port } = parseProxyName(nameAndPort);
  const pod = ctx.store.get('Pod', namespace, name);
  if (!pod) throw notFound({ group: '', plural: 'pods' }, name);
  await serveSimulatedApp(ctx, pod, port, path, res);
}

async function serveServiceProxy(
  ctx: ProxyContext,
  namespace: string,
  nameAndPort: string,
  path: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { name, port } = parseProxyName(nameAndPort);
  const service = ctx.store.get('Service', namespace, name);
  if (!service) throw notFound({ group: '', plural: 'services' }, name);
  const servicePorts = ((service.spec as Dict | undefined)?.ports as Dict[] | undefined) ?? [];
  const servicePort = port ? servicePorts.find((p) => p.name === port || String(p.port) === port) : servicePorts[0];
  if (!servicePort) throw unavailable(`no service port "${port ?? ''}" found for service "${name}"`);
  const endpoint = readyEndpoint(ctx.store.get('Endpoints', namespace, name), servicePort);
  if (!endpoint) throw unavailable(`no endpoints available for service "${name}"`);
  if (endpoint.pod) {
    const pod = ctx.store.get('Pod', namespace, endpoint.pod);
    // A NetworkPolicy that drops every client's packets to the pod: the dial times out.
    const targetPort = servicePort.targetPort ?? servicePort.port;
    if (pod && !clientsOf(ctx.store, service).some((client) => allowsConnection(client, pod, targetPort, ctx.store)))
      throw unreachable(`${endpoint.ip}:${endpoint.port}`, 'i/o timeout');
    if (pod) return serveSimulatedApp(ctx, pod, String(endpoint.port), path, res);
  }
  if (!isLoopback(endpoint.ip)) throw unreachable(`${endpoint.ip}:${endpoint.port}`, 'connect: no route to host');
  await forward(ctx.clock, { host: endpoint.ip, port: endpoint.port }, `${path}${url.search}`, req, res);
}

/** The first ready address of the Service's Endpoints, with the port matching the Service port. */
function readyEndpoint(
  endpoints: SimObject | undefined,
  servicePort: Dict,
): { ip: string; port: number; pod?: string } | undefined {
  for (const subset of (endpoints?.subsets as Dict[] | undefined) ?? []) {
    const ports = (subset.ports as Dict[] | undefined) ?? [];
    const port = servicePort.name ? ports.find((p) => p.name === servicePort.name) : ports[0];
    const address = ((subset.addresses as Dict[] | undefined) ?? [])[0];
    if (!port || !address) continue;
    const ref = address.targetRef as { kind?: string; name?: string } | undefined;
    return { ip: String(address.ip), port: Number(port.port), pod: ref?.kind === 'Pod' ? ref.name : undefined };
  }
  return undefined;
}

/** The simulated application in a running pod: `/metrics` (or its annotated path) and `/healthz`. */
async function serveSimulatedApp(
  ctx: ProxyContext,
  pod: SimObject,
  port: string | undefined,
  path: string,
  res: ServerResponse,
): Promise<void> {
  const ports = containersOf(pod).flatMap((c) => (c.ports as Dict[] | undefined) ?? []);
  const chosen = port ? ports.find((p) => p.name === port || String(p.containerPort) === port) : ports[0];
  const status = (pod.status ?? {}) as Dict;
  const ip = String(status.podIP ?? '');
  if (!ip) throw unavailable(`pod ${pod.metadata.name} does not have a host assigned`);
  const running = ((status.containerStatuses as Dict[] | undefined) ?? []).some((s) => (s.state as Dict)?.running);
  if (!chosen || status.phase !== 'Running' || !running) {
    throw unreachable(`${ip}:${chosen?.containerPort ?? port ?? 80}`, 'connect: connection refused');
  }
  const metricsPath = pod.metadata.annotations?.['prometheus.io/path'] ?? '/metrics';
  if (path === metricsPath) {
    const body = await renderPodMetrics(
      ctx.traffic.read((ref) => ref.uid === pod.metadata.uid),
      ctx.traffic.countedUntil,
      processStartOf(status),
    );
    if (res.destroyed || res.headersSent) return;
    res.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (path === '/healthz' || path === '/readyz') sendText(res, ctx.clock, 200, 'ok');
  else sendText(res, ctx.clock, 404, '404 page not found\n');
}

/** When the application's process started: its first container's current run. */
function processStartOf(status: Dict): number | undefined {
  const first = ((status.containerStatuses as Dict[] | undefined) ?? [])[0];
  const startedAt = ((first?.state as Dict | undefined)?.running as Dict | undefined)?.startedAt;
  const ms = typeof startedAt === 'string' ? Date.parse(startedAt) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/** Streams the request to a real server on a loopback address and its answer back. */
function forward(
  clock: SimClock,
  target: { host: string; port: number },
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const headers = { ...req.headers };
  for (const header of ['host', 'authorization', 'connection', 'keep-alive', 'upgrade']) delete headers[header];
  return new Promise((resolve) => {
    const upstream = httpRequest(
      { host: target.host, port: target.port, method: req.method, path, headers, timeout: UPSTREAM_TIMEOUT_MS },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', () => resolve());
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('i/o timeout')));
    upstream.on('error', (error) => {
      sendError(res, clock, unreachable(`${target.host}:${target.port}`, error.message));
      resolve();
    });
    req.pipe(upstream);
  });
}

function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

function unavailable(message: string): ApiStatusError {
  return new ApiStatusError(503, 'ServiceUnavailable', message);
}

function unreachable(address: string, why: string): ApiStatusError {
  return unavailable(`error trying to reach service: dial tcp ${address}: ${why}`);
}
