import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { kubectlClient } from '../helpers/kubectl-client.js';
import { runInc } from '../helpers/run-inc.js';

/** inc logs against kubectl logs --prefix --timestamps, on the same simulated pods. */

let dir: string;
let sim: RunningSim;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inc-logs-'));
  // A frozen clock: kubectl and inc read the same instant of every container's log.
  sim = await startSim({ scenario: 'bad-config', speed: 0 });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const kubectl = kubectlClient(
  () => sim.kubeconfigPath,
  () => dir,
);
const inc = (args: string[]) =>
  runInc(['--kubeconfig', sim.kubeconfigPath, 'logs', ...args], { cwd: dir, env: { HOME: dir, NO_COLOR: '1' } });
const lines = (text: string) => text.split('\n').filter(Boolean);

describe('inc logs', () => {
  it('equals kubectl logs -l … --prefix --timestamps filtered by the same regex, merged in time order', async () => {
    const pattern = 'INFO (starting|listening)';
    const expected = lines(
      (await kubectl.run(['logs', '-n', 'shop', '-l', 'app=web', '--prefix', '--timestamps', '--tail=-1'])).stdout,
    ).filter((line) => new RegExp(pattern).test(line));
    const result = await inc(['-n', 'shop', '-l', 'app=web', '--grep', pattern]);
    expect(result.code, result.stderr).toBe(0);
    const got = lines(result.stdout);
    expect(got.length).toBeGreaterThanOrEqual(6);
    expect([...got].sort()).toEqual([...expected].sort());
    const times = got.map((line) => line.split(' ')[1]!);
    expect(times).toEqual([...times].sort());
    expect(new Set(got.map((line) => line.split(' ')[0])).size).toBe(3);
    for (const count of lines(result.stderr)) expect(count).toMatch(/^web-\S+: 2 matching lines$/);
  });

  it('takes --since 0 as kubectl does, no limit; the API server (simulated) refuses a sinceSeconds of 0', async () => {
    const all = await inc(['-n', 'shop', '-l', 'app=web']);
    const zero = await inc(['-n', 'shop', '-l', 'app=web', '--since', '0s']);
    expect(zero.code, zero.stderr).toBe(0);
    expect(lines(zero.stdout).length).toBeGreaterThanOrEqual(6);
    expect(zero.stdout).toBe(all.stdout);
    const pod = (await kubectl.run(['get', 'pods', '-n', 'shop', '-l', 'app=web', '-o', 'name'])).stdout.split(
      '\n',
    )[0]!;
    const raw = await kubectl.run([
      'get',
      '--raw',
      `/api/v1/namespaces/shop/pods/${pod.replace('pod/', '')}/log?sinceSeconds=0`,
    ]);
    expect(raw.code).not.toBe(0);
    expect(raw.stderr).toContain('sinceSeconds: Invalid value: 0: must be greater than 0');
  });

  it('reads a deployment, the previous container of a crash, and refuses bad input', async () => {
    const crashed = await inc(['deployment/checkout', '-n', 'shop', '--previous', '--grep', 'required key']);
    expect(crashed.code, crashed.stderr).toBe(0);
    expect(crashed.stdout).toMatch(
      /^\[pod\/checkout-\S+\/checkout\] \S+Z \S+Z ERROR config: required key PAYMENTS_URL is not set$/m,
    );
    expect(crashed.stderr).toMatch(/checkout-\S+: 1 matching line/);
    expect(crashed.stderr).not.toContain('BadRequest');
    // Containers that never restarted have no previous log: said once, not a 400 per pod. kubectl agrees
    // that there is none.
    const web = (await kubectl.run(['get', 'pods', '-n', 'shop', '-l', 'app=web', '-o', 'name'])).stdout.trim();
    const first = web.split('\n')[0]!;
    const none = await kubectl.run(['logs', '-n', 'shop', first, '--previous']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/previous terminated container "web" in pod "web-\S+" not found/);
    const healthy = await inc(['deployment/web', '-n', 'shop', '--previous']);
    expect(healthy.code, healthy.stderr).toBe(0);
    expect(healthy.stdout).toBe('');
    expect(healthy.stderr.trim()).toBe(
      'no previous log: no container of deployment/web has restarted (drop --previous)',
    );
    expect((await inc(['-n', 'shop', '-l', 'app=web', '--grep', '(unclosed'])).code).toBe(2);
    expect((await inc(['service/web', '-n', 'shop'])).code).toBe(2);
  });

  it('reads the pods of a workload whose selector is matchExpressions alone, as kubectl does, not the namespace', async () => {
    const manifest = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'batch', namespace: 'shop' },
      spec: {
        replicas: 1,
        selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['batch'] }] },
        template: {
          metadata: { labels: { app: 'batch' } },
          spec: { containers: [{ name: 'batch', image: 'batch:1' }] },
        },
      },
    });
    const applied = await kubectl.run(['apply', '-f', '-'], manifest);
    expect(applied.code, applied.stderr).toBe(0);
    const expected = lines(
      (await kubectl.run(['logs', '-n', 'shop', '-l', 'app in (batch)', '--prefix', '--timestamps'])).stdout,
    );
    const result = await inc(['deployment/batch', '-n', 'shop']);
    expect(result.code, result.stderr).toBe(0);
    expect(new Set(lines(result.stdout).map((line) => line.split(' ')[0]))).toEqual(
      new Set(expected.map((line) => line.split(' ')[0])),
    );
    for (const line of lines(result.stdout)) expect(line).toMatch(/^\[pod\/batch-/);
    expect(result.stdout).not.toContain('[pod/web-');
    expect(result.stderr).not.toContain('no pods match');
  });
});

describe('inc logs on pods that serve errors while Running and Ready', () => {
  it('greps their failed requests: every pod of bad-deploy-errors logs them every few seconds', async () => {
    const errors = await startSim({ scenario: 'bad-deploy-errors', speed: 0 });
    try {
      const result = await runInc(
        ['--kubeconfig', errors.kubeconfigPath, 'logs', 'deployment/api', '-n', 'payments', '--grep', 'error'],
        { cwd: dir, env: { HOME: dir, NO_COLOR: '1' } },
      );
      expect(result.code, result.stderr).toBe(0);
      const failed = lines(result.stdout).filter((line) => line.includes('ERROR request failed: status=500'));
      expect(failed.length).toBe(lines(result.stdout).length);
      // Ten minutes since the rollout, one line every five seconds, the last 40 kept per pod.
      const counts = lines(result.stderr).map((line) => /^api-\S+: (\d+) matching lines$/.exec(line)?.[1]);
      expect(counts).toEqual(['40', '40', '40']);
      const times = failed.map((line) => Date.parse(line.split(' ')[1]!));
      expect(Math.max(...times) - Math.min(...times)).toBeLessThan(4 * 60_000);
    } finally {
      await errors.stop();
    }
  });
});
