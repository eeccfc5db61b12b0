import { redactUrl } from './redact-url.js';

/** The HTTP status of a proxy that refused the tunnel, from hpagent's error ("Bad response: 407"). */
export function proxyRefusalStatus(message: string): string | undefined {
  return /^Bad response: (\d+)/.exec(message)?.[1];
}

/** The proxy refused to take a request to `host` on (a tunnel's CONNECT, or a 407 to a forwarded request). */
export function proxyRefused(proxy: string, host: string, status: string | number): string {
  return `the proxy ${redactUrl(proxy)} refused the connection to ${host} (HTTP ${status})`;
}

/** A failure of a request that went through `proxy`, said as the proxy's when it refused the tunnel. */
export function describeProxiedFailure(reason: string, proxy: string, host: string): string {
  const refused = proxyRefusalStatus(reason);
  return refused ? proxyRefused(proxy, host, refused) : `${reason} (through the proxy ${redactUrl(proxy)})`;
}
