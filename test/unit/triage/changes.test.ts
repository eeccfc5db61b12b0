import { describe, expect, it } from 'vitest';
import { listChanges } from '../../../src/triage/changes.js';
import { deployment, event, nowMs, replicaSet, snapshotWith } from './fixtures.js';

const HOUR = 3600_000;

describe('listChanges', () => {
  it('dates an undo that re-adopts a ReplicaSet again by its own move, with no scale of its steps', () => {
    const api = deployment('payments', 'api', { revision: 5 });
    // v1 holds revisions 1, 3 and 5; v2 revisions 2 and 4: every move repeats the same scaling messages.
    const v1 = replicaSet(api, 'v1', { revision: 5, image: 'api:1', createdMinutesAgo: 60 });
    const v2 = replicaSet(api, 'v2', { revision: 4, image: 'api:2', createdMinutesAgo: 20 });
    const ref = { kind: 'Deployment', namespace: 'payments', name: 'api', uid: api.metadata.uid };
    const scaling = (message: string, first: number, last: number) =>
      event(ref, 'ScalingReplicaSet', {
        type: 'Normal',
        message,
        count: 2,
        firstMinutesAgo: first,
        lastMinutesAgo: last,
      });
    const events = [
      scaling('Scaled up replica set api-v2 to 1 from 0', 20, 10),
      scaling('Scaled down replica set api-v1 to 0 from 1', 19.9, 9.9),
      scaling('Scaled up replica set api-v1 to 1 from 0', 15, 0.5),
      scaling('Scaled down replica set api-v2 to 2 from 3', 14.9, 0.45),
      scaling('Scaled up replica set api-v1 to 3 from 2', 14.5, 0.1),
      scaling('Scaled down replica set api-v2 to 0 from 1', 14.5, 0.1),
    ];
    const snapshot = snapshotWith({ deployments: [api], replicasets: [v1, v2], events });
    const changes = listChanges(snapshot, nowMs, HOUR);
    expect(changes.map((c) => [c.kind, c.description, (nowMs - c.atMs) / 60_000])).toEqual([
      ['rollout', 'rollout to revision 5 (image api:1, was api:2)', 0.5],
    ]);
  });

  it('takes the slow steps of a rolling update for the rollout, not for scales', () => {
    const api = deployment('payments', 'api', {
      revision: 2,
      status: {
        conditions: [
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: 'ReplicaSet "api-v2" has successfully progressed.',
            lastUpdateTime: new Date(nowMs - 2 * 60_000).toISOString(),
            lastTransitionTime: new Date(nowMs - 600 * 60_000).toISOString(),
          },
        ],
      },
    });
    const v1 = replicaSet(api, 'v1', { revision: 1, image: 'api:1', createdMinutesAgo: 600 });
    const v2 = replicaSet(api, 'v2', { revision: 2, image: 'api:2', createdMinutesAgo: 6 });
    const ref = { kind: 'Deployment', namespace: 'payments', name: 'api', uid: api.metadata.uid };
    const step = (message: string, minutes: number) =>
      event(ref, 'ScalingReplicaSet', { type: 'Normal', message, firstMinutesAgo: minutes, lastMinutesAgo: minutes });
    const events = [
      step('Scaled up replica set api-v2 to 1 from 0', 6),
      step('Scaled down replica set api-v1 to 2 from 3', 4),
      step('Scaled up replica set api-v2 to 2 from 1', 4),
      step('Scaled down replica set api-v1 to 1 from 2', 2),
      step('Scaled up replica set api-v2 to 3 from 2', 2),
    ];
    const changes = listChanges(snapshotWith({ deployments: [api], replicasets: [v1, v2], events }), nowMs, HOUR);
    expect(changes.map((c) => [c.kind, (nowMs - c.atMs) / 60_000])).toEqual([['rollout', 6]]);
  });

  it('still lists a scale of a ReplicaSet made long before, read from "to N from M"', () => {
    const worker = deployment('payments', 'worker', { revision: 1 });
    const rs = replicaSet(worker, 'w1', { revision: 1, image: 'worker:1', createdMinutesAgo: 120 });
    const ref = { kind: 'Deployment', namespace: 'payments', name: 'worker', uid: worker.metadata.uid };
    const events = [
      event(ref, 'ScalingReplicaSet', {
        type: 'Normal',
        message: 'Scaled up replica set worker-w1 to 12 from 2',
        firstMinutesAgo: 7,
        lastMinutesAgo: 7,
      }),
    ];
    const changes = listChanges(snapshotWith({ deployments: [worker], replicasets: [rs], events }), nowMs, HOUR);
    expect(changes.map((c) => [c.kind, c.description, (nowMs - c.atMs) / 60_000])).toEqual([
      ['scale', 'scaled up from 2 to 12 replicas', 7],
    ]);
  });
});
