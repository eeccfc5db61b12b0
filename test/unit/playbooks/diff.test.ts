import { describe, expect, it } from 'vitest';
import { diffViews, unifiedDiff } from '../../../src/playbooks/diff.js';

describe('unifiedDiff', () => {
  it('is empty for equal input', () => {
    expect(unifiedDiff(['a', 'b'], ['a', 'b'])).toEqual([]);
  });

  it('shows removals before additions with context and a hunk header', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const after = ['a', 'b', 'c', 'D', 'e', 'f', 'g', 'h'];
    expect(unifiedDiff(before, after)).toEqual(['@@ -2,5 +2,5 @@', ' b', ' c', '-d', '+D', ' e', ' f']);
  });

  it('splits distant changes into hunks', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const after = before.map((l) => (l === 'l1' ? 'L1' : l === 'l18' ? 'L18' : l));
    const hunks = unifiedDiff(before, after).filter((l) => l.startsWith('@@'));
    expect(hunks).toHaveLength(2);
  });
});

describe('diffViews', () => {
  it('diffs the YAML of the changed fields, nested', () => {
    const diff = diffViews({ 'spec.replicas': 3 }, { 'spec.replicas': 5 });
    expect(diff).toEqual(['@@ -1,2 +1,2 @@', ' spec:', '-  replicas: 3', '+  replicas: 5']);
  });
});
