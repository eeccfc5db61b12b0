import { createServer, request as httpRequest, type Server } from 'node:http';
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

/** A forward proxy for tests: whatever host a request names, it goes to `target` on this machine. */
export interface ForwardProxy {
  url: string;
  /** The `host:port` of each CONNECT tunnel asked (https:// requests), in order. */
  tunnels: string[];
  /** Each request forwarded whole (plain http://), as `METHOD absolute-URL`, in order. */
  forwarded: string[];
  close(): void;
}

/**
 * Starts the proxy. The hosts tests name (`prom.invalid`) resolve nowhere, so a request that reaches
 * `target` went through it. With `refuse`, every tunnel and request is answered with that status.
 */
export async function startForwardProxy(target: number, refuse?: number): Promise<ForwardProxy> {
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  const proxy: Server = createServer((request, response) => {
    forwarded.push(`${request.method} ${request.url}`);
    if (refuse) {
      response.writeHead(refuse).end();
      return;
    }
    const url = new URL(request.url ?? '/');
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: target,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
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
    forwarded,
    close: () => {
      proxy.closeAllConnections();
      proxy.close();
    },
  };
}
