import http from 'node:http';
import https from 'node:https';
import { environmentProxyRoute } from '../../environment-proxy-agent.js';
import { describeProxiedFailure, proxyRefused } from '../../proxy-failure.js';

/** The API server's service proxy path of a Service port: no port-forward, the kubeconfig's credentials. */
export function serviceProxyPrefix(service: { namespace: string; name: string; port: string }): string {
  return `/api/v1/namespaces/${encodeURIComponent(service.namespace)}/services/${encodeURIComponent(
    `${service.name}:${service.port}`,
  )}/proxy`;
}

/** An HTTP answer read whole: its status and its body as text. */
export interface TextAnswer {
  ok: boolean;
  status: number;
  statusText: string;
  text: string;
}

/**
 * One request to a monitoring server's HTTP API (JSON in and out), with a bearer token when one is
 * given, bounded by `timeoutMs` (the whole answer) and the caller's signal. A request that gets no
 * answer throws `unreachable(reason)`: the socket's error code (ECONNREFUSED), or "no answer within
 * N ms"; through the environment's proxy, as curl goes, the failure names it. Any answer is
 * returned for the caller to judge. Node's http module, which the cluster's transport loads anyway,
 * rather than fetch: fetch loads its own HTTP stack on first use, a cost each triage would pay for a
 * handful of requests.
 */
export async function fetchText(
  url: string,
  options: { method?: string; body?: unknown; token?: string; timeoutMs: number; signal: AbortSignal },
  unreachable: (reason: string) => Error,
): Promise<TextAnswer> {
  const target = new URL(url);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const route = await environmentProxyRoute(target);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const giveUp = (reason: string) =>
      settle(() => {
        request.destroy();
        route?.close();
        reject(unreachable(reason));
      });
    const fail = (reason: string) => giveUp(route ? describeProxiedFailure(reason, route.proxy, target.host) : reason);
    const onAbort = () =>
      fail(timeout.aborted ? `no answer within ${options.timeoutMs} ms` : 'This operation was aborted');
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(
      target,
      { method: options.method ?? 'GET', headers: { ...headers, ...route?.headers }, ...route?.options },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (route?.forwards && status === 407) return giveUp(proxyRefused(route.proxy, target.host, status));
          settle(() => {
            route?.close();
            resolve({ ok: status >= 200 && status < 300, status, statusText: response.statusMessage ?? '', text });
          });
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    request.end(body);
  });
}
