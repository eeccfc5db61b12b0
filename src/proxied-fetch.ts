import type { Dispatcher } from 'undici';
import { proxyFromEnvironment } from './env-proxy.js';

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
  const loaded = await import('undici');
  // A CommonJS package: bundled, its exports are under `default`.
  const undici = (loaded as unknown as { default?: typeof loaded }).default ?? loaded;
  let dispatcher = agents.get(proxy);
  if (!dispatcher) {
    // Plain http is forwarded whole, not tunnelled, as curl does: proxies commonly allow CONNECT to 443 only.
    dispatcher = new undici.ProxyAgent({ uri: proxy, proxyTunnel: false });
    agents.set(proxy, dispatcher);
  }
  return (await undici.fetch(url, { ...(init as object), dispatcher })) as unknown as Response;
}
