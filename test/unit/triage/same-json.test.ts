import { describe, expect, it } from 'vitest';
import { sameJson } from '../../../src/triage/same-json.js';

describe('sameJson', () => {
  it('is true exactly when the two values serialise alike, key order aside', () => {
    const cases: [unknown, unknown][] = [
      [
        { a: 1, b: [1, { c: 'x' }] },
        { b: [1, { c: 'x' }], a: 1 },
      ],
      [{ a: 1, gone: undefined }, { a: 1 }],
      [{ a: 1 }, { a: 1, b: 2 }],
      [{ a: [1, 2] }, { a: [2, 1] }],
      [{ a: [] }, { a: {} }],
      [{ a: null }, { a: undefined }],
      [{ a: '1' }, { a: 1 }],
      [[undefined], [null]],
      [{ a: { b: { c: true } } }, { a: { b: { c: false } } }],
    ];
    for (const [a, b] of cases) {
      const alike = JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
      expect(sameJson(a, b), JSON.stringify([a, b])).toBe(alike);
      expect(sameJson(b, a)).toBe(alike);
    }
  });
});

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
