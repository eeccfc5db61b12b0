import { describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/playbooks/action-types.js';
import { dryRunMutation } from '../../../src/playbooks/actions/kube-mutation.js';
import type { MutationPlan } from '../../../src/playbooks/k8s/mutation.js';

/** A cluster whose deployment moves to `current` (resourceVersion and image) after the plan read it at 10. */
function clusterAt(current: { resourceVersion: string; image: string }) {
  const sent: { body: unknown; query?: Record<string, string> }[] = [];
  const kube = {
    async request(request: { body: unknown; query?: Record<string, string> }) {
      sent.push(request);
      const precondition = (request.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
      if (precondition !== current.resourceVersion) throw Object.assign(new Error('Conflict'), { status: 409 });
      return { spec: { template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } } };
    },
    async get() {
      return {
        metadata: { name: 'web', namespace: 'shop', resourceVersion: current.resourceVersion },
        spec: { template: { spec: { containers: [{ name: 'web', image: current.image }] } } },
      };
    },
  };
  const ctx = { kube: async () => kube } as unknown as ActionContext;
  return { ctx, sent };
}

function pinToWeb2(): MutationPlan {
  return {
    target: { kind: 'Deployment', namespace: 'shop', name: 'web' },
    summary: 'set the image of web in deployment shop/web to web:2',
    resourceVersion: '10',
    before: { 'spec.template.spec.containers': [{ name: 'web', image: 'web:1' }] },
    fields: ['spec.template.spec.containers'],
    request: {
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/shop/deployments/web',
      contentType: 'application/strategic-merge-patch+json',
      body: { metadata: { resourceVersion: '10' }, spec: {} },
    },
  };
}

describe('the server dry run of a planned change', () => {
  it('goes ahead at the new resourceVersion when only other fields moved since the plan (a status write)', async () => {
    const { ctx, sent } = clusterAt({ resourceVersion: '42', image: 'web:1' });
    const plan = await dryRunMutation(ctx, 'set-image', pinToWeb2());
    expect(plan.dryRun).toBe('passed');
    expect(plan.resourceVersion).toBe('42');
    // The apply that follows carries the refreshed precondition too.
    expect(plan.mutation?.request.body).toEqual({ metadata: { resourceVersion: '42' }, spec: {} });
    expect(sent.map((request) => request.query?.dryRun)).toEqual(['All', 'All']);
  });

  it('stops, naming both versions, when someone changed the very fields the change touches', async () => {
    const { ctx, sent } = clusterAt({ resourceVersion: '42', image: 'web:3' });
    await expect(dryRunMutation(ctx, 'set-image', pinToWeb2())).rejects.toThrow(
      'deployment shop/web changed since the plan (resourceVersion 10 → 42); nothing was applied',
    );
    expect(sent).toHaveLength(1);
  });
});
