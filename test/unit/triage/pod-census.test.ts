import { describe, expect, it } from 'vitest';
import { analyzeSnapshot } from '../../../src/triage/analyze.js';
import { classifyPod } from '../../../src/triage/checks/pod-issues.js';
import type { Pod } from '../../../src/triage/k8s.js';
import { isPlainlyHealthy, PodCensus } from '../../../src/triage/pod-census.js';
import { CHECK_NAMES } from '../../../src/triage/types.js';
import {
  crashLooping,
  deployment,
  event,
  node,
  nowMs,
  pod,
  podRef,
  replicaSet,
  running,
  snapshotWith,
  waiting,
} from './fixtures.js';

const READY = [
  { type: 'Ready', status: 'True' },
  { type: 'ContainersReady', status: 'True' },
  { type: 'PodScheduled', status: 'True' },
];

const api = deployment('payments', 'api', { replicas: 6 });
const apiRs = replicaSet(api, '7d9f', { revision: 2, image: 'api:2', createdMinutesAgo: 60 });
const healthy = (name: string, nodeName = 'node-1') =>
  pod(name, {
    owner: apiRs,
    hash: '7d9f',
    labels: { app: 'api' },
    node: nodeName,
    conditions: READY,
    limits: { cpu: '100m' },
  });

describe('which pods fold', () => {
  it('a plainly healthy pod is one the pod check finds nothing wrong with, whatever its warning events', () => {
    const reasons = ['BackOff', 'Unhealthy', 'Failed', 'FailedMount', 'FailedScheduling', 'Killing', 'Evicted'];
    for (const candidate of [healthy('api-1'), healthy('api-2', 'node-2')]) {
      expect(isPlainlyHealthy(candidate)).toBe(true);
      const events = reasons.map((reason) => event(podRef(candidate), reason, { count: 40, firstMinutesAgo: 50 }));
      expect(classifyPod(candidate, { now: nowMs, sinceMs: 3_600_000, events })).toBeUndefined();
    }
  });

  it('keeps in full every pod that is not: restarted, waiting, not ready, deleting, pending, a scrape target', () => {
    const base = healthy('x');
    const variants: Pod[] = [
      pod('a', { conditions: READY, containers: [running('api', 1)] }),
      pod('b', { conditions: READY, containers: [crashLooping('api', 4)] }),
      pod('c', { conditions: READY, containers: [waiting('api', 'ImagePullBackOff')] }),
      pod('d', { conditions: [{ type: 'Ready', status: 'False' }], containers: [{ ...running('api'), ready: false }] }),
      pod('e', { conditions: READY, deletionTimestamp: new Date(nowMs).toISOString() }),
      pod('f', { phase: 'Pending', conditions: READY }),
      pod('g', { conditions: READY, reason: 'Evicted' }),
      { ...base, metadata: { ...base.metadata, annotations: { 'prometheus.io/scrape': 'true' } } },
      pod('h'),
    ];
    expect(variants.filter(isPlainlyHealthy).map((p) => p.metadata.name)).toEqual([]);
  });
});

describe('a snapshot whose healthy pods are folded', () => {
  it('reads back every pod in order, and every check finds the same as on the pods kept in full', () => {
    const sick = pod('api-sick', {
      owner: apiRs,
      hash: '7d9f',
      labels: { app: 'api' },
      containers: [crashLooping('api', 6)],
    });
    const pods = [healthy('api-1'), sick, healthy('api-2', 'node-2'), healthy('api-3', 'node-2'), healthy('api-4')];
    const hot = pods[3] as Pod;
    const full = snapshotWith({
      pods,
      deployments: [api],
      replicasets: [apiRs],
      nodes: [
        node('node-1', [{ type: 'Ready', status: 'True' }]),
        node('node-2', [
          { type: 'Ready', status: 'False', lastTransitionTime: new Date(nowMs - 600_000).toISOString() },
        ]),
      ],
      services: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'api', namespace: 'payments', uid: 'svc-uid' },
          spec: { selector: { app: 'api' } },
        },
      ],
      podMetrics: [
        {
          metadata: { name: hot.metadata.name, namespace: 'payments' },
          containers: [{ name: 'api', usage: { cpu: '99m', memory: '10Mi' } }],
        },
      ],
      events: [event(podRef(sick), 'BackOff'), event(podRef(pods[0] as Pod), 'Unhealthy', { count: 3 })],
    });
    const census = new PodCensus();
    for (const p of pods) census.add(p);
    const folded = { ...full, pods: census.kept, healthyPods: census.healthy() };
    expect(folded.pods.map((p) => p.metadata.name)).toEqual(['api-sick']);
    expect(folded.healthyPods.groups).toHaveLength(1);

    const options = {
      checks: CHECK_NAMES.filter((name) => name !== 'signals' && name !== 'alerts'),
      sinceMs: 3_600_000,
    };
    const before = analyzeSnapshot(full, options);
    const after = analyzeSnapshot(folded, options);
    expect(before.findings.map((f) => f.check)).toEqual(expect.arrayContaining(['pods', 'nodes', 'services', 'top']));
    expect(after.findings).toEqual(before.findings);
    expect(after.suspects).toEqual(before.suspects);
    expect(after.checks.map((c) => c.status)).toEqual(before.checks.map((c) => c.status));
  });
});

describe('folding', () => {
  it('one group per owner and shape: the same fields in another order fold, another image or owner does not', () => {
    const first = healthy('api-1');
    const reordered: Pod = {
      status: first.status,
      spec: { ...first.spec, nodeName: 'node-2' },
      metadata: { ...first.metadata, name: 'api-2', uid: 'uid-2' },
      kind: first.kind,
      apiVersion: first.apiVersion,
    } as Pod;
    const container = (p: Pod, change: object): Pod => ({
      ...p,
      spec: { ...p.spec, containers: (p.spec?.containers ?? []).map((c) => ({ ...c, ...change })) },
    });
    const otherImage = container(healthy('api-3'), { image: 'api:3' });
    const otherOwner = healthy('api-4');
    otherOwner.metadata.ownerReferences = [
      { ...otherOwner.metadata.ownerReferences![0]!, uid: 'other', name: 'other' },
    ];
    const otherLimits = container(healthy('api-5'), { resources: { limits: { cpu: '200m' } } });
    const census = new PodCensus();
    for (const p of [first, reordered, otherImage, otherOwner, otherLimits, healthy('api-6')]) census.add(p);
    const groups = census.healthy().groups;
    expect(groups.map((g) => g.names)).toEqual([['api-1', 'api-2', 'api-6'], ['api-3'], ['api-4'], ['api-5']]);
    expect(groups[0]?.nodes).toEqual(['node-1', 'node-2', 'node-1']);
  });
});

describe('a census fed page by page', () => {
  it('counts a page once it is committed, never a page that was prepared and then read again', () => {
    const sick = pod('api-sick', { owner: apiRs, hash: '7d9f', containers: [crashLooping('api', 2)] });
    const census = new PodCensus();
    census.commit([healthy('api-1'), sick].map((p) => census.prepare(p)));
    // The second page fails half-way and is read again from its start.
    const second = [healthy('api-2', 'node-2'), healthy('api-3')];
    census.prepare(second[0] as Pod);
    census.commit(second.map((p) => census.prepare(p)));

    expect(census.kept.map((p) => p.metadata.name)).toEqual(['api-sick']);
    const { groups, keptAt } = census.healthy();
    expect(keptAt).toEqual([1]);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.names).toEqual(['api-1', 'api-2', 'api-3']);
    expect(groups[0]?.at).toEqual([0, 2, 3]);
    expect(groups[0]?.nodes).toEqual(['node-1', 'node-2', 'node-1']);
  });
});
