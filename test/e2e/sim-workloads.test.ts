// biome-ignore-all lint/suspicious/noExplicitAny: the tests read kubectl JSON freely
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FrozenSim, startFrozenSim } from '../helpers/frozen-sim.js';

/**
 * Workload controllers as the real kubectl (v1.31) sees them, on a simulator whose clock moves only
 * when the test advances it: paused Deployments, DaemonSet rolling updates out of a crash loop.
 */

let world: FrozenSim;

beforeAll(async () => {
  world = await startFrozenSim();
});

afterAll(async () => {
  await world?.sim.stop();
});

function podsOf(namespace: string, label: string) {
  const [key, value] = label.split('=');
  return world.sim.state.list('Pod', namespace).filter((p) => p.metadata.labels?.[key!] === value);
}

function ready(pod: any): boolean {
  return pod.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') === true;
}

const DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: 'web:1.0'}]}
`;

describe('a paused Deployment', () => {
  it('makes no new ReplicaSet on a template change, and rollout status keeps waiting until resumed', async () => {
    expect((await world.kubectl(['apply', '-f', '-'], DEPLOYMENT)).exitCode).toBe(0);
    world.advanceUntil(() => podsOf('shop', 'app=web').filter(ready).length === 3, 60_000);
    expect((await world.kubectl(['rollout', 'pause', 'deployment/web', '-n', 'shop'])).exitCode).toBe(0);
    const set = await world.kubectl(['set', 'image', 'deployment/web', 'web=web:2.0', '-n', 'shop']);
    expect(set.exitCode, set.stderr).toBe(0);
    world.sim.advance(30_000);

    const replicaSets = await world.json(['get', 'replicasets', '-n', 'shop', '-l', 'app=web']);
    expect(replicaSets.items.map((rs: any) => rs.spec.template.spec.containers[0].image)).toEqual(['web:1.0']);
    const deployment = await world.json(['get', 'deployment', 'web', '-n', 'shop']);
    expect(deployment.status.observedGeneration).toBe(deployment.metadata.generation);
    expect(deployment.status.updatedReplicas ?? 0).toBe(0);
    const progressing = deployment.status.conditions.find((c: any) => c.type === 'Progressing');
    expect(progressing.reason).toBe('DeploymentPaused');
    const status = await world.kubectl(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=1s']);
    expect(status.exitCode).not.toBe(0);
    expect(status.stdout).toContain('0 out of 3 new replicas have been updated');

    expect((await world.kubectl(['rollout', 'resume', 'deployment/web', '-n', 'shop'])).exitCode).toBe(0);
    world.advanceUntil(
      () =>
        podsOf('shop', 'app=web').filter(
          (p: any) => ready(p) && p.spec.containers[0].image === 'web:2.0' && !p.metadata.deletionTimestamp,
        ).length === 3 && podsOf('shop', 'app=web').length === 3,
      120_000,
    );
    const done = await world.kubectl(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=5s']);
    expect(done.exitCode, done.stderr).toBe(0);
    expect(done.stdout).toContain('successfully rolled out');
  });
});

const DAEMONSET = `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: monitoring}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: 'agent:1.0'}]}
`;

describe('a DaemonSet rolling update', () => {
  it('replaces crash-looping old pods at once when rolled back, so the rollback converges', async () => {
    expect((await world.kubectl(['apply', '-f', '-'], DAEMONSET)).exitCode).toBe(0);
    const nodes = world.sim.state.list('Node').length;
    expect(nodes).toBeGreaterThanOrEqual(3);
    world.advanceUntil(() => podsOf('monitoring', 'app=agent').filter(ready).length === nodes, 60_000);

    // A bad version crash-loops; with maxUnavailable 1 the rollout stops after its first pod.
    const bad = {
      spec: { template: { metadata: { annotations: { 'sim.inc.dev/behavior': 'crashloop' } } } },
    };
    const patched = await world.kubectl([
      'patch',
      'ds/agent',
      '-n',
      'monitoring',
      '--type',
      'merge',
      '-p',
      JSON.stringify(bad),
    ]);
    expect(patched.exitCode, patched.stderr).toBe(0);
    world.sim.advance(120_000);
    const stuck = await world.json(['get', 'ds', 'agent', '-n', 'monitoring']);
    expect(stuck.status.updatedNumberScheduled).toBe(1);
    expect(stuck.status.numberReady).toBe(nodes - 1);

    // Every pod bad: switch the update budget to 100% and let them all crash.
    const all = { spec: { updateStrategy: { rollingUpdate: { maxUnavailable: '100%' } } } };
    await world.kubectl(['patch', 'ds/agent', '-n', 'monitoring', '--type', 'merge', '-p', JSON.stringify(all)]);
    world.sim.advance(60_000);
    const restore = { spec: { updateStrategy: { rollingUpdate: { maxUnavailable: 1 } } } };
    await world.kubectl(['patch', 'ds/agent', '-n', 'monitoring', '--type', 'merge', '-p', JSON.stringify(restore)]);
    expect(podsOf('monitoring', 'app=agent').filter(ready)).toHaveLength(0);

    // Rolling back: every old pod is unavailable, so each is replaced whatever maxUnavailable says.
    const undo = await world.kubectl(['rollout', 'undo', 'ds/agent', '-n', 'monitoring', '--to-revision=1']);
    expect(undo.exitCode, undo.stderr).toBe(0);
    world.sim.advance(10_000);
    const replaced = podsOf('monitoring', 'app=agent');
    expect(replaced.every((p: any) => p.metadata.annotations?.['sim.inc.dev/behavior'] === undefined)).toBe(true);
    expect(replaced).toHaveLength(nodes);
    const status = await world.kubectl(['rollout', 'status', 'ds/agent', '-n', 'monitoring', '--timeout=5s']);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain('daemon set "agent" successfully rolled out');
  });
});

describe('missing configuration', () => {
  const phaseOf = (name: string) =>
    (world.sim.state.get('Pod', 'shop', name)?.status as any)?.containerStatuses?.[0]?.state;

  it('envFrom a missing ConfigMap: CreateContainerConfigError naming it, then the pod starts once it exists', async () => {
    const run = await world.kubectl(
      ['apply', '-f', '-'],
      `
apiVersion: v1
kind: Pod
metadata: {name: env-cm, namespace: shop}
spec:
  containers:
    - name: app
      image: 'app:1'
      envFrom: [{configMapRef: {name: app-config}}]
`,
    );
    expect(run.exitCode, run.stderr).toBe(0);
    world.advanceUntil(() => phaseOf('env-cm')?.waiting?.reason === 'CreateContainerConfigError', 30_000);
    world.sim.advance(30_000);
    const pod = await world.json(['get', 'pod', 'env-cm', '-n', 'shop']);
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.containerStatuses[0].state.waiting.message).toBe('configmap "app-config" not found');
    const table = await world.kubectl(['get', 'pod', 'env-cm', '-n', 'shop']);
    expect(table.stdout).toMatch(/env-cm\s+0\/1\s+CreateContainerConfigError\s+0\s/);
    const events = await world.kubectl([
      'get',
      'events',
      '-n',
      'shop',
      '--field-selector',
      'involvedObject.name=env-cm',
    ]);
    expect(events.stdout).toContain('Error: configmap "app-config" not found');

    expect(
      (await world.kubectl(['create', 'configmap', 'app-config', '-n', 'shop', '--from-literal=MODE=live'])).exitCode,
    ).toBe(0);
    world.advanceUntil(() => phaseOf('env-cm')?.running !== undefined, 60_000);
    const started = await world.json(['get', 'pod', 'env-cm', '-n', 'shop']);
    expect(started.status.phase).toBe('Running');
  });

  it('a missing key of a Secret named by valueFrom is reported with its namespace and name', async () => {
    expect(
      (await world.kubectl(['create', 'secret', 'generic', 'db', '-n', 'shop', '--from-literal=user=app'])).exitCode,
    ).toBe(0);
    const run = await world.kubectl(
      ['apply', '-f', '-'],
      `
apiVersion: v1
kind: Pod
metadata: {name: env-key, namespace: shop}
spec:
  containers:
    - name: app
      image: 'app:1'
      env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}, {name: X, valueFrom: {configMapKeyRef: {name: absent, key: x, optional: true}}}]
`,
    );
    expect(run.exitCode, run.stderr).toBe(0);
    world.advanceUntil(() => phaseOf('env-key')?.waiting?.reason === 'CreateContainerConfigError', 30_000);
    expect(phaseOf('env-key').waiting.message).toBe("couldn't find key password in Secret shop/db");
  });

  it('a volume of a missing Secret keeps the pod ContainerCreating with FailedMount events', async () => {
    const run = await world.kubectl(
      ['apply', '-f', '-'],
      `
apiVersion: v1
kind: Pod
metadata: {name: vol, namespace: shop}
spec:
  containers: [{name: app, image: 'app:1', volumeMounts: [{name: certs, mountPath: /certs}]}]
  volumes: [{name: certs, secret: {secretName: tls-certs}}]
`,
    );
    expect(run.exitCode, run.stderr).toBe(0);
    world.sim.advance(30_000);
    const table = await world.kubectl(['get', 'pod', 'vol', '-n', 'shop']);
    expect(table.stdout).toMatch(/vol\s+0\/1\s+ContainerCreating\s+0\s/);
    const events = await world.kubectl(['get', 'events', '-n', 'shop', '--field-selector', 'involvedObject.name=vol']);
    expect(events.stdout).toContain('MountVolume.SetUp failed for volume "certs" : secret "tls-certs" not found');
  });
});
