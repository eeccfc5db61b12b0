import { describe, expect, it } from 'vitest';
import { analyzeSnapshot } from '../../../src/triage/analyze.js';
import { CHECK_NAMES } from '../../../src/triage/types.js';
import { crashLooping, deployment, event, pod, podRef, replicaSet, snapshotWith } from './fixtures.js';

/**
 * A restart that did not help: payments/api's pod of revision 2 crash-loops since 14:28 (NOW is
 * 14:30), and the pod it replaced had crash-looped the same way before it.
 */
function restartedCrashLoop(
  gone: { message: string; firstMinutesAgo: number; lastMinutesAgo: number },
  rolledOutMinutesAgo = 20,
) {
  const api = deployment('payments', 'api', {
    status: { observedGeneration: 2, replicas: 1, readyReplicas: 0, availableReplicas: 0, updatedReplicas: 1 },
  });
  const oldRs = replicaSet(api, 'old111', { revision: 1, image: 'api:2.3.0', createdMinutesAgo: 600 });
  const newRs = replicaSet(api, 'new222', { revision: 2, image: 'api:2.3.1', createdMinutesAgo: rolledOutMinutesAgo });
  const live = pod('api-new222-live1', {
    owner: newRs,
    hash: 'new222',
    startedMinutesAgo: 3,
    containers: [crashLooping('api', 3)],
  });
  const replaced = { kind: 'Pod', namespace: 'payments', name: 'api-new222-gone1', uid: 'uid-of-a-replaced-pod' };
  const events = [
    event(podRef(live), 'BackOff', {
      message: 'Back-off restarting failed container api',
      count: 2,
      firstMinutesAgo: 2,
      lastMinutesAgo: 1,
    }),
    event(replaced, 'BackOff', { ...gone, count: 9 }),
  ];
  return analyzeSnapshot(snapshotWith({ pods: [live], events, deployments: [api], replicasets: [oldRs, newRs] }), {
    checks: [...CHECK_NAMES],
    sinceMs: 3600_000,
    elapsed: () => 0,
  });
}

const crash = (result: ReturnType<typeof restartedCrashLoop>) =>
  result.findings.find((f) => f.reason === 'CrashLoopBackOff');

describe('a failure that began in pods since replaced', () => {
  it('is dated from them, says so, and the rollout before it stays the suspect', () => {
    const result = restartedCrashLoop({
      message: 'Back-off restarting failed container api',
      firstMinutesAgo: 18,
      lastMinutesAgo: 6,
    });
    expect(crash(result)?.title).toBe('1/1 pods of deployment payments/api crash-looping since 14:12');
    expect(crash(result)?.since).toBe('2026-03-10T14:12:00.000Z');
    expect(crash(result)?.evidence[0]).toBe(
      'the failure began at 14:12 in 1 pod of deployment payments/api since replaced (event BackOff ×9): the pods failing now fail the same way',
    );
    expect(result.suspects[0]?.change).toContain('rollout to revision 2');
    expect(result.suspects[0]?.why).toContain('(first failure 14:12)');
  });

  it('is not, after a break longer than the back-off, when the old pods were fine before the new ones failed', () => {
    const result = restartedCrashLoop({
      message: 'Back-off restarting failed container api',
      firstMinutesAgo: 40,
      lastMinutesAgo: 30,
    });
    expect(crash(result)?.title).toBe('1/1 pods of deployment payments/api crash-looping since 14:28');
    expect(crash(result)?.evidence.join('\n')).not.toContain('since replaced');
  });

  it('is not, when the pods replaced ran another template: a rollout came between, and it is the suspect', () => {
    // The replaced pods crashed until 6 minutes ago; revision 2 rolled out 3 minutes ago (a bad
    // version brought back after a rollback, as Argo CD's self-heal does).
    const result = restartedCrashLoop(
      { message: 'Back-off restarting failed container api', firstMinutesAgo: 18, lastMinutesAgo: 6 },
      3,
    );
    expect(crash(result)?.title).toBe('1/1 pods of deployment payments/api crash-looping since 14:28');
    expect(crash(result)?.evidence.join('\n')).not.toContain('since replaced');
    expect(result.suspects[0]?.change).toContain('rollout to revision 2');
  });

  it('is not, when the old pods failed another way', () => {
    const result = restartedCrashLoop({
      message: 'Back-off pulling image "api:2.3.1"',
      firstMinutesAgo: 18,
      lastMinutesAgo: 6,
    });
    expect(crash(result)?.title).toBe('1/1 pods of deployment payments/api crash-looping since 14:28');
  });
});
