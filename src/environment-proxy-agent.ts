import type http from 'node:http';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { proxyFromEnvironment } from './env-proxy.js';

/** An agent that tunnels to `url` through the proxy it names, and that proxy. */
export interface ProxyRoute {
  agent: http.Agent;
  proxy: string;
}

/**
 * The route through the environment's proxy (HTTPS_PROXY or HTTP_PROXY by the URL's scheme, unless
 * NO_PROXY names the host; this machine never) for a request of Node's http module, as curl would
 * take it; undefined to go direct. A CONNECT tunnel, as client-node's proxy-url and Node's fetch
 * through a proxy use, with hpagent, the library client-node uses for it.
 */
export function environmentProxyRoute(url: string): ProxyRoute | undefined {
  const proxy = proxyFromEnvironment(url);
  if (!proxy) return undefined;
  const agent = url.startsWith('https:') ? new HttpsProxyAgent({ proxy }) : new HttpProxyAgent({ proxy });
  return { agent, proxy };
}
