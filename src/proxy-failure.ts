import { redactUrl } from './redact-url.js';

/** The HTTP status of a proxy that refused the tunnel, from hpagent's error ("Bad response: 407"). */
export function proxyRefusalStatus(message: string): string | undefined {
  return /^Bad response: (\d+)/.exec(message)?.[1];
}

/** A failure of a request that went through `proxy`, said as the proxy's when it refused the tunnel. */
export function describeProxiedFailure(reason: string, proxy: string, host: string): string {
  const shown = redactUrl(proxy);
  const refused = proxyRefusalStatus(reason);
  return refused
    ? `the proxy ${shown} refused the connection to ${host} (HTTP ${refused})`
    : `${reason} (through the proxy ${shown})`;
}
