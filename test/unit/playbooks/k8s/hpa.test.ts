import { describe, expect, it } from 'vitest';
import { type Autoscaler, boundsForReplicas, planAutoscalerBounds } from '../../../../src/playbooks/k8s/hpa.js';

const hpa: Autoscaler = { namespace: 'shop', name: 'web', minReplicas: 2, maxReplicas: 5, resourceVersion: '7' };

describe('boundsForReplicas', () => {
  it('raises minReplicas for more replicas, and maxReplicas only when it is lower', () => {
    expect(boundsForReplicas(hpa, 3, 4)).toEqual({ minReplicas: 4, maxReplicas: 5 });
    expect(boundsForReplicas(hpa, 3, 8)).toEqual({ minReplicas: 8, maxReplicas: 8 });
  });

  it('lowers maxReplicas for fewer replicas, and minReplicas only when it is higher', () => {
    expect(boundsForReplicas(hpa, 4, 3)).toEqual({ minReplicas: 2, maxReplicas: 3 });
    expect(boundsForReplicas(hpa, 4, 1)).toEqual({ minReplicas: 1, maxReplicas: 1 });
  });
});

describe('planAutoscalerBounds', () => {
  it('plans a merge patch with the resourceVersion, the diff fields and the inverse that restores the bounds', () => {
    const plan = planAutoscalerBounds(hpa, { minReplicas: 6, maxReplicas: 6 });
    expect(plan.summary).toBe('set HorizontalPodAutoscaler shop/web minReplicas 2 → 6, maxReplicas 5 → 6');
    expect(plan.request).toEqual({
      method: 'PATCH',
      path: '/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers/web',
      contentType: 'application/merge-patch+json',
      body: { metadata: { resourceVersion: '7' }, spec: { minReplicas: 6, maxReplicas: 6 } },
    });
    expect(plan.before).toEqual({ 'spec.minReplicas': 2, 'spec.maxReplicas': 5 });
    expect(plan.inverse).toEqual({
      action: 'hpa.bounds',
      with: {
        namespace: 'shop',
        hpa: 'web',
        minReplicas: 2,
        maxReplicas: 5,
        currentMinReplicas: 6,
        currentMaxReplicas: 6,
      },
      summary: 'restore HorizontalPodAutoscaler shop/web to minReplicas 2, maxReplicas 5',
    });
  });

  it('skips when the bounds are already so, and refuses a max below the min or changed bounds', () => {
    expect(planAutoscalerBounds(hpa, { minReplicas: 2 }).skip).toContain('already has minReplicas 2, maxReplicas 5');
    expect(() => planAutoscalerBounds(hpa, { minReplicas: 6 })).toThrow('maxReplicas 5 would be below minReplicas 6');
    expect(() => planAutoscalerBounds(hpa, { minReplicas: 3, currentMinReplicas: 4 })).toThrow(
      'Expected minReplicas to be 4, was 2',
    );
  });
});
