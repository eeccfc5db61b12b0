import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { KUBECTL } from '../helpers/binaries.js';
import { type PromSample, type RunningPrometheus, startPrometheus } from '../helpers/prometheus.js';

/**
 * The simulator's traffic as a real Prometheus sees it: Debian's Prometheus scrapes the simulator's
 * metrics URL every second and PromQL reads the planted symptoms; the real kubectl reads a pod's own
 * metrics through the pods proxy and queries Prometheus through the services proxy.
 */

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let home: string;
const running: { stop(): Promise<void> }[] = [];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-sim-traffic-'));
});
afterEach(async () => {
  for (const server of running.splice(0).reverse()) await server.stop();
  await rm(home, { recursive: true, force: true });
});

async function open(scenario: string): Promise<{ sim: RunningSim; prometheus: RunningPrometheus }> {
  const sim = await startSim({ scenario });
  running.push(sim);
  const prometheus = await startPrometheus({ targets: [{ job: 'inc-sim', url: sim.metricsUrl }] });
  running.push(prometheus);
  return { sim, prometheus };
}

function kubectl(sim: RunningSim, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      args,
      { timeout: 30_000, env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: sim.kubeconfigPath } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

const ERROR_RATIO = (namespace: string, service: string) =>
  `sum(rate(http_requests_total{namespace="${namespace}",service="${service}",code=~"5.."}[10s]))` +
  ` / sum(rate(http_requests_total{namespace="${namespace}",service="${service}"}[10s]))`;
const P99 = (namespace: string, service: string) =>
  `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="${namespace}",service="${service}"}[10s])))`;

const near = (value: number, tolerance: number) => (samples: PromSample[]) =>
  samples.length === 1 && Math.abs(samples[0]!.value - value) <= tolerance;

describe('simulated traffic in a real Prometheus', () => {
  it('bad-deploy-errors: 5xx ratio 0.3 on payments/api, baseline elsewhere; queried through the services proxy too', async () => {
    const { sim, prometheus } = await open('bad-deploy-errors');
    const [ratio] = await prometheus.waitFor(ERROR_RATIO('payments', 'api'), near(0.3, 0.03), 30_000);
    expect(ratio!.value).toBeGreaterThan(0.27);
    const [web] = await prometheus.waitFor(ERROR_RATIO('shop', 'web'), (s) => s.length === 1, 10_000);
    expect(web!.value).toBeLessThan(0.01);
    // Every api pod is behind the Service, labelled with namespace, pod and service.
    const pods = await prometheus.query('count by (pod) (http_requests_total{namespace="payments",service="api"})');
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(p.metric.pod).toMatch(/^api-[a-z0-9]+-[a-z0-9]{5}$/);
    const restarts = await prometheus.query('kube_pod_container_status_restarts_total{namespace="payments"}');
    expect(restarts.length).toBeGreaterThanOrEqual(3);

    // Registered as in a cluster with the Prometheus operator, it answers through the API server.
    const manifest = join(home, 'prometheus-operated.yaml');
    await writeFile(manifest, prometheusService(prometheus.port));
    const applied = await kubectl(sim, ['apply', '-f', manifest]);
    expect(applied.code, applied.stderr).toBe(0);
    const query = new URLSearchParams({ query: ERROR_RATIO('payments', 'api') });
    const proxied = await kubectl(sim, [
      'get',
      '--raw',
      `/api/v1/namespaces/monitoring/services/prometheus-operated:web/proxy/api/v1/query?${query}`,
    ]);
    expect(proxied.code, proxied.stderr).toBe(0);
    const body = JSON.parse(proxied.stdout) as { status: string; data: { result: { value: [number, string] }[] } };
    expect(body.status).toBe('success');
    expect(Number(body.data.result[0]!.value[1])).toBeCloseTo(0.3, 1);
    // A POSTed form (as HTTP clients send long queries) is forwarded with its body.
    const posted = await fetch(
      `${sim.url}/api/v1/namespaces/monitoring/services/prometheus-operated:9090/proxy/api/v1/query`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: 'up{job="inc-sim"}' }).toString(),
        signal: AbortSignal.timeout(10_000),
      },
    );
    expect(posted.status).toBe(200);
    const up = (await posted.json()) as { data: { result: { value: [number, string] }[] } };
    expect(up.data.result.map((r) => r.value[1])).toEqual(['1']);
  }, 90_000);

  it('latency-regression: p99 of payments/api ten times that of the services still on their old version', async () => {
    const { prometheus } = await open('latency-regression');
    const [api] = await prometheus.waitFor(P99('payments', 'api'), near(1.5, 0.1), 30_000);
    const [web] = await prometheus.waitFor(P99('shop', 'web'), near(0.15, 0.01), 10_000);
    expect(api!.value / web!.value).toBeGreaterThan(9);
    expect(api!.value / web!.value).toBeLessThan(11);
    const [errors] = await prometheus.waitFor(ERROR_RATIO('payments', 'api'), (s) => s.length === 1, 10_000);
    expect(errors!.value).toBeLessThan(0.01);
  }, 90_000);
});

describe('the proxy subresources through the real kubectl', () => {
  it("pods/proxy serves a pod's own metrics; a wrong port is refused and an unknown path is 404", async () => {
    const sim = await startSim({ scenario: 'bad-deploy-errors' });
    running.push(sim);
    const names = await kubectl(sim, ['get', 'pods', '-n', 'payments', '-l', 'app=api', '-o', 'name']);
    const pod = names.stdout.trim().split('\n')[0]!.replace('pod/', '');
    for (const port of ['8080', 'http']) {
      const raw = await kubectl(sim, ['get', '--raw', `/api/v1/namespaces/payments/pods/${pod}:${port}/proxy/metrics`]);
      expect(raw.code, raw.stderr).toBe(0);
      expect(raw.stdout).toContain('# TYPE http_request_duration_seconds histogram');
      expect(raw.stdout).not.toContain('namespace="payments"');
      const count = (code: string) =>
        [
          ...raw.stdout.matchAll(
            new RegExp(`^http_requests_total\\{code="${code}",method="\\w+"\\} (\\d+) (\\d+)$`, 'gm'),
          ),
        ]
          .map((m) => Number(m[1]))
          .reduce((a, b) => a + b, 0);
      expect(count('500') + count('200')).toBeGreaterThan(1000);
      expect(count('500') / (count('500') + count('200'))).toBeCloseTo(0.3, 2);
    }
    const refused = await kubectl(sim, ['get', '--raw', `/api/v1/namespaces/payments/pods/${pod}:9999/proxy/metrics`]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('connection refused');
    const missing = await kubectl(sim, ['get', '--raw', `/api/v1/namespaces/payments/pods/${pod}:8080/proxy/nope`]);
    expect(missing.code).not.toBe(0);
    const pods = await kubectl(sim, ['get', 'pod', pod, '-n', 'payments', '-o', 'jsonpath={.metadata.annotations}']);
    expect(JSON.parse(pods.stdout)).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080' });
  });

  it('services/proxy reaches a simulated pod behind the Service, and says when there is no endpoint', async () => {
    const sim = await startSim({ scenario: 'bad-deploy-errors' });
    running.push(sim);
    const viaService = await kubectl(sim, [
      'get',
      '--raw',
      '/api/v1/namespaces/payments/services/api:http/proxy/metrics',
    ]);
    expect(viaService.code, viaService.stderr).toBe(0);
    // Stamped with the simulated clock (the text format's optional timestamp, in ms).
    expect(viaService.stdout).toMatch(/^http_requests_total\{code="500",method="GET"\} \d+ \d{13}$/m);
    const manifest = join(home, 'prometheus-operated.yaml');
    await writeFile(manifest, prometheusService(9, { withEndpoints: false }));
    expect((await kubectl(sim, ['apply', '-f', manifest])).code).toBe(0);
    const none = await kubectl(sim, [
      'get',
      '--raw',
      '/api/v1/namespaces/monitoring/services/prometheus-operated:web/proxy/api/v1/query?query=up',
    ]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('(ServiceUnavailable): no endpoints available for service "prometheus-operated"');
  });
});

/** A selector-less Service named as the Prometheus operator names it, with its Endpoints on 127.0.0.1. */
function prometheusService(port: number, options: { withEndpoints?: boolean } = {}): string {
  const metadata = {
    name: 'prometheus-operated',
    namespace: 'monitoring',
    labels: { 'app.kubernetes.io/name': 'prometheus' },
  };
  const items: unknown[] = [
    { apiVersion: 'v1', kind: 'Service', metadata, spec: { ports: [{ name: 'web', port: 9090, targetPort: 'web' }] } },
  ];
  if (options.withEndpoints !== false) {
    items.push({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata,
      subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'web', port }] }],
    });
  }
  return items.map((item) => stringify(item)).join('---\n');
}
