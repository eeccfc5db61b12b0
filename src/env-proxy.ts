import { BlockList, isIP } from 'node:net';

/**
 * The proxy a request to `server` goes through by the environment, read as kubectl reads it (Go's
 * net/http): HTTPS_PROXY for an https:// server, HTTP_PROXY for an http:// one (upper case first),
 * unless NO_PROXY matches the host; undefined for none. A proxy given without a scheme
 * (`proxy.corp:3128`) is http://. An API server on this machine (localhost, a loopback address) is
 * never proxied.
 */
export function proxyFromEnvironment(server: string): string | undefined {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return undefined;
  }
  const https = url.protocol === 'https:';
  if (!https && url.protocol !== 'http:') return undefined;
  const proxy = environment(https ? 'HTTPS_PROXY' : 'HTTP_PROXY');
  if (!proxy) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopback(host)) return undefined;
  const port = url.port || (https ? '443' : '80');
  if (noProxyMatches(environment('NO_PROXY'), host, port)) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

function environment(name: string): string {
  return (process.env[name] || process.env[name.toLowerCase()] || '').trim();
}

/**
 * NO_PROXY as Go reads it, entries split by commas: `*` (everything); a block of addresses
 * (`10.0.0.0/8`); an address, with a port or not; a domain, which matches itself and its subdomains
 * (`corp.example` matches `api.corp.example`), or only its subdomains with a leading `.` or `*.`;
 * a port after a domain or an address narrows it to that port.
 */
export function noProxyMatches(noProxy: string, host: string, port: string): boolean {
  const family = isIP(host);
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const block = /^([0-9a-f.:]+)\/(\d{1,3})$/.exec(entry);
    if (block) {
      if (family !== 0 && inBlock(host, family, block[1] as string, Number(block[2]))) return true;
      continue;
    }
    const { name, entryPort } = splitPort(entry);
    if (!name || (entryPort && entryPort !== port)) continue;
    if (isIP(name) !== 0) {
      if (family !== 0 && sameAddress(name, host)) return true;
      continue;
    }
    const domain = name.startsWith('*.') ? name.slice(1) : name;
    if (domain.startsWith('.') ? host.endsWith(domain) : host === domain || host.endsWith(`.${domain}`)) return true;
  }
  return false;
}

/** `host:port`, `[v6]:port`, or a name or address alone (an IPv6 address without brackets has no port). */
function splitPort(entry: string): { name: string; entryPort?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1] as string, entryPort: bracketed[2] };
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  return withPort ? { name: withPort[1] as string, entryPort: withPort[2] } : { name: entry };
}

function inBlock(host: string, family: number, address: string, prefix: number): boolean {
  const kind = isIP(address);
  if (kind !== family || prefix > (kind === 4 ? 32 : 128)) return false;
  const blocks = new BlockList();
  const type = kind === 4 ? 'ipv4' : 'ipv6';
  blocks.addSubnet(address, prefix, type);
  return blocks.check(host, type);
}

function sameAddress(a: string, b: string): boolean {
  const type = isIP(a) === 4 ? 'ipv4' : 'ipv6';
  if (isIP(b) !== isIP(a)) return false;
  const list = new BlockList();
  list.addAddress(a, type);
  return list.check(b, type);
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return isIP(host) === 6 && (host === '::1' || host === '0:0:0:0:0:0:0:1');
}

/** Whether a proxy URL names a SOCKS proxy (`socks5://`, `socks5h://`, `socks4://`). */
export function isSocksProxy(proxy: string): boolean {
  return /^socks(4a?|5h?)?:\/\//i.test(proxy);
}

/**
 * `socks5://` as Go reads it: the proxy resolves the host name (curl's `socks5h://`). A cluster
 * reached through an SSH tunnel has names only the far side resolves.
 */
export function remoteResolvingSocks(proxy: string): string {
  return proxy.replace(/^socks5:\/\//i, 'socks5h://');
}
