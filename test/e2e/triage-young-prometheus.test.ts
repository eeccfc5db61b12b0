// biome-ignore-all lint/suspicious/noExplicitAny: the report is read as plain JSON
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { type RunningPrometheus, startPrometheus } from '../helpers/prometheus.js';
import { runInc } from '../helpers/run-inc.js';

/**
 * A Prometheus younger than the signals' history (Debian's, scraping the simulator every second):
 * the request rate's points over the last 30 minutes start at the real rate, not at a fraction of
 * it rated over a window that reaches before the first sample.
 */

let sim: RunningSim;
let prometheus: RunningPrometheus;
let dir: string;

beforeAll(async () => {
  sim = await startSim({ scenario: 'bad-deploy-errors' });
  prometheus = await startPrometheus({ targets: [{ job: 'inc-sim', url: sim.metricsUrl }] });
  dir = mkdtempSync(join(tmpdir(), 'inc-young-prometheus-'));
  // A minute and a half of samples: the first minute's points are rated over partial windows.
  await prometheus.waitFor('count_over_time(up[5m])', (s) => (s[0]?.value ?? 0) >= 90, 150_000);
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the request-rate history of a young Prometheus', () => {
  it('holds no point rated over a window before the first sample', async () => {
    const result = await runInc(
      ['--kubeconfig', sim.kubeconfigPath, 'triage', '-n', 'payments', '-o', 'json', '--prometheus', prometheus.url],
      { cwd: dir, env: { INC_HOME: join(dir, 'home'), HOME: dir } },
    );
    expect(result.stdout, result.stderr).toMatch(/^\{/);
    const report = JSON.parse(result.stdout);
    const api = report.signals.workloads.find((w: any) => w.workload.name === 'api');
    const points = api.requestRate.points.map((p: any) => p.value);
    expect(points.length).toBeGreaterThan(0);
    const last = points.at(-1);
    expect(last).toBeGreaterThan(10);
    expect(points.filter((value: number) => value < last * 0.8)).toEqual([]);
  });
});
