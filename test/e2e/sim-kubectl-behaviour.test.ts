// biome-ignore-all lint/suspicious/noExplicitAny: the tests read kubectl JSON freely
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { eventually, kubectlFor } from '../helpers/kubectl-runner.js';

/**
 * The simulator's controllers through the real kubectl (v1.31): rollouts, history, undo,
 * restart, pod replacement, logs, top and describe behave as on a real cluster. Each step
 * checks the resulting state read back through kubectl, not only its exit code.
 */

let sim: RunningSim;
let home: string;
const kubectl = kubectlFor(() => ({ home, kubeconfig: sim.kubeconfigPath }), { quiet: true });
const getJson = kubectl.json;

const APP = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: shopfront, namespace: payments, labels: {app: shopfront}}
spec:
  replicas: 3
  selector: {matchLabels: {app: shopfront}}
  template:
    metadata: {labels: {app: shopfront}}
    spec:
      containers:
        - name: shopfront
          image: registry.example.com/shopfront:1.0.0
          resources: {requests: {cpu: 100m, memory: 64Mi}}
`;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-kubectl-behaviour-'));
  sim = await startSim({ scenario: 'bad-deploy', speed: 20 });
  const applied = await kubectl(['apply', '-f', '-'], { input: APP });
  expect(applied.code, applied.stderr).toBe(0);
});

afterAll(async () => {
  await sim?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

async function crashingPod(): Promise<any> {
  const pods = await getJson(['get', 'pods', '-n', 'payments', '-l', 'app=api']);
  return pods.items.find((p: any) => p.spec.containers[0].image.endsWith(':2.3.1'));
}

describe('rollouts through kubectl', () => {
  it('rollout status succeeds for a healthy deployment', async () => {
    const run = await kubectl(['rollout', 'status', 'deployment/shopfront', '-n', 'payments', '--timeout=15s']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('deployment "shopfront" successfully rolled out');
    const deployment = await getJson(['get', 'deployment', 'shopfront', '-n', 'payments']);
    expect(deployment.status.availableReplicas).toBe(3);
  });

  it('rollout status of the crash-looping deployment fails by its timeout, old pods still serving', async () => {
    const run = await kubectl(['rollout', 'status', 'deployment/api', '-n', 'payments', '--timeout=2s']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/timed out waiting for the condition|exceeded its progress deadline/);
    const deployment = await getJson(['get', 'deployment', 'api', '-n', 'payments']);
    expect(deployment.status.updatedReplicas).toBeLessThan(3);
    expect(deployment.status.availableReplicas).toBe(3);
  });

  it('rollout history lists both revisions with their change causes', async () => {
    const run = await kubectl(['rollout', 'history', 'deployment/api', '-n', 'payments']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+deploy api 2\.3\.0\n2\s+deploy api 2\.3\.1\n/);
  });

  it('logs and logs --previous of a crash-looping pod show its ERROR lines', async () => {
    const pod = await crashingPod();
    expect(pod.status.containerStatuses[0].restartCount).toBeGreaterThan(1);
    const previous = await kubectl(['logs', pod.metadata.name, '-n', 'payments', '--previous']);
    expect(previous.code, previous.stderr).toBe(0);
    expect(previous.stdout).toMatch(/ERROR panic: config: required key PAYMENTS_LEDGER_URL is not set/);
    const current = await kubectl(['logs', pod.metadata.name, '-n', 'payments']);
    expect(current.code, current.stderr).toBe(0);
    expect(current.stdout).toContain('starting api version=2.3.1');
  });

  it('describe pod shows the kubelet events of the crash loop', async () => {
    const pod = await crashingPod();
    const run = await kubectl(['describe', 'pod', pod.metadata.name, '-n', 'payments']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1/);
    expect(run.stdout).toMatch(/Warning\s+BackOff\s+.*Back-off restarting failed container api in pod/);
    expect(run.stdout).toMatch(/Normal\s+Scheduled\s+/);
  });

  it('rollout undo puts the template back to revision 1, which becomes revision 3', async () => {
    const run = await kubectl(['rollout', 'undo', 'deployment/api', '-n', 'payments']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('deployment.apps/api rolled back');
    const deployment = await getJson(['get', 'deployment', 'api', '-n', 'payments']);
    expect(deployment.spec.template.spec.containers[0].image).toBe('registry.example.com/payments/api:2.3.0');
    expect(deployment.spec.template.metadata.annotations?.['sim.inc.dev/behavior']).toBeUndefined();
    const status = await kubectl(['rollout', 'status', 'deployment/api', '-n', 'payments', '--timeout=20s'], {
      timeoutMs: 25_000,
    });
    expect(status.code, status.stderr).toBe(0);
    const history = await kubectl(['rollout', 'history', 'deployment/api', '-n', 'payments']);
    expect(history.stdout).toMatch(/\n2\s+deploy api 2\.3\.1\n3\s+deploy api 2\.3\.0\n/);
    const pods = await eventually(async () => {
      const list = await getJson(['get', 'pods', '-n', 'payments', '-l', 'app=api']);
      return list.items.length === 3 ? list.items : undefined;
    });
    for (const pod of pods) expect(pod.spec.containers[0].image).toBe('registry.example.com/payments/api:2.3.0');
  });

  it('rollout restart makes a new ReplicaSet and replaces every pod', async () => {
    const before = await getJson(['get', 'pods', '-n', 'payments', '-l', 'app=shopfront']);
    const oldNames = new Set(before.items.map((p: any) => p.metadata.name));
    const run = await kubectl(['rollout', 'restart', 'deployment/shopfront', '-n', 'payments']);
    expect(run.code, run.stderr).toBe(0);
    const status = await kubectl(['rollout', 'status', 'deployment/shopfront', '-n', 'payments', '--timeout=20s'], {
      timeoutMs: 25_000,
    });
    expect(status.code, status.stderr).toBe(0);
    const replicaSets = await getJson(['get', 'replicasets', '-n', 'payments', '-l', 'app=shopfront']);
    expect(replicaSets.items).toHaveLength(2);
    const after = await eventually(async () => {
      const list = await getJson(['get', 'pods', '-n', 'payments', '-l', 'app=shopfront']);
      return list.items.length === 3 && list.items.every((p: any) => !oldNames.has(p.metadata.name))
        ? list.items
        : undefined;
    });
    for (const pod of after) expect(pod.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
  });

  it('delete --dry-run=server (its dry run in the DeleteOptions body) deletes nothing', async () => {
    const before = await getJson(['get', 'pods', '-n', 'shop', '-l', 'app=web']);
    const victim = before.items[0];
    const run = await kubectl(['delete', 'pod', victim.metadata.name, '-n', 'shop', '--dry-run=server']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`pod "${victim.metadata.name}" deleted (server dry run)`);
    const still = await getJson(['get', 'pod', victim.metadata.name, '-n', 'shop']);
    expect(still.metadata.uid).toBe(victim.metadata.uid);
    expect(still.metadata.deletionTimestamp).toBeUndefined();
  });

  it('a deleted pod is replaced by its ReplicaSet', async () => {
    const before = await getJson(['get', 'pods', '-n', 'shop', '-l', 'app=web']);
    const victim = before.items[0].metadata.name;
    const run = await kubectl(['delete', 'pod', victim, '-n', 'shop', '--wait=false']);
    expect(run.code, run.stderr).toBe(0);
    const after = await eventually(async () => {
      const list = await getJson(['get', 'pods', '-n', 'shop', '-l', 'app=web']);
      const ready = list.items.filter((p: any) =>
        p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
      );
      return ready.length === 3 && !list.items.some((p: any) => p.metadata.name === victim) ? list.items : undefined;
    });
    expect(after).toHaveLength(3);
  });
});

describe('StatefulSets and DaemonSets through kubectl', () => {
  it('rollout status reads their status fields', async () => {
    const sts = await kubectl(['rollout', 'status', 'statefulset/postgres', '-n', 'payments', '--timeout=10s']);
    expect(sts.code, sts.stderr).toBe(0);
    expect(sts.stdout).toContain('partitioned roll out complete: 1 new pods have been updated...');
    const ds = await kubectl(['rollout', 'status', 'daemonset/node-exporter', '-n', 'monitoring', '--timeout=10s']);
    expect(ds.code, ds.stderr).toBe(0);
    expect(ds.stdout).toContain('daemon set "node-exporter" successfully rolled out');
    const pods = await getJson(['get', 'pods', '-n', 'monitoring', '-l', 'app=node-exporter']);
    expect(pods.items.map((p: any) => p.spec.nodeName).sort()).toEqual(['node-1', 'node-2', 'node-3']);
  });

  it('a new StatefulSet template makes a ControllerRevision; undo restores the old template', async () => {
    const set = await kubectl([
      'set',
      'image',
      'statefulset/postgres',
      'postgres=docker.io/library/postgres:16.5',
      '-n',
      'payments',
    ]);
    expect(set.code, set.stderr).toBe(0);
    const pod = await eventually(async () => {
      const p = await getJson(['get', 'pod', 'postgres-0', '-n', 'payments']).catch(() => undefined);
      return p?.spec.containers[0].image.endsWith(':16.5') &&
        p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')
        ? p
        : undefined;
    });
    expect(pod.metadata.labels['controller-revision-hash']).toBeTruthy();
    const revisions = await getJson(['get', 'controllerrevisions', '-n', 'payments', '-l', 'app=postgres']);
    expect(revisions.items.map((r: any) => r.revision).sort()).toEqual([1, 2]);
    const history = await kubectl(['rollout', 'history', 'statefulset/postgres', '-n', 'payments']);
    expect(history.stdout).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    const undo = await kubectl(['rollout', 'undo', 'statefulset/postgres', '-n', 'payments']);
    expect(undo.code, undo.stderr).toBe(0);
    const sts = await getJson(['get', 'statefulset', 'postgres', '-n', 'payments']);
    expect(sts.spec.template.spec.containers[0].image).toBe('docker.io/library/postgres:16.4');
    await eventually(async () => {
      const p = await getJson(['get', 'pod', 'postgres-0', '-n', 'payments']).catch(() => undefined);
      return p?.spec.containers[0].image.endsWith(':16.4') ? p : undefined;
    });
  });
});

describe('kubectl top', () => {
  it('top nodes reports CPU and memory of the three nodes', async () => {
    const run = await kubectl(['top', 'nodes']);
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^NAME\s+CPU\(cores\)\s+CPU%?/);
    expect(rows.slice(1).map((r) => r.split(/\s+/)[0])).toEqual(['node-1', 'node-2', 'node-3']);
    for (const row of rows.slice(1)) expect(row).toMatch(/\d+m\s+\d+%\s+\d+Mi\s+\d+%/);
  });

  it('top pods reports every running pod of a namespace', async () => {
    const pods = await getJson(['get', 'pods', '-n', 'shop']);
    const run = await kubectl(['top', 'pods', '-n', 'shop']);
    expect(run.code, run.stderr).toBe(0);
    const names = run.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((r) => r.split(/\s+/)[0]);
    const running = pods.items.filter((p: any) => p.status.phase === 'Running').map((p: any) => p.metadata.name);
    expect(names.sort()).toEqual(running.sort());
  });
});
