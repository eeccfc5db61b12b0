import { describe, expect, it } from 'vitest';
import { updateCadenceMinutes } from '../../../src/report/cadence.js';

describe('updateCadenceMinutes', () => {
  it('follows inc’s table by default: SEV1 15, SEV2 30, SEV3 60, SEV4 none', () => {
    expect(['SEV1', 'SEV2', 'SEV3', 'SEV4'].map((sev) => updateCadenceMinutes(sev))).toEqual([15, 30, 60, null]);
  });

  it('finds a configured severity by name or alias, case-insensitively; an unknown one has no cadence', () => {
    const table = [{ name: 'Critical', aliases: ['P0'], updateCadenceMinutes: 10 }];
    expect(updateCadenceMinutes('critical', table)).toBe(10);
    expect(updateCadenceMinutes('p0', table)).toBe(10);
    expect(updateCadenceMinutes('SEV1', table)).toBeNull();
  });
});
