import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, beforeEach } from 'vitest';

const PROXY_VARIABLES = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
];

/** Each test of the file starts with no proxy variable set (the machine's own are put back after). */
export function withoutProxyEnvironment(): void {
  let saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
    for (const name of PROXY_VARIABLES) delete process.env[name];
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

/** A forward proxy for tests: each CONNECT tunnel goes to `target` on this machine, whatever host it names. */
export interface TunnellingProxy {
  url: string;
  /** The `host:port` of each CONNECT asked, in order. */
  tunnels: string[];
  close(): void;
}

/**
 * Starts the proxy. The hosts tests name (`prom.invalid`) resolve nowhere, so a request that reaches
 * `target` went through it. With `refuse`, every CONNECT is answered with that status instead.
 */
export async function startTunnellingProxy(target: number, refuse?: number): Promise<TunnellingProxy> {
  const tunnels: string[] = [];
  const proxy: Server = createServer();
  proxy.on('connect', (request, client) => {
    tunnels.push(request.url ?? '');
    if (refuse) {
      client.end(`HTTP/1.1 ${refuse} Proxy Authentication Required\r\n\r\n`);
      return;
    }
    const upstream = connect(target, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    tunnels,
    close: () => {
      proxy.closeAllConnections();
      proxy.close();
    },
  };
}
