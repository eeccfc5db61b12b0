import { describe, expect, it } from 'vitest';
import type { RawObject } from '../../../../src/kube/access.js';
import { chooseRollbackTarget, controllerRevisionHistory } from '../../../../src/playbooks/k8s/rollback-target.js';
import { RolloutUndoError } from '../../../../src/playbooks/k8s/rollout-undo.js';
import type { PriorChange } from '../../../../src/playbooks/ports.js';

const ref = { kind: 'Deployment' as const, namespace: 'payments', name: 'api' };

function rs(revision: number, image: string): RawObject {
  return {
    metadata: { name: `api-${revision}`, annotations: { 'deployment.kubernetes.io/revision': String(revision) } },
    spec: { template: { spec: { containers: [{ name: 'api', image }] } } },
  } as unknown as RawObject;
}

const rolledBackFrom = (revision: number, target = ref): PriorChange => ({
  action: 'rollout.undo',
  summary: `roll back from ${revision}`,
  target,
  before: { 'metadata.annotations': { 'deployment.kubernetes.io/revision': String(revision) } },
});

const pinnedAway = (image: string): PriorChange => ({
  action: 'set-image',
  summary: 'pin',
  target: ref,
  before: { 'spec.template.spec.containers': [{ name: 'api', image }] },
});

describe('chooseRollbackTarget', () => {
  const owned = [rs(1, 'api:1'), rs(3, 'api:3'), rs(2, 'api:2')];

  it("is kubectl's default (the previous revision) without prior changes or when the previous one is fine", () => {
    expect(chooseRollbackTarget(ref, owned, [])).toEqual({ toRevision: 0, warnings: [] });
    expect(chooseRollbackTarget(ref, owned, [rolledBackFrom(1)])).toEqual({ toRevision: 0, warnings: [] });
  });

  it('skips a previous revision that a rollback of this incident moved away from', () => {
    const target = chooseRollbackTarget(ref, owned, [rolledBackFrom(2)]);
    expect(target.toRevision).toBe(1);
    expect(target.warnings).toEqual([
      'skipping revision 2: this incident already moved away from it; restoring revision 1',
    ]);
  });

  it('skips a revision whose images a pin of this incident replaced, but never counts the current one', () => {
    // The pin replaced api:2; revision 3 (current) also ran api:3 only, so only revision 2 is bad.
    expect(chooseRollbackTarget(ref, owned, [pinnedAway('api:2')]).toRevision).toBe(1);
    expect(chooseRollbackTarget(ref, owned, [pinnedAway('api:3')])).toEqual({ toRevision: 0, warnings: [] });
  });

  it('ignores changes to other workloads, and refuses when every earlier revision is bad', () => {
    expect(chooseRollbackTarget(ref, owned, [rolledBackFrom(2, { ...ref, name: 'web' })]).toRevision).toBe(0);
    const refuse = () => chooseRollbackTarget(ref, owned, [rolledBackFrom(2), rolledBackFrom(1)]);
    expect(refuse).toThrow(RolloutUndoError);
    expect(refuse).toThrow('already moved away from (revision 1, 2)');
  });

  it('skips the StatefulSet revision a rollback moved away from by its template, not every one of the same image', () => {
    const sts = { kind: 'StatefulSet' as const, namespace: 'payments', name: 'ledger' };
    const template = (env: string) => ({
      metadata: { labels: { app: 'ledger' } },
      spec: { containers: [{ name: 'ledger', image: 'ledger:1', env: [{ name: 'MODE', value: env }] }] },
    });
    const revision = (number: number, env: string) => ({
      metadata: { name: `ledger-${number}` },
      revision: number,
      data: { spec: { template: { $patch: 'replace', ...template(env) } } },
    });
    // One image throughout; revision 3 (MODE=c) was bad and rolled back to 2, restored as 4.
    const history = controllerRevisionHistory([
      revision(1, 'a'),
      revision(3, 'c'),
      revision(4, 'b'),
    ] as unknown as RawObject[]);
    const rolledBack: PriorChange = {
      action: 'rollout.undo',
      summary: 'roll back statefulset payments/ledger to revision 2',
      target: sts,
      before: { 'spec.template': template('c') },
    };
    expect(chooseRollbackTarget(sts, history, [rolledBack])).toEqual({
      toRevision: 1,
      warnings: ['skipping revision 3: this incident already moved away from it; restoring revision 1'],
    });
  });

  it('has nothing to choose without ReplicaSets', () => {
    expect(chooseRollbackTarget(ref, [], [rolledBackFrom(2)])).toEqual({ toRevision: 0, warnings: [] });
  });
});
