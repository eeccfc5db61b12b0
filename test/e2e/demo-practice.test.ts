import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureClientBinaries } from '../helpers/binaries.js';
import { runKubectl } from '../helpers/kubectl.js';
import { runInc } from '../helpers/run-inc.js';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isRunning(pid);
}

describe('inc demo --practice (game day)', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'inc-practice-'));
  });
  afterEach(async () => {
    await runInc(['demo', '--stop'], { env: { INC_HOME: home } });
    await rm(home, { recursive: true, force: true });
  });

  it('serves a practice cluster in the background and judges the fix at inc resolve', async () => {
    const started = await runInc(['demo', '--practice', 'bad-deploy'], { env: { INC_HOME: home }, timeoutMs: 40_000 });
    expect(started.code, started.stderr).toBe(0);
    const exportLine = /^export KUBECONFIG=(\S+)$/m.exec(started.stdout);
    expect(exportLine).not.toBeNull();
    const kubeconfig = exportLine![1]!;
    const practice = JSON.parse(readFileSync(join(home, 'practice', 'practice.json'), 'utf8')) as { pid: number };
    expect(isRunning(practice.pid)).toBe(true);

    const env = { INC_HOME: home, KUBECONFIG: kubeconfig };
    expect((await runInc(['start', 'checkout errors', '--severity', 'SEV2'], { env })).code).toBe(0);
    const run = await runInc(['run', 'rollback', '--set', 'namespace=payments', '--set', 'deployment=api', '--yes'], {
      env,
      timeoutMs: 60_000,
    });
    expect(run.code, run.stderr).toBe(0);
    const resolved = await runInc(['resolve'], { env, timeoutMs: 40_000 });
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stderr).toContain('Practice (scenario bad-deploy)');
    expect(resolved.stderr).toMatch(/culprit: deployment payments\/api .* — fixed/);
    expect(resolved.stderr).toMatch(/time to mitigate: [\d.]+ min/);
    // Listed beside real incidents, a game day's says so.
    expect((await runInc(['list'], { env })).stdout).toMatch(/resolved .*\(practice\) checkout errors/);
    expect(await waitUntilGone(practice.pid)).toBe(true);
  });

  it('neither judges nor stops the game day when a real incident is resolved meanwhile', async () => {
    const started = await runInc(['demo', '--practice', 'bad-deploy'], { env: { INC_HOME: home }, timeoutMs: 40_000 });
    expect(started.code, started.stderr).toBe(0);
    const { pid } = JSON.parse(readFileSync(join(home, 'practice', 'practice.json'), 'utf8')) as { pid: number };
    // The real page arrives in another shell, whose KUBECONFIG is the production cluster's.
    const env = { INC_HOME: home, KUBECONFIG: join(home, 'production-kubeconfig') };
    expect((await runInc(['start', 'real database outage', '--severity', 'SEV2'], { env })).code).toBe(0);
    expect((await runInc(['mitigated', '--yes'], { env })).code).toBe(0);
    const resolved = await runInc(['resolve', '--yes'], { env, timeoutMs: 40_000 });
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stderr).not.toContain('Practice (scenario');
    expect(resolved.stderr).not.toContain('culprit');
    expect(resolved.stderr).toContain(
      'a practice cluster (scenario bad-deploy) is still running; stop it with: inc demo --stop',
    );
    expect(isRunning(pid)).toBe(true);
  });

  it('does not score deleting the culprit, and the service with it, as fixed', async () => {
    await ensureClientBinaries();
    const started = await runInc(['demo', '--practice', 'bad-deploy'], { env: { INC_HOME: home }, timeoutMs: 40_000 });
    expect(started.code, started.stderr).toBe(0);
    const kubeconfig = /^export KUBECONFIG=(\S+)$/m.exec(started.stdout)![1]!;
    const env = { INC_HOME: home, KUBECONFIG: kubeconfig };
    expect((await runInc(['start', 'checkout errors', '--severity', 'SEV2'], { env })).code).toBe(0);
    const deleted = await runKubectl(kubeconfig, home, ['-n', 'payments', 'delete', 'deployment', 'api']);
    expect(deleted.code, deleted.stderr).toBe(0);
    const resolved = await runInc(['resolve', '--yes'], { env, timeoutMs: 40_000 });
    expect(resolved.stderr).toMatch(
      /culprit: deployment payments\/api .* — NOT fixed: triage still finds service payments\/api has no ready endpoints/,
    );
    expect(resolved.stderr).not.toMatch(/— fixed/);
  });

  it('marks the incident as practice when the practice kubeconfig is given with --kubeconfig', async () => {
    const started = await runInc(['demo', '--practice', 'oom'], { env: { INC_HOME: home }, timeoutMs: 40_000 });
    expect(started.code, started.stderr).toBe(0);
    const kubeconfig = /^export KUBECONFIG=(\S+)$/m.exec(started.stdout)![1]!;
    const env = { INC_HOME: home, KUBECONFIG: join(home, 'production-kubeconfig') };
    const declared = await runInc(['--kubeconfig', kubeconfig, 'start', 'cart drill', '--severity', 'SEV3'], { env });
    expect(declared.code, declared.stderr).toBe(0);
    expect((await runInc(['list'], { env })).stdout).toMatch(/\(practice\) cart drill/);
    const resolved = await runInc(['resolve', '--yes'], { env, timeoutMs: 40_000 });
    expect(resolved.stderr).toContain('Practice (scenario oom)');
  });

  it('reports an unfixed culprit, and --stop ends a practice early', async () => {
    const started = await runInc(['demo', '--practice', 'oom'], { env: { INC_HOME: home }, timeoutMs: 40_000 });
    expect(started.code, started.stderr).toBe(0);
    const kubeconfig = /^export KUBECONFIG=(\S+)$/m.exec(started.stdout)![1]!;
    const env = { INC_HOME: home, KUBECONFIG: kubeconfig };
    expect((await runInc(['start', 'memory trouble', '--severity', 'SEV3'], { env })).code).toBe(0);
    const resolved = await runInc(['resolve'], { env, timeoutMs: 40_000 });
    expect(resolved.stderr).toMatch(/— NOT fixed/);
    expect(resolved.stderr).toContain('time to mitigate: not mitigated');

    const again = await runInc(['demo', '--practice', 'healthy'], { env: { INC_HOME: home }, timeoutMs: 40_000 });
    expect(again.code).toBe(0);
    const { pid } = JSON.parse(readFileSync(join(home, 'practice', 'practice.json'), 'utf8')) as { pid: number };
    const stopped = await runInc(['demo', '--stop'], { env: { INC_HOME: home } });
    expect(stopped.stderr).toContain('stopped the practice cluster (scenario healthy)');
    expect(await waitUntilGone(pid)).toBe(true);
  });
});
