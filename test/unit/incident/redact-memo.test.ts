import { beforeAll, describe, expect, it } from 'vitest';
import { REDACTED, redactText, registerSecretValues } from '../../../src/incident/redact.js';
import { loadSecretShapes } from '../../../src/incident/secret-shapes.js';

/** Redaction remembers the forms of short texts it has seen; what it remembers never outlives the rules. */
describe('redactText on a text seen before', () => {
  beforeAll(async () => loadSecretShapes());

  it('gives the same answer, secret shapes included', () => {
    const token = `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`;
    const line = `cloning with ${token}`;
    expect(redactText(line)).toBe(`cloning with ${REDACTED}`);
    expect(redactText(line)).toBe(`cloning with ${REDACTED}`);
    expect(redactText('plain text')).toBe('plain text');
  });

  it('forgets what it remembered when a value becomes a secret', () => {
    const line = 'flag service answered for key flag-key-7q3x9z';
    expect(redactText(line)).toBe(line);
    registerSecretValues(['flag-key-7q3x9z']);
    expect(redactText(line)).toBe(`flag service answered for key ${REDACTED}`);
  });

  it('redacts a long text in full as before (it is not remembered)', () => {
    const long = `${'x'.repeat(300)} password: hunter22`;
    expect(redactText(long)).toBe(`${'x'.repeat(300)} password: ${REDACTED}`);
  });
});
