import { describe, expect, it } from 'vitest';
import { classifyPod, classifySchedulingMessage, type PodIssueContext } from '../../../src/triage/checks/pod-issues.js';
import type { Pod } from '../../../src/triage/k8s.js';
import { ago, crashLooping, event, nowMs, pod, podRef, running, waiting } from './fixtures.js';

const hour = 3600_000;
const ctx = (events: PodIssueContext['events'] = []): PodIssueContext => ({ now: nowMs, sinceMs: hour, events });
const classify = (p: Pod, events: PodIssueContext['events'] = []) => classifyPod(p, ctx(events));

describe('classifyPod', () => {
  it('flags a crash loop from 2 restarts, with the last termination as evidence', () => {
    const issue = classify(pod('a', { containers: [crashLooping('api', 5)] }));
    expect(issue).toMatchObject({ reason: 'CrashLoopBackOff', level: 'critical', verb: 'crash-looping' });
    expect(issue?.evidence).toContain('container api: last state Error, exit code 1, 5 restarts');
    expect(classify(pod('b', { containers: [crashLooping('api', 1)] }))).toBeUndefined();
  });

  it('names OOMKilled (with the memory limit, or "no limit") rather than the crash loop', () => {
    const limited = classify(
      pod('a', {
        containers: [crashLooping('api', 3, { reason: 'OOMKilled', exitCode: 137 })],
        limits: { memory: '512Mi' },
      }),
    );
    expect(limited).toMatchObject({ reason: 'OOMKilled', level: 'critical' });
    expect(limited?.evidence).toContain('container api: memory limit 512Mi');
    const unlimited = classify(
      pod('b', { containers: [crashLooping('api', 3, { reason: 'OOMKilled', exitCode: 137 })] }),
    );
    expect(unlimited?.evidence).toContain('container api: memory limit none (no limit)');
  });

  it('gives image pulls a grace period from pod start, then flags them (ErrImagePull counts as ImagePullBackOff)', () => {
    const starting = pod('a', {
      startedMinutesAgo: 1,
      containers: [waiting('api', 'ErrImagePull', 'rpc error: code = NotFound desc = manifest unknown')],
    });
    expect(classify(starting)).toBeUndefined();
    const stuck = pod('b', {
      startedMinutesAgo: 5,
      containers: [waiting('api', 'ImagePullBackOff', 'Back-off pulling image "api:9"')],
    });
    const issue = classify(stuck, [
      event(podRef(stuck), 'Failed', {
        message: 'Failed to pull image "api:9": rpc error: code = NotFound desc = failed to pull and unpack image',
      }),
    ]);
    expect(issue).toMatchObject({ reason: 'ImagePullBackOff', level: 'critical' });
    expect(issue?.evidence.join('\n')).toContain('Failed to pull image "api:9"');
    const pulled = classify(pod('c', { startedMinutesAgo: 5, containers: [waiting('api', 'ErrImagePull')] }));
    expect(pulled?.reason).toBe('ImagePullBackOff');
    // An invalid name never resolves by waiting: no grace.
    expect(
      classify(
        pod('d', {
          startedMinutesAgo: 0,
          containers: [waiting('api', 'InvalidImageName', 'couldn\'t parse image name "API:"')],
        }),
      )?.reason,
    ).toBe('InvalidImageName');
  });

  it('names the missing ConfigMap or Secret of CreateContainerConfigError', () => {
    const issue = classify(
      pod('a', { containers: [waiting('api', 'CreateContainerConfigError', 'configmap "api-config" not found')] }),
    );
    expect(issue).toMatchObject({ reason: 'CreateContainerConfigError', level: 'critical' });
    expect(issue?.evidence).toEqual(['container api: configmap "api-config" not found']);
    expect(
      classify(pod('b', { containers: [waiting('api', 'RunContainerError', 'exec: "/app": permission denied')] }))
        ?.reason,
    ).toBe('RunContainerError');
  });

  it('classifies Unschedulable pods from the scheduler message', () => {
    const p = pod('a', {
      phase: 'Pending',
      containers: [],
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/3 nodes are available: 3 Insufficient cpu.',
          lastTransitionTime: ago(7),
        },
      ],
    });
    expect(classify(p)).toMatchObject({
      reason: 'Unschedulable',
      level: 'high',
      verb: 'pending: cannot be scheduled (insufficient cpu)',
      sinceMs: nowMs - 7 * 60_000,
    });
    expect(
      classifySchedulingMessage(
        "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector.",
      ),
    ).toEqual(['untolerated taint', 'affinity/selector']);
    expect(classifySchedulingMessage('0/3 nodes are available: persistentvolumeclaim "data" not found.')).toEqual([
      'unbound PVC',
    ]);
    expect(classifySchedulingMessage('0/1 nodes are available: 1 Too many pods, 1 Insufficient memory.')).toEqual([
      'insufficient memory',
      'too many pods',
    ]);
  });

  it('flags ContainerCreating stuck on FailedMount, matching events by uid and never by name', () => {
    const p = pod('a', { phase: 'Pending', startedMinutesAgo: 3, containers: [waiting('api', 'ContainerCreating')] });
    const mount = event(podRef(p), 'FailedMount', {
      message: 'MountVolume.SetUp failed for volume "certs" : secret "api-tls" not found',
    });
    expect(classify(p, [mount])).toMatchObject({
      reason: 'FailedMount',
      evidence: ['MountVolume.SetUp failed for volume "certs" : secret "api-tls" not found'],
    });
    expect(classify(p, [])).toBeUndefined();
  });

  it('flags Running-but-not-Ready past a grace period, naming a failing probe', () => {
    const notReady = (minutes: number) =>
      pod('a', {
        containers: [{ ...running('api'), ready: false }],
        conditions: [
          { type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: ago(minutes) },
        ],
      });
    expect(classify(notReady(0.5))).toBeUndefined();
    const p = notReady(5);
    const probe = event(podRef(p), 'Unhealthy', {
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
    });
    expect(classify(p, [probe])).toMatchObject({
      reason: 'Unhealthy',
      evidence: ['Readiness probe failed: HTTP probe failed with statuscode: 503'],
    });
    expect(classify(p)).toMatchObject({ reason: 'NotReady' });
  });

  it('does not flag completed Job pods, even with a non-zero sidecar exit', () => {
    const done = pod('job-x', {
      phase: 'Succeeded',
      containers: [
        {
          name: 'sidecar',
          restartCount: 0,
          state: { terminated: { reason: 'Error', exitCode: 255, finishedAt: ago(2) } },
        },
      ],
    });
    expect(classify(done)).toBeUndefined();
  });

  it('flags a pod that crashed recently and runs again, only within the window', () => {
    const recovered = (minutes: number) =>
      pod('a', {
        containers: [
          {
            ...running('api', 1),
            lastState: { terminated: { reason: 'Error', exitCode: 2, finishedAt: ago(minutes) } },
          },
        ],
      });
    expect(classify(recovered(10))).toMatchObject({ reason: 'RecentCrash', level: 'warning' });
    expect(classify(recovered(90))).toBeUndefined();
    const oomed = pod('b', {
      containers: [
        { ...running('api', 1), lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: ago(3) } } },
      ],
    });
    expect(classify(oomed)).toMatchObject({ reason: 'OOMKilled', level: 'warning' });
  });

  it('flags evicted, stuck terminating, failing init containers and terminated-with-error pods', () => {
    expect(
      classify(
        pod('a', {
          phase: 'Failed',
          reason: 'Evicted',
          message: 'The node was low on resource: memory.',
          containers: [],
        }),
      ),
    ).toMatchObject({ reason: 'Evicted', evidence: ['The node was low on resource: memory.'] });
    expect(classify(pod('b', { deletionTimestamp: ago(10) }))).toMatchObject({ reason: 'Terminating' });
    expect(classify(pod('c', { deletionTimestamp: ago(0.2) }))).toBeUndefined();
    const init = classify(
      pod('d', {
        phase: 'Pending',
        init: [crashLooping('migrate', 4)],
        containers: [waiting('api', 'PodInitializing')],
      }),
    );
    expect(init).toMatchObject({ reason: 'CrashLoopBackOff' });
    expect(init?.evidence[0]).toContain('init container migrate');
    const never = classify(
      pod('e', {
        phase: 'Failed',
        containers: [
          { name: 'api', restartCount: 0, state: { terminated: { reason: 'Error', exitCode: 3, finishedAt: ago(4) } } },
        ],
      }),
    );
    expect(never).toMatchObject({ reason: 'Error', evidence: ['container api: terminated Error, exit code 3'] });
  });

  it('leaves healthy pods alone', () => {
    expect(classify(pod('a'))).toBeUndefined();
  });
});
