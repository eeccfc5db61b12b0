import { describe, expect, it } from 'vitest';
import { draft } from '../../../src/triage/checks/check.js';
import type { Autoscaler } from '../../../src/triage/k8s.js';
import { suggestFor } from '../../../src/triage/suggest.js';
import { deployment, snapshotWith } from './fixtures.js';

const web = { kind: 'Deployment', namespace: 'shop', name: 'web' };
const hot = draft({
  check: 'top',
  severity: 'warning',
  reason: 'HighCPU',
  title: '3/3 pods hot',
  workload: web,
  objects: [web],
});

function hpa(current: number, max: number, limited = false): Autoscaler {
  return {
    metadata: { name: 'web', namespace: 'shop' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: max },
    status: {
      currentReplicas: current,
      conditions: limited ? [{ type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas' }] : [],
    },
  } as Autoscaler;
}

const suggest = (autoscalers: Autoscaler[]) =>
  suggestFor(hot, { snapshot: snapshotWith({ deployments: [deployment('shop', 'web')], autoscalers }), changes: [] });

describe('CPU saturation suggestions with a HorizontalPodAutoscaler', () => {
  it('without an HPA, doubles the replicas as before', () => {
    expect(suggest([]).suggestion?.playbook).toBe('scale');
  });

  it('below the HPA maximum, suggests no scale and says the HPA is adding pods', () => {
    const { suggestion, note } = suggest([hpa(4, 10)]);
    expect(suggestion).toBeUndefined();
    expect(note).toBe(
      'HorizontalPodAutoscaler shop/web scales this deployment (4 replicas, min 2, max 10) and is below its maximum: it adds pods while the CPU stays high; a manual scale would be put back at its next sync',
    );
  });

  it("at the HPA maximum (by count or by its ScalingLimited condition), suggests the scale playbook's HPA path", () => {
    for (const at of [hpa(5, 5), hpa(4, 5, true)]) {
      const { suggestion, note } = suggest([at]);
      expect(suggestion?.command).toBe('inc run scale --set namespace=shop --set deployment=web --set replicas=10');
      expect(note).toContain('is at its maximum');
      expect(note).toContain("raises the HPA's minReplicas and maxReplicas to 10");
    }
  });

  it('an HPA of another workload changes nothing', () => {
    const other = hpa(5, 5);
    other.spec = { ...other.spec, scaleTargetRef: { kind: 'Deployment', name: 'api' } };
    expect(suggest([other]).note).toBeUndefined();
  });
});
