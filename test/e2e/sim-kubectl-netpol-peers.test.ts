import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { kubectlFor } from '../helpers/kubectl-runner.js';

/**
 * NetworkPolicy peers and egress in the simulator's traffic model, driven by the real kubectl:
 * shop/web's pods call payments/api (the Service's `sim.inc.dev/clients`), so web's egress rules
 * and api's ingress rules (podSelector, namespaceSelector, both) decide whether the calls arrive,
 * and a call that cannot be made fails web's own request; then clients outside the cluster at an
 * address, admitted or not by an ipBlock and its exceptions. One simulator for the file.
 */

let sim: RunningSim;
let home: string;
const kubectl = kubectlFor(() => ({ home, kubeconfig: sim.kubeconfigPath }));

/** A policy of NAMESPACE selecting app=APP, with one rule of the given direction. */
const policy = (namespace: string, app: string, direction: 'ingress' | 'egress', rule: string) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${app}-${direction}, namespace: ${namespace}}
spec:
  podSelector: {matchLabels: {app: ${app}}}
  policyTypes: [${direction === 'ingress' ? 'Ingress' : 'Egress'}]
  ${direction}: [${rule}]
`;
const webEgress = (rule: string) => policy('shop', 'web', 'egress', rule);
const apiIngress = (from: string) => policy('payments', 'api', 'ingress', `{from: [${from}]}`);
const WEB_EGRESS_DNS_ONLY = webEgress(
  '{to: [{namespaceSelector: {}}], ports: [{port: 53, protocol: UDP}, {port: 53}]}',
);
const WEB_EGRESS_TO_API = webEgress(
  '{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: payments}}, podSelector: {matchLabels: {app: api}}}], ports: [{port: http}]}',
);

/** The simulator's speed: its metrics URL counts per real second, so amounts are multiplied back. */
const SPEED = 20;

/** Requests served so far (per simulated second), by Service and status code, from the simulator's metrics. */
async function counts(namespace: string, service: string): Promise<{ all: number; errors: number }> {
  const text = await (await fetch(sim.metricsUrl)).text();
  const result = { all: 0, errors: 0 };
  for (const line of text.split('\n')) {
    if (!line.startsWith('http_requests_total{') || !line.includes(`namespace="${namespace}"`)) continue;
    if (!line.includes(`service="${service}"`)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1)) * SPEED;
    result.all += value;
    if (line.includes('code="500"')) result.errors += value;
  }
  return result;
}

/** What the ingress controller counted for a Service so far, by status (per simulated second). */
async function atIngress(namespace: string, service: string): Promise<Record<string, number>> {
  const text = await (await fetch(sim.metricsUrl)).text();
  const byStatus: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('nginx_ingress_controller_requests{')) continue;
    if (!line.includes(`exported_namespace="${namespace}"`) || !line.includes(`service="${service}"`)) continue;
    const status = /status="(\d+)"/.exec(line)?.[1] ?? '';
    byStatus[status] = (byStatus[status] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)) * SPEED;
  }
  return byStatus;
}

/** What api and web served over a minute of simulated time, and web's 5xx ratio. */
async function minute(): Promise<{ api: number; web: number; webErrorRatio: number }> {
  const [api, web] = [await counts('payments', 'api'), await counts('shop', 'web')];
  sim.advance(60_000, 5_000);
  const [api2, web2] = [await counts('payments', 'api'), await counts('shop', 'web')];
  const served = web2.all - web.all;
  return { api: api2.all - api.all, web: served, webErrorRatio: (web2.errors - web.errors) / served };
}

/** Names the clients of payments/api (`sim.inc.dev/clients`). */
async function setApiClients(clients: string): Promise<void> {
  const run = await kubectl([
    'annotate',
    'service/api',
    '-n',
    'payments',
    '--overwrite',
    `sim.inc.dev/clients=${clients}`,
  ]);
  expect(run.code, run.stderr).toBe(0);
}

async function apply(manifest: string): Promise<void> {
  const run = await kubectl(['apply', '-f', '-'], { input: manifest });
  expect(run.code, run.stderr).toBe(0);
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-kubectl-netpol-peers-'));
  sim = await startSim({ scenario: 'healthy', speed: SPEED });
  await setApiClients('shop/web');
});

afterAll(async () => {
  await sim?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('NetworkPolicy peers and egress through kubectl', () => {
  it('web calls api; an egress policy admitting only DNS cuts the calls and web fails its own requests', async () => {
    const open = await minute();
    expect(open.api).toBeGreaterThan(600);
    expect(open.webErrorRatio).toBeLessThan(0.01);

    await apply(WEB_EGRESS_DNS_ONLY);
    const before = await atIngress('shop', 'web');
    const cut = await minute();
    expect(cut.api).toBe(0);
    expect(cut.web).toBeGreaterThan(600);
    expect(cut.webErrorRatio).toBeGreaterThan(0.99);
    // The ingress controller in front of web passes web's 5xx on to the clients.
    const after = await atIngress('shop', 'web');
    const delta = (status: string) => (after[status] ?? 0) - (before[status] ?? 0);
    expect(delta('500')).toBeGreaterThan(600);
    expect(delta('500') / (delta('500') + delta('200'))).toBeGreaterThan(0.99);
  });

  it('egress to api by namespace and pod, and api admitting web by namespace and pod, restore both', async () => {
    await apply(WEB_EGRESS_TO_API);
    // A podSelector alone names pods of api's own namespace: web's are in shop.
    await apply(apiIngress('{podSelector: {matchLabels: {app: web}}}'));
    const sameNamespaceOnly = await minute();
    expect(sameNamespaceOnly.api).toBe(0);
    expect(sameNamespaceOnly.webErrorRatio).toBeGreaterThan(0.99);

    await apply(
      apiIngress(
        '{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}, podSelector: {matchLabels: {app: web}}}',
      ),
    );
    const restored = await minute();
    expect(restored.api).toBeGreaterThan(600);
    expect(restored.webErrorRatio).toBeLessThan(0.01);
    const proxied = await kubectl(['get', '--raw', '/api/v1/namespaces/payments/services/api:http/proxy/healthz']);
    expect(proxied.code, proxied.stderr).toBe(0);
  });

  it('clients outside the cluster reach api only from an address an ipBlock admits and no exception excludes', async () => {
    await setApiClients('203.0.113.7');
    // Selectors name pods, never an address outside the cluster.
    expect((await minute()).api).toBe(0);

    await apply(apiIngress("{ipBlock: {cidr: 203.0.113.0/24, except: ['203.0.113.0/28']}}"));
    expect((await minute()).api).toBe(0);
    const blocked = await kubectl(['get', '--raw', '/api/v1/namespaces/payments/services/api:http/proxy/healthz']);
    expect(blocked.stderr).toMatch(/dial tcp [\d.]+:8080: i\/o timeout/);

    await apply(apiIngress("{ipBlock: {cidr: 203.0.113.0/24, except: ['203.0.113.128/25']}}"));
    expect((await minute()).api).toBeGreaterThan(600);
    const policy = await kubectl.json(['get', 'netpol', 'api-ingress', '-n', 'payments']);
    expect(policy.spec.ingress[0].from[0].ipBlock).toEqual({ cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] });
  });

  it('a Service whose pods admit no ingress: its requests time out at the ingress controller, 504', async () => {
    await apply(policy('shop', 'web', 'ingress', ''));
    const before = await atIngress('shop', 'web');
    const blocked = await minute();
    expect(blocked.web).toBe(0);
    const after = await atIngress('shop', 'web');
    expect((after['504'] ?? 0) - (before['504'] ?? 0)).toBeGreaterThan(1100);
    expect((after['200'] ?? 0) - (before['200'] ?? 0)).toBe(0);
  });
});
