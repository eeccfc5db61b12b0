import { describe, expect, it } from 'vitest';
import type { KubeAccess } from '../../../../src/kube/access.js';
import { planRolloutUndo } from '../../../../src/playbooks/k8s/rollout-undo.js';

/** Answers GET and list from fixed objects, as the API server would for these paths. */
function fakeKube(objects: Record<string, unknown>, lists: Record<string, unknown[]>): KubeAccess {
  return {
    get: async <T>(path: string) => {
      if (!(path in objects)) throw Object.assign(new Error(`not found: ${path}`), { status: 404 });
      return objects[path] as T;
    },
    list: async <T>(path: string) => ({ items: (lists[path] ?? []) as T[], resourceVersion: '1', kind: 'List' }),
    request: async () => {
      throw new Error('planning never writes');
    },
  } as unknown as KubeAccess;
}

const template = (image: string) => ({
  metadata: { labels: { app: 'db' } },
  spec: { containers: [{ name: 'db', image }] },
});
const sts = {
  metadata: { name: 'db', namespace: 'data', uid: 'sts-uid', resourceVersion: '77' },
  spec: { selector: { matchLabels: { app: 'db' } }, template: template('pg:16.4') },
};
const cr = (revision: number, image: string, owner = 'sts-uid') => ({
  metadata: { name: `db-${revision}`, namespace: 'data', ownerReferences: [{ uid: owner, controller: true }] },
  revision,
  data: { spec: { template: { ...template(image), $patch: 'replace' } } },
});
const STS = '/apis/apps/v1/namespaces/data/statefulsets/db';
const CRS = '/apis/apps/v1/namespaces/data/controllerrevisions';
const ref = { kind: 'StatefulSet' as const, namespace: 'data', name: 'db' };

describe('planRolloutUndo for a StatefulSet (ControllerRevisions)', () => {
  it('takes the second-highest revision and sends its data verbatim as a strategic merge patch', async () => {
    const kube = fakeKube(
      { [STS]: sts },
      { [CRS]: [cr(3, 'pg:16.4'), cr(1, 'pg:15'), cr(2, 'pg:16.3'), cr(9, 'x', 'other-uid')] },
    );
    const plan = await planRolloutUndo(kube, ref, sts);
    expect(plan.summary).toBe('roll back statefulset data/db to revision 2');
    expect(plan.request).toEqual({
      method: 'PATCH',
      path: STS,
      contentType: 'application/strategic-merge-patch+json',
      body: { ...cr(2, 'pg:16.3').data, metadata: { resourceVersion: '77' } },
    });
    expect(plan.inverse?.with).toMatchObject({ toRevision: 3, kind: 'statefulset' });
    // The revert is named as a Deployment's is: the revision (and its ControllerRevision) it returns to.
    expect(plan.inverse?.summary).toBe(
      'roll statefulset data/db forward again to revision 3 (ControllerRevision db-3)',
    );
  });

  it('refuses with one revision, a missing revision, and skips a matching one', async () => {
    await expect(planRolloutUndo(fakeKube({ [STS]: sts }, { [CRS]: [cr(1, 'pg:16.4')] }), ref, sts)).rejects.toThrow(
      'no last revision to roll back to',
    );
    const kube = fakeKube({ [STS]: sts }, { [CRS]: [cr(1, 'pg:15'), cr(2, 'pg:16.4')] });
    await expect(planRolloutUndo(kube, ref, sts, 5)).rejects.toThrow('unable to find specified revision 5 in history');
    const same = await planRolloutUndo(kube, ref, sts, 2);
    expect(same.skip).toBe('skipped rollback (current template already matches revision 2)');
  });

  it('skips a matching revision whatever the order of its keys: the API server sorts them in a revision, not in the workload', async () => {
    // A ControllerRevision's data is a marshalled map (keys sorted, "$patch" first); the workload comes in field order.
    const sorted = {
      metadata: { name: 'db-2', namespace: 'data', ownerReferences: [{ uid: 'sts-uid', controller: true }] },
      revision: 2,
      data: {
        spec: {
          template: {
            $patch: 'replace',
            metadata: { labels: { app: 'db' } },
            spec: { containers: [{ image: 'pg:16.4', name: 'db' }] },
          },
        },
      },
    };
    const kube = fakeKube({ [STS]: sts }, { [CRS]: [cr(1, 'pg:15'), sorted] });
    const same = await planRolloutUndo(kube, ref, sts, 2);
    expect(same.skip).toBe('skipped rollback (current template already matches revision 2)');
  });
});
