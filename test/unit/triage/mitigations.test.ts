import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/incident/event.js';
import type { Workload } from '../../../src/triage/k8s.js';
import {
  activeMitigations,
  mitigationOfReplicaSet,
  mitigationOfScale,
  revisionsRolledAwayFrom,
} from '../../../src/triage/mitigations.js';

const api = { kind: 'Deployment', namespace: 'payments', name: 'api' };
let seq = 0;

function action(data: Record<string, unknown>): IncidentEvent {
  seq += 1;
  return {
    v: 1,
    id: `E${seq}`,
    at: '2026-01-10T14:00:00.000Z',
    type: 'action',
    actor: 'alice',
    data: { action: 'scale', context: 'c', summary: 's', target: api, ...data },
  } as IncidentEvent;
}

function replicaSet(containers: { name: string; image: string }[], annotations: Record<string, string> = {}): Workload {
  return {
    metadata: { name: 'api-1', namespace: 'payments' },
    spec: { template: { metadata: { annotations }, spec: { containers } } },
  } as unknown as Workload;
}

describe('activeMitigations', () => {
  it('keeps applied changes once, and drops dry runs, plans, failures, undone changes and undos', () => {
    const events = [
      action({ actionId: 'KEEP', phase: 'planned' }),
      action({ actionId: 'KEEP', phase: 'applied', after: { 'spec.replicas': 6 } }),
      action({ actionId: 'KEEP', phase: 'verified' }),
      action({ actionId: 'DRY', phase: 'applied', dryRun: true }),
      action({ actionId: 'PLAN', phase: 'planned' }),
      action({ actionId: 'FAIL', phase: 'failed' }),
      action({ actionId: 'GONE', phase: 'applied' }),
      action({ actionId: 'UNDO', phase: 'applied', undoes: 'GONE' }),
      action({ actionId: 'UNDO', phase: 'undone', undoes: 'GONE' }),
    ];
    const mitigations = activeMitigations(events);
    expect(mitigations.map((m) => m.actionId)).toEqual(['KEEP']);
    expect(mitigations[0]?.after).toEqual({ 'spec.replicas': 6 });
  });

  it('ignores fields that are not objects, and reads no events of other types', () => {
    const note = { ...action({}), type: 'note', data: { text: 'x', kind: 'note' } } as IncidentEvent;
    const [only] = activeMitigations([note, action({ actionId: 'A', phase: 'applied', before: [1], after: 'x' })]);
    expect(only).toMatchObject({ actionId: 'A', before: undefined, after: undefined });
  });

  it("takes only the changes made in the context asked for: a rollback in eu-west is no mitigation of us-east's same deployment", () => {
    const events = [
      action({ actionId: 'EU', phase: 'applied', context: 'eu-west' }),
      action({ actionId: 'US', phase: 'applied', context: 'us-east' }),
    ];
    expect(activeMitigations(events, 'us-east').map((m) => m.actionId)).toEqual(['US']);
    expect(activeMitigations(events).map((m) => m.actionId)).toEqual(['EU', 'US']);
    expect(activeMitigations(events)[0]?.atMs).toBe(Date.parse('2026-01-10T14:00:00.000Z'));
  });

  it('an undo whose apply failed leaves the change in force', () => {
    const events = [
      action({ actionId: 'A', phase: 'applied' }),
      action({ actionId: 'U', phase: 'failed', undoes: 'A' }),
    ];
    expect(activeMitigations(events).map((m) => m.actionId)).toEqual(['A']);
  });
});

describe('mitigationOfReplicaSet', () => {
  const pinned = {
    actionId: 'PIN',
    action: 'set-image',
    summary: 'pin',
    target: api,
    after: { 'spec.template.spec.containers': [{ name: 'api', image: 'api:2.3.0', env: [{ name: 'X' }] }] },
  };

  it('recognises its own template by images alone (env values and extra fields aside)', () => {
    expect(mitigationOfReplicaSet(api, replicaSet([{ name: 'api', image: 'api:2.3.0' }]), [pinned])).toBe(pinned);
    expect(mitigationOfReplicaSet(api, replicaSet([{ name: 'api', image: 'api:2.3.1' }]), [pinned])).toBeUndefined();
  });

  it('is about the same workload only, and needs a recorded template field', () => {
    const other = { ...api, name: 'web' };
    expect(mitigationOfReplicaSet(other, replicaSet([{ name: 'api', image: 'api:2.3.0' }]), [pinned])).toBeUndefined();
    const scale = { ...pinned, after: { 'spec.replicas': 3 } };
    expect(mitigationOfReplicaSet(api, replicaSet([{ name: 'api', image: 'api:2.3.0' }]), [scale])).toBeUndefined();
  });

  it('compares whole templates by images and annotations, in any key order; the latest match wins', () => {
    const template = (restartedAt: string) => ({
      'spec.template': {
        spec: { containers: [{ image: 'api:2.3.0', name: 'api' }] },
        metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } },
      },
    });
    const first = { ...pinned, actionId: 'R1', action: 'rollout.restart', after: template('t1') };
    const second = { ...pinned, actionId: 'R2', action: 'rollout.restart', after: template('t2') };
    const rs = (at: string) =>
      replicaSet([{ name: 'api', image: 'api:2.3.0' }], { 'kubectl.kubernetes.io/restartedAt': at });
    expect(mitigationOfReplicaSet(api, rs('t2'), [first, second])?.actionId).toBe('R2');
    expect(mitigationOfReplicaSet(api, rs('t1'), [first, second])?.actionId).toBe('R1');
    expect(mitigationOfReplicaSet(api, rs('t3'), [first, second])).toBeUndefined();
  });
});

describe('mitigationOfScale and revisionsRolledAwayFrom', () => {
  const scaled = { actionId: 'S', action: 'scale', summary: 's', target: api, after: { 'spec.replicas': 6 } };

  it('finds the scale that set exactly this count on this workload', () => {
    expect(mitigationOfScale(api, 6, [scaled])).toBe(scaled);
    expect(mitigationOfScale(api, 5, [scaled])).toBeUndefined();
    expect(mitigationOfScale({ ...api, namespace: 'shop' }, 6, [scaled])).toBeUndefined();
  });

  it('lists the revisions current when a rollback ran; other actions and bad annotations are ignored', () => {
    const rollback = (revision: string, target = api) => ({
      actionId: revision,
      action: 'rollout.undo',
      summary: 'r',
      target,
      before: { 'metadata.annotations': { 'deployment.kubernetes.io/revision': revision } },
    });
    expect(
      revisionsRolledAwayFrom(api, [
        rollback('4'),
        rollback('2'),
        rollback('0'),
        rollback('x'),
        rollback('7', { ...api, name: 'web' }),
        { ...rollback('9'), action: 'set-image' },
      ]),
    ).toEqual([4, 2]);
  });
});
