import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/clock.js';
import type { KubeAccess } from '../../../../src/kube/access.js';
import {
  evaluateRolloutStatus,
  RolloutTimeoutError,
  waitForRollout,
} from '../../../../src/playbooks/k8s/rollout-status.js';

const dep = (spec: Record<string, unknown>, status: Record<string, unknown>, generation = 2) => ({
  metadata: { name: 'api', generation },
  spec,
  status,
});

describe('evaluateRolloutStatus (kubectl rollout status)', () => {
  it('waits for the spec update to be observed', () => {
    expect(evaluateRolloutStatus('Deployment', dep({ replicas: 3 }, { observedGeneration: 1 }))).toEqual({
      done: false,
      message: 'Waiting for deployment spec update to be observed...',
    });
  });

  it('reports each waiting state in kubectl order, then done', () => {
    const spec = { replicas: 3 };
    expect(
      evaluateRolloutStatus('Deployment', dep(spec, { observedGeneration: 2, updatedReplicas: 1, replicas: 4 }))
        .message,
    ).toBe('Waiting for deployment "api" rollout to finish: 1 out of 3 new replicas have been updated...');
    expect(
      evaluateRolloutStatus('Deployment', dep(spec, { observedGeneration: 2, updatedReplicas: 3, replicas: 4 }))
        .message,
    ).toBe('Waiting for deployment "api" rollout to finish: 1 old replicas are pending termination...');
    expect(
      evaluateRolloutStatus(
        'Deployment',
        dep(spec, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 }),
      ).message,
    ).toBe('Waiting for deployment "api" rollout to finish: 2 of 3 updated replicas are available...');
    expect(
      evaluateRolloutStatus(
        'Deployment',
        dep(spec, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }),
      ),
    ).toEqual({ done: true, message: 'deployment "api" successfully rolled out' });
  });

  it('fails on ProgressDeadlineExceeded (reason only)', () => {
    const status = {
      observedGeneration: 2,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'ProgressDeadlineExceeded' }],
    };
    expect(evaluateRolloutStatus('Deployment', dep({ replicas: 3 }, status)).error).toBe(
      'deployment "api" exceeded its progress deadline',
    );
  });

  it('says a StatefulSet with a partition is complete without comparing revisions (kubectl quirk)', () => {
    const sts = {
      metadata: { name: 'db', generation: 1 },
      spec: { replicas: 2, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
      status: {
        observedGeneration: 1,
        readyReplicas: 2,
        updatedReplicas: 2,
        currentRevision: 'a',
        updateRevision: 'b',
      },
    };
    expect(evaluateRolloutStatus('StatefulSet', sts)).toEqual({
      done: true,
      message: 'partitioned roll out complete: 2 new pods have been updated...',
    });
  });
});

describe('waitForRollout on a fake clock', () => {
  const ref = { kind: 'Deployment' as const, namespace: 'shop', name: 'api' };
  /** Answers each GET of the deployment with the next observation; the last one repeats. */
  const kubeAnswering = (observations: ReturnType<typeof dep>[]) =>
    ({
      get: async () => (observations.length > 1 ? observations.shift() : observations[0]),
    }) as unknown as KubeAccess;
  const waiting = dep({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 1, replicas: 3 });
  const done = dep({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 });

  it('reports each new status line and returns when the rollout is done', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const lines: string[] = [];
    const result = await waitForRollout(kubeAnswering([waiting, waiting, done]), ref, {
      clock,
      timeoutMs: 60_000,
      signal: new AbortController().signal,
      onStatus: (line) => lines.push(line),
    });
    expect(result).toBe('deployment "api" successfully rolled out');
    expect(lines).toEqual([
      'Waiting for deployment "api" rollout to finish: 1 out of 3 new replicas have been updated...',
      'deployment "api" successfully rolled out',
    ]);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.000Z');
  });

  it('times out after exactly the timeout on the clock, naming the last status', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    await expect(
      waitForRollout(kubeAnswering([waiting]), ref, {
        clock,
        timeoutMs: 30_000,
        signal: new AbortController().signal,
        onStatus: () => {},
      }),
    ).rejects.toBeInstanceOf(RolloutTimeoutError);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:30.000Z');
  });
});

describe('waitForRollout of a DaemonSet updated OnDelete', () => {
  const ref = { kind: 'DaemonSet' as const, namespace: 'monitoring', name: 'agent' };
  const ds = {
    metadata: { name: 'agent', namespace: 'monitoring', uid: 'ds', generation: 4 },
    spec: { selector: { matchLabels: { app: 'agent' } }, updateStrategy: { type: 'OnDelete' } },
    status: { observedGeneration: 4, desiredNumberScheduled: 2, numberReady: 2 },
  };
  const owned = [{ controller: true, uid: 'ds' }];
  const revision = (hash: string, number: number) => ({
    metadata: { name: `agent-${hash}`, labels: { 'controller-revision-hash': hash }, ownerReferences: owned },
    revision: number,
  });
  const pod = (name: string, hash: string) => ({
    metadata: { name, labels: { 'controller-revision-hash': hash }, ownerReferences: owned },
  });
  const kube = (pods: unknown[]) =>
    ({
      get: async () => ds,
      list: async (path: string) => ({
        items: path.endsWith('/controllerrevisions') ? [revision('good', 5), revision('bad', 4)] : pods,
      }),
    }) as unknown as KubeAccess;
  const wait = (pods: unknown[]) =>
    waitForRollout(kube(pods), ref, {
      clock: new FakeClock('2026-01-01T00:00:00Z'),
      timeoutMs: 30_000,
      signal: new AbortController().signal,
      onStatus: () => {},
    });

  it('names each pod left on the previous template, and the delete-pod command for it', async () => {
    const error = await wait([pod('agent-a', 'good'), pod('agent-b', 'bad'), pod('agent-c', 'bad')]).catch((e) => e);
    expect(error.message).toBe(
      'rollout status is only available for RollingUpdate strategy type: daemonset monitoring/agent has updateStrategy OnDelete, so its controller replaces no pod by itself; 2 of its pods keep the previous template until each one is deleted (agent-b, agent-c)',
    );
    expect(error.hint).toContain(
      'inc run delete-pod --set namespace=monitoring --set pod=agent-b, then the same for agent-c',
    );
  });

  it('is done when every pod already runs the current template and is ready', async () => {
    expect(await wait([pod('agent-a', 'good'), pod('agent-b', 'good')])).toBe(
      'daemonset monitoring/agent has updateStrategy OnDelete, and all 2 of its pods run its current template and are ready',
    );
  });
});
