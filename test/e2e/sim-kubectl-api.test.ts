// biome-ignore-all lint/suspicious/noExplicitAny: the tests read kubectl JSON freely
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { KUBECTL } from '../helpers/binaries.js';
import { eventually, kubectlFor } from '../helpers/kubectl-runner.js';
import { INC_BIN, runInc } from '../helpers/run-inc.js';

/**
 * The real kubectl (v1.31) against the simulator over HTTP. Every step asserts the resulting
 * state, read back through kubectl -o json, not only the exit code.
 */

let sim: RunningSim;
let home: string;
const kubectl = kubectlFor(() => ({ home, kubeconfig: sim.kubeconfigPath }), { quiet: true });
const getJson = kubectl.json;

const MANIFEST = `
apiVersion: v1
kind: Namespace
metadata:
  name: store
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: store
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports: [{containerPort: 80}]
        env: [{name: MODE, value: blue}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: store}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: store}
data: {mode: blue}
`;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-kubectl-'));
  sim = await startSim({ scenario: 'empty', kubeconfigPath: join(home, 'kubeconfig') });
});

afterAll(async () => {
  await sim?.stop();
  await rm(home, { recursive: true, force: true });
});

describe('kubectl against the simulator', () => {
  it('applies a manifest, and re-applying it changes nothing', async () => {
    const first = await kubectl(['apply', '-f', '-'], { input: MANIFEST });
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('deployment.apps/web created');
    expect(first.stdout).toContain('service/web created');
    const deployment = await getJson(['-n', 'store', 'get', 'deployment', 'web']);
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0].image).toBe('nginx:1.25');
    expect(deployment.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('nginx:1.25');
    const service = await getJson(['-n', 'store', 'get', 'service', 'web']);
    expect(service.spec.clusterIP).toMatch(/^10\.96\./);
    const configMap = await getJson(['-n', 'store', 'get', 'configmap', 'web-config']);
    expect(configMap.data).toEqual({ mode: 'blue' });

    const again = await kubectl(['apply', '-f', '-'], { input: MANIFEST });
    expect(again.stdout).toContain('deployment.apps/web unchanged');
    const after = await getJson(['-n', 'store', 'get', 'deployment', 'web']);
    // The controllers update status meanwhile; the spec (and so the generation) must not have changed.
    expect(after.metadata.generation).toBe(deployment.metadata.generation);
    expect(after.spec).toEqual(deployment.spec);
  });

  it('gets and describes pods, deployments and events sorted by lastTimestamp', async () => {
    const pods = await eventually(async () => {
      const list = await getJson<{ items: any[] }>(['-n', 'store', 'get', 'pods', '-l', 'app=web']);
      return list.items.length === 2 ? list.items : undefined;
    });
    expect(pods.every((p) => p.metadata.ownerReferences[0].kind === 'ReplicaSet')).toBe(true);
    const table = await kubectl(['-n', 'store', 'get', 'pods']);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(table.stdout).toMatch(
      new RegExp(`${pods[0].metadata.name}\\s+(0|1)/1\\s+(Running|ContainerCreating|Pending)\\s+0\\s+\\d+s`),
    );
    const describe = await kubectl(['-n', 'store', 'describe', 'deployment', 'web']);
    expect(describe.code).toBe(0);
    expect(describe.stdout).toMatch(/Replicas:\s+2 desired/);
    expect(describe.stdout).toContain('nginx:1.25');
    const describePod = await kubectl(['-n', 'store', 'describe', 'pod', pods[0].metadata.name]);
    expect(describePod.stdout).toContain(`Name:             ${pods[0].metadata.name}`);
    const events = await kubectl(['-n', 'store', 'get', 'events', '--sort-by=.lastTimestamp', '-o', 'json']);
    expect(events.code).toBe(0);
    const items = JSON.parse(events.stdout).items as { reason: string; lastTimestamp: string | null }[];
    expect(items.map((e) => e.reason)).toContain('ScalingReplicaSet');
    const stamps = items.map((e) => e.lastTimestamp ?? '');
    expect(stamps).toEqual([...stamps].sort());
  });

  it('patches with merge, json and strategic patches', async () => {
    const merge = await kubectl([
      '-n',
      'store',
      'patch',
      'configmap',
      'web-config',
      '--type',
      'merge',
      '-p',
      '{"data":{"mode":"green","extra":"1"}}',
    ]);
    expect(merge.stdout).toContain('configmap/web-config patched');
    expect((await getJson(['-n', 'store', 'get', 'configmap', 'web-config'])).data).toEqual({
      mode: 'green',
      extra: '1',
    });

    const json = await kubectl([
      '-n',
      'store',
      'patch',
      'deployment',
      'web',
      '--type',
      'json',
      '-p',
      '[{"op":"add","path":"/metadata/labels/tier","value":"front"},{"op":"replace","path":"/spec/replicas","value":3}]',
    ]);
    expect(json.code).toBe(0);
    const afterJson = await getJson(['-n', 'store', 'get', 'deployment', 'web']);
    expect(afterJson.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(afterJson.spec.replicas).toBe(3);

    const strategic = await kubectl([
      '-n',
      'store',
      'patch',
      'deployment',
      'web',
      '--type',
      'strategic',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"REGION","value":"eu"}]}]}}}}',
    ]);
    expect(strategic.code).toBe(0);
    const container = (await getJson(['-n', 'store', 'get', 'deployment', 'web'])).spec.template.spec.containers[0];
    expect(container.env).toEqual([
      { name: 'MODE', value: 'blue' },
      { name: 'REGION', value: 'eu' },
    ]);
    expect(container.image).toBe('nginx:1.25');

    const bad = await kubectl([
      '-n',
      'store',
      'patch',
      'deployment',
      'web',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/nothing/here","value":1}]',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('replace operation does not apply: doc is missing path: "/spec/nothing/here"');
  });

  it('sets an image and scales, bumping the generation', async () => {
    const before = await getJson(['-n', 'store', 'get', 'deployment', 'web']);
    const setImage = await kubectl(['-n', 'store', 'set', 'image', 'deployment/web', 'web=nginx:1.27']);
    expect(setImage.stdout).toContain('deployment.apps/web image updated');
    const scale = await kubectl(['-n', 'store', 'scale', 'deployment', 'web', '--replicas=1']);
    expect(scale.stdout).toContain('deployment.apps/web scaled');
    const after = await getJson(['-n', 'store', 'get', 'deployment', 'web']);
    expect(after.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect(after.spec.replicas).toBe(1);
    expect(after.metadata.generation).toBe(before.metadata.generation + 2);
    const invalid = await kubectl(['-n', 'store', 'scale', 'deployment', 'web', '--replicas=-1']);
    expect(invalid.code).not.toBe(0);
  });

  it('refuses invalid names with 422 and a stale resourceVersion with 409', async () => {
    const invalid = await kubectl(['-n', 'store', 'create', 'configmap', 'Bad_Name']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('is invalid: metadata.name: Invalid value: "Bad_Name"');
    const cm = await getJson(['-n', 'store', 'get', 'configmap', 'web-config']);
    cm.metadata.resourceVersion = '1';
    const conflict = await kubectl(['replace', '-f', '-'], { input: JSON.stringify(cm) });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain(
      'Operation cannot be fulfilled on configmaps "web-config": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('lists in chunks with --chunk-size, following continue tokens', async () => {
    for (let i = 0; i < 5; i += 1) {
      sim.state.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `chunk-${i}`, namespace: 'store' },
        data: {},
      });
    }
    const run = await kubectl(['-n', 'store', 'get', 'configmaps', '--chunk-size=2', '-o', 'name', '-v=6']);
    expect(run.code).toBe(0);
    const names = run.stdout.trim().split('\n');
    for (let i = 0; i < 5; i += 1) expect(names).toContain(`configmap/chunk-${i}`);
    expect(new Set(names).size).toBe(names.length);
    const continued = run.stderr.split('\n').filter((l) => l.includes('/configmaps?continue='));
    expect(continued.length).toBeGreaterThanOrEqual(2);
  });

  it('sees a change with get -w', async () => {
    const child: ChildProcess = spawn(KUBECTL, ['-n', 'store', 'get', 'configmaps', '-w', '-o', 'name'], {
      env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: sim.kubeconfigPath },
    });
    try {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await eventually(async () => (out.includes('configmap/web-config') ? true : undefined), 10_000);
      const created = await kubectl(['-n', 'store', 'create', 'configmap', 'watched', '--from-literal=a=b']);
      expect(created.code).toBe(0);
      await eventually(async () => (out.includes('configmap/watched') ? true : undefined), 10_000);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('deletes: the object is gone, and a deployment takes its ReplicaSets and pods along', async () => {
    const deleted = await kubectl(['-n', 'store', 'delete', 'configmap', 'web-config']);
    expect(deleted.stdout).toContain('configmap "web-config" deleted');
    const gone = await kubectl(['-n', 'store', 'get', 'configmap', 'web-config']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Error from server (NotFound): configmaps "web-config" not found');

    await kubectl(['-n', 'store', 'delete', 'deployment', 'web']);
    const rs = await getJson<{ items: unknown[] }>(['-n', 'store', 'get', 'replicasets']);
    expect(rs.items).toEqual([]);
    const pods = await eventually(async () => {
      const list = await getJson<{ items: unknown[] }>(['-n', 'store', 'get', 'pods']);
      return list.items.length === 0 ? list : undefined;
    });
    expect(pods.items).toEqual([]);
  });
});

describe('kubectl rollouts, logs and top on the bad-deploy scenario', () => {
  let incident: RunningSim;
  const run = (args: string[], timeoutMs?: number) =>
    kubectl(['-n', 'payments', ...args], { kubeconfig: incident.kubeconfigPath, timeoutMs });

  beforeAll(async () => {
    incident = await startSim({ scenario: 'bad-deploy', kubeconfigPath: join(home, 'bad-deploy') });
  });
  afterAll(async () => {
    await incident?.stop();
  });

  it('shows usage with top nodes and top pods', async () => {
    const nodes = await kubectl(['top', 'nodes'], { kubeconfig: incident.kubeconfigPath });
    expect(nodes.code).toBe(0);
    expect(nodes.stdout).toMatch(/node-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/);
    const pods = await run(['top', 'pods']);
    expect(pods.stdout).toMatch(/postgres-0\s+\d+m\s+\d+Mi/);
  });

  it('reports the crash loop: rollout status fails on the deadline, logs --previous has the error', async () => {
    const healthy = await run(['rollout', 'status', 'deployment/worker', '--timeout=20s'], 30_000);
    expect(healthy.stdout).toContain('deployment "worker" successfully rolled out');
    const failing = await run(['rollout', 'status', 'deployment/api', '--timeout=20s'], 30_000);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('deployment "api" exceeded its progress deadline');
    // The pod of the bad rollout (image 2.3.1) has crashed at least once by now.
    const crashing = incident.state
      .list('Pod', 'payments')
      .find((p) => (p.spec as any).containers[0].image.endsWith(':2.3.1'));
    expect(crashing).toBeDefined();
    const logs = await run(['logs', crashing!.metadata.name, '--previous']);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/ERROR/);
  });

  it('rolls back with rollout undo, restarts, and replaces a deleted pod', async () => {
    const history = await run(['rollout', 'history', 'deployment/api']);
    expect(history.stdout).toMatch(/1\s+deploy api 2\.3\.0\n2\s+deploy api 2\.3\.1/);
    const undo = await run(['rollout', 'undo', 'deployment/api']);
    expect(undo.stdout).toContain('deployment.apps/api rolled back');
    const api = await getJsonFrom(['get', 'deployment', 'api']);
    expect(api.spec.template.spec.containers[0].image).toMatch(/:2\.3\.0$/);
    expect(api.metadata.annotations['kubernetes.io/change-cause']).toBe('deploy api 2.3.0');

    const restart = await run(['rollout', 'restart', 'deployment/worker']);
    expect(restart.stdout).toContain('deployment.apps/worker restarted');
    const worker = await getJsonFrom(['get', 'deployment', 'worker']);
    expect(worker.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeDefined();

    const victim =
      (await getJsonFrom(['get', 'pods', '-l', 'app=postgres'])).items[0] ??
      (await getJsonFrom(['get', 'pods'])).items[0];
    await run(['delete', 'pod', victim.metadata.name]);
    const owner = victim.metadata.ownerReferences?.[0]?.name;
    const replaced = await eventually(async () => {
      const list = await getJsonFrom(['get', 'pods']);
      const again = list.items.filter((p: any) => p.metadata.ownerReferences?.[0]?.name === owner);
      return again.some((p: any) => p.metadata.uid !== victim.metadata.uid) ? again : undefined;
    });
    expect(replaced.length).toBeGreaterThan(0);
  }, 60_000);

  async function getJsonFrom(args: string[]): Promise<any> {
    const out = await run([...args, '-o', 'json']);
    expect(out.code).toBe(0);
    return JSON.parse(out.stdout);
  }
});

describe('kubectl against a simulator with faults', () => {
  it('renders the RBAC 403 for a forbidden resource, and serves the others', async () => {
    const faulty = await startSim({
      controllers: [],
      faults: { forbidden: ['nodes'] },
      kubeconfigPath: join(home, 'forbidden'),
    });
    try {
      const nodes = await kubectl(['get', 'nodes'], { kubeconfig: faulty.kubeconfigPath });
      expect(nodes.code).toBe(1);
      expect(nodes.stderr).toContain(
        'Error from server (Forbidden): nodes is forbidden: User "inc-sim-user" cannot list resource "nodes" in API group "" at the cluster scope',
      );
      const canI = await kubectl(['auth', 'can-i', 'list', 'nodes'], { kubeconfig: faulty.kubeconfigPath });
      expect([canI.code, canI.stdout.trim()]).toEqual([1, 'no']);
      const canIPods = await kubectl(['auth', 'can-i', 'list', 'pods'], { kubeconfig: faulty.kubeconfigPath });
      expect([canIPods.code, canIPods.stdout.trim()]).toEqual([0, 'yes']);
      const namespaces = await kubectl(['get', 'namespaces', '-o', 'name'], { kubeconfig: faulty.kubeconfigPath });
      expect(namespaces.stdout).toContain('namespace/default');
    } finally {
      await faulty.stop();
    }
  });
});

describe('inc sim (the built command)', () => {
  it('refuses an unknown scenario given as the argument, and two different scenarios', async () => {
    const unknown = await runInc(['sim', 'nosuch'], { timeoutMs: 20_000 });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('nosuch');
    const two = await runInc(['sim', 'oom', '--scenario', 'empty'], { timeoutMs: 20_000 });
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('two scenarios given: oom and --scenario empty');
  });

  it('prints one ready line, serves kubectl until SIGTERM, then exits 0; a taken port is exit 2', async () => {
    const kubeconfig = join(home, 'cli-kubeconfig');
    // The scenario as the argument, as `inc demo NAME` takes it.
    const child = spawn(process.execPath, [INC_BIN, 'sim', 'empty', '--kubeconfig', kubeconfig], {
      env: { ...process.env, NO_COLOR: '1', TERM: 'dumb' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const line = await eventually(async () => (stdout.includes('\n') ? stdout : undefined), 30_000);
      const match =
        /^inc-sim ready: kubeconfig=(\S+) context=inc-sim server=http:\/\/127\.0\.0\.1:(\d+) metrics=(\S+)\n$/.exec(
          line,
        );
      expect(match?.[1]).toBe(kubeconfig);
      expect(match?.[3]).toBe(`http://127.0.0.1:${match?.[2]}/sim/metrics`);
      const scraped = await fetch(match![3]!, { signal: AbortSignal.timeout(10_000) });
      expect(scraped.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await scraped.text()).toContain('# TYPE http_requests_total counter');
      const nodes = await kubectl(['get', 'nodes', '-o', 'name'], { kubeconfig });
      expect(nodes.stdout.trim().split('\n')).toEqual(['node/node-1', 'node/node-2', 'node/node-3']);
      // The empty scenario, not the default one: nothing runs.
      const deployments = await kubectl(['get', 'deployments', '-A', '-o', 'name'], { kubeconfig });
      expect([deployments.code, deployments.stdout.trim()]).toEqual([0, '']);

      const taken = await runInc(['sim', '--port', match![2]!], { timeoutMs: 20_000 });
      expect(taken.code).toBe(2);
      expect(taken.stderr).toContain(`port ${match![2]} on 127.0.0.1 is already in use`);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
  }, 60_000);
});
