// biome-ignore-all lint/suspicious/noExplicitAny: the tests read kubectl JSON freely
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { HELM, KUBECTL } from '../helpers/binaries.js';

/**
 * Every built-in scenario loads, its planted culprit is visible through the real kubectl, and the
 * mitigation its playbook stands for (done here with kubectl and helm themselves) really fixes it.
 */

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let sim: RunningSim | undefined;
let home: string;

function run(binary: string, args: string[], timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      binary,
      args,
      {
        timeout: timeoutMs,
        env: {
          PATH: process.env.PATH,
          HOME: home,
          KUBECONFIG: sim!.kubeconfigPath,
          HELM_CACHE_HOME: join(home, 'helm'),
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

const kubectl = (args: string[], timeoutMs?: number) => run(KUBECTL, args, timeoutMs);

async function getJson(args: string[]): Promise<any> {
  const result = await kubectl([...args, '-o', 'json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function open(scenario: string): Promise<RunningSim> {
  sim = await startSim({ scenario, speed: 20 });
  return sim;
}

const waitingReason = (pod: any) => pod.status.containerStatuses?.[0]?.state?.waiting?.reason;
const isReady = (pod: any) => pod.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');

async function rolledOut(namespace: string, name: string): Promise<void> {
  const status = await kubectl(['rollout', 'status', `deployment/${name}`, '-n', namespace, '--timeout=25s'], 30_000);
  expect(status.code, status.stderr).toBe(0);
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-sim-scenarios-'));
});

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe('built-in scenarios through kubectl', () => {
  it('empty: three Ready nodes and no workloads', async () => {
    await open('empty');
    const nodes = await getJson(['get', 'nodes']);
    expect(nodes.items.map((n: any) => n.metadata.name)).toEqual(['node-1', 'node-2', 'node-3']);
    for (const node of nodes.items)
      expect(node.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
    expect((await getJson(['get', 'pods', '-A'])).items).toHaveLength(0);
  });

  it('healthy: every pod Running and Ready', async () => {
    await open('healthy');
    const pods = await getJson(['get', 'pods', '-A']);
    expect(pods.items.length).toBeGreaterThan(15);
    for (const pod of pods.items) expect(isReady(pod), pod.metadata.name).toBe(true);
  });

  it('bad-deploy: CrashLoopBackOff on payments/api; rollout undo fixes it', async () => {
    await open('bad-deploy');
    expect(loadScenario('bad-deploy').culprit).toMatchObject({ playbook: 'rollback', reason: 'CrashLoopBackOff' });
    const pods = await getJson(['get', 'pods', '-n', 'payments', '-l', 'app=api']);
    const crashing = pods.items.filter((p: any) => p.status.containerStatuses[0].restartCount > 0);
    expect(crashing.length).toBeGreaterThan(0);
    expect(crashing.some((p: any) => waitingReason(p) === 'CrashLoopBackOff')).toBe(true);
    expect((await kubectl(['rollout', 'undo', 'deployment/api', '-n', 'payments'])).code).toBe(0);
    await rolledOut('payments', 'api');
  });

  it('oom: OOMKilled (137) on shop/cart; rollout undo fixes it', async () => {
    await open('oom');
    const pods = await getJson(['get', 'pods', '-n', 'shop', '-l', 'app=cart']);
    const killed = pods.items.find(
      (p: any) => p.status.containerStatuses[0].lastState?.terminated?.reason === 'OOMKilled',
    );
    expect(killed.status.containerStatuses[0].lastState.terminated.exitCode).toBe(137);
    expect((await kubectl(['rollout', 'undo', 'deployment/cart', '-n', 'shop'])).code).toBe(0);
    await rolledOut('shop', 'cart');
  });

  it('image-pull: ImagePullBackOff on shop/web with the pull error; rollout undo fixes it', async () => {
    await open('image-pull');
    const pods = await getJson(['get', 'pods', '-n', 'shop', '-l', 'app=web']);
    const stuck = pods.items.find((p: any) => ['ImagePullBackOff', 'ErrImagePull'].includes(waitingReason(p)));
    expect(stuck.status.containerStatuses[0].state.waiting.message).toContain('not found');
    const events = await getJson([
      'get',
      'events',
      '-n',
      'shop',
      '--field-selector',
      `involvedObject.name=${stuck.metadata.name},reason=Failed`,
    ]);
    expect(events.items.some((e: any) => e.message.startsWith('Failed to pull image'))).toBe(true);
    expect((await kubectl(['rollout', 'undo', 'deployment/web', '-n', 'shop'])).code).toBe(0);
    await rolledOut('shop', 'web');
  });

  it('node-failure: node-2 NotReady; cordon and drain move its pods to healthy nodes', async () => {
    await open('node-failure');
    const node = await getJson(['get', 'node', 'node-2']);
    expect(node.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('Unknown');
    const stranded = await getJson(['get', 'pods', '-A', '--field-selector', 'spec.nodeName=node-2']);
    expect(stranded.items.length).toBeGreaterThan(0);
    expect((await kubectl(['cordon', 'node-2'])).code).toBe(0);
    const drained = await kubectl(['delete', 'pods', '-A', '--field-selector', 'spec.nodeName=node-2', '--wait=false']);
    expect(drained.code, drained.stderr).toBe(0);
    await eventually(async () => {
      const deployments = await getJson(['get', 'deployments', '-A']);
      return deployments.items.every((d: any) => d.status.availableReplicas === d.spec.replicas) ? true : undefined;
    });
    const after = await getJson(['get', 'pods', '-A', '--field-selector', 'spec.nodeName=node-2']);
    expect(after.items).toHaveLength(0);
    expect((await getJson(['get', 'node', 'node-2'])).spec.unschedulable).toBe(true);
  });

  it('argo-selfheal: Argo CD undoes a kubectl rollback; paused and rolled back through Argo CD it sticks', async () => {
    await open('argo-selfheal');
    const app = await getJson(['get', 'applications.argoproj.io', 'payments-api', '-n', 'argocd']);
    expect(app.status.sync.status).toBe('Synced');
    expect(app.status.health.status).not.toBe('Healthy');
    expect(app.status.history).toHaveLength(2);
    expect((await kubectl(['rollout', 'undo', 'deployment/api', '-n', 'payments'])).code).toBe(0);
    await eventually(async () => {
      const d = await getJson(['get', 'deployment', 'api', '-n', 'payments']);
      return d.spec.template.spec.containers[0].image.endsWith(':2.4.0') ? true : undefined;
    });
    const paused = await kubectl([
      'patch',
      'applications.argoproj.io',
      'payments-api',
      '-n',
      'argocd',
      '--type',
      'merge',
      '-p',
      '{"spec":{"syncPolicy":{"automated":null}}}',
    ]);
    expect(paused.code, paused.stderr).toBe(0);
    const target = app.status.history[0];
    const operation = {
      operation: { initiatedBy: { username: 'oncall' }, sync: { revision: target.revision, source: target.source } },
    };
    const rolledBack = await kubectl([
      'patch',
      'applications.argoproj.io',
      'payments-api',
      '-n',
      'argocd',
      '--type',
      'merge',
      '-p',
      JSON.stringify(operation),
    ]);
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    await rolledOut('payments', 'api');
    const after = await getJson(['get', 'applications.argoproj.io', 'payments-api', '-n', 'argocd']);
    expect(after.operation).toBeUndefined();
    expect(after.status.sync.status).toBe('OutOfSync');
    expect(after.status.history.at(-1).revision).toBe(target.revision);
    const d = await getJson(['get', 'deployment', 'api', '-n', 'payments']);
    expect(d.spec.template.spec.containers[0].image).toBe('registry.example.com/payments/api:2.3.0');
  });

  it('helm-bad-release: revision 2 crash-loops; helm rollback restores revision 1', async () => {
    await open('helm-bad-release');
    const history = await run(HELM, ['history', 'checkout', '-n', 'shop', '-o', 'json']);
    expect(history.code, history.stderr).toBe(0);
    expect(JSON.parse(history.stdout).map((r: any) => `${r.revision}:${r.status}:${r.chart}`)).toEqual([
      '1:superseded:checkout-1.4.0',
      '2:deployed:checkout-1.5.0',
    ]);
    const pods = await getJson(['get', 'pods', '-n', 'shop', '-l', 'app=checkout']);
    expect(pods.items.some((p: any) => p.status.containerStatuses[0].restartCount > 0)).toBe(true);
    const rollback = await run(HELM, ['rollback', 'checkout', '1', '-n', 'shop', '--wait', '--timeout', '60s'], 60_000);
    expect(rollback.code, rollback.stderr).toBe(0);
    const d = await getJson(['get', 'deployment', 'checkout', '-n', 'shop']);
    expect(d.spec.template.spec.containers[0].image).toBe('registry.example.com/shop/checkout:1.4.0');
    await rolledOut('shop', 'checkout');
  });

  it('traffic-spike: web pods at their CPU limit; scaling out spreads the load', async () => {
    await open('traffic-spike');
    const cpuOfWeb = async () => {
      const top = await kubectl(['top', 'pods', '-n', 'shop', '-l', 'app=web', '--no-headers']);
      expect(top.code, top.stderr).toBe(0);
      return top.stdout
        .trim()
        .split('\n')
        .map((row) => Number.parseInt(row.split(/\s+/)[1]!, 10));
    };
    const before = await cpuOfWeb();
    expect(before).toHaveLength(3);
    for (const millicores of before) expect(millicores).toBeGreaterThan(440);
    expect((await kubectl(['scale', 'deployment/web', '-n', 'shop', '--replicas=6'])).code).toBe(0);
    const after = await eventually(async () => {
      const cpu = await cpuOfWeb();
      return cpu.length === 6 && cpu.every((m) => m < 300) ? cpu : undefined;
    });
    expect(after).toHaveLength(6);
  });

  it('pending-capacity: workers Pending with Insufficient cpu; scaling back leaves none pending', async () => {
    await open('pending-capacity');
    const pods = await getJson([
      'get',
      'pods',
      '-n',
      'payments',
      '-l',
      'app=worker',
      '--field-selector',
      'status.phase=Pending',
    ]);
    expect(pods.items.length).toBeGreaterThan(0);
    const scheduled = pods.items[0].status.conditions.find((c: any) => c.type === 'PodScheduled');
    expect(scheduled.message).toMatch(/Insufficient cpu/);
    expect((await kubectl(['scale', 'deployment/worker', '-n', 'payments', '--replicas=4'])).code).toBe(0);
    await rolledOut('payments', 'worker');
    const pending = await getJson(['get', 'pods', '-n', 'payments', '--field-selector', 'status.phase=Pending']);
    expect(pending.items).toHaveLength(0);
  });
});
