import { describe, expect, it } from 'vitest';
import { withResourceVersion } from '../../../src/playbooks/actions/kube-mutation.js';

describe('withResourceVersion', () => {
  it('moves the precondition of a merge or strategic patch, a PUT and a JSON-patch test op', () => {
    expect(withResourceVersion({ metadata: { resourceVersion: '1', name: 'a' }, spec: { x: 1 } }, '7')).toEqual({
      metadata: { resourceVersion: '7', name: 'a' },
      spec: { x: 1 },
    });
    expect(
      withResourceVersion(
        [
          { op: 'test', path: '/metadata/resourceVersion', value: '1' },
          { op: 'replace', path: '/spec/template', value: {} },
        ],
        '7',
      ),
    ).toEqual([
      { op: 'test', path: '/metadata/resourceVersion', value: '7' },
      { op: 'replace', path: '/spec/template', value: {} },
    ]);
  });

  it('leaves a body without a precondition alone', () => {
    expect(withResourceVersion({ spec: { replicas: 3 } }, '7')).toEqual({ spec: { replicas: 3 } });
    expect(withResourceVersion(undefined, '7')).toBeUndefined();
  });
});
