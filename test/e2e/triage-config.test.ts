import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import type { TriageReport } from '../../src/triage/types.js';
import { runInc } from '../helpers/run-inc.js';

/** Triage on bad-config: the ConfigMap change is the top suspect over the restart that picked it up. */

let dir: string;
let sim: RunningSim;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inc-triage-config-'));
  sim = await startSim({ scenario: 'bad-config' });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ INC_HOME: join(dir, 'home'), HOME: dir, NO_COLOR: '1' });
const inc = (args: string[]) => runInc(['--kubeconfig', sim.kubeconfigPath, ...args], { cwd: dir, env: env() });

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('inc triage on bad-config', () => {
  it('names the ConfigMap change first, the restart second, and says how to fix it', async () => {
    const result = await inc(['triage', '-A', '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as TriageReport;
    const [config, restart] = report.suspects;
    expect(config?.workload).toEqual({ kind: 'ConfigMap', namespace: 'shop', name: 'checkout-config' });
    expect(config?.change).toBe('changed (by kubectl-client-side-apply)');
    // Dated by the ConfigMap's newest managedFields entry.
    const stored = sim.store.get('ConfigMap', 'shop', 'checkout-config');
    const managed = stored?.metadata.managedFields as { time: string }[];
    expect(Date.parse(config?.at ?? '')).toBe(Date.parse(managed[0]!.time));
    expect(config?.why).toMatch(
      /crash-looping .*read by deployment shop\/checkout; deployment shop\/checkout restarted at/,
    );
    expect(restart?.workload).toEqual({ kind: 'Deployment', namespace: 'shop', name: 'checkout' });
    expect(restart?.change).toMatch(/^restart \(kubectl rollout restart\)/);
    const crash = report.findings.find((f) => f.reason === 'CrashLoopBackOff');
    expect(crash?.workload).toEqual({ kind: 'Deployment', namespace: 'shop', name: 'checkout' });
    expect(crash?.evidence.join('\n')).toContain('config: required key PAYMENTS_URL is not set');
    expect(crash?.evidence.join('\n')).toContain('kubectl -n shop edit configmap checkout-config');
    // Nothing to paste that cannot work: a restart before the config is restored crashes the same way.
    expect(crash?.suggestion).toBeUndefined();
    expect(crash?.evidence.join('\n')).toContain(
      'a restart before that crashes the same way. Then: inc run restart --set namespace=shop --set deployment=checkout',
    );
  });

  it('keeps ConfigMaps as metadata in the evidence, never their data', async () => {
    expect((await inc(['start', 'checkout down', '--severity', 'SEV2'])).code).toBe(0);
    const result = await inc(['triage', '-A']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Suspect: configmap shop/checkout-config: changed (by kubectl-client-side-apply)');
    const files = filesUnder(join(dir, 'home'));
    const texts = files.map((file) => readFileSync(file, 'utf8'));
    expect(texts.some((text) => text.includes('"checkout-config"'))).toBe(true);
    for (const text of texts) expect(text).not.toContain('api.payments.svc.cluster.local');
  });
});
