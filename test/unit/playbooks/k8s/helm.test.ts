import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helmErrorLine, helmHistory, planHelmRollback, runHelmRollback } from '../../../../src/playbooks/k8s/helm.js';
import { runProcess } from '../../../../src/run-process.js';

/** A stand-in helm: prints the history given in HISTORY, or helm's error for a missing release; logs its arguments. */
const FAKE_HELM = `#!/bin/sh
echo "$@" >> "$ARGS_LOG"
echo "WARNING: Kubernetes configuration file is group-readable. This is insecure." >&2
case "$1 $2" in
  "history missing") echo "Error: release: not found" >&2; exit 1 ;;
  "history "*) echo "$HISTORY" ;;
  "rollback "*) echo "Rollback was a success! Happy Helming!" ;;
esac
`;

describe('helm through the process runner', () => {
  let dir: string;
  let helm: string;
  const history = (entries: { revision: number; status: string }[]) =>
    JSON.stringify(
      entries.map((e) => ({ ...e, updated: '', chart: `api-1.${e.revision}.0`, app_version: '1', description: 'x' })),
    );
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'inc-helm-'));
    helm = join(dir, 'helm');
    writeFileSync(helm, FAKE_HELM);
    chmodSync(helm, 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const target = (entries: { revision: number; status: string }[]) => ({
    helm,
    run: runProcess,
    kubeContext: 'inc-sim',
    kubeconfig: '/tmp/kc',
    env: { ...process.env, ARGS_LOG: join(dir, 'args.log'), HISTORY: history(entries) },
  });

  it('parses history -o json ascending, passing the kube flags as arguments; stderr warnings are not failures', async () => {
    const entries = await helmHistory(
      target([
        { revision: 3, status: 'deployed' },
        { revision: 2, status: 'superseded' },
      ]),
      'shop',
      'api',
    );
    expect(entries.map((e) => e.revision)).toEqual([2, 3]);
    expect(readFileSync(join(dir, 'args.log'), 'utf8')).toContain(
      'history api --output json --max 256 --namespace shop --kube-context inc-sim --kubeconfig /tmp/kc',
    );
  });

  it('impersonates as inc does: --kube-as-user and each --kube-as-group', async () => {
    const acting = {
      ...target([{ revision: 1, status: 'deployed' }]),
      actingAs: { user: 'admin', groups: ['sre', 'system:masters'] },
    };
    await helmHistory(acting, 'shop', 'api');
    expect(readFileSync(join(dir, 'args.log'), 'utf8').trim().split('\n').at(-1)).toBe(
      'history api --output json --max 256 --namespace shop --kube-context inc-sim --kubeconfig /tmp/kc --kube-as-user admin --kube-as-group sre --kube-as-group system:masters',
    );
  });

  it("shows helm's Error: line on failure", async () => {
    await expect(helmHistory(target([]), 'shop', 'missing')).rejects.toThrow(
      'helm history missing failed: Error: release: not found',
    );
    expect(helmErrorLine('WARNING: x\nError: release has no 3 version\n')).toBe('Error: release has no 3 version');
  });

  it('rolls back to the newest earlier revision that did not fail, refuses a pending release and a missing revision', async () => {
    const plan = await planHelmRollback(
      target([
        { revision: 1, status: 'superseded' },
        { revision: 2, status: 'deployed' },
        { revision: 3, status: 'failed' },
        { revision: 4, status: 'failed' },
      ]),
      'shop',
      'api',
    );
    // helm's own default (current−1) would put back revision 3, which helm recorded as failed.
    expect(plan.target.revision).toBe(2);
    expect(plan.skipped.map((r) => r.revision)).toEqual([3]);
    const named = await planHelmRollback(
      target([
        { revision: 1, status: 'superseded' },
        { revision: 2, status: 'failed' },
        { revision: 3, status: 'deployed' },
      ]),
      'shop',
      'api',
      2,
    );
    expect(named.target.revision).toBe(2);
    await expect(
      planHelmRollback(
        target([
          { revision: 1, status: 'failed' },
          { revision: 2, status: 'failed' },
        ]),
        'shop',
        'api',
      ),
    ).rejects.toThrow('every earlier revision of release api failed (1 failed): there is no good one to roll back to');
    await expect(
      planHelmRollback(
        target([
          { revision: 1, status: 'deployed' },
          { revision: 2, status: 'pending-upgrade' },
        ]),
        'shop',
        'api',
      ),
    ).rejects.toMatchObject({
      message: expect.stringContaining('release api is pending-upgrade (revision 2)'),
      hint: expect.stringContaining(
        'roll back to the newest earlier revision that did not fail, 1 (api-1.1.0): inc run helm-rollback --set namespace=shop --set release=api --set revision=1',
      ),
    });
    // A rollback to a named revision is helm's way out of a lock a stopped helm left.
    const unlock = await planHelmRollback(
      target([
        { revision: 1, status: 'deployed' },
        { revision: 2, status: 'pending-upgrade' },
      ]),
      'shop',
      'api',
      1,
    );
    expect(unlock.target.revision).toBe(1);
    await expect(planHelmRollback(target([{ revision: 4, status: 'deployed' }]), 'shop', 'api')).rejects.toThrow(
      'release api has only revision 4: there is nothing to roll back to',
    );
    await expect(planHelmRollback(target([{ revision: 4, status: 'deployed' }]), 'shop', 'api', 3)).rejects.toThrow(
      'release has no 3 version',
    );
  });

  it('runs rollback with --wait and --timeout, and explains a missing helm binary', async () => {
    const out = await runHelmRollback(
      target([]),
      { release: 'api', namespace: 'shop', revision: 2 },
      { timeout: '90s', dryRun: false },
    );
    expect(out).toBe('Rollback was a success! Happy Helming!');
    expect(readFileSync(join(dir, 'args.log'), 'utf8')).toContain(
      'rollback api 2 --wait --timeout 90s --namespace shop',
    );
    await expect(
      helmHistory({ helm: join(dir, 'no-such-helm'), run: runProcess }, 'shop', 'api'),
    ).rejects.toMatchObject({
      message: expect.stringContaining('not found'),
      hint: expect.stringContaining('INC_HELM'),
    });
  });
});

describe('the helm.history step', () => {
  it('keeps one row per revision when helm wrote a description of several lines', async () => {
    const { historyTable } = await import('../../../../src/playbooks/actions/helm.js');
    const rows = historyTable([
      {
        revision: 1,
        updated: '',
        status: 'superseded',
        chart: 'checkout-1.4.0',
        app_version: '1.4.0',
        description: 'Install complete',
      },
      {
        revision: 2,
        updated: '',
        status: 'failed',
        chart: 'checkout-1.5.0',
        app_version: '1.5.0',
        description:
          'Upgrade "checkout" failed: resource Deployment/shop/checkout not ready.\ncontext deadline exceeded',
      },
    ]);
    expect(rows).toHaveLength(3);
    expect(rows[2]).toBe(
      '2         failed       checkout-1.5.0        1.5.0        Upgrade "checkout" failed: resource Deployment/shop/checkout not ready. ⏎ context deadline exceeded',
    );
  });
});

describe('helm commands printed for pasting', () => {
  it("carry the run's cluster and identity, as the helm inc runs does", async () => {
    const { helmFlagsText } = await import('../../../../src/playbooks/k8s/helm.js');
    expect(helmFlagsText({})).toBe('');
    expect(
      helmFlagsText({
        kubeContext: 'us-east',
        kubeconfig: '/home/me/.kube/fleet config',
        actingAs: { user: 'oncall-admin', groups: ['sre'] },
      }),
    ).toBe(
      " --kube-context us-east --kubeconfig '/home/me/.kube/fleet config' --kube-as-user oncall-admin --kube-as-group sre",
    );
  });
});
