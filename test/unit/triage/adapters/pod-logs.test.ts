import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../../src/kube/index.js';
import { fetchPodLogs } from '../../../../src/triage/adapters/pod-logs.js';

/** A pod whose init container (a migration) crash-loops: Init:CrashLoopBackOff, the app never started. */
const pod = {
  metadata: { name: 'api-1' },
  spec: { initContainers: [{ name: 'migrate' }, { name: 'warm-cache' }], containers: [{ name: 'api' }] },
  status: {
    initContainerStatuses: [
      {
        name: 'migrate',
        restartCount: 4,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1 } },
      },
      { name: 'warm-cache', restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
    ],
    containerStatuses: [{ name: 'api', restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
  },
};

function fakeKube(asked: { container: string; previous?: boolean }[]): KubeClient {
  return {
    request: async (request: { query: { container: string; previous?: boolean } }) => {
      asked.push({ container: request.query.container, previous: request.query.previous });
      return `2026-11-30T00:00:00Z ${request.query.container} log\n`;
    },
  } as unknown as KubeClient;
}

describe('fetchPodLogs', () => {
  it("reads an init container that has run, first, as kubectl's --all-containers does; never one that has not", async () => {
    const asked: { container: string; previous?: boolean }[] = [];
    const result = await fetchPodLogs(fakeKube(asked), [pod], { namespace: 'payments' });
    expect(asked.map((a) => a.container)).toEqual(['migrate', 'api']);
    expect(result.streams.map((s) => s.container)).toEqual(['migrate', 'api']);
  });

  it('with --previous, reads the crashed init container and names the containers that never restarted', async () => {
    const asked: { container: string; previous?: boolean }[] = [];
    const result = await fetchPodLogs(fakeKube(asked), [pod], { namespace: 'payments', previous: true });
    expect(asked).toEqual([{ container: 'migrate', previous: true }]);
    expect(result.neverRestarted).toEqual([{ pod: 'api-1', container: 'api' }]);
  });
});
