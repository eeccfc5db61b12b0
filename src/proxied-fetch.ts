import type { Dispatcher } from 'undici';
import { isSocksProxy, proxyFromEnvironment } from './env-proxy.js';
import { environmentProxyRoute, type ProxyRoute } from './environment-proxy-agent.js';
import { loadCommonJs } from './load-commonjs.js';

const agents = new Map<string, Dispatcher>();

/**
 * `fetch` through the environment's proxy, as curl's requests go (HTTPS_PROXY or HTTP_PROXY by the
 * URL's scheme, unless NO_PROXY names the host; this machine never): Node 20's fetch ignores them,
 * so behind a corporate proxy a status update never reached Slack. The proxy-aware client is loaded
 * only for a request that goes through a proxy.
 */
export async function proxiedFetch(url: string, init: RequestInit): Promise<Response> {
  const proxy = proxyFromEnvironment(url);
  if (!proxy) return fetch(url, init);
  if (isSocksProxy(proxy)) {
    const target = new URL(url);
    const route = await environmentProxyRoute(target);
    if (route) return socksFetch(target, init, route);
  }
  const undici = await loadCommonJs(import('undici'));
  let dispatcher = agents.get(proxy);
  if (!dispatcher) {
    // Plain http is forwarded whole, not tunnelled, as curl does: proxies commonly allow CONNECT to 443 only.
    dispatcher = new undici.ProxyAgent({ uri: proxy, proxyTunnel: false });
    agents.set(proxy, dispatcher);
  }
  return (await undici.fetch(url, { ...(init as object), dispatcher })) as unknown as Response;
}

/**
 * A request through a SOCKS proxy (`HTTPS_PROXY=socks5://localhost:1080`, the SSH tunnel kubectl's
 * docs set up), which undici's ProxyAgent cannot take: Node's http module with a SOCKS agent, the
 * answer read whole into a fetch Response. Bodies are text, as every post of inc's is.
 */
async function socksFetch(target: URL, init: RequestInit, route: ProxyRoute): Promise<Response> {
  if (init.body !== undefined && init.body !== null && typeof init.body !== 'string')
    throw new TypeError('a request through a SOCKS proxy takes a text body');
  const client = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const headers = Object.fromEntries(new Headers(init.headers).entries());
  return new Promise<Response>((resolve, reject) => {
    const fail = (error: Error) => {
      route.close();
      reject(error);
    };
    const request = client.request(
      target,
      { method: init.method ?? 'GET', headers, signal: init.signal ?? undefined, ...route.options },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          route.close();
          const status = response.statusCode ?? 0;
          const answerHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers))
            for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value])
              answerHeaders.append(name, item);
          const body = [204, 205, 304].includes(status) ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, statusText: response.statusMessage ?? '', headers: answerHeaders }));
        });
      },
    );
    request.on('error', fail);
    request.end(init.body ?? undefined);
  });
}
