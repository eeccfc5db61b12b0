import { describe, expect, it } from 'vitest';
import type { KubeAccess, RawObject } from '../../../../src/kube/access.js';
import {
  findManagingApplications,
  isAutoSyncEnabled,
  planArgoRollback,
  planAutoSync,
} from '../../../../src/playbooks/k8s/argo.js';

const APP = '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/shop';

function app(extra: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): RawObject {
  return {
    metadata: { name: 'shop', namespace: 'argocd', resourceVersion: '41' },
    spec: {
      destination: { namespace: 'shop' },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
      ...spec,
    },
    status: {
      history: [
        { id: 0, revision: 'aaa', source: { repoURL: 'r', path: 'p' } },
        { id: 1, revision: 'bbb', source: { repoURL: 'r', path: 'p' } },
        { id: 2, revision: 'ccc', source: { repoURL: 'r', path: 'p' } },
      ],
      resources: [{ kind: 'Deployment', namespace: 'shop', name: 'web' }],
    },
    ...extra,
  };
}

function kube(objects: Record<string, unknown>, notFound = false): KubeAccess {
  return {
    get: async (path: string) => objects[path],
    list: async () => {
      if (notFound) throw Object.assign(new Error('the server could not find the requested resource'), { status: 404 });
      return { items: [objects[APP]], resourceVersion: '1', kind: 'List' };
    },
    request: async () => {
      throw new Error('planning never writes');
    },
  } as unknown as KubeAccess;
}

const web = { kind: 'Deployment' as const, namespace: 'shop', name: 'web' };
const workload: RawObject = { metadata: { name: 'web', namespace: 'shop' } };

describe('Argo CD', () => {
  it('auto-sync is on iff automated is present and enabled is not false', () => {
    expect(isAutoSyncEnabled(app())).toBe(true);
    expect(isAutoSyncEnabled(app({}, { syncPolicy: { automated: { enabled: false } } }))).toBe(false);
    expect(isAutoSyncEnabled(app({}, { syncPolicy: {} }))).toBe(false);
  });

  it('finds the Application managing a workload by status.resources or tracking labels; none without the CRD', async () => {
    expect(await findManagingApplications(kube({ [APP]: app() }), web, workload)).toEqual([
      { namespace: 'argocd', name: 'shop', autoSync: true, selfHeal: true, why: 'listed in its status.resources' },
    ]);
    const labelled = {
      metadata: { name: 'api', namespace: 'shop', labels: { 'argocd.argoproj.io/instance': 'shop' } },
    };
    const other = app({ status: { resources: [] } });
    expect((await findManagingApplications(kube({ [APP]: other }), { ...web, name: 'api' }, labelled))[0]?.why).toBe(
      'argocd.argoproj.io/instance label',
    );
    expect(await findManagingApplications(kube({}, true), web, workload)).toEqual([]);
  });

  it('pauses auto-sync with a merge patch of automated: null, remembering the settings for the inverse', async () => {
    const plan = await planAutoSync(kube({ [APP]: app() }), 'argocd', 'shop', false);
    expect(plan.request).toMatchObject({
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { resourceVersion: '41' }, spec: { syncPolicy: { automated: null } } },
    });
    expect(plan.inverse).toMatchObject({
      action: 'argo.autosync',
      with: { enable: true, previous: { prune: true, selfHeal: true } },
    });
  });

  it('refuses a rollback while auto-sync is on or an operation runs; else sets operation.sync from the second-to-last entry', async () => {
    await expect(planArgoRollback(kube({ [APP]: app() }), 'argocd', 'shop', { username: 'me' })).rejects.toThrow(
      'rollback cannot be initiated when auto-sync is enabled',
    );
    const paused = {
      spec: { destination: { namespace: 'shop' }, syncPolicy: { syncOptions: ['CreateNamespace=true'] } },
    };
    await expect(
      planArgoRollback(kube({ [APP]: app({ ...paused, operation: { sync: {} } }) }), 'argocd', 'shop', {
        username: 'me',
      }),
    ).rejects.toThrow('another operation is already in progress');
    const plan = await planArgoRollback(kube({ [APP]: app(paused) }), 'argocd', 'shop', { username: 'me' });
    expect(plan.request.body).toEqual({
      metadata: { resourceVersion: '41' },
      operation: {
        initiatedBy: { username: 'me' },
        sync: {
          syncStrategy: { apply: {} },
          prune: false,
          revision: 'bbb',
          source: { repoURL: 'r', path: 'p' },
          syncOptions: ['CreateNamespace=true'],
        },
      },
      status: { operationState: null },
    });
    expect(plan.inverse).toMatchObject({ action: 'argo.rollback', with: { id: 2 } });
    await expect(
      planArgoRollback(kube({ [APP]: app(paused) }), 'argocd', 'shop', { id: 7, username: 'me' }),
    ).rejects.toThrow("application 'shop' does not have deployment id '7' in history");
  });
});
