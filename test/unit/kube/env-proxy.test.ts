import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.js';
import { noProxyMatches, proxyFromEnvironment } from '../../../src/env-proxy.js';
import { KubeClient } from '../../../src/kube/client.js';
import { ClusterUnreachableError } from '../../../src/kube/errors.js';
import type { ResolvedKubeconfig } from '../../../src/kubeconfig/resolve-kubeconfig.js';
import {
  type ForwardProxy,
  startForwardProxy,
  startSocksProxy,
  withoutProxyEnvironment,
} from '../../helpers/forward-proxy.js';

const servers: Server[] = [];
const clients: KubeClient[] = [];
const proxies: { close(): void }[] = [];

withoutProxyEnvironment();
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  for (const proxy of proxies.splice(0)) proxy.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

describe('proxyFromEnvironment', () => {
  it('takes HTTPS_PROXY for https, HTTP_PROXY for http, and leaves out what NO_PROXY names', () => {
    process.env.HTTPS_PROXY = 'http://proxy.corp:3128';
    process.env.HTTP_PROXY = 'http://plain.corp:3128';
    process.env.NO_PROXY = '.internal.corp,10.0.0.7';
    expect(proxyFromEnvironment('https://api.prod.example.com:6443')).toBe('http://proxy.corp:3128');
    expect(proxyFromEnvironment('http://api.prod.example.com:8080')).toBe('http://plain.corp:3128');
    expect(proxyFromEnvironment('https://k8s.internal.corp:6443')).toBeUndefined();
    expect(proxyFromEnvironment('https://10.0.0.7:6443')).toBeUndefined();
  });

  it('leaves out an address in a NO_PROXY block (10.0.0.0/8), as Go and curl read it', () => {
    process.env.HTTPS_PROXY = 'http://proxy.corp:3128';
    process.env.NO_PROXY = '.corp.example, 10.0.0.0/8,fd00::/8, 192.168.1.0/33';
    expect(proxyFromEnvironment('https://10.20.30.40:6443')).toBeUndefined();
    expect(proxyFromEnvironment('https://[fd00::7]:6443')).toBeUndefined();
    expect(proxyFromEnvironment('https://api.corp.example:6443')).toBeUndefined();
    expect(proxyFromEnvironment('https://11.0.0.1:6443')).toBe('http://proxy.corp:3128');
    // A block that is not one (a /33) is no block: the address goes through the proxy.
    expect(proxyFromEnvironment('https://192.168.1.5:6443')).toBe('http://proxy.corp:3128');
    expect(proxyFromEnvironment('https://api.prod.example.com:6443')).toBe('http://proxy.corp:3128');
  });

  it('matches NO_PROXY as kubectl (Go) does: a domain and its subdomains, a leading dot for subdomains only, ports', () => {
    const cases: [string, string, string, boolean][] = [
      ['corp.example', 'corp.example', '443', true],
      ['corp.example', 'api.corp.example', '443', true],
      ['corp.example', 'notcorp.example', '443', false],
      ['.corp.example', 'api.corp.example', '443', true],
      ['.corp.example', 'corp.example', '443', false],
      ['*.corp.example', 'api.corp.example', '443', true],
      ['corp.example:6443', 'api.corp.example', '6443', true],
      ['corp.example:6443', 'api.corp.example', '443', false],
      ['10.1.2.3', '10.1.2.3', '6443', true],
      ['10.1.2.3:443', '10.1.2.3', '6443', false],
      ['[fd00::7]:6443', 'fd00::7', '6443', true],
      ['10.0.0.0/8', '10.200.0.1', '443', true],
      ['10.0.0.0/8', 'ten.example', '443', false],
      ['  API.Corp.Example  , other', 'api.corp.example', '443', true],
      ['*', 'anything.example', '443', true],
      ['', 'anything.example', '443', false],
    ];
    for (const [noProxy, host, port, expected] of cases)
      expect(noProxyMatches(noProxy, host, port), `${noProxy} ~ ${host}:${port}`).toBe(expected);
  });

  it('takes a proxy without a scheme as http://, and the upper-case variable first, as Go does', () => {
    process.env.HTTPS_PROXY = 'proxy.corp:3128';
    process.env.https_proxy = 'http://other.corp:8080';
    expect(proxyFromEnvironment('https://api.prod.example.com:6443')).toBe('http://proxy.corp:3128');
    // An https:// server never falls back to HTTP_PROXY.
    delete process.env.HTTPS_PROXY;
    delete process.env.https_proxy;
    process.env.HTTP_PROXY = 'http://plain.corp:3128';
    expect(proxyFromEnvironment('https://api.prod.example.com:6443')).toBeUndefined();
  });

  it('never proxies an API server on this machine, as kubectl does not', () => {
    process.env.HTTPS_PROXY = 'http://proxy.corp:3128';
    process.env.HTTP_PROXY = 'http://proxy.corp:3128';
    for (const server of ['http://127.0.0.1:6443', 'https://localhost:6443', 'https://[::1]:6443'])
      expect(proxyFromEnvironment(server)).toBeUndefined();
  });
});

/** A proxy tunnelling to `target`, closed after the test. */
async function tunnellingProxy(target: number, refuse?: number): Promise<ForwardProxy> {
  const proxy = await startForwardProxy(target, refuse);
  proxies.push(proxy);
  return proxy;
}

async function apiServer(): Promise<number> {
  const api = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ gitVersion: 'v1.31.0' }));
  });
  servers.push(api);
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  return (api.address() as AddressInfo).port;
}

/** A client of an API server named cluster.invalid, a name only the proxy knows how to reach. */
function clientOf(server: string): KubeClient {
  const cluster = { server };
  const user = { token: 'secret-token' };
  const resolved: ResolvedKubeconfig = {
    source: 'test',
    contextName: 'prod-eu',
    clusterName: 'prod-eu',
    userName: 'u',
    cluster,
    user,
    server,
    namespace: 'default',
    contextNamespace: undefined,
    merged: {
      files: [],
      currentContext: 'prod-eu',
      clusters: [{ name: 'prod-eu', value: cluster }],
      users: [{ name: 'u', value: user }],
      contexts: [{ name: 'prod-eu', value: { cluster: 'prod-eu', user: 'u' } }],
    },
  };
  const client = new KubeClient({
    resolved,
    clock: new FakeClock(),
    signal: new AbortController().signal,
    requestTimeoutMs: 5000,
  });
  clients.push(client);
  return client;
}

describe('KubeClient behind a proxy from the environment', () => {
  it('reaches an API server only the proxy can reach, through a CONNECT tunnel', async () => {
    const proxy = await tunnellingProxy(await apiServer());
    process.env.HTTP_PROXY = proxy.url;
    await expect(clientOf('http://cluster.invalid:6443').get('/version')).resolves.toEqual({ gitVersion: 'v1.31.0' });
    expect(proxy.tunnels).toEqual(['cluster.invalid:6443']);
  });

  it('reaches it through a SOCKS5 proxy (an SSH tunnel), the name resolved on the far side, as kubectl does', async () => {
    const socks = await startSocksProxy(await apiServer());
    proxies.push(socks);
    process.env.HTTP_PROXY = socks.url;
    await expect(clientOf('http://cluster.invalid:6443').get('/version')).resolves.toEqual({ gitVersion: 'v1.31.0' });
    expect(socks.connects).toEqual(['cluster.invalid:6443']);
  });

  it('goes direct for a host NO_PROXY names', async () => {
    const proxy = await tunnellingProxy(await apiServer());
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = 'cluster.invalid';
    const error = await clientOf('http://cluster.invalid:6443')
      .get('/version')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect(proxy.tunnels).toEqual([]);
  });

  it('says when the proxy refused the tunnel, naming it without its credentials', async () => {
    const proxy = await tunnellingProxy(await apiServer(), 407);
    process.env.HTTP_PROXY = proxy.url.replace('http://', 'http://alice:s3cret@');
    const error = (await clientOf('http://cluster.invalid:6443')
      .get('/version')
      .catch((caught: unknown) => caught)) as ClusterUnreachableError;
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect(error.message).toContain(`the proxy ${proxy.url} refused the connection to cluster.invalid:6443 (HTTP 407)`);
    expect(error.message).not.toContain('s3cret');
  });
});
