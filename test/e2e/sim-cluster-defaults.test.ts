// biome-ignore-all lint/suspicious/noExplicitAny: the tests read kubectl JSON freely
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { eventually, kubectlFor } from '../helpers/kubectl-runner.js';

/**
 * What every cluster has before anyone deploys, and what the API server and scheduler add on their own,
 * read back through the real kubectl (v1.31): the `kubernetes` Service, each namespace's `default`
 * ServiceAccount and `kube-root-ca.crt`, probe and pod defaults, spreading, and `auth can-i --list`.
 */

let sim: RunningSim;
let home: string;
const kubectl = kubectlFor(() => ({ home, kubeconfig: sim.kubeconfigPath }));

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-sim-defaults-'));
  sim = await startSim({ scenario: 'empty', speed: 20 });
});

afterAll(async () => {
  await sim?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('the objects a cluster starts with', () => {
  it('serves the kubernetes Service in default, without a selector, with the API server as its endpoint', async () => {
    const service = await kubectl.json(['get', 'service', 'kubernetes', '-n', 'default']);
    expect(service.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' });
    expect(service.spec).toMatchObject({
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
    });
    expect(service.spec.selector).toBeUndefined();
    const listed = await kubectl(['get', 'svc', '-n', 'default']);
    expect(listed.stdout).toMatch(/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/);
    const endpoints = await kubectl(['get', 'endpoints', 'kubernetes', '-n', 'default']);
    expect(endpoints.stdout).toMatch(/kubernetes\s+172\.18\.0\.2:6443/);
  });

  it('gives every namespace, new ones too, a default ServiceAccount and the kube-root-ca.crt ConfigMap', async () => {
    for (const ns of ['default', 'kube-system', 'shop']) {
      const accounts = await kubectl.json(['get', 'serviceaccounts', '-n', ns]);
      expect(accounts.items.map((a: any) => a.metadata.name)).toContain('default');
      const ca = await kubectl.json(['get', 'configmap', 'kube-root-ca.crt', '-n', ns]);
      expect(ca.data['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    }
    const created = await kubectl(['create', 'namespace', 'fresh']);
    expect(created.code, created.stderr).toBe(0);
    const account = await eventually(async () => {
      const got = await kubectl(['get', 'serviceaccount', 'default', '-n', 'fresh', '-o', 'name']);
      return got.code === 0 ? got.stdout.trim() : undefined;
    });
    expect(account).toBe('serviceaccount/default');
    // A deleted root CA bundle is published again, as the controller does.
    await eventually(async () =>
      (await kubectl(['get', 'cm', 'kube-root-ca.crt', '-n', 'fresh'])).code === 0 ? true : undefined,
    );
    const deleted = await kubectl(['delete', 'configmap', 'kube-root-ca.crt', '-n', 'fresh']);
    expect(deleted.code, deleted.stderr).toBe(0);
    await eventually(async () =>
      (await kubectl(['get', 'cm', 'kube-root-ca.crt', '-n', 'fresh'])).code === 0 ? true : undefined,
    );
  });
});

describe('what the API server fills in on write', () => {
  it('defaults probe timings and the pod fields kubectl describe prints', async () => {
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'probed', namespace: 'shop' },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.25',
            readinessProbe: { httpGet: { port: 80 } },
            livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
          },
        ],
      },
    });
    const applied = await kubectl(['apply', '-f', '-'], { input: manifest });
    expect(applied.code, applied.stderr).toBe(0);
    const pod = await kubectl.json(['get', 'pod', 'probed', '-n', 'shop']);
    const [container] = pod.spec.containers;
    expect(container.readinessProbe).toEqual({
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(container.livenessProbe).toMatchObject({ periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3 });
    expect(pod.spec).toMatchObject({
      serviceAccountName: 'default',
      enableServiceLinks: true,
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    const described = await kubectl(['describe', 'pod', 'probed', '-n', 'shop']);
    expect(described.stdout).toMatch(
      /Readiness:\s+http-get http:\/\/:80\/ delay=0s timeout=1s period=10s #success=1 #failure=3/,
    );
    expect(described.stdout).toMatch(/Service Account:\s+default/);
  });
});

describe('the scheduler', () => {
  it('spreads pods that request nothing over the nodes', async () => {
    const created = await kubectl([
      'create',
      'deployment',
      'plain',
      '-n',
      'shop',
      '--image=nginx:1.25',
      '--replicas=6',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const nodes = await eventually(async () => {
      const pods = (await kubectl.json(['get', 'pods', '-n', 'shop', '-l', 'app=plain'])).items;
      const bound = pods.map((p: any) => p.spec.nodeName).filter(Boolean);
      return bound.length === 6 ? (bound as string[]) : undefined;
    });
    const perNode = new Map<string, number>();
    for (const node of nodes) perNode.set(node, (perNode.get(node) ?? 0) + 1);
    expect([...perNode.values()]).toEqual([2, 2, 2]);
  });
});

describe('kubectl auth can-i --list', () => {
  it('lists what the user may do: everything, on the simulator', async () => {
    const run = await kubectl(['auth', 'can-i', '--list', '-n', 'shop']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/);
    expect(run.stdout).toMatch(/^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
    expect(run.stdout).toMatch(/^\s+\[\*\]\s+\[\]\s+\[\*\]$/m);
    expect(run.stdout).toMatch(/selfsubjectrulesreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
  });

  it('leaves out what the 403 fault forbids', async () => {
    const guarded = await startSim({ scenario: 'empty', faults: { forbidden: ['secrets'] } });
    try {
      const run = await kubectlFor(() => ({ home, kubeconfig: guarded.kubeconfigPath }))(['auth', 'can-i', '--list']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).not.toMatch(/^\*\.\*/m);
      expect(run.stdout).toMatch(/^pods\s+\[\]\s+\[\]\s+\[\*\]$/m);
      expect(run.stdout).toMatch(/^deployments\.apps\s+\[\]\s+\[\]\s+\[\*\]$/m);
      expect(run.stdout).not.toMatch(/^secrets\s/m);
    } finally {
      await guarded.stop();
    }
  });
});
