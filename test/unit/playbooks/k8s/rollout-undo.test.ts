import { describe, expect, it } from 'vitest';
import type { RawObject } from '../../../../src/kube/access.js';
import { equalIgnoreHash, revisionOf } from '../../../../src/playbooks/k8s/rollout-history.js';
import {
  ANNOTATIONS_TO_SKIP,
  decideDeploymentUndo,
  deploymentUndoPatch,
  RolloutUndoError,
} from '../../../../src/playbooks/k8s/rollout-undo.js';

const UID = 'dep-uid';

function template(image: string, hash?: string) {
  return {
    metadata: {
      labels: { app: 'api', ...(hash ? { 'pod-template-hash': hash } : {}) },
      annotations: { team: 'payments' },
    },
    spec: { containers: [{ name: 'api', image, futureField: { kept: true } }] },
  };
}

function deployment(
  image: string,
  extra: Partial<RawObject['spec']> = {},
  annotations: Record<string, string> = {},
): RawObject {
  return {
    metadata: {
      name: 'api',
      namespace: 'payments',
      uid: UID,
      annotations: {
        'deployment.kubernetes.io/revision': '3',
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
        'own/note': 'x',
        ...annotations,
      },
    },
    spec: { selector: { matchLabels: { app: 'api' } }, template: template(image), ...extra },
  };
}

function rs(
  name: string,
  revision: string | undefined,
  image: string,
  options: { owner?: string; annotations?: Record<string, string> } = {},
): RawObject {
  return {
    metadata: {
      name,
      namespace: 'payments',
      annotations: {
        ...(revision === undefined ? {} : { 'deployment.kubernetes.io/revision': revision }),
        'kubernetes.io/change-cause': `deploy ${image}`,
        'deployment.kubernetes.io/desired-replicas': '3',
        ...options.annotations,
      },
      ownerReferences: [{ uid: options.owner ?? UID, controller: true, kind: 'Deployment', name: 'api' }],
    },
    spec: { template: template(image, `${name}-hash`) },
  };
}

describe('decideDeploymentUndo (kubectl rollout undo)', () => {
  const owned = [rs('api-1', '1', 'api:1'), rs('api-2', '2', 'api:2'), rs('api-3', '3', 'api:3')];

  it('picks the second-highest revision, not the one before the running one', () => {
    const decision = decideDeploymentUndo(
      deployment('api:3'),
      [rs('api-5', '5', 'api:5'), rs('api-2', '2', 'api:2'), rs('api-9', '9', 'api:9')],
      0,
    );
    expect(decision).toMatchObject({ kind: 'patch', revision: 5 });
  });

  it('strips pod-template-hash and copies the template raw (unknown fields kept)', () => {
    const decision = decideDeploymentUndo(deployment('api:3'), owned, 0);
    if (decision.kind !== 'patch') throw new Error('expected a patch');
    expect(decision.template).toEqual(template('api:2'));
    expect(JSON.stringify(decision.template)).toContain('futureField');
  });

  it('keeps the six deployment-owned annotations from the deployment and the rest from the ReplicaSet', () => {
    const decision = decideDeploymentUndo(deployment('api:3'), owned, 0);
    if (decision.kind !== 'patch') throw new Error('expected a patch');
    expect(decision.annotations).toEqual({
      'deployment.kubernetes.io/revision': '3',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'kubernetes.io/change-cause': 'deploy api:2',
    });
    expect(ANNOTATIONS_TO_SKIP).toHaveLength(6);
  });

  it('sends one JSON patch replacing the template and the annotations, after a resourceVersion precondition', () => {
    const patch = deploymentUndoPatch('812', { a: 1 }, { b: '2' });
    expect(patch).toEqual([
      { op: 'replace', path: '/metadata/resourceVersion', value: '812' },
      { op: 'replace', path: '/spec/template', value: { a: 1 } },
      { op: 'replace', path: '/metadata/annotations', value: { b: '2' } },
    ]);
  });

  it('finds an explicit revision, else says it is not in history', () => {
    expect(decideDeploymentUndo(deployment('api:3'), owned, 1)).toMatchObject({ kind: 'patch', revision: 1 });
    expect(() => decideDeploymentUndo(deployment('api:3'), owned, 7)).toThrow(
      'unable to find specified revision 7 in history',
    );
    expect(() => decideDeploymentUndo(deployment('api:3'), owned, -1)).toThrow(
      'unable to find specified revision -1 in history',
    );
  });

  it('has no history with a single ReplicaSet', () => {
    expect(() => decideDeploymentUndo(deployment('api:3'), [rs('api-3', '3', 'api:3')], 0)).toThrow(
      'no rollout history found for deployment "api"',
    );
  });

  it('checks in kubectl order: revision before paused, paused before already-matching', () => {
    const paused = deployment('api:2', { paused: true });
    // Revision lookup first: a missing revision wins over paused.
    expect(() => decideDeploymentUndo(paused, owned, 7)).toThrow('unable to find specified revision 7');
    expect(() => decideDeploymentUndo(paused, [owned[2]!], 0)).toThrow('no rollout history found');
    // Paused wins over "already matches" (the deployment runs api:2, the previous revision).
    expect(() => decideDeploymentUndo(paused, owned, 2)).toThrow(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
    expect(() => decideDeploymentUndo(paused, owned, 2)).toThrow(RolloutUndoError);
    // Not paused: the already-matching template is a skip, naming the --to-revision value (0 by default).
    expect(decideDeploymentUndo(deployment('api:2'), owned, 2)).toEqual({
      kind: 'skip',
      message: 'skipped rollback (current template already matches revision 2)',
    });
  });

  it('ignores ReplicaSets of another owner and unparseable revisions; a missing one is revision 0', () => {
    const foreign = rs('other-8', '8', 'api:8', { owner: 'someone-else' });
    const broken = rs('api-x', 'x7', 'api:x');
    expect(revisionOf(broken)).toBeUndefined();
    expect(revisionOf(rs('api-0', undefined, 'api:0'))).toBe(0);
    // The caller filters by owner; here the unparseable one is skipped by the algorithm itself.
    expect(decideDeploymentUndo(deployment('api:3'), [...owned, broken], 0)).toMatchObject({ revision: 2 });
    expect(foreign.metadata.ownerReferences?.[0]?.uid).not.toBe(UID);
  });

  it('compares templates ignoring the hash label and empty-versus-missing fields', () => {
    expect(equalIgnoreHash(template('a', 'h1'), template('a', 'h2'))).toBe(true);
    expect(
      equalIgnoreHash({ metadata: { labels: { a: '1' }, annotations: {} } }, { metadata: { labels: { a: '1' } } }),
    ).toBe(true);
    expect(equalIgnoreHash(template('a'), template('b'))).toBe(false);
  });
});
