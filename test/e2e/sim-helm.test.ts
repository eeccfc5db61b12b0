// biome-ignore-all lint/suspicious/noExplicitAny: release records are read as plain JSON
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimObject } from '../../src/sim/cluster-state.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { HELM } from '../helpers/binaries.js';

/**
 * The real helm (v3.17) against the simulator: release records are ordinary Secrets, written as
 * protobuf by helm's storage driver; every step asserts the cluster state.
 */

const CHART = fileURLToPath(new URL('../fixtures/charts/web', import.meta.url));
const NS = 'web-team';

let sim: RunningSim;
let home: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function helm(args: string[], timeoutMs = 45_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      HELM,
      args,
      {
        timeout: timeoutMs,
        env: {
          PATH: process.env.PATH,
          HOME: home,
          KUBECONFIG: sim.kubeconfigPath,
          HELM_CACHE_HOME: join(home, 'cache'),
          HELM_CONFIG_HOME: join(home, 'config'),
          HELM_DATA_HOME: join(home, 'data'),
        },
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

function image(): string | undefined {
  const deployment = sim.state.get('Deployment', NS, 'shop') as SimObject | undefined;
  const spec = deployment?.spec as { template: { spec: { containers: { image: string }[] } } } | undefined;
  return spec?.template.spec.containers[0]?.image;
}

function releaseSecrets(): SimObject[] {
  return sim.state.list('Secret', NS).filter((s) => s.metadata.labels?.owner === 'helm');
}

/** The release record inside a helm Secret: base64 (API) of base64 of gzip of JSON. */
function decodeRelease(secret: SimObject): { version: number; info: { status: string }; config: Record<string, any> } {
  const payload = Buffer.from((secret.data as { release: string }).release, 'base64').toString('utf8');
  return JSON.parse(gunzipSync(Buffer.from(payload, 'base64')).toString('utf8'));
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-helm-'));
  sim = await startSim({ scenario: 'empty', kubeconfigPath: join(home, 'kubeconfig') });
});

afterAll(async () => {
  await sim?.stop();
  await rm(home, { recursive: true, force: true });
});

describe('helm against the simulator', () => {
  it('installs a chart: deployment, service, configmap and release secret v1', async () => {
    const run = await helm(['install', 'shop', CHART, '-n', NS, '--create-namespace']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('STATUS: deployed');
    expect(image()).toBe('nginx:1.25');
    expect(sim.state.get('Service', NS, 'shop')).toBeDefined();
    expect(sim.state.get('ConfigMap', NS, 'shop-config')?.data).toEqual({ GREETING: 'hello' });
    const secrets = releaseSecrets();
    expect(secrets.map((s) => s.metadata.name)).toEqual(['sh.helm.release.v1.shop.v1']);
    expect(secrets[0]!.metadata.labels).toMatchObject({
      owner: 'helm',
      name: 'shop',
      status: 'deployed',
      version: '1',
    });
    expect(secrets[0]!.type).toBe('helm.sh/release.v1');
    expect(decodeRelease(secrets[0]!).info.status).toBe('deployed');
  });

  it('upgrades to a new image: revision 2 deployed, revision 1 superseded', async () => {
    const run = await helm(['upgrade', 'shop', CHART, '-n', NS, '--set', 'image.tag=1.26']);
    expect(run.code).toBe(0);
    expect(image()).toBe('nginx:1.26');
    const byName = Object.fromEntries(releaseSecrets().map((s) => [s.metadata.name, s.metadata.labels?.status]));
    expect(byName).toEqual({ 'sh.helm.release.v1.shop.v1': 'superseded', 'sh.helm.release.v1.shop.v2': 'deployed' });
    expect(decodeRelease(sim.state.get('Secret', NS, 'sh.helm.release.v1.shop.v2')!).config).toEqual({
      image: { tag: '1.26' },
    });
  });

  it('prints the history as JSON', async () => {
    const run = await helm(['history', 'shop', '-n', NS, '-o', 'json']);
    expect(run.code).toBe(0);
    const history = JSON.parse(run.stdout) as { revision: number; status: string; description: string }[];
    expect(history.map((h) => [h.revision, h.status])).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
    expect(history[1]!.description).toBe('Upgrade complete');
  });

  it('rolls back to revision 1 and waits for the deployment to be ready', async () => {
    const run = await helm(['rollback', 'shop', '1', '-n', NS, '--wait', '--timeout', '60s'], 75_000);
    const state = () =>
      JSON.stringify({
        deployment: sim.state.get('Deployment', NS, 'shop')?.status,
        replicaSets: sim.state.list('ReplicaSet', NS).map((rs) => [rs.metadata.name, rs.spec, rs.status]),
        pods: sim.state.list('Pod', NS).map((p) => [p.metadata.name, p.status]),
      });
    expect(run.stderr, state()).toBe('');
    expect(run.stdout).toContain('Rollback was a success! Happy Helming!');
    expect(image()).toBe('nginx:1.25');
    const deployment = sim.state.get('Deployment', NS, 'shop')!;
    expect((deployment.status as { readyReplicas?: number }).readyReplicas).toBe(2);
    const v3 = sim.state.get('Secret', NS, 'sh.helm.release.v1.shop.v3')!;
    expect(v3.metadata.labels).toMatchObject({ owner: 'helm', status: 'deployed', version: '3' });
  }, 90_000);

  it('lists releases across namespaces', async () => {
    const run = await helm(['list', '-A', '-o', 'json']);
    expect(run.code).toBe(0);
    const releases = JSON.parse(run.stdout) as { name: string; namespace: string; revision: string; status: string }[];
    expect(releases).toEqual([
      expect.objectContaining({ name: 'shop', namespace: NS, revision: '3', status: 'deployed' }),
    ]);
  });
});
