import { describe, expect, it } from 'vitest';
import type { Change } from '../../../src/triage/change.js';
import type { DraftFinding } from '../../../src/triage/checks/check.js';
import { rankSuspects } from '../../../src/triage/suspects.js';

const NOW = Date.parse('2026-03-10T14:30:00Z');
const min = (minutes: number) => NOW - minutes * 60_000;
const deploy = (namespace: string, name: string) => ({ kind: 'Deployment', namespace, name });

function finding(name: string, reason: string, title: string, evidence: string[] = []): DraftFinding {
  return {
    id: `pods/${reason}/payments/Deployment/${name}`,
    check: 'pods',
    severity: 'critical',
    reason,
    title,
    count: 1,
    evidence,
    workload: deploy('payments', name),
    objects: [],
    uids: [],
    firstFailureMs: min(2),
  } as unknown as DraftFinding;
}

function change(kind: Change['kind'], workload: Change['workload'], description: string, minutes: number): Change {
  return { kind, workload, description, atMs: min(minutes) };
}

const crashing = finding('api', 'CrashLoopBackOff', '3/3 pods of deployment payments/api crash-looping');

describe('rankSuspects', () => {
  it('takes no scale-up of another workload of the namespace for the cause of a crash loop', () => {
    const scale = change('scale', deploy('payments', 'worker'), 'scaled up from 2 to 4 replicas', 24);
    expect(rankSuspects([crashing], [scale])).toEqual([]);
  });

  it('keeps the workload its own changes first, and a neighbour rollout after, saying it is one', () => {
    const own = change('scale', deploy('payments', 'api'), 'scaled up from 3 to 6 replicas', 10);
    const neighbour = change('rollout', deploy('payments', 'postgres'), 'rollout to revision 7', 3);
    const suspects = rankSuspects([crashing], [neighbour, own]);
    expect(suspects.map((s) => `${s.workload.name}: ${s.change}`)).toEqual([
      'api: scaled up from 3 to 6 replicas',
      'postgres: rollout to revision 7',
    ]);
    expect(suspects[1]?.why).toContain(
      'another workload of the namespace: a cause only if deployment payments/api depends on it',
    );
  });

  it('names a scale-up of any namespace for pods that find no room on the nodes', () => {
    const pending = finding('api', 'Unschedulable', '2/5 pods of deployment payments/api pending', [
      '0/3 nodes are available: 3 Insufficient cpu.',
    ]);
    const scale = change('scale', deploy('batch', 'backfill'), 'scaled up from 2 to 12 replicas', 5);
    const suspects = rankSuspects([pending], [scale]);
    expect(suspects.map((s) => `${s.workload.namespace}/${s.workload.name}: ${s.change}`)).toEqual([
      'batch/backfill: scaled up from 2 to 12 replicas',
    ]);
    expect(suspects[0]?.why).toContain('its new pods take room the pending pods of deployment payments/api need');
    const tainted = finding('api', 'Unschedulable', '2/5 pods of deployment payments/api pending', [
      '0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: gpu}.',
    ]);
    expect(rankSuspects([tainted], [scale])).toEqual([]);
  });
});
