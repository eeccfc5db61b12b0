import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { directTransport, PrometheusApi } from '../../../../src/triage/adapters/prometheus-api.js';
import { resolveSignalsConfig } from '../../../../src/triage/signals/signals-config.js';
import { resolveSignalsSettings } from '../../../../src/triage/signals/signals-settings.js';

const signals = resolveSignalsConfig(undefined);
const config = (prometheus: { url?: string; tokenEnv?: string; timeout?: string }) => ({ prometheus, signals });

describe('the signals settings', () => {
  it('take the Prometheus URL from the flag, then INC_PROMETHEUS_URL, then the config', () => {
    const env = { INC_PROMETHEUS_URL: 'http://env:9090' };
    const fromConfig = config({ url: 'http://config:9090' });
    expect(resolveSignalsSettings({ prometheus: 'http://flag:9090' }, env, fromConfig).prometheusUrl).toBe(
      'http://flag:9090',
    );
    expect(resolveSignalsSettings({}, env, fromConfig).prometheusUrl).toBe('http://env:9090');
    expect(resolveSignalsSettings({}, {}, fromConfig).prometheusUrl).toBe('http://config:9090');
    expect(resolveSignalsSettings({}, {}, config({})).prometheusUrl).toBeUndefined();
    expect(() => resolveSignalsSettings({ prometheus: 'prometheus:9090' }, {}, config({}))).toThrow(
      /invalid Prometheus URL "prometheus:9090"/,
    );
  });

  it('read the bearer token from the variable the config names; a named but unset one is an error', () => {
    const named = config({ url: 'http://p:9090', tokenEnv: 'PROM_TOKEN' });
    expect(resolveSignalsSettings({}, { PROM_TOKEN: 's3cr3t-token' }, named).token).toBe('s3cr3t-token');
    expect(() => resolveSignalsSettings({}, {}, named)).toThrow(
      /prometheus.tokenEnv names PROM_TOKEN, which is not set/,
    );
  });

  it('bound the window and the sample, with the defaults of the issue', () => {
    const defaults = resolveSignalsSettings({}, {}, config({}));
    expect(defaults).toMatchObject({ windowMs: 300_000, sampleMs: 10_000, settleMs: 30_000, timeoutMs: 5000 });
    expect(() => resolveSignalsSettings({ window: '5s' }, {}, config({}))).toThrow(/--window must be at least 10s/);
    expect(() => resolveSignalsSettings({ sample: '3m' }, {}, config({}))).toThrow(/--sample must be between/);
  });
});

describe('the Prometheus API straight to a URL', () => {
  const servers: { close(): void }[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  it('sends the token as a bearer header only, and names the URL (never the token) when it fails', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      const ok = req.headers.authorization === 'Bearer s3cr3t-token';
      res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
      res.end(ok ? '{"status":"success","data":{"resultType":"vector","result":[]}}' : 'unauthorized');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const signal = new AbortController().signal;
    const api = (token?: string) => new PrometheusApi(directTransport(url, { token, timeoutMs: 2000, signal }), url);
    await expect(api('s3cr3t-token').query('up')).resolves.toEqual([]);
    expect(seen[0]?.authorization).toBe('Bearer s3cr3t-token');
    const refused = await api('wrong')
      .query('up')
      .catch((error: Error) => error.message);
    expect(refused).toBe(`Prometheus ${url} answered 401 Unauthorized`);
    expect(refused).not.toContain('wrong');
  });
});
