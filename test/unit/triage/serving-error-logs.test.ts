import { describe, expect, it } from 'vitest';
import type { ContainerLog, Pod } from '../../../src/triage/k8s.js';
import { attachServingErrorLogs, servingLogLine } from '../../../src/triage/serving-error-logs.js';
import type { Finding } from '../../../src/triage/types.js';
import { deployment, pod, replicaSet, running, snapshotWith } from './fixtures.js';

const api = deployment('payments', 'api');
const apiRs = replicaSet(api, 'abc12', { revision: 4, image: 'api:2.3.1', createdMinutesAgo: 10 });
const web = deployment('shop', 'web');
const webRs = replicaSet(web, 'def34', { revision: 2, image: 'web:1', createdMinutesAgo: 60 });
const apiPods = ['api-abc12-aaaaa', 'api-abc12-bbbbb', 'api-abc12-ccccc'].map((name) =>
  pod(name, { owner: apiRs, hash: 'abc12', containers: [running('api')] }),
);
const webPod = pod('web-def34-ddddd', { owner: webRs, hash: 'def34', containers: [running('web')] });

const FAILED = (at: string) =>
  `${at} ERROR request failed: status=500 method=POST path=/v1/charges error="upstream ledger: connection reset by peer"`;
const LOG = [
  '2026-03-10T14:20:00Z INFO starting api version=2.3.1',
  '2026-03-10T14:20:01Z INFO ready to serve requests',
  FAILED('2026-03-10T14:29:50Z'),
  FAILED('2026-03-10T14:29:55Z'),
  FAILED('2026-03-10T14:30:00Z'),
].join('\n');

function highErrorRate(namespace: string, name: string): Finding {
  return {
    id: `signals/HighErrorRate/${namespace}/Deployment/${name}`,
    severity: 'critical',
    check: 'signals',
    reason: 'HighErrorRate',
    title: `deployment ${namespace}/${name}: 5xx ratio 30 %`,
    workload: { kind: 'Deployment', namespace, name },
    objects: [{ kind: 'Deployment', namespace, name }],
    count: 1,
    evidence: ['requests 20/s, 5xx 30 %'],
  };
}

/** A fake log reader: the pods it was asked for, and a log for each. */
function reader(text = LOG) {
  const asked: Pod[] = [];
  const read = async (pods: readonly Pod[]): Promise<ContainerLog[]> => {
    asked.push(...pods);
    return pods.map((p) => ({
      namespace: p.metadata.namespace ?? '',
      pod: p.metadata.name,
      podUid: p.metadata.uid,
      container: 'api',
      text,
      serving: true,
    }));
  };
  return { asked, read };
}

describe('the error lines of pods serving 5xx', () => {
  it("reads a few of the flagged workload's pods and adds their last error lines to its finding", async () => {
    const snapshot = snapshotWith({
      deployments: [api, web],
      replicasets: [apiRs, webRs],
      pods: [...apiPods, webPod],
    });
    const finding = highErrorRate('payments', 'api');
    const { asked, read } = reader();
    await attachServingErrorLogs([finding], snapshot, read, 8);
    expect(asked.map((p) => p.metadata.name)).toEqual(['api-abc12-aaaaa', 'api-abc12-bbbbb']);
    expect(finding.evidence.slice(1)).toEqual([
      `log of api-abc12-aaaaa/api: 3 error lines in the last 5, the last: ${FAILED('2026-03-10T14:29:55Z')} ⏎ ${FAILED('2026-03-10T14:30:00Z')}`,
      `log of api-abc12-bbbbb/api: 3 error lines in the last 5, the last: ${FAILED('2026-03-10T14:29:55Z')} ⏎ ${FAILED('2026-03-10T14:30:00Z')}`,
    ]);
    // The evidence snapshot keeps the logs read.
    expect(snapshot.logs.map((l) => l.pod)).toEqual(['api-abc12-aaaaa', 'api-abc12-bbbbb']);
  });

  it('reads nothing without a HighErrorRate finding, and a log without errors adds nothing', async () => {
    const snapshot = snapshotWith({ deployments: [api], replicasets: [apiRs], pods: apiPods });
    const latency: Finding = { ...highErrorRate('payments', 'api'), reason: 'HighLatency' };
    const { asked, read } = reader();
    await attachServingErrorLogs([latency], snapshot, read, 8);
    expect(asked).toEqual([]);

    const finding = highErrorRate('payments', 'api');
    await attachServingErrorLogs([finding], snapshot, reader('INFO ready to serve requests').read, 8);
    expect(finding.evidence).toEqual(['requests 20/s, 5xx 30 %']);
  });

  it('never fails triage when the logs cannot be read, and keeps to the evidence limit', async () => {
    const snapshot = snapshotWith({ deployments: [api], replicasets: [apiRs], pods: apiPods });
    const finding = highErrorRate('payments', 'api');
    await attachServingErrorLogs([finding], snapshot, () => Promise.reject(new Error('403')), 8);
    expect(finding.evidence).toHaveLength(1);
    const full = highErrorRate('payments', 'api');
    await attachServingErrorLogs([full], snapshot, reader().read, 2);
    expect(full.evidence).toHaveLength(2);
  });

  it('redacts a secret in a log line and cuts long lines', () => {
    const line = servingLogLine({
      namespace: 'payments',
      pod: 'api-1',
      container: 'api',
      text: `ERROR request failed: postgres://app:hunter2secret@db:5432/app ${'x'.repeat(300)}`,
    });
    expect(line).toContain('postgres://app:[REDACTED]@db:5432/app');
    expect(line).not.toContain('hunter2secret');
    expect(line?.endsWith('…')).toBe(true);
  });
});
