// biome-ignore-all lint/suspicious/noExplicitAny: the tests read kubectl JSON freely
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { kubectlClient, pollFor } from '../helpers/kubectl-client.js';

/**
 * Config in the simulator, through the real kubectl: managedFields kept on every write (manager,
 * operation, time), the metadata-only list, and `sim.inc.dev/required-keys` on the bad-config scenario.
 */

let sim: RunningSim | undefined;
let home: string;

const client = kubectlClient(
  () => sim!.kubeconfigPath,
  () => home,
);
const kubectl = client.run;
const getJson = client.json;

const waitingReason = (pod: any) => pod.status.containerStatuses?.[0]?.state?.waiting?.reason;
const isReady = (pod: any) => pod.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
/** Minutes from `at` to `until` (default the simulated now, which runs on while the test does). */
const minutesBefore = (at: string, until = sim!.clock.now().toISOString()) =>
  Math.round((Date.parse(until) - Date.parse(at)) / 60_000);

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-sim-config-'));
});
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});
afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe('config in the simulator', () => {
  it('bad-config: the ConfigMap change is dated in managedFields; only the pods started after it crash-loop', async () => {
    sim = await startSim({ scenario: 'bad-config', speed: 20 });
    const config = await getJson(['get', 'configmap', 'checkout-config', '-n', 'shop', '--show-managed-fields']);
    expect(config.data.PAYMENTS_URL).toBeUndefined();
    const [entry, ...others] = config.metadata.managedFields;
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1' });
    expect(minutesBefore(entry.time)).toBeGreaterThanOrEqual(12);
    expect(entry.fieldsV1['f:data']).toHaveProperty('f:PAYMENTS_API_URL');
    expect(entry.fieldsV1['f:data']).not.toHaveProperty('f:PAYMENTS_URL');

    const deployment = await getJson(['get', 'deployment', 'checkout', '-n', 'shop', '--show-managed-fields']);
    const rollout = deployment.metadata.managedFields.find((e: any) => e.manager === 'kubectl-rollout');
    // The scenario's history: the ConfigMap changed 12 minutes before now, the restart 10.
    expect(minutesBefore(entry.time, rollout.time)).toBe(2);
    expect(rollout.fieldsV1).toEqual({
      'f:spec': { 'f:template': { 'f:metadata': { 'f:annotations': { 'f:kubectl.kubernetes.io/restartedAt': {} } } } },
    });

    const pods = (await getJson(['get', 'pods', '-n', 'shop', '-l', 'app=checkout'])).items;
    const crashing = pods.filter((pod: any) => waitingReason(pod) === 'CrashLoopBackOff');
    const running = pods.filter(isReady);
    expect(crashing).toHaveLength(1);
    expect(running).toHaveLength(2);
    for (const pod of running) expect(minutesBefore(pod.metadata.creationTimestamp, entry.time)).toBeGreaterThan(0);
    const log = await kubectl(['logs', crashing[0].metadata.name, '-n', 'shop', '--previous']);
    expect(log.stdout).toContain('config: required key PAYMENTS_URL is not set');
  });

  it('kubectl writes are recorded per manager; a write that changes nothing keeps the time', async () => {
    sim = await startSim({ scenario: 'bad-config', speed: 20 });
    const manifest = (data: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: checkout-config, namespace: shop, labels: {app: checkout}}\ndata: ${data}\n`;
    const applied = await kubectl(
      ['apply', '-f', '-'],
      manifest('{PAYMENTS_URL: http://api.payments.svc.cluster.local/v1, CURRENCY: EUR, TIMEOUT_MS: "2000"}'),
    );
    expect(applied.code, applied.stderr).toBe(0);
    const after = await getJson(['get', 'configmap', 'checkout-config', '-n', 'shop', '--show-managed-fields']);
    const entries = after.metadata.managedFields;
    expect(entries.map((e: any) => e.manager)).toEqual(['kubectl-client-side-apply']);
    // Dated now, not 12 minutes ago: within the time this test took on the simulated clock.
    expect(minutesBefore(entries[0].time)).toBeLessThan(12);
    expect(entries[0].fieldsV1['f:data']).toHaveProperty('f:PAYMENTS_URL');
    // No last-applied annotation yet: kubectl's three-way merge leaves the key it does not know about.
    expect(after.data.PAYMENTS_API_URL).toBeDefined();

    expect((await kubectl(['label', 'configmap', 'checkout-config', '-n', 'shop', 'team=shop'])).code).toBe(0);
    const labelled = await getJson(['get', 'configmap', 'checkout-config', '-n', 'shop', '--show-managed-fields']);
    const label = labelled.metadata.managedFields.find((e: any) => e.manager === 'kubectl-label');
    expect(label.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:team': {} } } });

    const time = labelled.metadata.managedFields[0].time;
    sim.advance(120_000);
    const replaced = await kubectl(['replace', '-f', '-'], JSON.stringify(labelled));
    expect(replaced.code, replaced.stderr).toBe(0);
    const same = await getJson(['get', 'configmap', 'checkout-config', '-n', 'shop', '--show-managed-fields']);
    expect(same.metadata.managedFields[0].time).toBe(time);
  });

  it('serves the metadata-only list: names, labels and managedFields, never data', async () => {
    sim = await startSim({ scenario: 'bad-config', speed: 20 });
    const response = await fetch(`${sim.url}/api/v1/namespaces/shop/configmaps`, {
      headers: { Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json' },
    });
    const list = (await response.json()) as any;
    expect(list.kind).toBe('PartialObjectMetadataList');
    expect(list.apiVersion).toBe('meta.k8s.io/v1');
    const item = list.items.find((i: any) => i.metadata.name === 'checkout-config');
    expect(item.kind).toBe('PartialObjectMetadata');
    expect(item.metadata.managedFields[0].manager).toBe('kubectl-client-side-apply');
    expect(JSON.stringify(list)).not.toContain('svc.cluster.local');
    const plain = (await (await fetch(`${sim.url}/api/v1/namespaces/shop/configmaps`)).json()) as any;
    expect(plain.kind).toBe('ConfigMapList');
  });

  it('a pod started once the key is back is healthy', async () => {
    sim = await startSim({ scenario: 'bad-config', speed: 20 });
    const patched = await kubectl([
      'patch',
      'configmap',
      'checkout-config',
      '-n',
      'shop',
      '--type=merge',
      '-p',
      '{"data":{"PAYMENTS_URL":"http://api.payments.svc.cluster.local/v1"}}',
    ]);
    expect(patched.code, patched.stderr).toBe(0);
    expect((await kubectl(['rollout', 'restart', 'deployment/checkout', '-n', 'shop'])).code).toBe(0);
    const status = await kubectl(['rollout', 'status', 'deployment/checkout', '-n', 'shop', '--timeout=25s']);
    expect(status.code, status.stderr).toBe(0);
    const pods = await pollFor(async () => {
      const items = (await getJson(['get', 'pods', '-n', 'shop', '-l', 'app=checkout'])).items;
      return items.length === 2 && items.every(isReady) ? items : undefined;
    });
    for (const pod of pods) expect(waitingReason(pod)).toBeUndefined();
  });
});
