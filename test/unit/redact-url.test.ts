import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/redact-url.js';

describe('redactUrl', () => {
  it('shows a URL without the user and password it holds', () => {
    expect(redactUrl('http://alice:s3cret@proxy.corp:3128')).toBe('http://proxy.corp:3128');
    expect(redactUrl('https://prometheus.example.com/prom/')).toBe('https://prometheus.example.com/prom');
  });

  it('shows nothing of a value that is not a URL, which may be a credential', () => {
    expect(redactUrl('s3cret token, not a url')).toBe('a URL that does not parse');
  });
});
