import { describe, expect, it } from 'vitest';
import type { KEvent, Workload } from '../../../src/triage/k8s.js';
import { movedToRevisionAt } from '../../../src/triage/rollout-dates.js';

const T = (minute: number) => `2026-01-10T14:${String(minute).padStart(2, '0')}:00Z`;
const ms = (minute: number) => Date.parse(T(minute));

const deployment = {
  metadata: { name: 'api', namespace: 'payments', uid: 'dep-uid' },
  status: { conditions: [] },
} as unknown as Workload;

function rs(name: string, revision: number, createdMinute: number): Workload {
  return {
    metadata: {
      name,
      namespace: 'payments',
      creationTimestamp: T(createdMinute),
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
    },
  } as unknown as Workload;
}

function scaling(message: string, first: number, last = first, uid = 'dep-uid'): KEvent {
  return {
    reason: 'ScalingReplicaSet',
    message,
    involvedObject: { kind: 'Deployment', name: 'api', namespace: 'payments', uid },
    firstTimestamp: T(first),
    lastTimestamp: T(last),
  } as unknown as KEvent;
}

describe('movedToRevisionAt', () => {
  it('a new ReplicaSet is dated by its creation', () => {
    const v1 = rs('api-v1', 1, 0);
    const v2 = rs('api-v2', 2, 10);
    expect(movedToRevisionAt(deployment, v2, [v1, v2], [])).toBe(ms(10));
  });

  it('a re-adopted ReplicaSet is dated by the first scale-up after the newer one was made', () => {
    const v1 = rs('api-v1', 3, 0); // rolled back to: revision 3 now, created first
    const v2 = rs('api-v2', 2, 10);
    const events = [
      scaling('Scaled up replica set api-v1 from 0 to 3', 0, 30), // aggregated: first seen long ago
      scaling('Scaled down replica set api-v2 from 3 to 2', 31),
    ];
    // The aggregated scale-up's last time (30) is after the newer ReplicaSet (10): that is the move.
    expect(movedToRevisionAt(deployment, v1, [v1, v2], events)).toBe(ms(30));
  });

  it('an undo of an undo of an undo is dated by its own move, not by the first time the ReplicaSet came back', () => {
    // v1 (revisions 1, 3, 5) and v2 (revisions 2, 4): the same messages repeat, aggregated.
    const v1 = rs('api-v1', 5, 0);
    const v2 = rs('api-v2', 4, 10);
    const events = [
      scaling('Scaled up replica set api-v2 to 3 from 0', 10, 30), // moves to 2 and 4
      scaling('Scaled down replica set api-v1 to 0 from 3', 10, 30),
      scaling('Scaled up replica set api-v1 to 3 from 0', 20, 40), // moves to 3 and 5
      scaling('Scaled down replica set api-v2 to 0 from 3', 20, 40),
    ];
    expect(movedToRevisionAt(deployment, v1, [v1, v2], events)).toBe(ms(40));
    const progressing = {
      ...deployment,
      status: {
        conditions: [
          { type: 'Progressing', message: 'ReplicaSet "api-v1" has successfully progressed.', lastUpdateTime: T(41) },
        ],
      },
    } as unknown as Workload;
    expect(movedToRevisionAt(progressing, v1, [v1, v2], events.slice(0, 2))).toBe(ms(41));
  });

  it('knows a ReplicaSet made after the other one as re-adopted by its revision history', () => {
    // v2 (revisions 2 and 4) came back after v1 (1 and 3): no ReplicaSet made after it is older.
    const v1 = rs('api-v1', 3, 0);
    const v2 = rs('api-v2', 4, 10);
    (v2.metadata.annotations as Record<string, string>)['deployment.kubernetes.io/revision-history'] = '2';
    const events = [
      scaling('Scaled up replica set api-v2 to 1 from 0', 10, 40),
      scaling('Scaled up replica set api-v1 to 1 from 0', 20),
      scaling('Scaled down replica set api-v2 to 0 from 1', 21),
    ];
    expect(movedToRevisionAt(deployment, v2, [v1, v2], events)).toBe(ms(40));
  });

  it('dates a revision the Deployment moved on from (a rollback) by its move before that', () => {
    // v2 came back as revision 4 at 40 and crash-looped; a rollback moved to v1 (revision 5) at 50.
    const v1 = rs('api-v1', 5, 0);
    const v2 = rs('api-v2', 4, 10);
    (v2.metadata.annotations as Record<string, string>)['deployment.kubernetes.io/revision-history'] = '2';
    const events = [
      scaling('Scaled up replica set api-v2 to 1 from 0', 10, 40),
      scaling('Scaled down replica set api-v2 to 0 from 1', 20, 50),
    ];
    expect(movedToRevisionAt(deployment, v2, [v1, v2], events, ms(50))).toBe(ms(40));
  });

  it('ignores events of another deployment, and falls back to the newer ReplicaSet without signs', () => {
    const v1 = rs('api-v1', 3, 0);
    const v2 = rs('api-v2', 2, 10);
    const foreign = scaling('Scaled up replica set api-v1 from 0 to 3', 20, 20, 'other-uid');
    expect(movedToRevisionAt(deployment, v1, [v1, v2], [foreign])).toBe(ms(10));
  });

  it('reads the Progressing condition that names the ReplicaSet, not a ReplicaSet whose name it prefixes', () => {
    const v1 = rs('api-v1', 3, 0);
    const v2 = rs('api-v2', 2, 10);
    const progressing = {
      ...deployment,
      status: {
        conditions: [
          { type: 'Progressing', message: 'ReplicaSet "api-v1" has successfully progressed.', lastUpdateTime: T(25) },
        ],
      },
    } as unknown as Workload;
    expect(movedToRevisionAt(progressing, v1, [v1, v2], [])).toBe(ms(25));
    const prefix = scaling('Scaled up replica set api-v1x from 0 to 3', 20);
    expect(movedToRevisionAt(deployment, v1, [v1, v2], [prefix])).toBe(ms(10));
  });
});
