import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeUrl } from '../../../src/triage/adapters/http-probe.js';
import { healthFindings } from '../../../src/triage/health.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('probeUrl', () => {
  it('reports status, a body summary and the phases of the exchange', async () => {
    const url = await serve((_req, res) => setTimeout(() => res.end('{"status": "ok",\n "db": "up"}'), 30));
    const probe = await probeUrl(`${url}/healthz`);
    expect(probe).toMatchObject({ ok: true, status: 200, body: '{"status": "ok", "db": "up"}' });
    expect(probe.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(probe.timings.firstByteMs).toBeGreaterThanOrEqual(25);
    expect(probe.timings.totalMs).toBeGreaterThanOrEqual(probe.timings.firstByteMs ?? 0);
    expect(probe.timings.tlsMs).toBeUndefined();
    expect(healthFindings([probe])).toEqual([]);
  });

  it('turns a 503 into a critical finding and a 404 into a warning', async () => {
    const url = await serve((req, res) => {
      res.statusCode = req.url === '/down' ? 503 : 404;
      res.end('nope');
    });
    const findings = healthFindings([await probeUrl(`${url}/down`), await probeUrl(`${url}/missing`)]);
    expect(findings.map((f) => [f.severity, f.title])).toEqual([
      ['critical', `${url}/down answered 503`],
      ['warning', `${url}/missing answered 404`],
    ]);
  });

  it('times out a silent endpoint and reports a refused connection, never throwing', async () => {
    const url = await serve(() => {});
    const slow = await probeUrl(url, { timeoutMs: 100 });
    expect(slow).toMatchObject({ ok: false, error: 'no answer within 100 ms' });
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    const refused = await probeUrl(url);
    expect(refused.ok).toBe(false);
    expect(refused.error).toContain('ECONNREFUSED');
    expect(healthFindings([refused])[0]).toMatchObject({ severity: 'critical', reason: 'HealthCheckFailed' });
  });
});
