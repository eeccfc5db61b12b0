import type http from 'node:http';
import { isSocksProxy, proxyFromEnvironment, remoteResolvingSocks } from './env-proxy.js';
import { loadCommonJs } from './load-commonjs.js';

/** How one request of Node's http module goes through the environment's proxy. */
export interface ProxyRoute {
  proxy: string;
  /** Merged over the request's own options: the proxy's address, or an agent that tunnels through it. */
  options: http.RequestOptions;
  /** Added to the request's headers. */
  headers: Record<string, string>;
  /** True when the proxy forwards the request itself (its own answers, a 407, come back as answers). */
  forwards: boolean;
  /** Frees the tunnel once the request is done. */
  close(): void;
}

/**
 * The route through the environment's proxy (HTTPS_PROXY or HTTP_PROXY by the URL's scheme, unless
 * NO_PROXY names the host; this machine never), as curl takes it; undefined to go direct. An
 * `https://` request goes through a CONNECT tunnel (hpagent, as client-node's proxy-url); a plain
 * `http://` one is forwarded whole, as curl does, since proxies commonly allow CONNECT to port 443 only.
 * A SOCKS proxy (`socks5://localhost:1080`, an SSH tunnel as kubectl's docs set it up) takes both,
 * the host name resolved by the proxy, as kubectl's is. The agents load only for a request that goes
 * through a proxy: most triages have none, and would pay for loading them.
 */
export async function environmentProxyRoute(target: URL): Promise<ProxyRoute | undefined> {
  const proxy = proxyFromEnvironment(target.href);
  if (!proxy) return undefined;
  const via = new URL(proxy);
  if (isSocksProxy(proxy)) {
    const { SocksProxyAgent } = await loadCommonJs(import('socks-proxy-agent'));
    const agent = new SocksProxyAgent(remoteResolvingSocks(proxy));
    return { proxy, options: { agent }, headers: {}, forwards: false, close: () => agent.destroy() };
  }
  if (target.protocol === 'http:' && via.protocol === 'http:') {
    const headers: Record<string, string> = { Host: target.host };
    if (via.username || via.password) {
      const credentials = `${decodeURIComponent(via.username)}:${decodeURIComponent(via.password)}`;
      headers['Proxy-Authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
    }
    const options = {
      hostname: via.hostname,
      host: via.hostname,
      port: via.port || 80,
      path: target.href,
      agent: false,
    };
    return { proxy, options, headers, forwards: true, close: () => {} };
  }
  const { HttpProxyAgent, HttpsProxyAgent } = await loadCommonJs(import('hpagent'));
  const agent = target.protocol === 'https:' ? new HttpsProxyAgent({ proxy }) : new HttpProxyAgent({ proxy });
  return { proxy, options: { agent }, headers: {}, forwards: false, close: () => agent.destroy() };
}
