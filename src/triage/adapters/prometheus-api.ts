import type { KubeAccess } from '../../kube/access.js';
import { fetchText, serviceProxyPrefix } from './http-reach.js';

/** One GET against a Prometheus server's HTTP API; returns the body. */
export type PrometheusTransport = (path: string, query: Record<string, string>) => Promise<string>;

/** A series of an instant query (`value`) or a range query (`values`); values are strings ("NaN" too). */
export interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

export class PrometheusError extends Error {}

/**
 * The Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`) over a transport: straight to a
 * URL, or through the API server's service proxy. Answers with status "error" become PrometheusError.
 */
export class PrometheusApi {
  constructor(
    private readonly transport: PrometheusTransport,
    /** How the server is named in messages: the URL or the Service. */
    readonly name: string,
  ) {}

  /** An instant query at `atMs`, or at the server's own "now" when undefined. */
  async query(expr: string, atMs?: number): Promise<PromSeries[]> {
    return this.call('/api/v1/query', atMs === undefined ? { query: expr } : { query: expr, time: seconds(atMs) });
  }

  async queryRange(expr: string, startMs: number, endMs: number, stepSeconds: number): Promise<PromSeries[]> {
    return this.call('/api/v1/query_range', {
      query: expr,
      start: seconds(startMs),
      end: seconds(endMs),
      step: String(stepSeconds),
    });
  }

  private async call(path: string, query: Record<string, string>): Promise<PromSeries[]> {
    const body = await this.transport(path, query);
    let parsed: { status?: string; error?: string; data?: { result?: PromSeries[] } };
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new PrometheusError(`${this.name} did not answer with Prometheus JSON: ${body.slice(0, 120)}`);
    }
    if (parsed.status !== 'success')
      throw new PrometheusError(`${this.name}: ${parsed.error ?? `status ${parsed.status ?? 'missing'}`}`);
    return parsed.data?.result ?? [];
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/**
 * Straight to a Prometheus URL, with a bearer token when one is configured. The token goes into
 * the header only: messages name the URL, never the token.
 */
export function directTransport(
  baseUrl: string,
  options: { token?: string; timeoutMs: number; signal: AbortSignal },
): PrometheusTransport {
  const base = baseUrl.replace(/\/+$/, '');
  return async (path, query) => {
    const answer = await fetchText(
      `${base}${path}?${new URLSearchParams(query).toString()}`,
      { token: options.token, timeoutMs: options.timeoutMs, signal: options.signal },
      (reason) => new PrometheusError(`Prometheus ${base} unreachable: ${reason}`),
    );
    // Prometheus answers 400/422/503 with its JSON error body: let the caller read it.
    if (!answer.ok && !answer.text.startsWith('{'))
      throw new PrometheusError(`Prometheus ${base} answered ${answer.status} ${answer.statusText}`);
    return answer.text;
  };
}

/** Through the API server's service proxy: no port-forward, and the kubeconfig's credentials. */
export function proxiedTransport(
  kube: KubeAccess,
  service: { namespace: string; name: string; port: string },
  timeoutMs: number,
): PrometheusTransport {
  const prefix = serviceProxyPrefix(service);
  return (path, query) =>
    kube.request<string>({ method: 'GET', path: `${prefix}${path}`, query, text: true, timeoutMs });
}
