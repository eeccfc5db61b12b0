import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import type { TriageReport } from '../../src/triage/types.js';
import { runInc } from '../helpers/run-inc.js';

/**
 * The measured impact through an incident, on bad-deploy-errors with the pods scraped directly:
 * `inc update` states it, `inc resolve` measures it before closing the incident.
 */

let home: string;
let sim: RunningSim | undefined;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'inc-resolve-signals-'));
  // The simulator runs ten times faster than real time: 1 s and 3 s are its usual 10 s and 30 s.
  await mkdir(join(home, 'config', 'inc'), { recursive: true });
  await writeFile(join(home, 'config', 'inc', 'config.yaml'), 'signals:\n  sample: 1s\n  settle: 3s\n');
});
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
  await rm(home, { recursive: true, force: true });
});

function inc(args: string[]) {
  return runInc(['--kubeconfig', sim!.kubeconfigPath, ...args], {
    env: { INC_HOME: join(home, 'inc'), HOME: home, XDG_CONFIG_HOME: join(home, 'config') },
    timeoutMs: 60_000,
  });
}

async function declareAndTriage(): Promise<void> {
  sim = await startSim({ scenario: 'bad-deploy-errors' });
  const started = await inc(['start', 'payments api errors', '--severity', 'SEV2']);
  expect(started.code, started.stderr).toBe(0);
  const triage = await inc(['triage', '-n', 'payments']);
  expect(triage.stdout, triage.stderr).toMatch(/deployment payments\/api: 5xx ratio (2\d|3\d) %/);
}

describe('the measured impact in updates and at resolve', () => {
  it('update states it; resolve refuses while it lasts, and measures it back at baseline after the rollback', async () => {
    await declareAndTriage();

    const early = await inc(['resolve']);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/warning: deployment payments\/api: 5xx ratio still (2\d|3\d) %/);
    expect(early.stderr).toContain('not resolved: the 5xx ratio is still above its baseline');
    expect(early.stderr).toContain('inc resolve --force');

    const first = await inc(['update', '--message', 'looking at api']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Measured: deployment payments\/api: 5xx ratio (2\d|3\d) %$/m);

    const rollback = await inc(['run', 'rollback', '--set', 'namespace=payments', '--set', 'deployment=api', '--yes']);
    expect(rollback.code, rollback.stderr).toBe(0);
    // Scraped from the pods, the verification's samples all come after the rollback: it says the
    // ratio it measured, and "back to" only when it saw the errors itself (with Prometheus).
    expect(rollback.stdout + rollback.stderr).toMatch(/5xx ratio (back to )?0(\.\d+)? %/);
    // The verification's measurement is recorded: an update right after the fix quotes it, not the
    // last figure measured before it.
    const afterFix = await inc(['update', '--message', 'rolled back, verifying']);
    expect(afterFix.stdout).toMatch(/^Measured: deployment payments\/api: 5xx ratio (2\d|3\d) % → 0(\.\d+)? %$/m);
    expect((await inc(['log'])).stdout).toMatch(/triage inc-sim: after the mitigation: .+ in namespace payments/);
    const again = await inc(['triage', '-n', 'payments']);
    expect(again.stdout).not.toContain('5xx ratio 3');
    const report = JSON.parse((await inc(['triage', '-n', 'payments', '-o', 'json'])).stdout) as TriageReport;
    expect(report.signals?.source.kind).toBe('scrape');
    expect(report.findings.filter((f) => f.reason === 'HighErrorRate')).toEqual([]);
    expect(report.signals?.workloads.find((w) => w.workload.name === 'api')?.errorRatio.now).toBeLessThan(0.01);

    const second = await inc(['update', '--message', 'rolled back']);
    expect(second.stdout).toMatch(/^Measured: deployment payments\/api: 5xx ratio (2\d|3\d) % → \d(\.\d+)? %$/m);

    const resolved = await inc(['resolve']);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stderr).toMatch(/deployment payments\/api: 5xx ratio back to 0(\.\d+)? % over the last \d+ s/);
  }, 120_000);

  it('resolve --force resolves while the errors last, after the warning', async () => {
    await declareAndTriage();
    const forced = await inc(['resolve', '--force', '--summary', 'the partner fixes their side']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/warning: deployment payments\/api: 5xx ratio still (2\d|3\d) %/);
    expect(forced.stderr).toContain('resolving anyway (--force)');
    expect(forced.stdout + forced.stderr).toMatch(/resolved: the partner fixes their side/);
  }, 90_000);

  it('refuses while a latency or a traffic drop triage flagged lasts, naming the figure, and resolves once it is back', async () => {
    sim = await startSim({ scenario: 'latency-regression' });
    expect((await inc(['start', 'payments api slow', '--severity', 'SEV2'])).code).toBe(0);
    const slow = await inc(['triage', '-n', 'payments']);
    expect(slow.stdout, slow.stderr).toMatch(/deployment payments\/api: p99 latency/);
    const refused = await inc(['resolve']);
    expect(refused.code).toBe(2);
    // About 1.5 s; a 1 s sample of the pods' histograms reads it between buckets.
    expect(refused.stderr).toMatch(/warning: deployment payments\/api: p99 latency still \d+(\.\d+)? (s|ms)/);
    expect(refused.stderr).toContain('not resolved: the p99 latency is still above its baseline');
    expect((await inc(['resolve', '--force'])).code).toBe(0);
    await sim.stop();

    sim = await startSim({ scenario: 'netpol-block' });
    expect((await inc(['start', 'payments api unreachable', '--severity', 'SEV2'])).code).toBe(0);
    const quiet = await inc(['triage', '-n', 'payments']);
    expect(quiet.stdout, quiet.stderr).toMatch(/deployment payments\/api: request rate 0\.00\/s, down 100 %/);
    const stillDown = await inc(['resolve']);
    expect(stillDown.code).toBe(2);
    expect(stillDown.stderr).toMatch(/warning: deployment payments\/api: request rate still 0\.00\/s \(baseline/);
    expect(stillDown.stderr).toContain('not resolved: the request rate is still below its baseline');
    const revert = ['run', 'netpol-revert', '--set', 'namespace=payments', '--set', 'policy=restrict-api', '--yes'];
    expect((await inc(revert)).code).toBe(0);
    const resolved = await inc(['resolve']);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stderr).toMatch(/deployment payments\/api: request rate back to \d+(\.\d+)?\/s/);
  }, 150_000);
});
