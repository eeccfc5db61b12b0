// biome-ignore-all lint/suspicious/noExplicitAny: the tests read kubectl JSON freely
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { eventually, kubectlFor } from '../helpers/kubectl-runner.js';

/**
 * The simulator's networking.k8s.io/v1 NetworkPolicies through the real kubectl (v1.31): apply with
 * the API server's defaults, `get netpol` columns, server dry run, resourceVersion conflicts, watch
 * (kubectl wait --for=delete), validation; and their effect on the traffic model: a policy that
 * isolates a Service's pods stops their requests and times out the service proxy until it is deleted.
 */

let sim: RunningSim;
let home: string;
const kubectl = kubectlFor(() => ({ home, kubeconfig: sim.kubeconfigPath }));
const getJson = kubectl.json;

const DENY_WEB = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
`;

const ALLOW_CHECKOUT = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-checkout, namespace: shop}
spec:
  podSelector:
    matchLabels: {app: checkout}
    matchExpressions: [{key: tier, operator: NotIn, values: [db, cache]}]
  ingress:
    - from: [{namespaceSelector: {}}]
      ports: [{port: http}]
  egress:
    - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
`;

const SPEED = 20;

/** Requests served so far by the pods behind `shop/SERVICE`, from the simulator's metrics. */
async function served(service: string): Promise<number> {
  const text = await (await fetch(sim.metricsUrl)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('http_requests_total{') || !line.includes(`service="${service}"`)) continue;
    if (line.includes('namespace="shop"')) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  // The metrics URL counts per real second: back to simulated seconds, at the speed started with.
  return total * SPEED;
}

const proxyHealth = (service: string) =>
  kubectl(['get', '--raw', `/api/v1/namespaces/shop/services/${service}:http/proxy/healthz`]);

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-kubectl-netpol-'));
  sim = await startSim({ scenario: 'healthy', speed: SPEED });
});

afterAll(async () => {
  await sim?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('NetworkPolicies through kubectl', () => {
  it('discovery names the resource and its short name', async () => {
    const run = await kubectl(['api-resources', '--api-group=networking.k8s.io']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/networkpolicies\s+netpol\s+networking\.k8s\.io\/v1\s+true\s+NetworkPolicy/);
  });

  it('a server dry run validates and stores nothing; apply creates with the defaults', async () => {
    const dry = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: DENY_WEB });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('networkpolicy.networking.k8s.io/deny-web created (server dry run)');
    const missing = await kubectl(['get', 'netpol', 'deny-web', '-n', 'shop']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('networkpolicies.networking.k8s.io "deny-web" not found');

    const applied = await kubectl(['apply', '-f', '-'], { input: `${DENY_WEB}---${ALLOW_CHECKOUT}` });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('networkpolicy.networking.k8s.io/deny-web created');
    expect(applied.stdout).toContain('networkpolicy.networking.k8s.io/allow-checkout created');
    const deny = await getJson(['get', 'networkpolicy', 'deny-web', '-n', 'shop']);
    expect(deny.spec).toEqual({ podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] });
    expect(deny.metadata.generation).toBe(1);
    const allow = await getJson(['get', 'netpol', 'allow-checkout', '-n', 'shop']);
    expect(allow.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(allow.spec.ingress[0].ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
  });

  it('get netpol prints the API server columns: name, pod selector, age', async () => {
    const run = await kubectl(['get', 'netpol', '-n', 'shop']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+POD-SELECTOR\s+AGE$/);
    expect(lines[1]).toMatch(/^allow-checkout\s+app=checkout,tier notin \(cache,db\)\s+\d+s$/);
    expect(lines[2]).toMatch(/^deny-web\s+app=web\s+\d+s$/);
    const all = await kubectl(['get', 'networkpolicies', '-A', '--no-headers']);
    expect(all.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('refuses a stale resourceVersion and an unknown policy type', async () => {
    const current = await getJson(['get', 'netpol', 'deny-web', '-n', 'shop']);
    const stale = { ...current, metadata: { ...current.metadata, resourceVersion: '1' } };
    const replaced = await kubectl(['replace', '-f', '-'], { input: JSON.stringify(stale) });
    expect(replaced.code).not.toBe(0);
    expect(replaced.stderr).toContain('the object has been modified; please apply your changes to the latest version');

    const invalid = await kubectl(
      ['patch', 'netpol', 'deny-web', '-n', 'shop', '--type=merge', '-p', '{"spec":{"policyTypes":["Inbound"]}}'],
      {},
    );
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain('spec.policyTypes[0]: Unsupported value: "Inbound"');
  });

  it('an isolating policy stops the traffic of the pods it selects and times out the service proxy', async () => {
    sim.advance(30_000, 5_000);
    const webBefore = await served('web');
    const checkoutBefore = await served('checkout');
    sim.advance(60_000, 5_000);
    // deny-web admits nothing; allow-checkout admits the Service's clients on its port.
    expect(await served('web')).toBe(webBefore);
    expect(await served('checkout')).toBeGreaterThan(checkoutBefore + 600);

    const blocked = await proxyHealth('web');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toMatch(/error trying to reach service: dial tcp [\d.]+:8080: i\/o timeout/);
    const open = await proxyHealth('checkout');
    expect(open.code, open.stderr).toBe(0);
    expect(open.stdout).toBe('ok');
  });

  it('kubectl wait --for=delete watches the policy go; traffic and the proxy come back', async () => {
    const waiting = kubectl(['wait', '--for=delete', 'netpol/deny-web', '-n', 'shop', '--timeout=20s'], {
      timeoutMs: 25_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const deleted = await kubectl(['delete', 'netpol', 'deny-web', '-n', 'shop']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain('networkpolicy.networking.k8s.io "deny-web" deleted');
    const waited = await waiting;
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toContain('networkpolicy.networking.k8s.io/deny-web condition met');

    const webBefore = await served('web');
    sim.advance(60_000, 5_000);
    expect(await served('web')).toBeGreaterThan(webBefore + 600);
    const open = await eventually(async () => {
      const run = await proxyHealth('web');
      return run.code === 0 ? run : undefined;
    });
    expect(open.stdout).toBe('ok');
  });
});
