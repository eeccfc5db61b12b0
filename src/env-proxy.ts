import { isIP } from 'node:net';
import { getProxyForUrl } from 'proxy-from-env';

/**
 * The proxy a request to `server` goes through by the environment, as kubectl reads it: HTTPS_PROXY
 * (or HTTP_PROXY for an http:// server) unless NO_PROXY names the host; undefined for none. As in
 * Go's net/http, an API server on this machine (localhost, a loopback address) is never proxied.
 */
export function proxyFromEnvironment(server: string): string | undefined {
  let host: string;
  try {
    host = new URL(server).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
  if (isLoopback(host)) return undefined;
  return getProxyForUrl(server) || undefined;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return isIP(host) === 6 && (host === '::1' || host === '0:0:0:0:0:0:0:1');
}
