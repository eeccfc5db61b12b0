import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { proxiedFetch } from '../../../../src/proxied-fetch.js';
import { directAlertmanagerTransport } from '../../../../src/triage/adapters/alertmanager-api.js';
import { probeUrl } from '../../../../src/triage/adapters/http-probe.js';
import { directTransport, PrometheusApi } from '../../../../src/triage/adapters/prometheus-api.js';
import {
  type ForwardProxy,
  startForwardProxy,
  startSocksProxy,
  withoutProxyEnvironment,
} from '../../../helpers/forward-proxy.js';

withoutProxyEnvironment();
const servers: Server[] = [];
const proxies: { close(): void }[] = [];
afterEach(() => {
  for (const proxy of proxies.splice(0)) proxy.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A server that answers like Prometheus, Alertmanager and a health endpoint, and records what it was asked. */
async function monitoringServer(): Promise<{ port: number; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((request, response) => {
    asked.push(`${request.method} ${request.headers.host} ${request.url}`);
    response.writeHead(200, { 'Content-Type': 'application/json' });
    if (request.url?.startsWith('/api/v1/query'))
      response.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
    else if (request.url?.startsWith('/api/v2/alerts')) response.end('[]');
    else response.end('{"status":"ok"}');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, asked };
}

async function proxyTo(port: number, refuse?: number): Promise<ForwardProxy> {
  const proxy = await startForwardProxy(port, refuse);
  proxies.push(proxy);
  return proxy;
}

const options = { timeoutMs: 3000, signal: new AbortController().signal };

describe('Prometheus, Alertmanager and --url probes behind a proxy from the environment', () => {
  it('reach hosts only the proxy can reach: plain http forwarded whole, as curl does', async () => {
    const monitoring = await monitoringServer();
    const proxy = await proxyTo(monitoring.port);
    process.env.HTTP_PROXY = proxy.url;
    const prometheus = new PrometheusApi(directTransport('http://prom.invalid:9090', options), 'prom');
    await expect(prometheus.query('up')).resolves.toEqual([]);
    const alertmanager = directAlertmanagerTransport('http://am.invalid:9093', options);
    await expect(alertmanager({ method: 'GET', path: '/api/v2/alerts' })).resolves.toBe('[]');
    const probe = await probeUrl('http://shop.invalid/healthz', { timeoutMs: 3000 });
    expect(probe).toMatchObject({ ok: true, status: 200 });
    // A proxy commonly allows CONNECT to port 443 only: plain http is not tunnelled.
    expect(proxy.tunnels).toEqual([]);
    expect(proxy.forwarded).toEqual([
      'GET http://prom.invalid:9090/api/v1/query?query=up',
      'GET http://am.invalid:9093/api/v2/alerts',
      'GET http://shop.invalid/healthz',
    ]);
    expect(monitoring.asked).toEqual([
      'GET prom.invalid:9090 /api/v1/query?query=up',
      'GET am.invalid:9093 /api/v2/alerts',
      'GET shop.invalid /healthz',
    ]);
  });

  it('reach https hosts through a CONNECT tunnel', async () => {
    const monitoring = await monitoringServer();
    const proxy = await proxyTo(monitoring.port);
    process.env.HTTPS_PROXY = proxy.url;
    // The server at the end of the tunnel speaks plain http, so the TLS handshake fails: the tunnel is what is checked.
    const prometheus = new PrometheusApi(directTransport('https://prom.invalid', options), 'prom');
    await expect(prometheus.query('up')).rejects.toThrow(`(through the proxy ${proxy.url})`);
    const probe = await probeUrl('https://shop.invalid/healthz', { timeoutMs: 3000 });
    expect(probe.ok).toBe(false);
    expect(proxy.tunnels).toEqual(['prom.invalid:443', 'shop.invalid:443']);
    expect(proxy.forwarded).toEqual([]);
  });

  it('go direct to a host NO_PROXY names, and to this machine', async () => {
    const monitoring = await monitoringServer();
    const proxy = await proxyTo(monitoring.port);
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = 'prom.invalid';
    const prometheus = new PrometheusApi(directTransport('http://prom.invalid:9090', options), 'prom');
    await expect(prometheus.query('up')).rejects.toThrow('Prometheus http://prom.invalid:9090 unreachable: ');
    const local = new PrometheusApi(directTransport(`http://127.0.0.1:${monitoring.port}`, options), 'prom');
    await expect(local.query('up')).resolves.toEqual([]);
    expect(await probeUrl(`http://localhost:${monitoring.port}/healthz`)).toMatchObject({ ok: true });
    expect(proxy.tunnels).toEqual([]);
    expect(proxy.forwarded).toEqual([]);
  });

  it('name the proxy that refused the tunnel, without the credentials in its URL', async () => {
    const monitoring = await monitoringServer();
    const proxy = await proxyTo(monitoring.port, 407);
    const withCredentials = proxy.url.replace('http://', 'http://alice:s3cret@');
    process.env.HTTP_PROXY = withCredentials;
    const prometheus = new PrometheusApi(directTransport('http://prom.invalid:9090', options), 'prom');
    const error = (await prometheus.query('up').catch((caught: unknown) => caught)) as Error;
    expect(error.message).toBe(
      `Prometheus http://prom.invalid:9090 unreachable: the proxy ${proxy.url} refused the connection to prom.invalid:9090 (HTTP 407)`,
    );
    const probe = await probeUrl('http://shop.invalid/healthz', { timeoutMs: 3000 });
    expect(probe).toMatchObject({
      ok: false,
      error: `the proxy ${proxy.url} refused the connection to shop.invalid (HTTP 407)`,
    });
    process.env.HTTPS_PROXY = withCredentials;
    const tunnelled = await probeUrl('https://shop.invalid/healthz', { timeoutMs: 3000 });
    expect(tunnelled).toMatchObject({
      ok: false,
      error: `the proxy ${proxy.url} refused the connection to shop.invalid (HTTP 407)`,
    });
    expect(proxy.forwarded).toEqual([
      'GET http://prom.invalid:9090/api/v1/query?query=up',
      'GET http://shop.invalid/healthz',
    ]);
    expect(proxy.tunnels).toEqual(['shop.invalid:443']);
    expect(JSON.stringify([error.message, probe, tunnelled])).not.toContain('s3cret');
    expect(monitoring.asked).toEqual([]);
  });

  it('say the proxy when it cannot be reached', async () => {
    const monitoring = await monitoringServer();
    const proxy = await proxyTo(monitoring.port);
    proxy.close();
    process.env.HTTP_PROXY = proxy.url;
    const probe = await probeUrl('http://shop.invalid/healthz', { timeoutMs: 3000 });
    expect(probe.ok).toBe(false);
    expect(probe.error).toContain(`ECONNREFUSED`);
    expect(probe.error).toContain(`(through the proxy ${proxy.url})`);
  });

  it('go through a SOCKS5 proxy (an SSH tunnel) too, names resolved on the far side', async () => {
    const monitoring = await monitoringServer();
    const socks = await startSocksProxy(monitoring.port);
    proxies.push(socks);
    process.env.HTTP_PROXY = socks.url;
    const prometheus = new PrometheusApi(directTransport('http://prom.invalid:9090', options), 'prom');
    await expect(prometheus.query('up')).resolves.toEqual([]);
    expect(await probeUrl('http://shop.invalid/healthz', { timeoutMs: 3000 })).toMatchObject({ ok: true, status: 200 });
    const posted = await proxiedFetch('http://hooks.invalid:8080/services/T0/B0', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"through the tunnel"}',
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toBe('{"status":"ok"}');
    expect(socks.connects).toEqual(['prom.invalid:9090', 'shop.invalid:80', 'hooks.invalid:8080']);
    expect(monitoring.asked.at(-1)).toBe('POST hooks.invalid:8080 /services/T0/B0');
  });

  it('name the SOCKS proxy that refused the connection', async () => {
    const monitoring = await monitoringServer();
    const socks = await startSocksProxy(monitoring.port, true);
    proxies.push(socks);
    process.env.HTTP_PROXY = socks.url;
    const probe = await probeUrl('http://shop.invalid/healthz', { timeoutMs: 3000 });
    expect(probe.ok).toBe(false);
    expect(probe.error).toContain(`(through the proxy ${socks.url})`);
    await expect(proxiedFetch('http://hooks.invalid:8080/x', { method: 'POST', body: '{}' })).rejects.toThrow(
      /refused|rejected/i,
    );
  });
});
