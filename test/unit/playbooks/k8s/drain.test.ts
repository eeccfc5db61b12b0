import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/clock.js';
import type { KubeAccess, RawObject } from '../../../../src/kube/access.js';
import type { ActionContext, ActionPlan } from '../../../../src/playbooks/action-types.js';
import { nodeDrain } from '../../../../src/playbooks/actions/drain.js';
import { type DrainPod, evictAll, retryDelayMs, selectDrainPods } from '../../../../src/playbooks/k8s/drain.js';

const budgetRefusal = {
  status: 429,
  body: {
    message: "Cannot evict pod as it would violate the pod's disruption budget.",
    details: {
      causes: [
        { reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' },
      ],
    },
  },
};

/** A fake API whose eviction of each pod is refused the given number of times, then accepted. */
function fakeKube(refusals: Record<string, number>, sent: string[]): KubeAccess {
  return {
    get: async <T>(path: string) => ({ metadata: { name: path.split('/').pop(), uid: 'u' } }) as T,
    list: async () => ({ items: [] }),
    request: async <T>(options: { path: string }) => {
      const name = options.path.split('/')[6]!;
      sent.push(name);
      if ((refusals[name] ?? 0) > 0) {
        refusals[name]! -= 1;
        throw budgetRefusal;
      }
      return {} as T;
    },
  } as unknown as KubeAccess;
}

const pod = (name: string): DrainPod => ({ namespace: 'shop', name, uid: 'u', terminating: false });

describe('selectDrainPods', () => {
  it('skips DaemonSet, mirror and controller-less pods, as kubectl drain does', () => {
    const raw = (name: string, extra: Partial<RawObject['metadata']> = {}): RawObject => ({
      metadata: { name, namespace: 'shop', ...extra },
    });
    const selection = selectDrainPods([
      raw('web-1', { ownerReferences: [{ uid: 'rs', kind: 'ReplicaSet', controller: true }] }),
      raw('exporter-1', { ownerReferences: [{ uid: 'ds', kind: 'DaemonSet', controller: true }] }),
      raw('static-1', {
        annotations: { 'kubernetes.io/config.mirror': 'x' },
        ownerReferences: [{ uid: 'n', kind: 'Node' }],
      }),
      raw('debug'),
    ]);
    expect(selection.pods.map((p) => p.name)).toEqual(['web-1']);
    expect(selection.skipped).toEqual({ daemonSet: 1, mirror: 1, unmanaged: ['shop/debug'] });
  });
});

describe('evictAll', () => {
  it('retries refused evictions with a growing pause on the clock until they go through', async () => {
    const clock = new FakeClock();
    const sent: string[] = [];
    const start = clock.now().getTime();
    const result = await evictAll(fakeKube({ 'web-2': 2 }, sent), [pod('web-1'), pod('web-2')], {
      clock,
      signal: new AbortController().signal,
      timeoutMs: 60_000,
      onStatus: () => {},
    });
    expect(result.evicted.map((p) => p.name)).toEqual(['web-1', 'web-2']);
    expect(result.blocked.size).toBe(0);
    expect(sent).toEqual(['web-1', 'web-2', 'web-2', 'web-2']);
    // 1 s after the first refusal, 2 s after the second.
    expect(clock.now().getTime() - start).toBe(3000);
  });

  it('gives up at the bound and names the budget that refused', async () => {
    const clock = new FakeClock();
    const result = await evictAll(fakeKube({ 'web-1': 1000 }, []), [pod('web-1')], {
      clock,
      signal: new AbortController().signal,
      timeoutMs: 20_000,
      onStatus: () => {},
    });
    expect(result.evicted).toEqual([]);
    expect(result.blocked.get('shop/web-1')).toMatchObject({
      budget: 'web',
      message: 'The disruption budget web needs 2 healthy pods and has 2 currently',
    });
    expect(clock.now().getTime() - new FakeClock().now().getTime()).toBe(20_000);
    expect([0, 1, 2, 3, 4].map(retryDelayMs)).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});

describe('node.drain apply', () => {
  it('ends its progress line when the evictions stop with an error (Ctrl-C, a lost connection)', async () => {
    const ended: string[] = [];
    const lost = async () => {
      throw new Error('connection reset');
    };
    const kube = { get: lost, list: lost, request: lost } as unknown as KubeAccess;
    const ctx = {
      kube: async () => kube,
      clock: new FakeClock(),
      signal: new AbortController().signal,
      progress: () => ({
        update: () => {},
        succeed: (t: string) => ended.push(`ok ${t}`),
        fail: (t: string) => ended.push(`fail ${t}`),
      }),
    } as unknown as ActionContext;
    const plan = { detail: { pods: [pod('web-1')], forceDelete: false } } as unknown as ActionPlan;
    await expect(nodeDrain.apply(ctx, plan, { node: 'node-2' })).rejects.toThrow('connection reset');
    expect(ended).toEqual(['fail connection reset']);
  });
});
