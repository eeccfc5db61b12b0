import { BlockList, isIP } from 'node:net';
import { getProxyForUrl } from 'proxy-from-env';

/**
 * The proxy a request to `server` goes through by the environment, as kubectl reads it: HTTPS_PROXY
 * (or HTTP_PROXY for an http:// server) unless NO_PROXY names the host, or holds a block of
 * addresses (10.0.0.0/8) the server's address is in; undefined for none. As in Go's net/http, an API
 * server on this machine (localhost, a loopback address) is never proxied.
 */
export function proxyFromEnvironment(server: string): string | undefined {
  let host: string;
  try {
    host = new URL(server).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
  if (isLoopback(host) || inNoProxyBlock(host)) return undefined;
  return getProxyForUrl(server) || undefined;
}

/**
 * Whether NO_PROXY holds a CIDR block the address `host` is in: Go and curl read them, proxy-from-env
 * does not, and an API server at a private address would otherwise go to a proxy that cannot reach it.
 */
function inNoProxyBlock(host: string): boolean {
  const family = isIP(host);
  if (family === 0) return false;
  const noProxy = process.env.no_proxy || process.env.NO_PROXY || '';
  const blocks = new BlockList();
  for (const entry of noProxy.split(/[,\s]+/)) {
    const match = /^([0-9a-fA-F.:]+)\/(\d{1,3})$/.exec(entry.trim());
    const address = match?.[1];
    const kind = address ? isIP(address) : 0;
    if (!match || kind === 0) continue;
    const prefix = Number(match[2]);
    if (prefix <= (kind === 4 ? 32 : 128)) blocks.addSubnet(address as string, prefix, kind === 4 ? 'ipv4' : 'ipv6');
  }
  return blocks.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return isIP(host) === 6 && (host === '::1' || host === '0:0:0:0:0:0:0:1');
}
