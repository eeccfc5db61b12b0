import { describe, expect, it } from 'vitest';
import type { SimObject } from '../../../src/sim/cluster-state.js';
import { EVENTS_V1_FIELDS, fieldPredicate, labelPredicate } from '../../../src/sim/selectors.js';
import { ApiStatusError } from '../../../src/sim/status.js';

const pod = (name: string, labels: Record<string, string>, phase = 'Running', node = 'node-1'): SimObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels },
  spec: { nodeName: node },
  status: { phase },
});

const pods = [
  pod('a', { app: 'web', tier: 'front', rank: '3' }),
  pod('b', { app: 'web', tier: 'back' }, 'Pending', 'node-2'),
  pod('c', { app: 'db' }, 'Failed'),
];

const names = (predicate: (o: SimObject) => boolean) => pods.filter(predicate).map((p) => p.metadata.name);

describe('label selectors', () => {
  it('supports equality, inequality and set-based requirements', () => {
    expect(names(labelPredicate('app=web'))).toEqual(['a', 'b']);
    expect(names(labelPredicate('app==web,tier=back'))).toEqual(['b']);
    expect(names(labelPredicate('app!=web'))).toEqual(['c']);
    expect(names(labelPredicate('tier in (front, back)'))).toEqual(['a', 'b']);
    expect(names(labelPredicate('tier notin (front)'))).toEqual(['b', 'c']);
    expect(names(labelPredicate('tier'))).toEqual(['a', 'b']);
    expect(names(labelPredicate('!tier'))).toEqual(['c']);
    expect(names(labelPredicate('rank>2'))).toEqual(['a']);
    expect(names(labelPredicate(''))).toEqual(['a', 'b', 'c']);
    expect(names(labelPredicate(undefined))).toEqual(['a', 'b', 'c']);
  });

  it('answers 400 for a malformed selector', () => {
    expect(() => labelPredicate('app in web')).toThrow(ApiStatusError);
    try {
      labelPredicate('a b c');
    } catch (error) {
      expect((error as ApiStatusError).code).toBe(400);
    }
  });
});

describe('field selectors', () => {
  it('matches the supported pod fields with = and !=', () => {
    expect(names(fieldPredicate('status.phase=Running', 'Pod'))).toEqual(['a']);
    expect(names(fieldPredicate('status.phase!=Running,spec.nodeName=node-1', 'Pod'))).toEqual(['c']);
    expect(names(fieldPredicate('metadata.name==b', 'Pod'))).toEqual(['b']);
    expect(names(fieldPredicate('metadata.namespace=shop', 'Pod'))).toHaveLength(3);
  });

  it('refuses fields the kind does not support, as the server does', () => {
    expect(() => fieldPredicate('spec.replicas=3', 'Pod')).toThrow('field label not supported: spec.replicas');
  });

  it('matches event fields, also under their events.k8s.io names', () => {
    const event: SimObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'shop' },
      involvedObject: { kind: 'Pod', name: 'a', namespace: 'shop' },
      reason: 'BackOff',
      type: 'Warning',
      source: { component: 'kubelet' },
    };
    expect(fieldPredicate('involvedObject.kind=Pod,involvedObject.name=a,type=Warning', 'Event')(event)).toBe(true);
    expect(fieldPredicate('reason=Started', 'Event')(event)).toBe(false);
    expect(fieldPredicate('source=kubelet', 'Event')(event)).toBe(true);
    expect(fieldPredicate('regarding.name=a,reason=BackOff', 'Event', EVENTS_V1_FIELDS)(event)).toBe(true);
  });
});
