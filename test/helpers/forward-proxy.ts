import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';
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

/** A SOCKS5 proxy for tests (no authentication): each CONNECT goes to `target` on this machine. */
export interface SocksProxy {
  url: string;
  /** The `host:port` of each CONNECT asked, as the client sent it (a name when it left resolving to the proxy). */
  connects: string[];
  close(): void;
}

/** Starts the SOCKS5 proxy; with `refuse`, every CONNECT is answered with "connection refused". */
export async function startSocksProxy(target: number, refuse = false): Promise<SocksProxy> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server = createNetServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.once('data', (greeting: Buffer) => {
      if (greeting[0] !== 5) return client.destroy();
      client.write(Buffer.from([5, 0]));
      client.once('data', (ask: Buffer) => {
        const kind = ask[3];
        let host: string;
        let at: number;
        if (kind === 1) {
          host = [...ask.subarray(4, 8)].join('.');
          at = 8;
        } else if (kind === 3) {
          const length = ask[4] as number;
          host = ask.subarray(5, 5 + length).toString('latin1');
          at = 5 + length;
        } else return client.destroy();
        connects.push(`${host}:${ask.readUInt16BE(at)}`);
        const reply = (code: number) => Buffer.from([5, code, 0, 1, 0, 0, 0, 0, 0, 0]);
        if (refuse) {
          client.end(reply(5));
          return;
        }
        const upstream = connect(target, '127.0.0.1', () => {
          client.write(reply(0));
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `socks5://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connects,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
