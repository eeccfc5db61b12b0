// biome-ignore-all lint/suspicious/noExplicitAny: the tests read kubectl JSON freely
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELM } from '../helpers/binaries.js';
import { type FrozenSim, startFrozenSim } from '../helpers/frozen-sim.js';

/**
 * restartPolicy, batch/v1 Jobs and CronJobs through the real kubectl (v1.31), on a simulator whose
 * clock moves only when the test advances it.
 */

let world: FrozenSim;

beforeAll(async () => {
  world = await startFrozenSim();
});

afterAll(async () => {
  await world?.sim.stop();
});

const phase = (namespace: string, name: string) => (world.sim.state.get('Pod', namespace, name)?.status as any)?.phase;
const conditionOf = (job: any, type: string) => job?.status?.conditions?.find((c: any) => c.type === type);
const jobNamed = (name: string) => world.sim.state.get('Job', 'shop', name) as any;

async function apply(manifest: string): Promise<void> {
  const run = await world.kubectl(['apply', '-f', '-'], manifest);
  expect(run.exitCode, run.stderr).toBe(0);
}

describe('restartPolicy', () => {
  it('a crashing container under Never fails its pod once, without restarts', async () => {
    const run = await world.kubectl([
      'run',
      'once',
      '-n',
      'shop',
      '--image=tool:1',
      '--restart=Never',
      '--annotations=sim.inc.dev/behavior=crashloop',
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    world.advanceUntil(() => phase('shop', 'once') === 'Failed', 60_000);
    world.sim.advance(60_000);
    const pod = await world.json(['get', 'pod', 'once', '-n', 'shop']);
    expect(pod.status.phase).toBe('Failed');
    const container = pod.status.containerStatuses[0];
    expect(container.restartCount).toBe(0);
    expect(container.state.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const table = await world.kubectl(['get', 'pod', 'once', '-n', 'shop']);
    expect(table.stdout).toMatch(/once\s+0\/1\s+Error\s+0\s/);
  });

  it('a healthy container under OnFailure runs its work and completes', async () => {
    const run = await world.kubectl([
      'run',
      'task',
      '-n',
      'shop',
      '--image=tool:1',
      '--restart=OnFailure',
      '--annotations=sim.inc.dev/run-seconds=20',
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    world.sim.advance(15_000);
    expect(phase('shop', 'task')).toBe('Running');
    world.advanceUntil(() => phase('shop', 'task') === 'Succeeded', 60_000);
    const table = await world.kubectl(['get', 'pod', 'task', '-n', 'shop']);
    expect(table.stdout).toMatch(/task\s+0\/1\s+Completed\s+0\s/);
  });
});

describe('Jobs', () => {
  it('kubectl create job runs a pod of the Job to completion: Complete condition, 1/1', async () => {
    const run = await world.kubectl(['create', 'job', 'migrate', '-n', 'shop', '--image=tool:1']);
    expect(run.exitCode, run.stderr).toBe(0);
    world.advanceUntil(() => conditionOf(jobNamed('migrate'), 'Complete')?.status === 'True', 120_000);
    const wait = await world.kubectl(['wait', '--for=condition=complete', 'job/migrate', '-n', 'shop', '--timeout=5s']);
    expect(wait.exitCode, wait.stderr).toBe(0);
    const pods = await world.json(['get', 'pods', '-n', 'shop', '-l', 'job-name=migrate']);
    expect(pods.items).toHaveLength(1);
    expect(pods.items[0].metadata.ownerReferences[0]).toMatchObject({ kind: 'Job', name: 'migrate', controller: true });
    expect(pods.items[0].status.phase).toBe('Succeeded');
    const job = await world.json(['get', 'job', 'migrate', '-n', 'shop']);
    expect(job.spec).toMatchObject({ backoffLimit: 6, completions: 1, parallelism: 1 });
    expect(job.status.succeeded).toBe(1);
    expect(job.status.completionTime).toBeDefined();
    const table = await world.kubectl(['get', 'job', 'migrate', '-n', 'shop']);
    expect(table.stdout).toMatch(/migrate\s+Complete\s+1\/1\s/);
  });

  it('completions and parallelism: two pods at a time until three succeeded', async () => {
    await apply(`
apiVersion: batch/v1
kind: Job
metadata: {name: batch, namespace: shop}
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: work, image: 'tool:1'}]
`);
    world.sim.advance(1_000);
    expect(world.sim.state.list('Pod', 'shop').filter((p) => p.metadata.labels?.['job-name'] === 'batch')).toHaveLength(
      2,
    );
    world.advanceUntil(() => conditionOf(jobNamed('batch'), 'Complete')?.status === 'True', 120_000);
    const job = await world.json(['get', 'job', 'batch', '-n', 'shop']);
    expect(job.status.succeeded).toBe(3);
    expect(job.status.active).toBeUndefined();
  });

  it('a failing Job retries with back-off, then fails with BackoffLimitExceeded after backoffLimit', async () => {
    await apply(`
apiVersion: batch/v1
kind: Job
metadata: {name: report, namespace: shop}
spec:
  backoffLimit: 2
  template:
    metadata: {annotations: {sim.inc.dev/behavior: crashloop}}
    spec:
      restartPolicy: Never
      containers: [{name: report, image: 'report:1'}]
`);
    world.sim.advance(12_000);
    const early = jobNamed('report');
    expect(early.status.failed).toBe(1);
    expect(conditionOf(early, 'Failed')).toBeUndefined();
    world.advanceUntil(() => conditionOf(jobNamed('report'), 'Failed')?.status === 'True', 300_000);
    const wait = await world.kubectl(['wait', '--for=condition=failed', 'job/report', '-n', 'shop', '--timeout=5s']);
    expect(wait.exitCode, wait.stderr).toBe(0);
    const job = await world.json(['get', 'job', 'report', '-n', 'shop']);
    expect(conditionOf(job, 'Failed')).toMatchObject({
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    expect(job.status.failed).toBe(3);
    const pods = await world.json(['get', 'pods', '-n', 'shop', '-l', 'job-name=report']);
    expect(pods.items.map((p: any) => p.status.phase)).toEqual(['Failed', 'Failed', 'Failed']);
    const starts = pods.items.map((p: any) => Date.parse(p.metadata.creationTimestamp)).sort();
    expect(starts[2] - starts[1]).toBeGreaterThan(starts[1] - starts[0]);
    const events = await world.kubectl([
      'get',
      'events',
      '-n',
      'shop',
      '--field-selector',
      'involvedObject.name=report',
    ]);
    expect(events.stdout).toContain('BackoffLimitExceeded');
    const logs = await world.kubectl(['logs', pods.items[0].metadata.name, '-n', 'shop']);
    expect(logs.exitCode, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/ERROR/);
  });

  it('refuses a Job whose pods would restart Always', async () => {
    const run = await world.kubectl(
      ['apply', '-f', '-'],
      `
apiVersion: batch/v1
kind: Job
metadata: {name: wrong, namespace: shop}
spec:
  template:
    spec:
      restartPolicy: Always
      containers: [{name: work, image: 'tool:1'}]
`,
    );
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('spec.template.spec.restartPolicy: Unsupported value: "Always"');
  });
});

describe('CronJobs', () => {
  it('creates a Job at each scheduled time, reports its completion and keeps the history limit', async () => {
    const run = await world.kubectl([
      'create',
      'cronjob',
      'tick',
      '-n',
      'shop',
      '--image=tool:1',
      '--schedule=*/5 * * * *',
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    const ownedJobs = () =>
      world.sim.state.list('Job', 'shop').filter((j) => j.metadata.ownerReferences?.[0]?.name === 'tick');
    world.advanceUntil(() => ownedJobs().length === 1, 6 * 60_000);
    const first = ownedJobs()[0]!;
    const scheduled = first.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'];
    expect(scheduled).toMatch(/:[0-5][05]:00Z$/);
    expect(first.metadata.name).toBe(`tick-${Date.parse(scheduled!) / 60_000}`);
    world.advanceUntil(
      () => (world.sim.state.get('CronJob', 'shop', 'tick')?.status as any)?.lastSuccessfulTime !== undefined,
      120_000,
    );
    const cronJob = await world.json(['get', 'cronjob', 'tick', '-n', 'shop']);
    expect(cronJob.status.lastScheduleTime).toBe(scheduled);
    expect(cronJob.status.active).toBeUndefined();
    const events = await world.kubectl(['get', 'events', '-n', 'shop', '--field-selector', 'involvedObject.name=tick']);
    expect(events.stdout).toContain(`Saw completed job: ${first.metadata.name}, status: Complete`);

    world.sim.advance(20 * 60_000, 5_000);
    // Five more runs: the three latest complete ones are kept (plus one still running, if any).
    const complete = ownedJobs().filter((j) => conditionOf(j, 'Complete')?.status === 'True');
    expect(complete).toHaveLength(3);
    expect(ownedJobs().length - complete.length).toBeLessThanOrEqual(1);
    expect(ownedJobs().map((j) => j.metadata.name)).not.toContain(first.metadata.name);

    const manual = await world.kubectl(['create', 'job', 'tick-now', '--from=cronjob/tick', '-n', 'shop']);
    expect(manual.exitCode, manual.stderr).toBe(0);
    world.advanceUntil(() => conditionOf(jobNamed('tick-now'), 'Complete')?.status === 'True', 60_000);
    const table = await world.kubectl(['get', 'cronjob', 'tick', '-n', 'shop']);
    expect(table.stdout).toMatch(/tick\s+\*\/5 \* \* \* \*\s+<none>\s+False\s+\d\s+\S+\s/);
  });
});

describe('helm test', () => {
  it('finishes: the test hook pod (restartPolicy Never) succeeds', async () => {
    const home = mkdtempSync(join(tmpdir(), 'inc-helm-test-'));
    try {
      const chart = join(home, 'chart');
      mkdirSync(join(chart, 'templates', 'tests'), { recursive: true });
      writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: smoke\nversion: 0.1.0\n');
      writeFileSync(
        join(chart, 'templates', 'tests', 'check.yaml'),
        [
          'apiVersion: v1',
          'kind: Pod',
          'metadata:',
          '  name: "{{ .Release.Name }}-check"',
          '  annotations: {helm.sh/hook: test}',
          'spec:',
          '  restartPolicy: Never',
          '  containers: [{name: check, image: "curl:8"}]',
        ].join('\n'),
      );
      const env = {
        HOME: home,
        KUBECONFIG: world.sim.kubeconfigPath,
        HELM_CACHE_HOME: join(home, 'cache'),
        HELM_CONFIG_HOME: join(home, 'config'),
        HELM_DATA_HOME: join(home, 'data'),
      };
      const install = await execa(HELM, ['install', 'smoke', chart, '-n', 'shop'], {
        env,
        reject: false,
        timeout: 30_000,
      });
      expect(install.exitCode, install.stderr).toBe(0);
      // helm waits for the pod while the simulated clock moves a second every 20 ms.
      const ticking = setInterval(() => world.sim.advance(1_000), 20);
      const test = await execa(HELM, ['test', 'smoke', '-n', 'shop', '--timeout', '60s'], {
        env,
        reject: false,
        timeout: 30_000,
      }).finally(() => clearInterval(ticking));
      expect(test.exitCode, test.stderr).toBe(0);
      expect(test.stdout).toMatch(/TEST SUITE:\s+smoke-check[\s\S]*Phase:\s+Succeeded/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
