import { describe, expect, it } from 'vitest';
import { OwnerIndex } from '../../../src/triage/owners.js';
import { cpuMillis, memoryMi, parseQuantity } from '../../../src/triage/quantity.js';
import { eventLastSeen } from '../../../src/triage/time.js';
import { ago, event, pod, snapshotWith } from './fixtures.js';

describe('OwnerIndex', () => {
  it('resolves Job pods to their CronJob, StatefulSet and DaemonSet pods directly, bare pods to themselves', () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'report-2891',
        namespace: 'ops',
        uid: 'job-1',
        ownerReferences: [{ kind: 'CronJob', name: 'report', uid: 'cj-1', controller: true }],
      },
    };
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'postgres', namespace: 'db', uid: 'sts-1' },
    };
    const jobPod = pod('report-2891-x', { namespace: 'ops' });
    jobPod.metadata.ownerReferences = [{ kind: 'Job', name: 'report-2891', uid: 'job-1', controller: true }];
    const stsPod = pod('postgres-0', { namespace: 'db' });
    stsPod.metadata.ownerReferences = [{ kind: 'StatefulSet', name: 'postgres', uid: 'sts-1', controller: true }];
    const dsPod = pod('node-exporter-abc', { namespace: 'monitoring' });
    dsPod.metadata.ownerReferences = [{ kind: 'DaemonSet', name: 'node-exporter', uid: 'ds-1', controller: true }];
    const bare = pod('debug', { namespace: 'default' });
    const owners = new OwnerIndex(
      snapshotWith({ jobs: [job], statefulsets: [sts], pods: [jobPod, stsPod, dsPod, bare] }),
    );
    expect(owners.workloadOf(jobPod).ref).toEqual({ kind: 'CronJob', namespace: 'ops', name: 'report' });
    expect(owners.workloadOf(stsPod).ref).toEqual({ kind: 'StatefulSet', namespace: 'db', name: 'postgres' });
    expect(owners.workloadOf(dsPod).ref).toEqual({ kind: 'DaemonSet', namespace: 'monitoring', name: 'node-exporter' });
    expect(owners.workloadOf(bare).ref).toEqual({ kind: 'Pod', namespace: 'default', name: 'debug' });
    expect(owners.podCount({ kind: 'StatefulSet', namespace: 'db', name: 'postgres' })).toBe(1);
  });
});

describe('quantities and times', () => {
  it('parses quantities as kubectl prints them', () => {
    expect(cpuMillis('2345678n')).toBe(3);
    expect(cpuMillis('250m')).toBe(250);
    expect(cpuMillis('1')).toBe(1000);
    expect(cpuMillis('0')).toBe(0);
    expect(memoryMi(parseQuantity('45120Ki') ?? 0)).toBe(44);
    expect(parseQuantity('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('12 apples')).toBeUndefined();
  });

  it('dates events by lastTimestamp, else series.lastObservedTime, else eventTime, else firstTimestamp, else creation', () => {
    const target = { kind: 'Pod', namespace: 'a', name: 'b', uid: 'u' };
    expect(eventLastSeen(event(target, 'X', { firstMinutesAgo: 9, lastMinutesAgo: 2 }))).toBe(Date.parse(ago(2)));
    expect(
      eventLastSeen(
        event(target, 'X', { lastMinutesAgo: null, series: { count: 3, lastObservedTime: ago(1) }, eventTime: ago(5) }),
      ),
    ).toBe(Date.parse(ago(1)));
    expect(eventLastSeen(event(target, 'X', { lastMinutesAgo: null, eventTime: ago(4) }))).toBe(Date.parse(ago(4)));
    expect(eventLastSeen(event(target, 'X', { lastMinutesAgo: null, firstMinutesAgo: 7 }))).toBe(Date.parse(ago(7)));
  });
});
