import { describe, expect, it } from 'vitest';
import { parsePattern } from '../../../src/cli/commands/logs-input.js';

describe('inc logs --grep', () => {
  it('ignores case unless the pattern has a capital letter (smart case)', () => {
    expect(parsePattern('error|panic')?.test('ERROR fatal: api cannot start')).toBe(true);
    expect(parsePattern('ERROR')?.test('error: retrying')).toBe(false);
    // A capital in an escape is no letter sought.
    expect(parsePattern('timeout\\S*')?.test('Timeout=30s')).toBe(true);
  });
});
