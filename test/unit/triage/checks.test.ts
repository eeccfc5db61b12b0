import { describe, expect, it } from 'vitest';
import { analyzeSnapshot } from '../../../src/triage/analyze.js';
import { triageReportJsonSchema, triageReportSchema } from '../../../src/triage/report-schema.js';
import { CHECK_NAMES, type TriageReport } from '../../../src/triage/types.js';
import {
  ago,
  crashLooping,
  deployment,
  event,
  NOW,
  node,
  pod,
  podRef,
  replicaSet,
  running,
  snapshotWith,
} from './fixtures.js';

const HOUR = 3600_000;
const analyze = (parts: Parameters<typeof snapshotWith>[0], checks = [...CHECK_NAMES]) =>
  analyzeSnapshot(snapshotWith(parts), { checks, sinceMs: HOUR, elapsed: () => 0 });

/** payments/api rolled out revision 2 ten minutes ago; its three new pods crash-loop. */
function badRollout() {
  const api = deployment('payments', 'api', {
    status: {
      observedGeneration: 2,
      replicas: 3,
      readyReplicas: 0,
      availableReplicas: 0,
      updatedReplicas: 3,
      unavailableReplicas: 3,
    },
  });
  const oldRs = replicaSet(api, 'old111', { revision: 1, image: 'api:2.3.0', createdMinutesAgo: 600 });
  const newRs = replicaSet(api, 'new222', {
    revision: 2,
    image: 'api:2.3.1',
    createdMinutesAgo: 10,
    changeCause: 'deploy api 2.3.1',
  });
  const pods = [1, 2, 3].map((i) =>
    pod(`api-new222-${i}`, {
      owner: newRs,
      hash: 'new222',
      startedMinutesAgo: 9,
      containers: [crashLooping('api', 6)],
    }),
  );
  const events = pods.map((p) =>
    event(podRef(p), 'BackOff', {
      message: 'Back-off restarting failed container api',
      count: 7,
      firstMinutesAgo: 8,
      lastMinutesAgo: 1,
    }),
  );
  return { api, oldRs, newRs, pods, events };
}

describe('analyzeSnapshot: grouping, events, suspects, suggestions', () => {
  it('groups a crash loop per owning deployment, attaches events by uid, and names the rollout as suspect', () => {
    const { api, oldRs, newRs, pods, events } = badRollout();
    const result = analyze({ pods, events, deployments: [api], replicasets: [oldRs, newRs] });
    const crash = result.findings.filter((f) => f.reason === 'CrashLoopBackOff');
    expect(crash).toHaveLength(1);
    expect(crash[0]).toMatchObject({
      id: 'pods/CrashLoopBackOff/payments/Deployment/api',
      severity: 'critical',
      workload: { kind: 'Deployment', namespace: 'payments', name: 'api' },
      count: 3,
      title: '3/3 pods of deployment payments/api crash-looping since 14:22',
      suggestion: {
        playbook: 'rollback',
        params: { namespace: 'payments', deployment: 'api' },
        command: 'inc run rollback --set namespace=payments --set deployment=api',
      },
    });
    expect(crash[0]?.evidence).toContain('event BackOff ×21, last 1m ago: Back-off restarting failed container api');
    // The deployment's own "0/3 available" is folded into the pod finding, not repeated.
    expect(result.findings.some((f) => f.reason === 'UnavailableReplicas')).toBe(false);
    expect(result.suspects[0]).toMatchObject({
      workload: { kind: 'Deployment', namespace: 'payments', name: 'api' },
      change: 'rollout to revision 2 (image api:2.3.1, was api:2.3.0)',
      at: ago(10),
    });
    expect(result.suspects[0]?.why).toContain('change-cause: deploy api 2.3.1');
  });

  it('a window shorter than the failure (--since 2m) still finds the rollout before it, and suggests its undo', () => {
    const { api, oldRs, newRs, pods, events } = badRollout();
    const result = analyzeSnapshot(snapshotWith({ pods, events, deployments: [api], replicasets: [oldRs, newRs] }), {
      checks: [...CHECK_NAMES],
      sinceMs: 2 * 60_000,
      elapsed: () => 0,
    });
    expect(result.suspects[0]?.change).toBe('rollout to revision 2 (image api:2.3.1, was api:2.3.0)');
    expect(result.findings.find((f) => f.reason === 'CrashLoopBackOff')?.suggestion?.playbook).toBe('rollback');
  });

  it('counts a failure said in three messages once, and quotes the one that says most', () => {
    const { api, oldRs, newRs, pods } = badRollout();
    // What a kubelet records for each failed pull of a tag that was never pushed.
    const messages = [
      'Failed to pull image "registry.example.com/api:2.3.1": not found',
      'Error: ErrImagePull',
      'Error: ImagePullBackOff',
    ];
    const events = messages.map((message) =>
      event(podRef(pods[0]!), 'Failed', { message, count: 6, firstMinutesAgo: 8, lastMinutesAgo: 2 }),
    );
    const result = analyze({ pods, events, deployments: [api], replicasets: [oldRs, newRs] });
    const evidence = result.findings.flatMap((f) => f.evidence).filter((line) => line.startsWith('event Failed'));
    expect(evidence).toEqual([
      'event Failed ×6, last 2m ago: Failed to pull image "registry.example.com/api:2.3.1": not found (and 2 other messages)',
    ]);
  });

  it('falls back to the pod-template-hash when the ReplicaSet is not in the snapshot', () => {
    const { api, newRs, pods } = badRollout();
    const result = analyze({ pods, deployments: [api], replicasets: [] }, ['pods']);
    expect(result.findings[0]?.workload).toEqual({ kind: 'Deployment', namespace: 'payments', name: 'api' });
    expect(newRs.metadata.name).toBe('api-new222');
  });

  it('does not suggest a rollback without a recent rollout', () => {
    const { api, oldRs, newRs, pods } = badRollout();
    newRs.metadata.creationTimestamp = ago(300);
    const result = analyze({ pods, deployments: [api], replicasets: [oldRs, newRs] }, ['pods', 'rollouts']);
    expect(result.findings.find((f) => f.reason === 'CrashLoopBackOff')?.suggestion).toBeUndefined();
    expect(result.suspects).toEqual([]);
  });

  it('suggests pausing Argo CD auto-sync first when an Application with automated sync manages the workload', () => {
    const { api, oldRs, newRs, pods } = badRollout();
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'payments-api', namespace: 'argocd' },
      spec: { destination: { namespace: 'payments' }, syncPolicy: { automated: { selfHeal: true, prune: true } } },
      status: {
        resources: [{ group: 'apps', kind: 'Deployment', namespace: 'payments', name: 'api' }],
        sync: { revision: '9f8e7d6c5b' },
      },
    };
    const result = analyze({ pods, deployments: [api], replicasets: [oldRs, newRs], applications: [app] }, ['pods']);
    const finding = result.findings[0];
    expect(finding?.suggestion).toMatchObject({
      playbook: 'argo-pause-sync',
      params: { namespace: 'argocd', app: 'payments-api' },
    });
    expect(finding?.evidence.join('\n')).toContain('pause its auto-sync first');
    expect(result.suspects[0]?.why).toContain('synced by Argo CD application argocd/payments-api at revision 9f8e7d6');
    // Auto-sync explicitly disabled (Argo CD ≥ 3.1): a plain rollback is fine.
    app.spec.syncPolicy.automated = { enabled: false } as never;
    expect(
      analyze({ pods, deployments: [api], replicasets: [oldRs, newRs], applications: [app] }, ['pods']).findings[0]
        ?.suggestion?.playbook,
    ).toBe('rollback');
  });

  it('suggests helm-rollback for a Helm-managed deployment', () => {
    const { api, oldRs, newRs, pods } = badRollout();
    api.metadata.labels = { 'app.kubernetes.io/managed-by': 'Helm' };
    api.metadata.annotations = {
      ...api.metadata.annotations,
      'meta.helm.sh/release-name': 'payments',
      'meta.helm.sh/release-namespace': 'payments',
    };
    const finding = analyze({ pods, deployments: [api], replicasets: [oldRs, newRs] }, ['pods']).findings[0];
    expect(finding?.suggestion).toMatchObject({
      playbook: 'helm-rollback',
      params: { namespace: 'payments', release: 'payments' },
      command: 'inc run helm-rollback --set namespace=payments --set release=payments',
    });
  });

  it('a chart Argo CD renders (Helm labels, no Helm release) gets no helm-rollback once auto-sync is off', () => {
    const { api, oldRs, newRs, pods } = badRollout();
    // Argo CD renders a Helm chart with helm template: the chart's labels, never helm's release annotations.
    api.metadata.labels = { 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': 'payments-api' };
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'payments-api', namespace: 'argocd' },
      spec: { destination: { namespace: 'payments' }, syncPolicy: {} },
      status: { resources: [{ group: 'apps', kind: 'Deployment', namespace: 'payments', name: 'api' }] },
    };
    const result = analyze({ pods, deployments: [api], replicasets: [oldRs, newRs], applications: [app] }, ['pods']);
    expect(result.findings[0]?.suggestion?.playbook).toBe('rollback');
    expect(result.findings[0]?.evidence.join('\n')).not.toContain('Helm release');
  });

  it('reports loose Warning events in the window, newest first, using eventTime/series when lastTimestamp is null', () => {
    const target = { kind: 'Deployment', namespace: 'shop', name: 'web', uid: 'web-uid' };
    const newStyle = event(target, 'FailedCreate', {
      lastMinutesAgo: null,
      firstMinutesAgo: 30,
      series: { count: 4, lastObservedTime: ago(2) },
      eventTime: ago(30),
    });
    const old = event(target, 'FailedCreate', { firstMinutesAgo: 200, lastMinutesAgo: 190 });
    const result = analyze({ events: [newStyle, old] }, ['events']);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      check: 'events',
      reason: 'FailedCreate',
      severity: 'warning',
      count: 4,
      since: ago(30),
    });
    expect(result.findings[0]?.title).toBe('FailedCreate on deployment shop/web: 4× in the last 30m');
  });

  it("says when loose events stopped before inc's last mitigation in this incident", () => {
    const target = { kind: 'Node', name: 'node-3', uid: 'node-3-uid' };
    const kills = event(target, 'OOMKilling', { count: 7, firstMinutesAgo: 12, lastMinutesAgo: 2 });
    const mitigation = (minutesAgo: number) => ({
      actionId: 'A',
      action: 'rollout.undo',
      summary: 'roll back deployment shop/cart',
      target: { kind: 'Deployment', namespace: 'shop', name: 'cart' },
      atMs: Date.parse(ago(minutesAgo)),
    });
    const after = analyzeSnapshot(snapshotWith({ events: [kills] }), {
      checks: ['events'],
      sinceMs: HOUR,
      elapsed: () => 0,
      mitigations: [mitigation(1)],
    });
    expect(after.findings[0]?.title).toBe(
      `OOMKilling on node node-3: 7× in the last 12m, none since inc's mitigation at ${ago(1).slice(11, 16)}`,
    );
    // Still coming after the mitigation: nothing to add.
    const before = analyzeSnapshot(snapshotWith({ events: [kills] }), {
      checks: ['events'],
      sinceMs: HOUR,
      elapsed: () => 0,
      mitigations: [mitigation(5)],
    });
    expect(before.findings[0]?.title).toBe('OOMKilling on node node-3: 7× in the last 12m');
  });

  it('folds events of pods that no longer exist into one line per workload, and drops them once it is healthy', () => {
    const { api, oldRs, newRs, pods } = badRollout();
    // Pods replaced since (a rollback): their Warning events outlive them.
    const goneEvents = [1, 2, 3].map((i) =>
      event({ kind: 'Pod', namespace: 'payments', name: `api-new222-gone${i}`, uid: `gone-${i}` }, 'Unhealthy', {
        firstMinutesAgo: 8,
        lastMinutesAgo: 2,
      }),
    );
    const failing = analyze({ pods, events: goneEvents, deployments: [api], replicasets: [oldRs, newRs] }, [
      'pods',
      'events',
    ]);
    const lines = failing.findings.filter((finding) => finding.check === 'events');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.title).toMatch(/^Unhealthy on deployment payments\/api \(pods no longer exist\): 3×/);

    const healthyPods = [1, 2].map((i) =>
      pod(`api-old111-${i}`, { owner: oldRs, hash: 'old111', startedMinutesAgo: 1, containers: [running('api')] }),
    );
    const healthy = analyze(
      { pods: healthyPods, events: goneEvents, deployments: [api], replicasets: [oldRs, newRs] },
      ['pods', 'events'],
    );
    expect(healthy.findings.filter((finding) => finding.check === 'events')).toEqual([]);
  });

  it('leaves pod-state events (BackOff, Failed) to the pods check and its grace periods', () => {
    const starting = pod('web-1', {
      namespace: 'shop',
      startedMinutesAgo: 1,
      containers: [{ name: 'web', restartCount: 0, state: { waiting: { reason: 'ErrImagePull' } } }],
    });
    const result = analyze({
      pods: [starting],
      events: [
        event(podRef(starting), 'Failed', {
          message: 'Failed to pull image',
          firstMinutesAgo: 0.5,
          lastMinutesAgo: 0.2,
        }),
      ],
    });
    expect(result.findings).toEqual([]);
  });

  it('flags NotReady nodes with the pods on them and folds their pods in; ignores unknown vendor conditions', () => {
    const down = node('node-2', [
      {
        type: 'Ready',
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastTransitionTime: ago(3),
      },
      { type: 'KernelReady', status: 'False' },
    ]);
    const fine = node(
      'node-1',
      [
        { type: 'Ready', status: 'True' },
        { type: 'ContainerRuntimeReady', status: 'False' },
      ],
      { unschedulable: true },
    );
    const stranded = pod('api-1', {
      node: 'node-2',
      containers: [{ name: 'api', ready: false, restartCount: 0, state: { running: {} } }],
      conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: ago(3) }],
    });
    const result = analyze({ nodes: [down, fine], pods: [stranded] });
    expect(result.findings.map((f) => `${f.severity} ${f.reason} ${f.workload?.name}`)).toEqual([
      'critical NodeNotReady node-2',
      'info Cordoned node-1',
    ]);
    expect(result.findings[0]?.suggestion).toMatchObject({ playbook: 'cordon-node', params: { node: 'node-2' } });
    expect(result.findings[0]?.evidence.join('\n')).toContain('affected: pod payments/api-1 running but not ready');
    expect(result.suspects[0]).toMatchObject({ workload: { kind: 'Node', name: 'node-2' }, at: ago(3) });
  });

  it('downgrades a dead node that is cordoned and drained (only DaemonSet pods left) to a warning with nothing to run', () => {
    const deadConditions = [
      { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', lastTransitionTime: ago(8) },
    ];
    const daemonPod = pod('node-exporter-x', { node: 'node-2', containers: [running('node-exporter')] });
    daemonPod.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'node-exporter', uid: 'ds-1', controller: true },
    ];
    const drained = analyze({ nodes: [node('node-2', deadConditions, { unschedulable: true })], pods: [daemonPod] });
    const nodeFinding = drained.findings.find((f) => f.workload?.name === 'node-2' && f.reason !== 'Cordoned');
    expect(nodeFinding).toMatchObject({ severity: 'warning', reason: 'NodeNotReadyDrained' });
    expect(nodeFinding?.suggestion).toBeUndefined();

    // Cordoned but a workload pod still on it: still an outage for that workload.
    const stranded = pod('api-1', { node: 'node-2', containers: [running('api')] });
    const notDrained = analyze({ nodes: [node('node-2', deadConditions, { unschedulable: true })], pods: [stranded] });
    expect(notDrained.findings.find((f) => f.reason === 'NodeNotReady')).toMatchObject({ severity: 'critical' });
  });

  it("says a namespace triage counted only that namespace's pods on a dead node", () => {
    const deadConditions = [
      { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', lastTransitionTime: ago(8) },
    ];
    const scoped = (parts: Parameters<typeof snapshotWith>[0]) => analyze({ ...parts, namespace: 'payments' });
    const empty = scoped({ nodes: [node('node-2', deadConditions)], pods: [] });
    const down = empty.findings.find((f) => f.reason === 'NodeNotReady');
    expect(down?.title).toBe('node node-2 is unreachable (Ready=Unknown), 0 pods of namespace payments affected');
    expect(down?.evidence).toContain('no pods of namespace payments on it');

    const onIt = scoped({ nodes: [node('node-2', deadConditions)], pods: [pod('api-1', { node: 'node-2' })] });
    expect(onIt.findings.find((f) => f.reason === 'NodeNotReady')?.evidence).toContain(
      '1 pod of namespace payments on it: payments/api-1',
    );

    const cordoned = scoped({ nodes: [node('node-2', deadConditions, { unschedulable: true })], pods: [] });
    expect(cordoned.findings.find((f) => f.reason === 'NodeNotReadyDrained')?.title).toBe(
      'node node-2 is unreachable, cordoned and drained of namespace payments: repair or replace it',
    );
    // All namespaces: the plain words, as before.
    const all = analyze({ nodes: [node('node-2', deadConditions)], pods: [] });
    expect(all.findings.find((f) => f.reason === 'NodeNotReady')?.title).toBe(
      'node node-2 is unreachable (Ready=Unknown), 0 pods affected',
    );
  });

  it('flags services with a selector and no ready endpoints, skipping leader-election endpoints', () => {
    const service = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'shop', uid: `svc-${name}` },
      spec: { selector: { app: name } },
    });
    const endpoints = (name: string, subsets: unknown[], annotations?: Record<string, string>) =>
      ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'shop', annotations }, subsets }) as never;
    const result = analyze(
      {
        services: [
          service('web'),
          service('cart'),
          service('lock'),
          { ...service('ext'), spec: { type: 'ExternalName' } },
        ],
        endpoints: [
          endpoints('web', [{ notReadyAddresses: [{ ip: '10.0.0.1', targetRef: { kind: 'Pod', name: 'web-1' } }] }]),
          endpoints('cart', [{ addresses: [{ ip: '10.0.0.2' }] }]),
          endpoints('lock', [], { 'control-plane.alpha.kubernetes.io/leader': '{}' }),
        ],
      },
      ['services'],
    );
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      reason: 'NoReadyEndpoints',
      severity: 'critical',
      workload: { kind: 'Service', namespace: 'shop', name: 'web' },
    });
    expect(result.findings[0]?.evidence).toContain('not ready: web-1');
  });

  it('flags pods near their CPU limit from exact quantities, and suggests doubling under load', () => {
    const web = deployment('shop', 'web', { replicas: 3 });
    const pods = [1, 2, 3].map((i) =>
      pod(`web-abc-${i}`, { owner: web, namespace: 'shop', limits: { cpu: '500m', memory: '512Mi' } }),
    );
    const podMetrics = pods.map((p, i) => ({
      metadata: { name: p.metadata.name, namespace: 'shop' },
      containers: [{ name: 'api', usage: { cpu: i === 0 ? '499000001n' : '0.48', memory: '100Mi' } }],
    }));
    const result = analyze({ pods, deployments: [web], podMetrics }, ['top']);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      reason: 'HighCPU',
      title: '3/3 pods of deployment shop/web near their CPU limit (throttling)',
      suggestion: { playbook: 'scale', params: { replicas: '6' } },
    });
    expect(result.findings[0]?.evidence[0]).toBe('web-abc-1/api: CPU 500m of 500m limit (100%)');
    expect(result.suspects[0]?.change).toContain('load increase');
  });

  it('a rollout whose surge pod is not available yet, every desired replica available: its progress, not a warning', () => {
    const api = deployment('payments', 'api', {
      status: {
        observedGeneration: 2,
        replicas: 4,
        readyReplicas: 3,
        availableReplicas: 3,
        updatedReplicas: 1,
        unavailableReplicas: 1,
      },
    });
    const result = analyzeSnapshot(snapshotWith({ deployments: [api] }), {
      checks: ['rollouts'],
      sinceMs: HOUR,
      elapsed: () => 0,
    });
    expect(result.findings.map((f) => `${f.severity} ${f.reason}: ${f.title}`)).toEqual([
      'info RolloutInProgress: rollout of deployment payments/api in progress: 1/3 updated',
    ]);
  });

  it('reports stalled and recent rollouts, and a check whose list failed', () => {
    const { api, oldRs, newRs } = badRollout();
    api.status = {
      ...api.status,
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: 'ReplicaSet "api-new222" has timed out progressing.',
          lastTransitionTime: ago(1),
        },
      ],
    };
    const result = analyzeSnapshot(
      {
        ...snapshotWith({ deployments: [api], replicasets: [oldRs, newRs] }),
        failures: { nodes: { kind: 'forbidden', message: 'cannot list nodes at cluster scope (forbidden)' } },
      },
      { checks: ['rollouts', 'nodes'], sinceMs: HOUR, elapsed: () => 0 },
    );
    expect(result.findings.map((f) => f.reason)).toEqual([
      'ProgressDeadlineExceeded',
      'UnavailableReplicas',
      'RecentRollout',
    ]);
    expect(result.checks).toEqual([
      { check: 'rollouts', status: 'ok', durationMs: 0 },
      { check: 'nodes', status: 'error', durationMs: 0, error: 'cannot list nodes at cluster scope (forbidden)' },
    ]);
  });
});

describe('the JSON contract', () => {
  it('validates a full report and exports a JSON Schema', () => {
    const { api, oldRs, newRs, pods, events } = badRollout();
    const analysis = analyze({ pods, events, deployments: [api], replicasets: [oldRs, newRs] });
    const report: TriageReport = {
      schemaVersion: 1,
      context: 'inc-sim',
      namespaces: 'all',
      startedAt: NOW,
      durationMs: 12,
      complete: true,
      summary: { critical: 1, warning: 0, info: 1 },
      headline: '1 critical, 1 info in 1 namespace, 0.0 s',
      ...analysis,
    };
    expect(() => triageReportSchema.parse(JSON.parse(JSON.stringify(report)))).not.toThrow();
    expect(() => triageReportSchema.parse({ ...report, schemaVersion: 2 })).toThrow();
    expect(() =>
      triageReportSchema.parse({ ...report, findings: [{ ...report.findings[0], severity: 'high' }] }),
    ).toThrow();
    const schema = triageReportJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'findings', 'suspects', 'checks']));
    expect(Object.keys(schema.properties)).toContain('summary');
  });
});

describe('network check', () => {
  it('flags a NetworkPolicy changed in the window that selects the pods behind a service', () => {
    const web = pod('web-1', { namespace: 'shop', labels: { app: 'web' } });
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'deny-all',
        namespace: 'shop',
        uid: 'np-1',
        creationTimestamp: ago(300),
        managedFields: [{ time: ago(6) }],
      },
      spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
    };
    const old = {
      ...policy,
      metadata: { ...policy.metadata, name: 'old', uid: 'np-2', managedFields: [{ time: ago(300) }] },
    };
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', uid: 's' },
      spec: { selector: { app: 'web' } },
    };
    const endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'shop' },
      subsets: [{ addresses: [{ ip: '10.0.0.1' }] }],
    };
    const result = analyze(
      { pods: [web], networkPolicies: [policy, old], services: [service], endpoints: [endpoints] },
      ['network'],
    );
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      check: 'network',
      reason: 'NetworkPolicyChanged',
      severity: 'critical',
      title: 'networkpolicy shop/deny-all changed 6m ago; it selects pods behind service web',
      evidence: [
        'podSelector app=web; policyTypes Ingress',
        'it admits no ingress: requests to service web are dropped',
      ],
      suggestion: {
        playbook: 'netpol-revert',
        params: { namespace: 'shop', policy: 'deny-all' },
        command: 'inc run netpol-revert --set namespace=shop --set policy=deny-all',
      },
    });
    expect(result.suspects[0]).toMatchObject({
      workload: { kind: 'NetworkPolicy', namespace: 'shop', name: 'deny-all' },
      change: 'NetworkPolicy changed',
    });
    // The policy's change is its own finding's first failure: no "0s before".
    expect(result.suspects[0]?.why).toMatch(/^at the same time: networkpolicy shop\/deny-all changed 6m ago/);

    // A policy with an ingress rule narrows the traffic rather than cutting it: a warning to look at.
    const narrowing = { ...policy, spec: { ...policy.spec, ingress: [{ from: [{ podSelector: {} }] }] } };
    const narrowed = analyze(
      { pods: [web], networkPolicies: [narrowing], services: [service], endpoints: [endpoints] },
      ['network'],
    );
    expect(narrowed.findings[0]).toMatchObject({
      severity: 'warning',
      evidence: ['podSelector app=web; policyTypes Ingress'],
    });
  });

  it('does not call a deny-all policy the cut-off when another policy selecting the same pods admits ingress', () => {
    const web = pod('web-1', { namespace: 'shop', labels: { app: 'web' } });
    const policy = (name: string, ingress?: object[]) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: 'shop', uid: name, creationTimestamp: ago(6) },
      spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ...(ingress ? { ingress } : {}) },
    });
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', uid: 's' },
      spec: { selector: { app: 'web' } },
    };
    const endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'shop' },
      subsets: [{ addresses: [{ ip: '10.0.0.1' }] }],
    };
    const result = analyze(
      {
        pods: [web],
        networkPolicies: [policy('deny-all'), policy('allow-web', [{}])],
        services: [service],
        endpoints: [endpoints],
      },
      ['network'],
    );
    const denyAll = result.findings.find((f) => f.title.startsWith('networkpolicy shop/deny-all'));
    expect(denyAll).toMatchObject({
      severity: 'warning',
      evidence: [
        'podSelector app=web; policyTypes Ingress',
        'it admits no ingress itself, but networkpolicy shop/allow-web selects the same pods with ingress rules, and policies add up: what reaches them is what those rules admit, so reverting this one alone changes nothing',
      ],
    });
    expect(result.findings.every((f) => f.severity !== 'critical')).toBe(true);
  });

  it('reads a podSelector with matchExpressions as the API server does, not as every pod', () => {
    const web = pod('web-1', { namespace: 'shop', labels: { app: 'web' } });
    const policy = (matchExpressions: { key: string; operator: string; values?: string[] }[]) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'lock', namespace: 'shop', uid: 'np-1', creationTimestamp: ago(6) },
      spec: { podSelector: { matchExpressions }, policyTypes: ['Ingress'] },
    });
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', uid: 's' },
      spec: { selector: { app: 'web' } },
    };
    const endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'shop' },
      subsets: [{ addresses: [{ ip: '10.0.0.1' }] }],
    };
    const parts = (p: ReturnType<typeof policy>) => ({
      pods: [web],
      networkPolicies: [p],
      services: [service],
      endpoints: [endpoints],
    });
    // `app in (batch)` selects no pod of web: nothing is cut off, nothing to revert.
    for (const other of [
      [{ key: 'app', operator: 'In', values: ['batch'] }],
      [{ key: 'app', operator: 'NotIn', values: ['web'] }],
      [{ key: 'app', operator: 'DoesNotExist' }],
      [{ key: 'tier', operator: 'Exists' }],
    ]) {
      expect(analyze(parts(policy(other)), ['network']).findings).toEqual([]);
    }
    const selecting = analyze(parts(policy([{ key: 'app', operator: 'In', values: ['web', 'api'] }])), ['network']);
    expect(selecting.findings[0]).toMatchObject({
      severity: 'critical',
      evidence: [
        'podSelector app in (api,web); policyTypes Ingress',
        'it admits no ingress: requests to service web are dropped',
      ],
    });
  });
});
