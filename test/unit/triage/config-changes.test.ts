import { describe, expect, it } from 'vitest';
import { configRefsOf } from '../../../src/pod-config-refs.js';
import { analyzeSnapshot } from '../../../src/triage/analyze.js';
import type { ConfigObject } from '../../../src/triage/k8s.js';
import type { Snapshot } from '../../../src/triage/snapshot.js';
import { ago, crashLooping, deployment, pod, replicaSet, snapshotWith } from './fixtures.js';

const HOUR = 3600_000;

function configMap(name: string, changedMinutesAgo: number, manager = 'kubectl-client-side-apply'): ConfigObject {
  return {
    metadata: {
      name,
      namespace: 'shop',
      creationTimestamp: ago(600),
      managedFields: [{ manager, operation: 'Update', time: ago(changedMinutesAgo) }],
    },
  };
}

/** shop/checkout reads checkout-config; its second ReplicaSet is a restart (or a new image) 10 minutes ago. */
function checkoutAfter(change: 'restart' | 'image'): Partial<Snapshot> {
  const checkout = deployment('shop', 'checkout');
  const template = {
    spec: {
      containers: [{ name: 'checkout', image: 'checkout:1', envFrom: [{ configMapRef: { name: 'checkout-config' } }] }],
    },
  };
  checkout.spec!.template = structuredClone(template);
  const oldRs = replicaSet(checkout, 'old111', { revision: 1, image: 'checkout:1', createdMinutesAgo: 600 });
  const newRs = replicaSet(checkout, 'new222', { revision: 2, image: 'checkout:1', createdMinutesAgo: 10 });
  oldRs.spec!.template = structuredClone(template);
  newRs.spec!.template = structuredClone(template);
  if (change === 'restart')
    newRs.spec!.template.metadata = { annotations: { 'kubectl.kubernetes.io/restartedAt': ago(10) } };
  else newRs.spec!.template.spec!.containers![0]!.image = 'checkout:2';
  const pods = [
    pod('checkout-new222-1', {
      owner: newRs,
      hash: 'new222',
      startedMinutesAgo: 9,
      containers: [crashLooping('checkout', 5)],
    }),
  ];
  return {
    deployments: [checkout],
    replicasets: [oldRs, newRs],
    pods,
    configMaps: [configMap('checkout-config', 12), configMap('unused', 11)],
  };
}

const analyze = (parts: Partial<Snapshot>) =>
  analyzeSnapshot(snapshotWith(parts), { checks: ['pods', 'rollouts'], sinceMs: HOUR, elapsed: () => 0 });

describe('config changes as suspects', () => {
  it('finds every way a pod template reads a ConfigMap or Secret', () => {
    const refs = configRefsOf({
      spec: {
        containers: [
          {
            name: 'a',
            env: [
              { name: 'X', valueFrom: { configMapKeyRef: { name: 'one', key: 'x' } } },
              { name: 'Y', valueFrom: { secretKeyRef: { name: 's1', key: 'y' } } },
            ],
            envFrom: [{ configMapRef: { name: 'two' } }, { secretRef: { name: 's2' } }],
          },
        ],
        volumes: [
          { name: 'v1', configMap: { name: 'three' } },
          { name: 'v2', secret: { secretName: 's3' } },
          { name: 'v3', projected: { sources: [{ configMap: { name: 'four' } }, { secret: { name: 's4' } }] } },
        ],
      },
    } as never);
    expect(refs).toEqual([
      { kind: 'ConfigMap', name: 'one' },
      { kind: 'Secret', name: 's1' },
      { kind: 'ConfigMap', name: 'two' },
      { kind: 'Secret', name: 's2' },
      { kind: 'ConfigMap', name: 'three' },
      { kind: 'Secret', name: 's3' },
      { kind: 'ConfigMap', name: 'four' },
      { kind: 'Secret', name: 's4' },
    ]);
  });

  it('a restart after a config change: the config is the top suspect, the restart is said to be one', () => {
    const result = analyze(checkoutAfter('restart'));
    expect(result.suspects[0]).toMatchObject({
      workload: { kind: 'ConfigMap', namespace: 'shop', name: 'checkout-config' },
      change: 'changed (by kubectl-client-side-apply)',
      at: ago(12),
    });
    expect(result.suspects[0]?.why).toContain('read by deployment shop/checkout');
    expect(result.suspects[0]?.why).toContain('deployment shop/checkout restarted at 14:20');
    expect(result.suspects[1]).toMatchObject({ workload: { kind: 'Deployment', name: 'checkout' } });
    expect(result.suspects[1]?.change).toMatch(/^restart \(kubectl rollout restart\) to revision 2/);
    expect(result.suspects[1]?.why).toContain('a restart, not a new version');
    // A ConfigMap nobody reads explains nothing.
    expect(result.suspects.some((s) => s.workload.name === 'unused')).toBe(false);
    const crash = result.findings.find((f) => f.reason === 'CrashLoopBackOff');
    // Without its previous version in git, nothing inc runs restores it: no command to paste.
    expect(crash?.suggestion).toBeUndefined();
    expect(crash?.evidence).toContain(
      'configmap shop/checkout-config changed at 14:18 (by kubectl-client-side-apply): restore it first (kubectl -n shop edit configmap checkout-config, or apply its previous version from git); a restart before that crashes the same way. Then: inc run restart --set namespace=shop --set deployment=checkout',
    );
  });

  it('names the context in the kubectl lines as in the inc run line, so a copied line acts on the cluster triage read', () => {
    const result = analyzeSnapshot(snapshotWith(checkoutAfter('restart')), {
      checks: ['pods', 'rollouts'],
      sinceMs: HOUR,
      elapsed: () => 0,
      clusterFlags: { context: 'prod-eu' },
    });
    const crash = result.findings.find((f) => f.reason === 'CrashLoopBackOff');
    expect(crash?.evidence.find((line) => line.includes('restore it first'))).toContain(
      '(kubectl --context prod-eu -n shop edit configmap checkout-config, or apply its previous version from git); a restart before that crashes the same way. Then: inc run restart --set namespace=shop --set deployment=checkout --context prod-eu',
    );
  });

  it('repeats --as and --as-group in the lines when triage impersonated, so a copied line acts as the same identity', () => {
    const result = analyzeSnapshot(snapshotWith(checkoutAfter('restart')), {
      checks: ['pods', 'rollouts'],
      sinceMs: HOUR,
      elapsed: () => 0,
      clusterFlags: { context: 'prod-eu', as: 'oncall-admin', asGroups: ['sre', 'break glass'] },
    });
    const flags = " --context prod-eu --as oncall-admin --as-group sre --as-group 'break glass'";
    const crash = result.findings.find((f) => f.reason === 'CrashLoopBackOff');
    const note = crash?.evidence.find((line) => line.includes('restore it first'));
    expect(note).toContain(`kubectl${flags} -n shop edit configmap checkout-config`);
    expect(note).toMatch(new RegExp(`Then: inc run restart --set namespace=shop --set deployment=checkout${flags}$`));
  });

  it('a new image after the config change stays the top suspect, and rolling back stays the suggestion', () => {
    const result = analyze(checkoutAfter('image'));
    expect(result.suspects[0]?.workload).toEqual({ kind: 'Deployment', namespace: 'shop', name: 'checkout' });
    expect(result.suspects[0]?.change).toBe('rollout to revision 2 (image checkout:2, was checkout:1)');
    expect(result.suspects[1]?.workload.name).toBe('checkout-config');
    expect(result.findings.find((f) => f.reason === 'CrashLoopBackOff')?.suggestion?.playbook).toBe('rollback');
  });
});
