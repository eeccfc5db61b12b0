// biome-ignore-all lint/suspicious/noExplicitAny: the tests read objects freely
import { describe, expect, it } from 'vitest';
import type { SimObject } from '../../../src/sim/cluster-state.js';
import { endpointSliceController } from '../../../src/sim/controllers/endpoint-slices.js';
import { FakeClusterState } from '../../helpers/fake-cluster-state.js';

const service = (name: string, selector?: Record<string, string>): SimObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'shop', labels: { team: 'web' } },
  spec: { ...(selector ? { selector } : {}), ports: [{ port: 80, targetPort: 8080 }] },
});

const endpoints = (name: string, subsets?: unknown[], labels?: Record<string, string>): SimObject => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name, namespace: 'shop', ...(labels ? { labels } : {}) },
  ...(subsets ? { subsets } : {}),
});

const address = (ip: string, pod: string) => ({
  ip,
  nodeName: 'node-1',
  targetRef: { kind: 'Pod', namespace: 'shop', name: pod, uid: `uid-${pod}` },
});

const slices = (state: FakeClusterState): any[] => state.list('EndpointSlice', 'shop');

describe('endpointslice controllers', () => {
  it("mirror a selector Service's Endpoints into one slice it owns, ready and not-ready endpoints alike", () => {
    const state = new FakeClusterState();
    const svc = state.create(service('web', { app: 'web' }));
    state.create(
      endpoints('web', [
        {
          addresses: [address('10.0.0.1', 'web-a')],
          notReadyAddresses: [address('10.0.0.2', 'web-b')],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ]),
    );
    state.reconcile([endpointSliceController]);
    const [slice, ...more] = slices(state);
    expect(more).toEqual([]);
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.metadata.labels).toEqual({
      team: 'web',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Service', uid: svc.metadata.uid }),
    ]);
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints.map((e: any) => [e.addresses[0], e.conditions.ready, e.targetRef.name])).toEqual([
      ['10.0.0.1', true, 'web-a'],
      ['10.0.0.2', false, 'web-b'],
    ]);
  });

  it('follow the Endpoints as they change, keeping the slice name, and drop the slice with them', () => {
    const state = new FakeClusterState();
    state.create(service('web', { app: 'web' }));
    const ep = state.create(endpoints('web'));
    state.reconcile([endpointSliceController]);
    const [placeholder] = slices(state);
    expect(placeholder).toMatchObject({ endpoints: null, ports: null });

    state.update({ ...ep, subsets: [{ addresses: [address('10.0.0.3', 'web-c')], ports: [{ port: 8080 }] }] });
    state.reconcile([endpointSliceController]);
    const [filled] = slices(state);
    expect(filled.metadata.name).toBe(placeholder.metadata.name);
    expect(filled.endpoints.map((e: any) => e.addresses[0])).toEqual(['10.0.0.3']);

    state.delete('Endpoints', 'shop', 'web');
    state.reconcile([endpointSliceController]);
    expect(slices(state)).toEqual([]);
  });

  it('mirror hand-written Endpoints of a selectorless Service, unless they ask to be skipped', () => {
    const state = new FakeClusterState();
    state.create(service('external'));
    state.create(endpoints('external', [{ addresses: [{ ip: '192.0.2.7' }], ports: [{ name: 'db', port: 5432 }] }]));
    state.create(service('skipped'));
    state.create(
      endpoints('skipped', [{ addresses: [{ ip: '192.0.2.8' }] }], {
        'endpointslice.kubernetes.io/skip-mirror': 'true',
      }),
    );
    state.create(endpoints('orphan', [{ addresses: [{ ip: '192.0.2.9' }] }]));
    state.reconcile([endpointSliceController]);
    const all = slices(state);
    expect(all.map((s) => s.metadata.labels['kubernetes.io/service-name'])).toEqual(['external']);
    expect(all[0].metadata.labels['endpointslice.kubernetes.io/managed-by']).toBe(
      'endpointslicemirroring-controller.k8s.io',
    );
    expect(all[0].ports).toEqual([{ name: 'db', port: 5432, protocol: 'TCP' }]);
  });
});
